"""The personal-data breach register: supervisors and admins record a breach, the measures taken, and the notice to
the authority (due settings.BREACH_NOTIFICATION_HOURS after the breach was found). Nothing in it is ever deleted:
measures are appended, the notice is stamped once."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.audit import record_audit
from cases.models import AuditAction, Breach, BreachMeasure, Case
from cases.plumbing import NotAllowed


class BreachNotPossible(Exception):
    """What was asked cannot be recorded (shown as a clear message)."""


def record_breach(
    *,
    user: Any,
    what: str,
    found_at: datetime,
    occurred_at: datetime | None = None,
    cases: Iterable[Case] = (),
    people_affected: int | None = None,
    measures: str = "",
) -> Breach:
    """Put a breach on the register, with the first measures taken if any. The 72-hour clock runs from `found_at`."""
    if not user.has_perm("cases.add_breach"):
        raise NotAllowed("record_breach")
    what = what.strip()
    if not what:
        raise BreachNotPossible("say what happened")
    now = timezone.now()
    if found_at > now:
        raise BreachNotPossible("a breach cannot be found in the future")
    if occurred_at is not None and occurred_at > found_at:
        raise BreachNotPossible("a breach happens before it is found")
    with transaction.atomic():
        breach = Breach.objects.create(
            what=what,
            found_at=found_at,
            occurred_at=occurred_at,
            people_affected=people_affected,
            recorded_by=user,
            recorded_at=now,
        )
        breach.cases.set(list(cases))
        if measures.strip():
            BreachMeasure.objects.create(breach=breach, text=measures.strip(), author=user, created_at=now)
        record_audit(
            actor=user,
            action=AuditAction.BREACH_RECORDED,
            target=f"breach {breach.pk}",
            breach=breach.pk,
            cases=breach.cases.count(),
        )
    return breach


def add_measure(*, breach: Breach, user: Any, text: str) -> BreachMeasure:
    """Append a measure taken (containment, people told, a fix); earlier ones stay as written."""
    if not user.has_perm("cases.change_breach"):
        raise NotAllowed("add_measure")
    text = text.strip()
    if not text:
        raise BreachNotPossible("describe the measure")
    with transaction.atomic():
        measure = BreachMeasure.objects.create(breach=breach, text=text, author=user)
        record_audit(actor=user, action=AuditAction.BREACH_UPDATED, target=f"breach {breach.pk}", step="measure")
    return measure


def record_notification(*, breach: Breach, user: Any, notified_at: datetime, reference: str = "") -> Breach:
    """The authority was notified: stamped once, never changed afterwards."""
    if not user.has_perm("cases.change_breach"):
        raise NotAllowed("record_notification")
    if notified_at > timezone.now() or notified_at < breach.found_at:
        raise BreachNotPossible("the notice is sent after the breach is found and not in the future")
    with transaction.atomic():
        locked = Breach.objects.select_for_update().get(pk=breach.pk)
        if locked.notified_at is not None:
            raise BreachNotPossible("the notice is already on the register")
        locked.notified_at = notified_at
        locked.notification_reference = reference.strip()[:200]
        locked.save(update_fields=["notified_at", "notification_reference"])
        record_audit(
            actor=user,
            action=AuditAction.BREACH_UPDATED,
            target=f"breach {breach.pk}",
            step="notified",
            late=notified_at > locked.notification_due_at,
        )
    return locked


def breach_register() -> QuerySet[Breach]:
    """Every breach, newest found first, with its cases and measures (a constant number of queries)."""
    return Breach.objects.select_related("recorded_by").prefetch_related("cases", "measures__author")
