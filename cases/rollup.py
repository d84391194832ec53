"""The statistics rollup: per local day, the counts the dashboard, the annual report and its downloads need.

A day's rows are always recomputed from that day's cases as a whole (a handful of GROUP BY queries over one day),
never patched by increments, so they cannot drift: whatever changed a case, recomputing its day makes the rows
equal to the raw figures again. Any service that changes what a case counts as (a new report, triage, a
transition, the first response, a reporter's message, a check-in sent or answered, a legal hold, the purge) calls
`mark_changed` in its transaction: that inserts a "dirty day" mark, one INSERT and nothing else (no task is queued
per change: the worker's periodic `cases.tasks.refresh_statistics` recounts the marked days every minute). Readers
recount the dirty days of their period first, so figures are exact even when the worker lags or is down. Every
night, and with `manage.py rebuild_statistics`, every day is recounted (anything written outside the services, such
as bulk imports or the admin, is caught there).

The median and 90th percentile of first-response times come from a histogram (kind RESPONSE: per day, priority
and response-time bucket, the number of answered cases). The buckets (RESPONSE_BUCKETS) are whole minutes up to
an hour, 5 minutes up to 6 hours, 30 minutes up to 48 hours, 6 hours up to 7 days, whole days up to 30 days, and
one bucket for 30 days and more: at most 248 per priority, so a year is a few thousand month rows at most.
`percentile_from_histogram` interpolates like percentile_cont between the two nearest ranks, each rank's time read
inside its bucket: in a one-minute bucket as the whole minute (exact when responses are whole minutes), in a wider
one spread evenly over the bucket, in the last one as 30 days. So the rollup's percentile is within the width of
the buckets its two ranks fall in of the exact one (`statistics.figures(source="cases")`).
The figures that depend on the clock (overdue first responses) are not rolled up: cases/statistics.py reads those
from the period's open cases.
"""

import bisect
import datetime
from collections import Counter
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from cases import extensions
from cases.models import (
    Case,
    CaseRollup,
    CaseState,
    CheckIn,
    Message,
    RollupKind,
    RollupSpan,
    Sender,
    StatisticsDay,
    StatisticsDirtyDay,
)

# cases.statistics imports cases.services, which imports this module: its helpers are imported where used.


MINUTE, HOUR, DAY = 60, 3600, 86400
# Lower bounds, in seconds, of the response-time buckets; the last one has no upper bound.
RESPONSE_BUCKETS: list[int] = [
    *range(0, HOUR, MINUTE),
    *range(HOUR, 6 * HOUR, 5 * MINUTE),
    *range(6 * HOUR, 48 * HOUR, 30 * MINUTE),
    *range(48 * HOUR, 7 * DAY, 6 * HOUR),
    *range(7 * DAY, 30 * DAY, DAY),
    30 * DAY,
]


def response_bucket(seconds: float) -> int:
    """The lower bound of the bucket a response time falls in (negative times, clock skew, count as 0)."""
    # Rounded to the millisecond: SQLite's julianday arithmetic makes 300 s into 299.99998 s.
    return RESPONSE_BUCKETS[max(0, bisect.bisect_right(RESPONSE_BUCKETS, round(seconds, 3)) - 1)]


def bucket_width(low: int) -> int | None:
    """The width of the bucket starting at `low`, in seconds; None for the last, open one."""
    index = RESPONSE_BUCKETS.index(low)
    return RESPONSE_BUCKETS[index + 1] - low if index + 1 < len(RESPONSE_BUCKETS) else None


