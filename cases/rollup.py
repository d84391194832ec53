"""The statistics rollup: per local day, the counts the dashboard, the annual report and its downloads need.

A day's rows are always recomputed from that day's cases as a whole (a handful of GROUP BY queries over one day),
never patched by increments, so they cannot drift: whatever changed a case, recomputing its day makes the rows
equal to the raw figures again. Any service that changes what a case counts as (a new report, triage, a
transition, the first response, a legal hold, the purge) calls `mark_changed` in its transaction: that inserts a
"dirty day" mark and, once committed, asks the task queue (`cases.tasks.refresh_statistics`) to recount the
marked days. Readers recount the dirty days of their period first, so figures are exact even when the worker
lags. Every night, and with `manage.py rebuild_statistics`, every day is recounted (anything written outside the
services, such as bulk imports or the admin, is caught there).
The figures that depend on the clock (overdue first responses) or on single response times (median, 90th
percentile) are not rolled up: cases/statistics.py reads those from the cases themselves.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from cases.models import Case, CaseRollup, CaseState, RollupKind, RollupSpan, StatisticsDay, StatisticsDirtyDay

logger = logging.getLogger(__name__)

# cases.statistics imports cases.services, which imports this module: its helpers are imported where used.


def day_of(moment: datetime.datetime) -> datetime.date:
    """The local day a case was received on."""
    from cases.statistics import local_zone

    return timezone.localtime(moment, local_zone()).date()


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    from cases.statistics import local_zone

    zone = local_zone()
    start = datetime.datetime.combine(day, datetime.time.min, zone)
    return start, datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, zone)


def _rows(day: datetime.date) -> list[CaseRollup]:
    from cases.statistics import DONE_STATES, ResponseSeconds

    start, end = day_bounds(day)
    received = Case.objects.filter(created_at__gte=start, created_at__lt=end)
    cases = received.exclude(state=CaseState.REJECTED)
    rows = []
    summary = (
        received.annotate(
            purged=ExpressionWrapper(Q(purged_at__isnull=False), output_field=BooleanField()),
        )
        .values("state", "reject_reason", "in_danger", "legal_hold", "purged", "category_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in summary:
        n = row.pop("n")
        rows.append(CaseRollup(day=day, kind=RollupKind.SUMMARY, cases=n, **row))
    profile = (
        cases.values("channel", "age_band", "gender", "priority")
        .annotate(
            n=Count("id"),
            answered_n=Count("id", filter=Q(first_response_at__isnull=False)),
            on_time_n=Count("id", filter=Q(first_response_at__lte=F("first_response_due_at"))),
            late_n=Count("id", filter=Q(first_response_at__gt=F("first_response_due_at"))),
            seconds=Sum(ResponseSeconds()),
        )
        .order_by()
    )
    for row in profile:
        rows.append(
            CaseRollup(
                day=day,
                kind=RollupKind.PROFILE,
                channel=row["channel"],
                age_band=row["age_band"],
                gender=row["gender"],
                priority=row["priority"],
                cases=row["n"],
                answered=row["answered_n"],
                on_time=row["on_time_n"],
                late=row["late_n"],
                response_seconds=row["seconds"] or 0,
            )
        )
    for row in cases.values("category_id", "age_band").annotate(n=Count("id")).order_by():
        rows.append(
            CaseRollup(
                day=day,
                kind=RollupKind.CATEGORY,
                category_id=row["category_id"],
                age_band=row["age_band"],
                cases=row["n"],
            )  # fmt: skip
        )
    for row in cases.values("commune_unit_id").annotate(n=Count("id")).order_by():
        rows.append(
            CaseRollup(day=day, kind=RollupKind.COMMUNE, commune_unit_id=row["commune_unit_id"], cases=row["n"])
        )
    for row in cases.filter(state__in=DONE_STATES).values("outcome").annotate(n=Count("id")).order_by():
        rows.append(CaseRollup(day=day, kind=RollupKind.OUTCOME, outcome=row["outcome"], cases=row["n"]))
    return rows


def _lock_day(day: datetime.date) -> None:
    """Take the day's row lock until the transaction ends (UPDATE locks the row; the first time, create it)."""
    now = timezone.now()
    if StatisticsDay.objects.filter(day=day).update(refreshed_at=now):
        return
    try:
        with transaction.atomic():
            StatisticsDay.objects.create(day=day, refreshed_at=now)
    except IntegrityError:  # another worker created it first: wait for its lock
        StatisticsDay.objects.filter(day=day).update(refreshed_at=now)


