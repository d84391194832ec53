"""The audit log: writing an AuditEntry, and reading the audit trail (AuditEntry and the case events that record
who looked at or changed what).

Audit rows are insert-only (cases.models.ImmutableRecord): nothing in the app can change or delete them.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from cases import bounds, plumbing, roles
from cases.models import AuditAction, AuditEntry, CaseEvent, EventKind

AUDIT_PAGE_SIZE = 100

# Case events that belong in the audit trail: looks at personal data, changes of state and of hands.
AUDITED_EVENT_KINDS = [
    EventKind.TRANSITION,
    EventKind.CONTACT_REVEALED,
    EventKind.EVIDENCE_VIEWED,
    EventKind.ASSIGNED,
    EventKind.LEGAL_HOLD,
    EventKind.ESCALATION,
    EventKind.REFERRAL,
    EventKind.CONSENT,  # consents given, heard or withdrawn (who and what for, never personal data)
]

# Merged ordering is (created_at, source, id), newest first; the source breaks ties between the two tables.
EVENT_SOURCE, ENTRY_SOURCE = 1, 0


def _json_ready(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def record_audit(*, actor, action, target="", case=None, **params):
    """Write one audit entry. `target` says what (a file, a period); `params` holds facts, never personal data."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        case=case,
        target=target[:200],
        params={key: _json_ready(value) for key, value in params.items()},
    )


def record_case_view(*, case, user):
    """A staff member opened a case's page, with the child's report on it: the look is on the record."""
    return record_audit(actor=user, action=AuditAction.VIEW_CASE, case=case, target=case.reference)


def kind_choices():
    """Every kind the audit trail can be filtered on: the audited case events, then the audit actions."""
    labels = dict(EventKind.choices)
    return [(kind.value, labels[kind]) for kind in AUDITED_EVENT_KINDS] + list(AuditAction.choices)


def audit_actors():
    """People who can appear in the trail, for the filter: staff and liaisons."""
    return (
        get_user_model()
        .objects.filter(groups__name__in=[roles.OPERATOR, roles.SUPERVISOR, roles.ADMIN, roles.LIAISON])
        .distinct()
        .order_by("first_name", "username")
    )


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    kind: str = ""  # "" = everything, an audited EventKind or an AuditAction
    start: datetime.datetime | None = None  # inclusive
    end: datetime.datetime | None = None  # exclusive
    reference: str = ""  # one case: only its events


@dataclass(frozen=True)
class AuditRow:
    at: datetime.datetime
    source: int
    pk: int
    actor: object
    kind: str
    kind_label: str
    case_reference: str
    detail: str
    item: object

    @property
    def cursor_key(self):
        return (self.at, self.source, self.pk)


def audit_cursor(row):
    return plumbing.encode_cursor(row.at, row.source, row.pk)


def _source(text):
    return bounds.whole_number(text, ENTRY_SOURCE, EVENT_SOURCE)


def _row_id(text):
    return bounds.whole_number(text, 0, bounds.MAX_ID)


def read_audit_cursor(cursor):
    """(created_at, source, id) from a cursor, or None (the first page) for anything else or out of range."""
    return plumbing.decode_cursor(cursor, bounds.instant, _source, _row_id)


def _before(cursor, source):
    """Rows of `source` that come after the cursor in newest-first order."""
    at, cursor_source, pk = cursor
    if source < cursor_source:
        return Q(created_at__lte=at)
    if source > cursor_source:
        return Q(created_at__lt=at)
    return Q(created_at__lt=at) | Q(created_at=at, id__lt=pk)


def _common(queryset, filters, cursor, source):
    if filters.actor_id:
        queryset = queryset.filter(actor_id=filters.actor_id)
    if filters.start:
        queryset = queryset.filter(created_at__gte=filters.start)
    if filters.end:
        queryset = queryset.filter(created_at__lt=filters.end)
    if cursor is not None:
        queryset = queryset.filter(_before(cursor, source))
    return queryset.order_by("-created_at", "-id")


def _event_detail(event):
    if event.kind == EventKind.TRANSITION:
        return f"{event.from_state_label} → {event.to_state_label}"
    if event.kind == EventKind.EVIDENCE_VIEWED:
        return f"{event.data.get('how', '')} #{event.data.get('evidence_id', '')} {event.data.get('sha256', '')[:12]}"
    if event.kind == EventKind.CONTACT_REVEALED:
        return ", ".join(event.data.get("fields", []))
    if event.kind == EventKind.LEGAL_HOLD:
        return event.text
    if event.kind == EventKind.ESCALATION:
        # The facts only: the event's text may quote an agency's question about the child.
        data = event.data
        return f"{data.get('agency', '')} E-{data.get('escalation', '')} {data.get('step', '')}".strip()
    if event.kind == EventKind.REFERRAL:
        data = event.data
        return f"{data.get('agency', '')} R-{data.get('referral', '')} {data.get('step', '')}".strip()
    return ""


def audit_trail(filters, *, after=None, limit=AUDIT_PAGE_SIZE):
    """One page of the audit trail, newest first: audited case events and audit entries merged.
    Returns (rows, next_cursor). At most two queries whatever the size of either table (keyset pagination)."""
    kinds = {value for value, _label in kind_choices()}
    want_events = filters.kind in ("", *AUDITED_EVENT_KINDS)
    want_entries = filters.kind in ("", *AuditAction.values)
    if filters.kind and filters.kind not in kinds:
        want_events = want_entries = False
    rows = []
    if want_events:
        events = CaseEvent.objects.select_related("actor", "case")
        events = events.filter(kind=filters.kind) if filters.kind else events.filter(kind__in=AUDITED_EVENT_KINDS)
        if filters.reference:
            events = events.filter(case__reference=filters.reference)
        for event in _common(events, filters, after, EVENT_SOURCE)[: limit + 1]:
            rows.append(
                AuditRow(
                    at=event.created_at,
                    source=EVENT_SOURCE,
                    pk=event.pk,
                    actor=event.actor,
                    kind=event.kind,
                    kind_label=event.get_kind_display(),
                    case_reference=event.case.reference,
                    detail=_event_detail(event),
                    item=event,
                )
            )
    if want_entries:
        entries = AuditEntry.objects.select_related("actor", "case")
        if filters.kind:
            entries = entries.filter(action=filters.kind)
        if filters.reference:
            entries = entries.filter(case__reference=filters.reference)
        for entry in _common(entries, filters, after, ENTRY_SOURCE)[: limit + 1]:
            rows.append(
                AuditRow(
                    at=entry.created_at,
                    source=ENTRY_SOURCE,
                    pk=entry.pk,
                    actor=entry.actor,
                    kind=entry.action,
                    kind_label=entry.get_action_display(),
                    case_reference=entry.case.reference if entry.case_id else "",
                    detail="" if entry.case_id else entry.target,
                    item=entry,
                )
            )
    rows.sort(key=lambda row: row.cursor_key, reverse=True)
    next_cursor = audit_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor
