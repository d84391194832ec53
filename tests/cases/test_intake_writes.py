"""A new case's rows: built once (cases.services._new_case_rows) and written by one statement on PostgreSQL when the
report has no files (cases/one_statement.py), by the ORM in a transaction otherwise. The same rows either way."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import realtime, rollup
from cases.models import Callback, CaseEvent, Consent, EventKind, ReportedLink, StatisticsDirtyDay
from tests.factories import make_case, png_upload

pytestmark = pytest.mark.usefixtures("reference_data")

PHONE = "0912345678"


def _everything_a_report_can_bring(monkeypatch, **extra):
    StatisticsDirtyDay.objects.all().delete()
    notices = []
    monkeypatch.setattr(realtime, "_notify", lambda group, event: notices.append((group, event["change"])))
    case, code = make_case(
        description="Em không muốn sống nữa.",  # a danger phrase: the risk flag
        links=["https://www.facebook.com/a", "zalo.me/123"],
        contact_preference="phone",
        contact_phone=PHONE,
        child_consent=True,
        **extra,
    )
    return case, code, notices


@pytest.mark.parametrize("files", [False, True], ids=["no file", "a file"])
def test_a_reports_rows_are_the_same_whichever_way_they_are_written(files, monkeypatch):
    extra = {"uploads": [png_upload()]} if files else {}
    case, _code, notices = _everything_a_report_can_bring(monkeypatch, **extra)
    case.refresh_from_db()
    assert case.reference and case.priority == 1 and case.risk_reasons and str(case.contact_phone).endswith("912345678")
    assert list(case.platforms.values_list("code", flat=True)) == ["facebook"]
    assert list(ReportedLink.objects.filter(case=case).values_list("url", flat=True)) == [
        "https://www.facebook.com/a",
        "zalo.me/123",
    ]
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    assert [event.kind for event in events] == [
        EventKind.CREATED,
        EventKind.CONSENT,
        EventKind.CONSENT,
        EventKind.RISK_FLAGGED,
    ]
    assert events[0].data == {"channel": "web", "priority": 1, "links": 2, "evidence": 1 if files else 0}
    assert {event.data["scope"] for event in events[1:3]} == {"share_police", "share_information"}
    assert "em không muốn sống" not in events[3].text.lower()  # facts only, never the reporter's words
    assert Consent.objects.filter(case=case, given_by="young_person").count() == 2
    assert Callback.objects.get(case=case).due_at == case.first_response_due_at
    assert case.evidence.count() == (1 if files else 0)
    assert rollup.day_of(case.created_at) in set(StatisticsDirtyDay.objects.values_list("day", flat=True))
    assert notices == [(realtime.QUEUE_GROUP, "created")]  # the queues' live notice, once committed


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL only")
def test_a_report_without_files_is_one_statement_on_postgresql():
    with CaptureQueriesContext(connection) as queries:
        case, _code = make_case(child_consent=True)
    written = [query["sql"] for query in queries if not query["sql"].startswith("SELECT")]
    assert len(written) == 1 and written[0].startswith('WITH new_row AS (INSERT INTO "cases_case"'), written
    assert case.pk and CaseEvent.objects.filter(case=case).count() == 3  # received, two consents


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL only")
def test_the_kept_sql_of_a_shape_writes_what_the_orm_would_compile(monkeypatch):
    from django.utils import timezone

    from cases import one_statement

    frozen = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: frozen)  # auto_now fields: the same time in both compilations
    compared = []
    kept = one_statement._insert_sql

    def both_ways(model, objs, *, returning):
        sql, params = kept(model, objs, returning=returning)
        fields = one_statement._insert_fields(model, objs)
        compiled_sql, compiled_params = one_statement._compile(model, objs, fields, returning=returning)

        def plain(values):  # psycopg's Jsonb wrappers compare by identity: compare what they wrap
            return [getattr(value, "obj", value) for value in values]

        assert sql == compiled_sql and plain(params) == plain(compiled_params)
        compared.append((model, sql in one_statement._compiled.values()))
        return sql, params

    monkeypatch.setattr(one_statement, "_insert_sql", both_ways)
    one_statement._compiled.clear()
    for _ in range(2):  # compiled the first time, kept the second
        make_case(
            description="Em không muốn sống nữa.",
            links=["https://www.facebook.com/a", "zalo.me/123"],
            contact_preference="phone",
            contact_phone=PHONE,
            child_consent=True,
        )
        make_case(links=["https://a.example"], platforms=[])
    assert any(used for _model, used in compared) and one_statement._compiled


def test_placeholders_become_postgresqls_own():
    from cases import one_statement

    assert one_statement._native_statement("INSERT INTO t VALUES (%s, %s, '100%%')") == (
        "INSERT INTO t VALUES ($1, $2, '100%')"
    )
    assert one_statement._native_statement("SELECT '%d'") is None  # not ours to guess: Django's cursor does it
