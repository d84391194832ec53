"""Known data for the statistics, report, export and retention tests: a few units and a year of cases whose
figures are worked out by hand in test_statistics.py."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cases import rollup, services
from cases.models import AdministrativeUnit, Case, Channel, Gender
from cases.units import load_units
from tests.factories import make_case, png_upload

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

UNITS_CSV = """code,name,kind,parent_code,valid_from,valid_until
256,Thành phố Bắc Ninh,district,,1997-01-01,2025-06-30
258,Huyện Yên Phong,district,,1997-01-01,2025-06-30
261,Thành phố Từ Sơn,district,,1997-01-01,2025-06-30
09187,Phường Kinh Bắc,ward,256,2025-07-01,
09367,Phường Từ Sơn,ward,261,2025-07-01,
09193,Xã Yên Phong,commune,258,2025-07-01,
"""


def make_units():
    load_units(io.StringIO(UNITS_CSV))
    return {unit.code: unit for unit in AdministrativeUnit.objects.all()}


def local(*args):
    return datetime(*args, tzinfo=HCM)


def place(case, *, received, answered_after=None):
    """Move a case to when it was received, with its first-response clock, and answer it after some minutes."""
    due = services.first_response_due(received_at=received, priority=case.priority)
    answered = received + timedelta(minutes=answered_after) if answered_after is not None else None
    Case.objects.filter(pk=case.pk).update(created_at=received, first_response_due_at=due, first_response_at=answered)
    rollup.mark_changed(case.created_at, received)  # history rewritten outside the services: recount both days
    case.refresh_from_db()
    return case


def known_year(*, operator, supervisor, units):
    """Six reports around the year 2026 (local time). In 2026 there are five, one of them spam:

    A  CBH   web    13-15 girl     Kinh Bắc  1 Jan 00:30   P3 answered after 30 min (on time), closed: advice
    B  OSE-… api    16-17 boy      Từ Sơn    15 Mar        P2 answered after 90 min (late: target 60)
    C  SCM   phone  10-12 unknown  —         20 Mar        P1 (in danger) answered after 10 min (on time)
    D  INF   web    spam, rejected           21 Mar        (not a case)
    F  CBH   web    13-15 girl     Kinh Bắc  1 Jun         P3 never answered, overdue, open
    E  CBH   web    31 Dec 2025 23:30 local: outside the year
    """
    kinh_bac, tu_son = units["09187"], units["09367"]
    a, _ = make_case(
        commune_unit=kinh_bac,
        contact_preference="phone",
        contact_phone="+84912345678",
        contact_email="em.a@example.vn",
        uploads=[png_upload()],
    )
    services.claim_case(case=a, user=operator)
    services.post_staff_message(case=a, user=operator, text="Chào em, chị đã đọc báo cáo.")
    services.add_reporter_information(case=a, text="Em tên là Nguyễn Thị A, số em 0912345678.")
    services.resolve_case(case=a, user=operator, outcome="advice_given", summary="Em A đã được hướng dẫn.")
    services.close_case(case=a, user=operator)
    place(a, received=local(2026, 1, 1, 0, 30), answered_after=30)

    b, _ = make_case(
        category_code="OSE-SEXTORTION", age_band="16_17", gender=Gender.MALE, commune_unit=tu_son, channel=Channel.API
    )
    place(b, received=local(2026, 3, 15, 10, 0), answered_after=90)

    c, _ = make_case(
        category_code="SCM", age_band="10_12", gender=Gender.UNKNOWN, in_danger=True, commune="", channel=Channel.PHONE
    )
    place(c, received=local(2026, 3, 20, 9, 0), answered_after=10)

    d, _ = make_case(category_code="INF", commune_unit=kinh_bac)
    services.reject_case(case=d, user=supervisor, reason="spam")
    place(d, received=local(2026, 3, 21, 8, 0))

    f, _ = make_case(commune_unit=kinh_bac)
    place(f, received=local(2026, 6, 1, 8, 0))

    e, _ = make_case(commune_unit=tu_son)
    place(e, received=local(2025, 12, 31, 23, 30), answered_after=5)
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f}
