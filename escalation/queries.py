"""Reads for the liaison portal and the case page: written once, with their joins, a constant number of queries."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import Case
from escalation.models import (
    AT_AGENCY_STATES,
    FINISHED_STATES,
    Agency,
    Escalation,
    EscalationState,
    EscalationUpdate,
    Liaison,
    LinkOutcome,
    UpdateKind,
)

PORTAL_LIMIT = 200


def agency_of(user: User) -> Agency | None:
    """The agency this user is a liaison of, or None."""
    liaison = Liaison.objects.select_related("agency").filter(user_id=user.pk).first()
    return liaison.agency if liaison else None


def portal_escalations(
    agency: Agency, *, show: str = "open", now: datetime | None = None, limit: int = PORTAL_LIMIT
) -> list[Escalation]:
    """What one agency has received: open ones first by priority then age, or the finished ones, newest first.

    One query whatever the number of rows: link counts are aggregated, the packet itself is not loaded."""
    now = now or timezone.now()
    rows = Escalation.objects.filter(agency=agency, sent_at__isnull=False)
    if show == "finished":
        rows = rows.filter(state__in=FINISHED_STATES).order_by("-finished_at", "-id")
    else:
        rows = rows.filter(state__in=AT_AGENCY_STATES).order_by("priority", "sent_at", "id")
    rows = rows.defer("packet").annotate(
        reference=F("case__reference"),
        links_total=Count("links"),
        links_pending=Count("links", filter=Q(links__outcome=LinkOutcome.PENDING)),
        links_overdue=Count("links", filter=Q(links__outcome=LinkOutcome.PENDING, links__takedown_due_at__lt=now)),
        consent_withdrawn=Exists(
            EscalationUpdate.objects.filter(escalation=OuterRef("pk"), kind=UpdateKind.CONSENT_WITHDRAWN)
        ),
    )
    return list(rows[:limit])


def _with_details(queryset: QuerySet[Escalation]) -> QuerySet[Escalation]:
    return queryset.select_related(
        "agency", "created_by", "approved_by", "acknowledged_by", "consent_override_by"
    ).prefetch_related(
        "links",
        "evidence",
        Prefetch("updates", queryset=EscalationUpdate.objects.select_related("author", "link")),
    )


def portal_escalation(agency: Agency, pk: int) -> Escalation:
    """One escalation of this agency, as the portal shows it; any other (another agency's, or one not sent) is a
    404, so a liaison cannot even learn that it exists."""
    return get_object_or_404(_with_details(Escalation.objects.all()), pk=pk, agency=agency, sent_at__isnull=False)


def case_escalations(case: Case) -> list[Escalation]:
    """Every escalation of a case with what the case page shows of it (a constant number of queries)."""
    return list(_with_details(Escalation.objects.filter(case=case)).order_by("created_at", "id"))


def approvals_waiting() -> int:
    """How many escalations wait for a supervisor's approval (on every supervisor's staff page)."""
    return Escalation.objects.filter(state=EscalationState.PENDING_APPROVAL).count()
