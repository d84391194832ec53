"""Retention: personal data does not outlive its purpose.

The daily `manage.py purge_personal_data` removes what could identify a reporter or a child from cases closed (or
rejected) longer than settings.RETENTION_DAYS ago, unless a supervisor has put the case on legal hold. What the
statistics count stays: category, age band, gender, commune unit, channel, priority, state, outcome, timestamps,
and the evidence rows' SHA-256, size and type (the chain of custody outlives the files).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases import extensions, rollup
from cases.audit import record_audit
from cases.models import (
    AuditAction,
    Callback,
    Case,
    CaseState,
    CheckIn,
    DataRequest,
    EventKind,
    Evidence,
    Message,
    ReportedLink,
    ReporterPushSubscription,
)
from cases.plumbing import NotAllowed
from cases.services import record_event

logger = logging.getLogger(__name__)

# What a purged message says instead (stored data, so not translated).
PURGED_TEXT = "[removed after the retention period]"
PURGEABLE_STATES = [CaseState.CLOSED, CaseState.REJECTED]
BATCH_SIZE = 500


class HoldNotPossible(Exception):
    """The legal hold cannot be changed in the case's current situation (shown as a clear message)."""


def set_legal_hold(*, case, user, reason):
    """Keep the case's personal data past the retention period (an investigation, a court case). Setting it again
    replaces the reason. Refused once the data has already been removed."""
    if not user.has_perm("cases.set_legal_hold"):
        raise NotAllowed("set_legal_hold")
    reason = reason.strip()
    if not reason:
        raise HoldNotPossible("a legal hold needs a reason")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.purged_at is not None:
            raise HoldNotPossible("the personal data of this case has already been removed")
        now = timezone.now()
        Case.objects.filter(pk=case.pk).update(
            legal_hold=True, legal_hold_reason=reason, legal_hold_by=user, legal_hold_at=now, updated_at=now
        )
        record_event(case, EventKind.LEGAL_HOLD, actor=user, text=reason, held=True)
    case.refresh_from_db()
    return case


def release_legal_hold(*, case, user, reason=""):
    """End the legal hold: the case follows the retention schedule again. Nothing happens if it was not held."""
    if not user.has_perm("cases.set_legal_hold"):
        raise NotAllowed("release_legal_hold")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.legal_hold:
            return case
        Case.objects.filter(pk=case.pk).update(
            legal_hold=False, legal_hold_reason="", legal_hold_by=None, legal_hold_at=None, updated_at=timezone.now()
        )
        record_event(case, EventKind.LEGAL_HOLD, actor=user, text=reason.strip(), held=False)
    case.refresh_from_db()
    return case


def retention_cutoff(*, now=None, retention_days=None):
    days = settings.RETENTION_DAYS if retention_days is None else retention_days
    if days < 1:
        raise ValueError("the retention period must be at least one day")
    return (now or timezone.now()) - timedelta(days=days)


def purge_due(*, cutoff):
    """Cases whose personal data must go now: closed or rejected before the cutoff, not held, not yet purged."""
    return Case.objects.filter(
        state__in=PURGEABLE_STATES, closed_at__lt=cutoff, legal_hold=False, purged_at__isnull=True
    )


@dataclass(frozen=True)
class PurgeResult:
    cases: int
    messages: int
    links: int
    evidence_files: int
    files_not_deleted: int


def _delete_files(names):
    """After the commit: storage is not transactional, so files go only once their rows say they are gone."""
    storage = Evidence._meta.get_field("file").storage
    failed = 0
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            failed += 1
            logger.exception("could not delete a purged evidence file")
    return failed


def _purge_batch(*, cutoff, now, batch_size):
    """Purge up to `batch_size` due cases in one transaction; returns the counts and the files to delete."""
    with transaction.atomic():
        ids = list(
            purge_due(cutoff=cutoff)
            .select_for_update(skip_locked=True)
            .order_by("closed_at", "id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return None
        messages, links, names = anonymise_cases(ids, now=now)
    return len(ids), messages, links, names


def anonymise_cases(ids, *, now):
    """Remove what could identify a reporter or a child from these cases, as the retention purge does; returns the
    counts of messages and links emptied and the evidence file names to delete after the commit (delete_files).
    Call inside a transaction with the cases locked; the caller checks the legal hold. Also used for a deletion
    request (cases.data_requests)."""
    messages = Message.objects.filter(case_id__in=ids).exclude(text=PURGED_TEXT).update(text=PURGED_TEXT)
    links = ReportedLink.objects.filter(case_id__in=ids).exclude(url="").update(url="")
    evidence = list(Evidence.objects.filter(case_id__in=ids).exclude(file="").values_list("id", "file"))
    Evidence.objects.filter(id__in=[pk for pk, _name in evidence]).update(file="", original_name="")
    # What the reporter wrote in their requests, and what we answered, goes too; the requests' kinds and dates stay.
    DataRequest.objects.filter(case_id__in=ids).update(details="", answer="")
    Case.objects.filter(id__in=ids).update(
        description="",
        commune="",
        contact_phone="",
        contact_email="",
        resolution_summary="",
        access_code_hash="",  # the reporter's code no longer opens the case: nothing is left to see
        notify_by="",
        purged_at=now,
        updated_at=now,
    )
    # Reaching the reporter: their browsers' push addresses, their words on calling and on the check-in.
    ReporterPushSubscription.objects.filter(case_id__in=ids).delete()
    Callback.objects.filter(case_id__in=ids).exclude(safety_note="").update(safety_note="")
    CheckIn.objects.filter(case_id__in=ids).exclude(comment="").update(comment="")
    # Escalation packets repeat what the case said: the escalation app removes its copy (cases.extensions).
    extensions.purge_other_apps(ids)
    rollup.mark_cases_changed(ids)  # "purged" is counted in the statistics' summary
    return messages, links, [name for _pk, name in evidence]


def delete_files(names):
    """Delete purged evidence files; returns how many could not be deleted. Call after the commit."""
    return _delete_files(names)


def purge_personal_data(*, now=None, retention_days=None, batch_size=BATCH_SIZE):
    """Remove personal data from every case due for it, batch by batch, and record the run (counts only).

    Safe to run at any time and as often as wanted: a purged case is never touched again, a case on legal hold
    never at all, and each batch is one transaction (an interrupted run leaves whole cases done or untouched).
    """
    now = now or timezone.now()
    cutoff = retention_cutoff(now=now, retention_days=retention_days)
    cases = messages = links = files = failed = 0
    while True:
        batch = _purge_batch(cutoff=cutoff, now=now, batch_size=batch_size)
        if batch is None:
            break
        batch_cases, batch_messages, batch_links, names = batch
        failed += _delete_files(names)
        cases += batch_cases
        messages += batch_messages
        links += batch_links
        files += len(names)
    result = PurgeResult(cases=cases, messages=messages, links=links, evidence_files=files, files_not_deleted=failed)
    record_audit(
        actor=None,
        action=AuditAction.PURGE_RUN,
        target=f"closed before {cutoff:%Y-%m-%d}",
        cutoff=cutoff,
        retention_days=settings.RETENTION_DAYS if retention_days is None else retention_days,
        **result.__dict__,
    )
    return result
