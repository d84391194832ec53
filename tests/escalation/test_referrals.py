"""Child-protection notifications (Decree 56/2017): recorded now, approved afterwards, with the 12-hour clock."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from cases import services as case_services
from cases.models import Case, CaseEvent, EventKind, ProtectionLevel
from cases.services import NotAllowed
from escalation import services
from escalation.models import Agency, Referral
from tests.conftest import make_user
from tests.escalation.factories import INFO_DEPT, POLICE
from tests.factories import make_case, verified_login

pytestmark = pytest.mark.django_db

OFFICER = "Nguyễn Thị Lan"
AGREED = "Cán bộ 111 sẽ gọi lại cho em trong 30 phút và báo Công an phường."


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def record(case, user, *, agency_code="tong-dai-111", notified_at=None, **overrides):
    fields = {
        "agency": Agency.objects.get(code=agency_code),
        "method": "phone",
        "notified_at": notified_at or timezone.now(),
        "officer_name": OFFICER,
        "agreed": AGREED,
    }
    fields.update(overrides)
    return services.record_referral(case=case, user=user, **fields)


def form(agency_code="tong-dai-111", **overrides):
    data = {
        "referral-agency": str(Agency.objects.get(code=agency_code).pk),
        "referral-method": "phone",
        "referral-notified_at": local_input(timezone.now()),
        "referral-officer_name": OFFICER,
        "referral-agreed": AGREED,
    }
    data.update(overrides)
    return data


def test_the_directory_has_111_and_113_with_their_phone_numbers():
    assert Agency.objects.get(code="tong-dai-111").kind == "child_protection"
    assert Agency.objects.get(code="tong-dai-111").phone == "111"
    assert Agency.objects.get(code="cong-an-113").kind == "police"
    assert Agency.objects.get(code="cong-an-113").phone == "113"


def test_a_notification_counts_at_once_and_is_approved_afterwards(operator, supervisor):
    case, _code = make_case()
    notified_at = timezone.now() - timedelta(minutes=5)
    referral = record(case, operator, notified_at=notified_at)
    case.refresh_from_db()
    assert not referral.is_approved
    assert case.intervention_due_at == notified_at + timedelta(hours=12)
    notified = CaseEvent.objects.get(case=case, kind=EventKind.REFERRAL, data__step="notified")
    assert notified.actor == operator and notified.data["referral"] == referral.pk
    assert notified.data["agency"] == "tong-dai-111"
    approved = services.approve_referral(referral=referral, user=supervisor)
    assert approved.approved_by == supervisor and approved.approved_at >= referral.recorded_at
    assert CaseEvent.objects.filter(case=case, kind=EventKind.REFERRAL, data__step="approved").count() == 1
    for event in CaseEvent.objects.filter(case=case):
        assert OFFICER not in event.text + str(event.data) and AGREED not in event.text + str(event.data)


def test_the_clock_runs_from_the_first_notification(operator):
    case, _code = make_case()
    first = timezone.now() - timedelta(hours=2)
    record(case, operator, notified_at=first)
    record(case, operator, agency_code="cong-an-113", notified_at=timezone.now())
    case.refresh_from_db()
    assert case.intervention_due_at == first + timedelta(hours=12)
    assert Referral.objects.filter(case=case).count() == 2


def test_the_intervention_period_is_a_setting(operator, settings):
    settings.INTERVENTION_HOURS = 6
    case, _code = make_case()
    now = timezone.now()
    record(case, operator, notified_at=now)
    case.refresh_from_db()
    assert case.intervention_due_at == now + timedelta(hours=6)


def test_approving_twice_is_refused(operator, supervisor):
    case, _code = make_case()
    referral = record(case, operator)
    services.approve_referral(referral=referral, user=supervisor)
    with pytest.raises(TransitionNotAllowed):
        services.approve_referral(referral=referral, user=supervisor)


def test_permission_refusals(operator, outsider):
    case, _code = make_case()
    liaison = make_user("liaison-x", "liaison")
    for user in (outsider, liaison):
        with pytest.raises(NotAllowed):
            record(case, user)
    referral = record(case, operator)
    with pytest.raises(NotAllowed):
        services.approve_referral(referral=referral, user=operator)  # counsellors record, supervisors approve
    assert not Referral.objects.filter(approved_at__isnull=False).exists()


def test_only_child_protection_bodies_can_be_notified(operator):
    case, _code = make_case()
    with pytest.raises(services.InvalidReferral):
        record(case, operator, agency_code=INFO_DEPT)
    with pytest.raises(services.InvalidReferral):
        record(case, operator, notified_at=timezone.now() + timedelta(hours=1))
    assert not Referral.objects.exists() and Case.objects.get(pk=case.pk).intervention_due_at is None


def test_a_closed_case_cannot_be_referred(operator):
    case, _code = make_case()
    case_services.claim_case(case=case, user=operator)
    case_services.resolve_case(case=case, user=operator, outcome="advice_given", summary="ok")
    with pytest.raises(TransitionNotAllowed):
        record(case, operator)


def test_the_protection_level_is_set_on_the_case_with_its_event(operator, outsider):
    case, _code = make_case()
    case_services.set_protection_level(case=case, user=operator, level=ProtectionLevel.INTERVENTION)
    assert Case.objects.get(pk=case.pk).protection_level == "intervention"
    event = CaseEvent.objects.get(case=case, kind=EventKind.PROTECTION_LEVEL)
    assert event.data == {"level": "intervention", "previous": ""}
    with pytest.raises(NotAllowed):
        case_services.set_protection_level(case=case, user=outsider, level=ProtectionLevel.SUPPORT)


# --- the case page ---


def test_a_counsellor_records_a_notification_from_the_case_page(client, operator):
    case, _code = make_case(category_code="MHR")
    verified_login(client, operator)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="referrals"' in page and "Tổng đài 111 · 111" in page
    section = page.split('id="referrals"')[1].split("</section>")[0]
    assert "Công an 113 · 113" in section and "Sở VHTTDL" not in section  # only bodies that take notifications
    response = client.post(f"/cases/{case.reference}/referrals/new/", form())
    assert response.status_code == 302 and response["Location"].endswith("#referrals")
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="intervention-clock"' in page and OFFICER in page
    assert "chưa được giám sát viên phê duyệt" in page


def test_a_time_in_the_future_gets_a_clear_message_and_keeps_what_was_typed(client, operator):
    case, _code = make_case()
    verified_login(client, operator)
    future = local_input(timezone.now() + timedelta(hours=3))
    response = client.post(f"/cases/{case.reference}/referrals/new/", form(**{"referral-notified_at": future}))
    assert response.status_code == 400
    html = response.content.decode()
    assert "trong tương lai" in html and OFFICER in html and AGREED in html and future in html
    assert not Referral.objects.exists()


def test_a_missing_officer_name_gets_a_clear_message(client, operator):
    case, _code = make_case()
    verified_login(client, operator)
    response = client.post(f"/cases/{case.reference}/referrals/new/", form(**{"referral-officer_name": ""}))
    assert response.status_code == 400 and AGREED in response.content.decode()


def test_a_supervisor_approves_from_the_case_page_and_a_counsellor_cannot(client, operator, supervisor):
    case, _code = make_case()
    referral = record(case, operator)
    verified_login(client, operator)
    assert client.post(f"/cases/{case.reference}/referrals/{referral.pk}/approve/").status_code == 403
    verified_login(client, supervisor)
    response = client.post(f"/cases/{case.reference}/referrals/{referral.pk}/approve/")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.approved_by == supervisor
    again = client.post(f"/cases/{case.reference}/referrals/{referral.pk}/approve/", follow=True)
    assert again.status_code == 200 and "Không thể thực hiện bước này" in again.content.decode()


def test_the_protection_level_form_on_the_case_page(client, operator):
    case, _code = make_case()
    verified_login(client, operator)
    response = client.post(f"/cases/{case.reference}/do/protection/", {"level": "support"})
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).protection_level == "support"
    response = client.post(f"/cases/{case.reference}/do/protection/", {"level": "whatever"})
    assert response.status_code == 400


# --- the clock in the queue and on the SLA page ---


def test_the_queue_shows_the_clock_and_highlights_an_overdue_one(client, operator):
    running, _ = make_case()
    record(running, operator)
    overdue, _ = make_case()
    record(overdue, operator, notified_at=timezone.now() - timedelta(hours=1))
    Case.objects.filter(pk=overdue.pk).update(intervention_due_at=timezone.now() - timedelta(minutes=30))
    verified_login(client, operator)
    html = client.get("/cases/").content.decode()
    rows = {
        ref: html.split(f'data-reference="{ref}"')[1].split("</tr>")[0]
        for ref in (running.reference, overdue.reference)
    }
    assert "badge--clock" in rows[running.reference] and "is-overdue" not in rows[running.reference]
    assert "badge--clock is-overdue" in rows[overdue.reference]


def test_the_queue_shows_the_risk_flag_with_what_triggered_it(client, operator):
    case, _ = make_case(description="em khong muon song nua")
    verified_login(client, operator)
    html = client.get("/cases/").content.decode()
    row = html.split(f'data-reference="{case.reference}"')[1].split("</tr>")[0]
    assert "badge--risk" in row and "không muốn sống" in row
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="risk-flag"' in page and "không muốn sống" in page


def test_the_sla_page_lists_the_intervention_clocks(client, operator, supervisor):
    case, _ = make_case()
    record(case, operator)
    other, _ = make_case()
    verified_login(client, supervisor)
    html = client.get("/cases/sla/").content.decode()
    table = html.split('id="intervention-clocks"')[1].split("</table>")[0]
    assert case.reference in table and other.reference not in table


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_flags_and_clocks_add_no_query_per_queue_row(client, operator):
    first, _ = make_case()
    verified_login(client, operator)
    one = count_queries(client, "/cases/")
    for i in range(8):
        case, _ = make_case(
            description="em muốn tự tử" if i % 2 else "em bị chửi", safety_answer="yes" if i % 3 else ""
        )
        if i % 2:
            record(case, operator)
    assert count_queries(client, "/cases/") == one


def test_a_liaison_cannot_reach_the_referral_urls(client, operator):
    case, _ = make_case()
    referral = record(case, operator)
    liaison = make_user("pa05-x", "liaison")
    verified_login(client, liaison)
    assert client.post(f"/cases/{case.reference}/referrals/new/", form(POLICE)).status_code == 403
    assert client.post(f"/cases/{case.reference}/referrals/{referral.pk}/approve/").status_code == 403


def test_notifications_are_in_the_audit_trail_as_facts(client, operator, supervisor):
    case, _ = make_case()
    referral = record(case, operator)
    verified_login(client, supervisor)
    html = client.get("/reports/audit/?kind=referral").content.decode()
    assert f"tong-dai-111 R-{referral.pk} notified" in html and OFFICER not in html


def test_the_referral_form_offers_111_first_then_the_police_then_the_communes():
    from escalation.forms import ReferralForm

    codes = list(ReferralForm().fields["agency"].queryset.values_list("code", flat=True))
    assert codes[0] == "tong-dai-111"
    assert codes.index("cong-an-113") < codes.index("ca-bac-ninh-pa05")
    communes = [code for code in codes if code.startswith("ubnd-")]
    assert not communes or codes.index(communes[0]) > codes.index("ca-bac-ninh-pa05")
