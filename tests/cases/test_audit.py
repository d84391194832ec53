"""The audit trail: immutable records (ORM and admin), and the page that merges case events and audit entries."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import audit, services
from cases.models import AuditAction, AuditEntry, CaseEvent, EventKind, RecordIsImmutable
from tests.conftest import make_user
from tests.factories import make_case, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(supervisor):
    return audit.record_audit(actor=supervisor, action=AuditAction.EXPORT_CSV, target="hotline-cases.csv", rows=3)


@pytest.fixture
def superuser(db):
    return make_user("root", is_staff=True, is_superuser=True)


def test_audit_entries_cannot_be_changed_or_deleted(entry):
    entry.target = "something else"
    with pytest.raises(RecordIsImmutable):
        entry.save()
    with pytest.raises(RecordIsImmutable):
        entry.delete()
    with pytest.raises(RecordIsImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(target="x")
    with pytest.raises(RecordIsImmutable):
        AuditEntry.objects.all().delete()
    with pytest.raises(RecordIsImmutable), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["target"])
    entry.refresh_from_db()
    assert entry.target == "hotline-cases.csv" and AuditEntry.objects.count() == 1


def test_case_events_cannot_be_changed_or_deleted(operator):
    case, _ = make_case()
    event = case.events.get()
    event.text = "rewritten history"
    with pytest.raises(RecordIsImmutable):
        event.save()
    with pytest.raises(RecordIsImmutable):
        event.delete()
    with pytest.raises(RecordIsImmutable):
        case.events.update(text="x")
    with pytest.raises(RecordIsImmutable):
        CaseEvent.objects.filter(case=case).delete()
    assert CaseEvent.objects.get(pk=event.pk).text == ""


def test_the_admin_shows_audit_records_read_only_even_to_a_superuser(client, superuser, entry):
    case, _ = make_case()
    event = case.events.get()
    client.force_login(superuser)
    for model, pk in (("auditentry", entry.pk), ("caseevent", event.pk)):
        assert client.get(f"/admin/cases/{model}/").status_code == 200
        assert client.get(f"/admin/cases/{model}/add/").status_code == 403
        assert client.get(f"/admin/cases/{model}/{pk}/delete/").status_code == 403
        assert client.post(f"/admin/cases/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403
        change = client.get(f"/admin/cases/{model}/{pk}/change/")
        assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
        assert client.post(f"/admin/cases/{model}/{pk}/change/", {"target": "x"}).status_code == 403
        listing = client.post(
            f"/admin/cases/{model}/", {"action": "delete_selected", "_selected_action": [pk], "post": "yes"}
        )
        assert listing.status_code in (200, 302)
    assert AuditEntry.objects.filter(pk=entry.pk, target="hotline-cases.csv").exists()
    assert CaseEvent.objects.filter(pk=event.pk).exists()


def test_categories_and_platforms_are_editable_in_the_admin(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/cases/category/").status_code == 200
    assert client.get("/admin/cases/category/add/").status_code == 200
    assert client.get("/admin/cases/platform/add/").status_code == 200


def test_the_trail_shows_looks_exports_and_transitions(client, operator, supervisor):
    case, _ = make_case(contact_preference="phone", contact_phone="+84912345678", uploads=[png_upload()])
    services.claim_case(case=case, user=operator)
    services.reveal_contact(case=case, user=operator)
    services.log_evidence_access(evidence=case.evidence.get(), user=operator, how="download")
    services.add_note(case=case, user=operator, text="Ghi chú nội bộ về em bé")
    client.force_login(supervisor)
    client.get("/reports/cases.csv").getvalue()
    response = client.get("/reports/audit/")
    assert response.status_code == 200
    kinds = [row.kind for row in response.context["rows"]]
    assert kinds == ["export_csv", "evidence_viewed", "contact_revealed", "transition"]
    html = response.content.decode()
    assert case.reference in html and "op1" in html and "sup1" in html
    assert "912345678" not in html and "Ghi chú nội bộ" not in html  # who looked, not what they saw; no notes


def test_filters(client, operator, other_operator, supervisor):
    first, _ = make_case()
    second, _ = make_case()
    services.claim_case(case=first, user=operator)
    services.claim_case(case=second, user=other_operator)
    services.reveal_contact(case=second, user=other_operator)
    audit.record_audit(actor=supervisor, action=AuditAction.EXPORT_XLSX, target="report.xlsx")
    CaseEvent.objects.create(
        case=first, kind=EventKind.TRANSITION, actor=operator, created_at=timezone.now() - timedelta(days=40)
    )
    client.force_login(supervisor)

    def rows(**params):
        response = client.get("/reports/audit/", params)
        assert response.status_code == 200
        return [(row.kind, row.case_reference, row.actor.username) for row in response.context["rows"]]

    assert rows(actor=other_operator.pk) == [
        ("contact_revealed", second.reference, "op2"),
        ("transition", second.reference, "op2"),
    ]
    assert rows(kind="export_xlsx") == [("export_xlsx", "", "sup1")]
    assert rows(kind="contact_revealed") == [("contact_revealed", second.reference, "op2")]
    assert rows(reference=first.reference.lower()) == [
        ("transition", first.reference, "op1"),
        ("transition", first.reference, "op1"),
    ]
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert len(rows(start=since)) == 4
    until = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert rows(end=until) == [("transition", first.reference, "op1")]
    assert rows(reference="NOPE-NOPE") == []


def test_keyset_pagination_walks_both_tables_once_even_with_equal_timestamps(operator, supervisor):
    case, _ = make_case()
    moment = timezone.now() - timedelta(hours=1)
    for _ in range(4):
        CaseEvent.objects.create(case=case, kind=EventKind.TRANSITION, actor=operator, created_at=moment)
        AuditEntry.objects.create(actor=supervisor, action=AuditAction.EXPORT_CSV, created_at=moment)
    audit.record_audit(actor=supervisor, action=AuditAction.VIEW_ANNUAL_REPORT)
    expected = 4 + 4 + 1  # the case's "created" event is not part of the audit trail
    seen, cursor = [], None
    while True:
        page, next_cursor = audit.audit_trail(audit.AuditFilters(), after=cursor, limit=3)
        seen += [(row.source, row.pk) for row in page]
        if next_cursor is None:
            break
        cursor = audit.read_audit_cursor(next_cursor)
    assert len(seen) == len(set(seen)) == expected
    assert seen[0][0] == audit.ENTRY_SOURCE  # the newest: the annual report view


def test_a_broken_cursor_starts_from_the_newest(client, supervisor):
    client.force_login(supervisor)
    assert client.get("/reports/audit/?after=%%%bad").status_code == 200
    assert audit.read_audit_cursor("bm90LWEtY3Vyc29y") is None


def test_the_trail_costs_the_same_queries_for_few_or_many_records(client, operator, supervisor):
    client.force_login(supervisor)
    case, _ = make_case()
    services.claim_case(case=case, user=operator)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/reports/audit/").status_code == 200
        return len(context.captured_queries)

    few = count()
    for i in range(8):
        other, _ = make_case()
        services.claim_case(case=other, user=[operator, supervisor][i % 2])
        services.reveal_contact(case=other, user=operator)
        audit.record_audit(actor=supervisor, action=AuditAction.EXPORT_CSV)
    assert count() == few


def test_operators_and_outsiders_cannot_see_the_trail(client, operator, outsider):
    for user in (operator, outsider):
        client.force_login(user)
        assert client.get("/reports/audit/").status_code == 403


def test_a_look_at_a_case_page_is_on_the_trail_of_that_case(client, operator, supervisor):
    case, _ = make_case()
    other, _ = make_case()
    audit.record_case_view(case=case, user=operator)
    audit.record_case_view(case=other, user=operator)
    client.force_login(supervisor)
    rows = client.get("/reports/audit/", {"reference": case.reference}).context["rows"]
    assert [(row.kind, row.case_reference, row.actor) for row in rows] == [("view_case", case.reference, operator)]
    rows = client.get("/reports/audit/", {"kind": "view_case"}).context["rows"]
    assert {row.case_reference for row in rows} == {case.reference, other.reference}
