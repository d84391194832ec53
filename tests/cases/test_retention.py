"""Retention: personal data goes, statistics stay, legal holds are respected (cases/retention.py)."""

import dataclasses
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import retention, services, statistics
from cases.models import AuditEntry, Case, CaseEvent, EventKind, Evidence, Message, ReportedLink
from cases.services import NotAllowed
from hotline import reporter_access
from tests.cases.report_data import known_year, make_units
from tests.factories import make_case, png_upload

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "+84912345678", "em.b@example.vn"
SECRET = "Bạn Nguyễn Văn B ở ngõ 5 bị đe dọa"
LINK = "https://www.facebook.com/nguyen.van.b.profile"


def closed_case(user, *, days_ago, **overrides):
    """A case with everything personal a case can hold, resolved and closed `days_ago` days ago."""
    fields = {
        "contact_preference": "phone",
        "contact_phone": PHONE,
        "contact_email": EMAIL,
        "description": SECRET,
        "links": [LINK],
        "commune": "Thôn Đông, xã Tiên Du",
    }
    case, code = make_case(uploads=[png_upload("b-chat.png")], **{**fields, **overrides})
    services.claim_case(case=case, user=user)
    services.post_staff_message(case=case, user=user, text="Chào em B, chị là tư vấn viên.")
    services.add_reporter_information(case=case, text=f"Số của em là {PHONE}")
    services.resolve_case(case=case, user=user, outcome="content_removed", summary=f"Đã gỡ {LINK}")
    services.close_case(case=case, user=user)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    case.refresh_from_db()
    return case, code


def stored_text(case):
    """Every piece of text stored about the case, wherever it is."""
    case.refresh_from_db()
    parts = [str(getattr(case, field.attname)) for field in Case._meta.concrete_fields]
    parts += list(Message.objects.filter(case=case).values_list("text", flat=True))
    parts += list(ReportedLink.objects.filter(case=case).values_list("url", flat=True))
    parts += [f"{e.file.name} {e.original_name}" for e in Evidence.objects.filter(case=case)]
    parts += [f"{e.text} {e.data}" for e in CaseEvent.objects.filter(case=case).exclude(kind=EventKind.NOTE)]
    return "\n".join(parts)


def test_it_removes_everything_personal_and_keeps_the_chain_of_custody(operator, settings):
    settings.RETENTION_DAYS = 365
    case, code = closed_case(operator, days_ago=400)
    evidence = case.evidence.get()
    storage, name, sha256, size = evidence.file.storage, evidence.file.name, evidence.sha256, evidence.size
    assert storage.exists(name)
    before = stored_text(case)
    assert all(value in before for value in (PHONE, EMAIL, SECRET, LINK, "b-chat.png", "Thôn Đông"))

    result = retention.purge_personal_data()

    assert (result.cases, result.messages, result.links, result.evidence_files) == (1, 2, 1, 1)
    after = stored_text(case)
    for value in (PHONE, "912345678", EMAIL, SECRET, LINK, "nguyen.van.b", "b-chat.png", "Thôn Đông", "em B"):
        assert value not in after
    assert not storage.exists(name)
    evidence.refresh_from_db()
    assert (evidence.sha256, evidence.size, evidence.content_type) == (sha256, size, "image/png")
    assert set(case.messages.values_list("text", flat=True)) == {retention.PURGED_TEXT}
    assert case.purged_at is not None and case.outcome == "content_removed" and case.age_band == "13_15"
    assert reporter_access.find_case(case.reference, code) is None  # the old code opens nothing any more


def test_only_cases_closed_long_enough_and_not_on_hold_are_purged(operator, supervisor, settings):
    settings.RETENTION_DAYS = 30
    old, _ = closed_case(operator, days_ago=31)
    recent, _ = closed_case(operator, days_ago=29)
    held, _ = closed_case(operator, days_ago=400)
    retention.set_legal_hold(case=held, user=supervisor, reason="Công an tỉnh đề nghị giữ hồ sơ (CV 123/PA05)")
    still_open, _ = make_case(description=SECRET)
    Case.objects.filter(pk=still_open.pk).update(created_at=timezone.now() - timedelta(days=900))
    rejected, _ = make_case(description=SECRET)
    services.reject_case(case=rejected, user=supervisor, reason="spam")
    Case.objects.filter(pk=rejected.pk).update(closed_at=timezone.now() - timedelta(days=31))

    assert retention.purge_personal_data().cases == 2
    assert set(Case.objects.filter(purged_at__isnull=False).values_list("pk", flat=True)) == {old.pk, rejected.pk}
    for kept in (recent, held, still_open):
        assert SECRET in stored_text(kept)