def refresh_day(*, day: datetime.date) -> int:
    """Recompute one day's rollup from its cases, in one transaction; returns the number of rows written.

    Guarantees: afterwards the day's rows are exactly the counts of its cases as committed; two workers
    refreshing the same day run one after the other (the day's lock), so rows are never doubled."""
    with transaction.atomic():
        _lock_day(day)
        CaseRollup.objects.filter(span=RollupSpan.DAY, day=day).delete()
        rows = _rows(day)
        CaseRollup.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


DIMENSIONS = [
    "kind", "state", "reject_reason", "in_danger", "legal_hold", "purged", "category_id", "channel", "age_band",
    "gender", "priority", "commune_unit_id", "outcome",
]  # fmt: skip
MEASURES = ["cases", "answered", "on_time", "late", "response_seconds"]


def refresh_month(*, month: datetime.date) -> int:
    """Recompute a month's rows (dated the 1st) as the sums of its day rows; returns the number of rows written.
    Serialised with the recounts of its first day (the same lock)."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    with transaction.atomic():
        _lock_day(first)
        CaseRollup.objects.filter(span=RollupSpan.MONTH, day=first).delete()
        sums = (
            CaseRollup.objects.filter(span=RollupSpan.DAY, day__gte=first, day__lt=following)
            .values(*DIMENSIONS)
            .annotate(**{f"sum_{name}": Sum(name) for name in MEASURES})
            .order_by()
        )
        rows = [
            CaseRollup(
                day=first,
                span=RollupSpan.MONTH,
                **{name: row[name] for name in DIMENSIONS},
                **{name: row[f"sum_{name}"] for name in MEASURES},
            )
            for row in sums
        ]
        CaseRollup.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def refresh_days(*, days: list[datetime.date]) -> int:
    """Recount these days, then the months they are in; returns the number of day rows written."""
    written = sum(refresh_day(day=day) for day in sorted(set(days)))
    for month in sorted({day.replace(day=1) for day in days}):
        refresh_month(month=month)
    return written


def rebuild(*, first_day: datetime.date | None = None, last_day: datetime.date | None = None) -> int:
    """Recompute every day that has cases or rollup rows (between first_day and last_day when given); returns the
    number of days. Safe at any time: each day is its own transaction."""
    from cases.statistics import local_zone

    received = Case.objects.all()
    rolled_days = StatisticsDay.objects.values_list("day", flat=True)
    if first_day is not None:
        received = received.filter(created_at__gte=day_bounds(first_day)[0])
        rolled_days = rolled_days.filter(day__gte=first_day)
    if last_day is not None:
        received = received.filter(created_at__lt=day_bounds(last_day)[1])
        rolled_days = rolled_days.filter(day__lte=last_day)
    case_days = {moment.date() for moment in received.datetimes("created_at", "day", tzinfo=local_zone())}
    days = case_days | set(rolled_days)
    refresh_days(days=list(days))
    return len(days)


def mark_changed(*moments: datetime.datetime | None) -> None:
    """Record, inside the caller's transaction, that the days of these reception times must be recounted, and ask
    the task queue to do it once the transaction commits. Readers recount dirty days themselves before reading,
    so the figures are right even when the worker is late or down."""
    days = {day_of(moment) for moment in moments if moment is not None}
    if not days:
        return
    StatisticsDirtyDay.objects.bulk_create([StatisticsDirtyDay(day=day) for day in sorted(days)])
    transaction.on_commit(_queue_recount)


def _queue_recount() -> None:
    from cases.tasks import refresh_statistics

    try:
        refresh_statistics()
    except Exception:  # the task queue is down (Redis): the marks stay, the next reader or the night recounts
        logger.warning("statistics: could not queue the recount of changed days", exc_info=True)


def mark_cases_changed(case_ids) -> None:
    """The same for cases known by id (a batch of the purge)."""
    moments = Case.objects.filter(id__in=list(case_ids)).values_list("created_at", flat=True).distinct()
    mark_changed(*moments)


def refresh_dirty(*, first_day: datetime.date | None = None, last_day: datetime.date | None = None) -> int:
    """Recount the dirty days (between first_day and last_day when given); returns how many. One query when
    there are none. Only the marks read before recounting are removed: a change committed meanwhile leaves its
    own mark, and is counted next time."""
    marks = StatisticsDirtyDay.objects.all()
    if first_day is not None:
        marks = marks.filter(day__gte=first_day)
    if last_day is not None:
        marks = marks.filter(day__lte=last_day)
    seen = list(marks.values_list("id", "day"))
    if not seen:
        return 0
    days = {day for _id, day in seen}
    refresh_days(days=list(days))
    StatisticsDirtyDay.objects.filter(id__in=[pk for pk, _day in seen]).delete()
    return len(days)