def percentile_from_histogram(counts: Mapping[int, int], fraction: float) -> float | None:
    """percentile_cont over a histogram {bucket lower bound: number of values}: the two ranks around
    (n - 1) × fraction, interpolated; each rank's value read inside its bucket (see the module's docstring)."""
    buckets = sorted((low, n) for low, n in counts.items() if n)
    total = sum(n for _low, n in buckets)
    if not total:
        return None

    def value_at(rank: int) -> float:
        before = 0
        for low, n in buckets:
            if rank < before + n:
                width = bucket_width(low)
                if width is None or width == MINUTE:
                    return float(low)
                return low + (rank - before + 0.5) * width / n
            before += n
        raise AssertionError("rank beyond the histogram")

    position = (total - 1) * fraction
    below = int(position)
    above = min(below + 1, total - 1)
    low_value = value_at(below)
    return low_value + (value_at(above) - low_value) * (position - below)


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
    # A day has a few hundred answered cases at most: their times are bucketed here, alike on every database.
    histogram = Counter(
        (priority, response_bucket(seconds))
        for priority, seconds in cases.filter(first_response_at__isnull=False)
        .annotate(seconds=ResponseSeconds())
        .values_list("priority", "seconds")
    )
    for (priority, bucket), n in sorted(histogram.items()):
        rows.append(CaseRollup(day=day, kind=RollupKind.RESPONSE, priority=priority, response_bucket=bucket, cases=n))
    # Repeat contacts, over every report received (rejected ones too, like statistics.follow_up).
    contacts = Message.objects.filter(
        sender=Sender.REPORTER, case__created_at__gte=start, case__created_at__lt=end
    ).aggregate(cases=Count("case_id", distinct=True), messages=Count("id"))
    if contacts["messages"]:
        rows.append(
            CaseRollup(
                day=day, kind=RollupKind.FOLLOW_UP, cases=contacts["cases"], messages=contacts["messages"]
            )  # fmt: skip
        )
    # Check-ins of the day's reports (rejected ones too, like statistics.follow_up).
    check_ins = (
        CheckIn.objects.filter(case__created_at__gte=start, case__created_at__lt=end)
        .values("all_ok", "rating")
        .annotate(n=Count("id"), answered_n=Count("id", filter=Q(answered_at__isnull=False)))
        .order_by()
    )
    for row in check_ins:
        rows.append(
            CaseRollup(
                day=day,
                kind=RollupKind.CHECK_IN,
                all_ok=row["all_ok"],
                rating=row["rating"],
                cases=row["n"],
                answered=row["answered_n"],
            )
        )
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
        start, end = day_bounds(day)
        for source in extensions.rollup_sources:  # escalations sent that day
            source.refresh_day(day=day, start=start, end=end)
    return len(rows)


DIMENSIONS = [
    "kind", "state", "reject_reason", "in_danger", "legal_hold", "purged", "category_id", "channel", "age_band",
    "gender", "priority", "commune_unit_id", "outcome", "response_bucket", "all_ok", "rating",
]  # fmt: skip
MEASURES = ["cases", "answered", "on_time", "late", "response_seconds", "messages"]


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
        for source in extensions.rollup_sources:
            source.refresh_month(first=first, following=following)
    return len(rows)


def refresh_days(*, days: list[datetime.date]) -> int:
    """Recount these days, then the months they are in; returns the number of day rows written."""
    written = sum(refresh_day(day=day) for day in sorted(set(days)))
    for month in sorted({day.replace(day=1) for day in days}):
        refresh_month(month=month)
    return written


def rebuild(*, first_day: datetime.date | None = None, last_day: datetime.date | None = None) -> int:
    """Recompute every day that has cases or rollup rows (between first_day and last_day when given), and remove
    the dirty marks committed before it began; returns the number of days. Safe at any time: each day is its own
    transaction."""
    from cases.statistics import local_zone

    received = Case.objects.all()
    rolled_days = StatisticsDay.objects.values_list("day", flat=True)
    if first_day is not None:
        received = received.filter(created_at__gte=day_bounds(first_day)[0])
        rolled_days = rolled_days.filter(day__gte=first_day)
    if last_day is not None:
        received = received.filter(created_at__lt=day_bounds(last_day)[1])
        rolled_days = rolled_days.filter(day__lte=last_day)
    marks = StatisticsDirtyDay.objects.all()
    if first_day is not None:
        marks = marks.filter(day__gte=first_day)
    if last_day is not None:
        marks = marks.filter(day__lte=last_day)
    seen = list(marks.values_list("id", flat=True))  # committed before the recount: counted by it
    case_days = {moment.date() for moment in received.datetimes("created_at", "day", tzinfo=local_zone())}
    days = case_days | set(rolled_days)
    for source in extensions.rollup_sources:
        days.update(source.days(first_day=first_day, last_day=last_day))
    refresh_days(days=list(days))
    StatisticsDirtyDay.objects.filter(id__in=seen).delete()
    return len(days)


def mark_changed(*moments: datetime.datetime | None) -> None:
    """Record, inside the caller's transaction, that the days of these reception times must be recounted: one
    INSERT, no read and no round trip to the task queue. The worker recounts marked days every minute
    (`cases.tasks.refresh_statistics`), and readers recount the dirty days of their period before reading, so the
    figures are right even when the worker is late or down."""
    marks = day_marks(*moments)
    if marks:
        StatisticsDirtyDay.objects.bulk_create(marks)


def day_marks(*moments: datetime.datetime | None) -> list[StatisticsDirtyDay]:
    """The marks mark_changed writes, not written yet (a new case's rows are written together)."""
    return [StatisticsDirtyDay(day=day) for day in sorted({day_of(moment) for moment in moments if moment is not None})]


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
