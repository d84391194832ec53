"""Reads that feed lists and pages: written once, with the joins and indexes they need."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import BooleanField, Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cases import bounds, plumbing
from cases.access import normalize_reference
from cases.models import OPEN_STATES, Case, CaseEvent, CaseState, Category, EventKind, Message, Priority

QUEUE_PAGE_SIZE = 50

# Where a page of the queue starts: after (priority, created_at, id).
QueueCursor = tuple[int, datetime, int]


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""  # "" = open cases, "all", or one CaseState
    priority: int | None = None
    category: str = ""  # top-level category code
    assignee: str = ""  # "", "mine", "unassigned", or a user id
    overdue: bool = False
    awaiting_approval: bool = False  # an escalation of the case waits for a supervisor's approval
    q: str = ""


def queue_cursor(case: Case) -> str:
    return plumbing.encode_cursor(case.priority, case.created_at, case.pk)


def _priority(text: str) -> int | None:
    return bounds.whole_number(text, min(Priority.values), max(Priority.values))


def _case_id(text: str) -> int | None:
    return bounds.whole_number(text, 0, bounds.MAX_ID)


def read_queue_cursor(cursor: str) -> QueueCursor | None:
    """(priority, created_at, id) from a cursor, or None (the first page) for anything else or out of range."""
    return plumbing.decode_cursor(cursor, _priority, bounds.instant, _case_id)


def _after(queryset: QuerySet[Case], cursor: QueueCursor) -> QuerySet[Case]:
    """Keyset pagination on (priority, created_at, id) as one row comparison, so the index is entered at the
    cursor instead of being scanned from the top: page 1000 costs what page 1 costs."""
    priority, created_at, pk = cursor
    field = Case._meta.get_field("created_at")
    created_db = field.get_db_prep_value(created_at, connection, prepared=False)
    table = connection.ops.quote_name(Case._meta.db_table)
    # Fixed SQL; the values travel as parameters.
    after_cursor = RawSQL(  # noqa: S611
        f"({table}.priority, {table}.created_at, {table}.id) > (%s, %s, %s)",
        (priority, created_db, pk),
        output_field=BooleanField(),
    )
    return queryset.filter(after_cursor)


def queue_for(
    user: User,
    filters: QueueFilters,
    *,
    after: QueueCursor | None = None,
    limit: int = QUEUE_PAGE_SIZE,
    now: datetime | None = None,
) -> tuple[list[Case], str | None]:
    """One page of the operator queue, most urgent first, then oldest first. Returns (cases, next_cursor).

    A constant number of queries whatever the number of rows: one for the page (with category and assignee
    joined), none per row.
    """
    now = now or timezone.now()
    cases = Case.objects.select_related("category", "category__parent", "assignee")
    if filters.q:
        reference = normalize_reference(filters.q)
        return list(cases.filter(reference=reference)[:1]) if reference else [], None
    if filters.state == "all":
        pass
    elif filters.state in CaseState.values:
        cases = cases.filter(state=filters.state)
    else:
        cases = cases.filter(state__in=OPEN_STATES)
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.category:
        family = Category.objects.filter(Q(code=filters.category) | Q(parent__code=filters.category))
        cases = cases.filter(category_id__in=list(family.values_list("id", flat=True)))
    if filters.assignee == "mine":
        cases = cases.filter(assignee=user)
    elif filters.assignee == "unassigned":
        cases = cases.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        cases = cases.filter(assignee_id=int(filters.assignee))
    if filters.overdue:
        cases = cases.filter(first_response_at__isnull=True, first_response_due_at__lt=now)
    if filters.awaiting_approval:
        # By the relation's name and state value only: cases does not import the escalation app.
        waiting = Case.objects.filter(escalations__state="pending_approval").values("pk")
        cases = cases.filter(pk__in=waiting)
    if after is not None:
        cases = _after(cases, after)
    page = list(cases.order_by("priority", "created_at", "id")[: limit + 1])
    next_cursor = queue_cursor(page[limit - 1]) if len(page) > limit else None
    return page[:limit], next_cursor


def sla_breaches(*, since: datetime, limit: int = 200, now: datetime | None = None) -> list[Case]:
    """Cases received since `since` whose first response came late or is overdue now, most overdue first."""
    now = now or timezone.now()
    late = Q(first_response_at__isnull=False, first_response_at__gt=F("first_response_due_at"))
    open_overdue = Q(first_response_at__isnull=True, first_response_due_at__lt=now, state__in=OPEN_STATES)
    return list(
        Case.objects.select_related("category", "assignee")
        .filter(created_at__gte=since)
        .filter(late | open_overdue)
        .order_by("first_response_due_at")[:limit]
    )


def intervention_clocks(*, limit: int = 200) -> list[Case]:
    """Open cases an authority was notified about (Decree 56/2017), the most urgent intervention first."""
    return list(
        Case.objects.select_related("category", "assignee")
        .filter(state__in=OPEN_STATES, intervention_due_at__isnull=False)
        .order_by("intervention_due_at")[:limit]
    )


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # "event", "note", "message"
    item: Any  # a CaseEvent or a Message
    count: int = 1  # evidence looks grouped into this entry (see group_evidence_views)
    until: datetime | None = None  # the last of them


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Everything that happened on a case, oldest first: events, notes and messages (two queries)."""
    events = CaseEvent.objects.filter(case=case).select_related("actor")
    messages = Message.objects.filter(case=case).select_related("author")
    entries = [
        TimelineEntry(event.created_at, "note" if event.kind == EventKind.NOTE else "event", event) for event in events
    ]
    entries += [TimelineEntry(message.sent_at, "message", message) for message in messages]
    entries.sort(key=lambda entry: (entry.at, entry.kind != "event"))
    return group_evidence_views(entries)


def group_evidence_views(entries: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """Looks at evidence in a row by the same person in the same way become one entry with a count: the chain of
    custody keeps every row, the timeline stays readable."""
    grouped: list[TimelineEntry] = []
    for entry in entries:
        event = entry.item
        previous = grouped[-1] if grouped else None
        if (
            previous is not None
            and entry.kind == "event"
            and previous.kind == "event"
            and event.kind == EventKind.EVIDENCE_VIEWED
            and previous.item.kind == EventKind.EVIDENCE_VIEWED
            and previous.item.actor_id == event.actor_id
            and previous.item.data.get("how") == event.data.get("how")
        ):
            previous.count += 1
            previous.until = entry.at
            continue
        grouped.append(entry)
    return grouped


def sla_summary(*, since: datetime, now: datetime | None = None) -> list[Mapping[str, Any]]:
    """Per priority: cases received since `since`, answered on time, answered late, still waiting past due."""
    now = now or timezone.now()
    rows = (
        Case.objects.filter(created_at__gte=since)
        .values("priority")
        .annotate(
            received=Count("id"),
            on_time=Count("id", filter=Q(first_response_at__lte=F("first_response_due_at"))),
            late=Count("id", filter=Q(first_response_at__gt=F("first_response_due_at"))),
            overdue=Count(
                "id", filter=Q(first_response_at__isnull=True, first_response_due_at__lt=now, state__in=OPEN_STATES)
            ),
        )
        .order_by("priority")
    )
    return list(rows)