def test_running_it_again_changes_nothing_and_every_run_is_audited(operator, settings):
    settings.RETENTION_DAYS = 365
    case, _ = closed_case(operator, days_ago=400)
    first = retention.purge_personal_data()
    case.refresh_from_db()
    purged_at = case.purged_at
    second = retention.purge_personal_data()
    assert first.cases == 1 and dataclasses.astuple(second) == (0, 0, 0, 0, 0)
    case.refresh_from_db()
    assert case.purged_at == purged_at
    runs = list(AuditEntry.objects.filter(action="purge_run").order_by("id"))
    assert [run.params["cases"] for run in runs] == [1, 0]
    assert runs[0].actor is None and runs[0].params["retention_days"] == 365
    assert SECRET not in str(runs[0].params) + runs[0].target


def test_it_works_in_batches(operator, settings):
    settings.RETENTION_DAYS = 1
    for _ in range(5):
        closed_case(operator, days_ago=2)
    result = retention.purge_personal_data(batch_size=2)
    assert result.cases == 5 and not retention.purge_due(cutoff=timezone.now()).exists()


def test_statistics_keep_their_figures_after_a_purge(operator, supervisor, settings):
    year = known_year(operator=operator, supervisor=supervisor, units=make_units())
    period = statistics.Period.year(2026)
    now = timezone.now()
    before = statistics.figures(period, now=now, all_units=True)
    settings.RETENTION_DAYS = 1
    Case.objects.filter(pk__in=[year["A"].pk, year["D"].pk]).update(closed_at=now - timedelta(days=2))

    assert retention.purge_personal_data().cases == 2

    after = statistics.figures(period, now=now, all_units=True)
    assert after.summary.purged == 2 and before.summary.purged == 0
    assert dataclasses.replace(after, summary=dataclasses.replace(after.summary, purged=0)) == before


def test_legal_hold_needs_the_permission_and_a_reason(operator, supervisor):
    case, _ = make_case()
    with pytest.raises(NotAllowed):
        retention.set_legal_hold(case=case, user=operator, reason="x")
    with pytest.raises(retention.HoldNotPossible):
        retention.set_legal_hold(case=case, user=supervisor, reason="   ")
    retention.set_legal_hold(case=case, user=supervisor, reason="Yêu cầu của PA05")
    case.refresh_from_db()
    assert case.legal_hold and case.legal_hold_by == supervisor and case.legal_hold_reason == "Yêu cầu của PA05"
    event = case.events.get(kind=EventKind.LEGAL_HOLD)
    assert event.actor == supervisor and event.data == {"held": True}
    with pytest.raises(NotAllowed):
        retention.release_legal_hold(case=case, user=operator)


def test_a_released_hold_lets_the_next_run_purge(operator, supervisor, settings):
    settings.RETENTION_DAYS = 30
    case, _ = closed_case(operator, days_ago=100)
    retention.set_legal_hold(case=case, user=supervisor, reason="Điều tra")
    assert retention.purge_personal_data().cases == 0
    retention.release_legal_hold(case=case, user=supervisor, reason="Điều tra đã xong")
    case.refresh_from_db()
    assert not case.legal_hold and case.legal_hold_reason == "" and case.legal_hold_by is None
    assert [e.data["held"] for e in case.events.filter(kind=EventKind.LEGAL_HOLD)] == [True, False]
    assert retention.purge_personal_data().cases == 1
    with pytest.raises(retention.HoldNotPossible):
        retention.set_legal_hold(case=case, user=supervisor, reason="Quá muộn")


def test_the_command(operator, settings, capsys):
    settings.RETENTION_DAYS = 30
    case, _ = closed_case(operator, days_ago=31)
    call_command("purge_personal_data", "--dry-run")
    assert "1 cases closed before" in capsys.readouterr().out
    case.refresh_from_db()
    assert case.purged_at is None and not AuditEntry.objects.filter(action="purge_run").exists()
    call_command("purge_personal_data")
    assert "1 cases anonymised" in capsys.readouterr().out
    case.refresh_from_db()
    assert case.purged_at is not None and case.description == ""


def test_the_retention_period_must_be_positive():
    with pytest.raises(ValueError):
        retention.retention_cutoff(retention_days=0)
