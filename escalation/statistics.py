"""What escalations add to the statistics page, the annual report and its downloads (cases.statistics shows them;
registered in EscalationConfig.ready()).

The page reads a small rollup (EscalationRollup: per local day an escalation was sent, and per month, per agency),
recounted with the cases' rollup (cases/rollup.py, through cases.extensions.RollupSource): its work depends on the
days of the period, not on the number of escalations. Every step of an escalation that was sent marks its day
(services._timeline). `escalation_figures(period, source="escalations")` counts the escalations themselves: the
reference the rollup is tested against.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases import rollup
from cases.extensions import RollupSource
from cases.models import RollupSpan
from cases.statistics import AgencyRow, EscalationFigures, Period, Takedowns, local_zone, rollup_rows_of
from escalation.models import (
    AT_AGENCY_STATES,
    Agency,
    Escalation,
    EscalationLink,
    EscalationRollup,
    EscalationState,
    LinkOutcome,
)

COUNTS = {
    "sent": Count("id"),
    "acknowledged": Count("id", filter=Q(acknowledged_at__isnull=False)),
    "acknowledged_on_time": Count("id", filter=Q(acknowledged_at__lte=F("ack_due_at"))),
    "at_agency": Count("id", filter=Q(state__in=AT_AGENCY_STATES)),
    "completed": Count("id", filter=Q(state=EscalationState.COMPLETED)),
    "declined": Count("id", filter=Q(state=EscalationState.DECLINED)),
    "retracted": Count("id", filter=Q(state=EscalationState.RETRACTED)),
}
TAKEN_DOWN = Q(outcome=LinkOutcome.TAKEN_DOWN)
# Takedowns figure (Takedowns field) → the rollup's column.
LINK_COUNTS = {
    "requested": ("takedowns_requested", Count("id")),
    "taken_down": ("taken_down", Count("id", filter=TAKEN_DOWN)),
    "taken_down_on_time": (
        "taken_down_on_time",
        Count("id", filter=TAKEN_DOWN & Q(updated_at__lte=F("takedown_due_at"))),
    ),
    "still_online": ("still_online", Count("id", filter=Q(outcome=LinkOutcome.STILL_ONLINE))),
    "pending": ("takedowns_pending", Count("id", filter=Q(outcome=LinkOutcome.PENDING))),
}
MEASURES = [*COUNTS, *(column for column, _count in LINK_COUNTS.values())]


def _sent_between(start: datetime.datetime, end: datetime.datetime) -> list[dict[str, Any]]:
    """Per agency, the counts of the escalations sent in [start, end) and of the takedowns they asked for (two
    queries)."""
    sent = Escalation.objects.filter(sent_at__gte=start, sent_at__lt=end)
    by_agency: dict[int, dict[str, Any]] = {
        row["agency_id"]: dict(row) for row in sent.values("agency_id").annotate(**COUNTS).order_by()
    }
    links = (
        EscalationLink.objects.filter(escalation__sent_at__gte=start, escalation__sent_at__lt=end)
        .filter(takedown_due_at__isnull=False)
        .values(agency=F("escalation__agency_id"))
        .annotate(**dict(LINK_COUNTS.values()))
        .order_by()
    )
    for link_row in links:
        row: dict[str, Any] = dict(link_row)
        target = by_agency.setdefault(row["agency"], {"agency_id": row["agency"], **dict.fromkeys(COUNTS, 0)})
        target.update({column: row[column] for column, _count in LINK_COUNTS.values()})
    return list(by_agency.values())


def refresh_day(*, day: datetime.date, start: datetime.datetime, end: datetime.datetime) -> None:
    """Recount one day's rows from the escalations sent that day (inside cases.rollup.refresh_day)."""
    EscalationRollup.objects.filter(span=RollupSpan.DAY, day=day).delete()
    rows = _sent_between(start, end)
    EscalationRollup.objects.bulk_create(
        [EscalationRollup(day=day, **{name: row.get(name, 0) for name in ["agency_id", *MEASURES]}) for row in rows]
    )


def refresh_month(*, first: datetime.date, following: datetime.date) -> None:
    """A month's rows (dated the 1st) as the sums of its day rows (inside cases.rollup.refresh_month)."""
    EscalationRollup.objects.filter(span=RollupSpan.MONTH, day=first).delete()
    sums = (
        EscalationRollup.objects.filter(span=RollupSpan.DAY, day__gte=first, day__lt=following)
        .values("agency_id")
        .annotate(**{f"sum_{name}": Sum(name) for name in MEASURES})
        .order_by()
    )
    rows: list[dict[str, Any]] = [dict(row) for row in sums]
    EscalationRollup.objects.bulk_create(
        [
            EscalationRollup(
                day=first,
                span=RollupSpan.MONTH,
                agency_id=row["agency_id"],
                **{name: row[f"sum_{name}"] for name in MEASURES},
            )
            for row in rows
        ]
    )


def days_sent(*, first_day: datetime.date | None = None, last_day: datetime.date | None = None) -> set[datetime.date]:
    """The local days escalations were sent on (for the rebuild)."""
    sent = Escalation.objects.filter(sent_at__isnull=False)
    if first_day is not None:
        sent = sent.filter(sent_at__gte=rollup.day_bounds(first_day)[0])
    if last_day is not None:
        sent = sent.filter(sent_at__lt=rollup.day_bounds(last_day)[1])
    return {moment.date() for moment in sent.datetimes("sent_at", "day", tzinfo=local_zone())}


ROLLUP_SOURCE = RollupSource(refresh_day=refresh_day, refresh_month=refresh_month, days=days_sent)


def _figures(per_agency: Iterable[Mapping[str, Any]], takedowns: Mapping[str, int]) -> EscalationFigures:
    rows = list(per_agency)
    directory = Agency.objects.in_bulk([row["agency_id"] for row in rows])
    english = (get_language() or "").startswith("en")
    agencies = sorted(
        (
            AgencyRow(
                code=directory[row["agency_id"]].code,
                name=(directory[row["agency_id"]].name_en if english else directory[row["agency_id"]].name_vi)
                or directory[row["agency_id"]].short_name,
                **{key: row[key] for key in COUNTS},
            )
            for row in rows
            if row["sent"]
        ),
        key=lambda agency: agency.code,
    )
    total = AgencyRow(
        code="",
        name=str(_("All agencies")),
        **{key: sum(getattr(agency, key) for agency in agencies) for key in COUNTS},
    )
    return EscalationFigures(available=True, agencies=agencies, total=total, takedowns=Takedowns(**takedowns))


def escalation_figures(period: Period, *, source: str = "rollup") -> EscalationFigures:
    """Escalations sent in the period, by agency and outcome, and the takedowns they asked for: from the rollup
    (after recounting the period's changed days; then the agencies' names), or from the escalations themselves with
    source="escalations".
    Registered with cases.extensions in EscalationConfig.ready()."""
    if source == "escalations":
        rows = _sent_between(period.start, period.end)
    else:
        rollup.refresh_dirty(first_day=period.first_day, last_day=period.last_day)
        sums = (
            EscalationRollup.objects.filter(rollup_rows_of(period))
            .values("agency_id")
            .annotate(**{name: Sum(name) for name in MEASURES})
            .order_by()
        )
        rows = [dict(row) for row in sums]
    takedowns = {figure: sum(row.get(column, 0) for row in rows) for figure, (column, _count) in LINK_COUNTS.items()}
    return _figures(rows, takedowns)
