"""Calling the reporter back: the callback clock, the attempts, the overdue list.

A reporter who chose "Call or text me" and gave a number gets a Callback when the report arrives, due with the
first response (cases.services.submit_report). Each attempt is logged with its outcome; "no answer" and "not safe
to talk" move the due time to the next attempt (CALLBACK_RETRY_MINUTES later unless the counsellor picks a time),
"spoke" and "wrong number" end it. An open callback past its due time is overdue: the queue and the SLA page show
it. The number itself is revealed through the audited reveal (services.reveal_contact), after the
"is it safe to talk?" note.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases import realtime
from cases.models import OPEN_STATES, Callback, CallbackAttempt, CallbackOutcome, Case, EventKind
from cases.plumbing import NotAllowed
from cases.services import record_event

RETRY_OUTCOMES = {CallbackOutcome.NO_ANSWER, CallbackOutcome.NOT_SAFE}


class CallbackError(Exception):
    """The attempt cannot be logged as given (shown to the counsellor as a clear message)."""


def log_callback_attempt(
    *,
    callback: Callback,
    user: User,
    outcome: str,
    next_attempt_at: datetime | None = None,
    now: datetime | None = None,
) -> CallbackAttempt:
    """Record one call to the reporter. After no answer or "not safe to talk" the callback is due again at
    `next_attempt_at` (default: CALLBACK_RETRY_MINUTES from now), which must be in the future; after "spoke" or
    "wrong number" it is done. The attempt, the new due time and the timeline entry are written together."""
    if not user.has_perm("cases.claim_case"):
        raise NotAllowed("callback")
    if outcome not in CallbackOutcome.values:
        raise CallbackError("unknown outcome")
    now = now or timezone.now()
    with transaction.atomic():
        locked = Callback.objects.select_for_update().select_related("case").get(pk=callback.pk)
        if locked.done_at is not None:
            raise CallbackError("this callback is already done")
        if outcome in RETRY_OUTCOMES:
            next_attempt_at = next_attempt_at or now + timedelta(minutes=settings.CALLBACK_RETRY_MINUTES)
            if next_attempt_at <= now:
                raise CallbackError("the next attempt must be later than now")
            locked.due_at = next_attempt_at
        else:
            next_attempt_at = None
            locked.done_at = now
        locked.save(update_fields=["due_at", "done_at"])
        attempt = CallbackAttempt.objects.create(
            callback=locked, attempted_at=now, by=user, outcome=outcome, next_attempt_at=next_attempt_at
        )
        record_event(
            locked.case,
            EventKind.CALLBACK,
            actor=user,
            outcome=outcome,
            next_attempt_at=next_attempt_at.isoformat() if next_attempt_at else None,
        )
        realtime.queue_changed_on_commit(locked.case, change="updated")
    callback.refresh_from_db()
    return attempt


def set_safety_note(*, case: Case, note: str) -> int:
    """The reporter's own words on calling them safely (a time, a word to use), from the status page: kept on the
    case's open callbacks. Returns how many were changed."""
    return Callback.objects.filter(case=case, done_at__isnull=True).update(safety_note=note.strip()[:300])


def overdue_callbacks(*, now: datetime | None = None) -> QuerySet[Callback]:
    """Open callbacks of open cases past their due time, most overdue first, with their case (one query)."""
    now = now or timezone.now()
    return (
        Callback.objects.filter(done_at__isnull=True, due_at__lte=now, case__state__in=OPEN_STATES)
        .select_related("case")
        .order_by("due_at", "id")
    )


def open_callback(case: Case) -> Callback | None:
    return case.callbacks.filter(done_at__isnull=True).order_by("due_at").first()
