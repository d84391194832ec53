"""Figures for the statistics dashboard and the annual report.

Every figure is an SQL aggregate (GROUP BY in the database, never a loop over cases in Python), so a page costs the
same fixed number of queries whatever the number of cases. The pages read the daily rollup (cases/rollup.py: per
day and per month, the counts of each figure's dimensions); `figures(..., source="cases")` computes the same from
the cases received in the period, the reference the rollup is tested against. The figures rest
only on fields the retention purge keeps (category, age band, gender, commune unit, channel, priority, state,
outcome, timestamps), so they do not change when personal data is removed.

"Cases" below means reports received in the period minus those rejected as spam, tests or duplicates; the summary
shows both numbers.
"""

from __future__ import annotations

import datetime
import itertools
import math
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import NotSupportedError, connection
from django.db.models import Aggregate, Avg, Count, F, FloatField, Func, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import extensions, rollup
from cases.models import (
    COMMUNE_LEVEL_KINDS,
    OPEN_STATES,
    AdministrativeUnit,
    AgeBand,
    Case,
    CaseRollup,
    CaseState,
    Category,
    Channel,
    CheckIn,
    Gender,
    Message,
    Outcome,
    Priority,
    RejectReason,
    RollupKind,
    RollupSpan,
    Sender,
)
from cases.services import ADVICE_CATEGORIES

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler
    from django_stubs_ext import StrOrPromise

# Top-level categories, each with the ids of its family (itself and its children).
CategoryFamilies = list[tuple[Category, list[int]]]

DONE_STATES = [CaseState.RESOLVED, CaseState.CLOSED]
# Longer periods are drawn month by month, shorter ones day by day.
DAILY_UP_TO_DAYS = 62
COMMUNE_CHART_BARS = 12


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --- the period ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole days in the hotline's time zone, first and last day included."""

    first_day: datetime.date
    last_day: datetime.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def current_year(cls, today: datetime.date | None = None) -> Period:
        return cls.year((today or timezone.localdate()).year)

    @classmethod
    def reporting_year(cls, today: datetime.date | None = None) -> Period:
        """The annual report's period: 1 December of last year to 30 November of this year (the report is due
        before 5 December)."""
        year = (today or timezone.localdate()).year
        return cls(datetime.date(year - 1, 12, 1), datetime.date(year, 11, 30))

    def year_before(self) -> Period:
        """The same days one year earlier, for the "last year" column."""

        def back(day: datetime.date) -> datetime.date:
            return day.replace(year=day.year - 1) if (day.month, day.day) != (2, 29) else day.replace(day=28)

        return Period(back(self.first_day), back(self.last_day))

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=local_zone())

    @property
    def end(self) -> datetime.datetime:
        """Exclusive: midnight after the last day."""
        return datetime.datetime.combine(self.last_day + datetime.timedelta(days=1), datetime.time.min, local_zone())

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def slug(self) -> str:
        return f"{self.first_day.isoformat()}_{self.last_day.isoformat()}"

    def __str__(self) -> str:
        return f"{self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y}"


def received_in(period: Period) -> QuerySet[Case]:
    """Every report received in the period, rejected ones included."""
    return Case.objects.filter(created_at__gte=period.start, created_at__lt=period.end)


def cases_in(period: Period) -> QuerySet[Case]:
    """The period's cases: reports received, minus spam, tests and duplicates."""
    return received_in(period).exclude(state=CaseState.REJECTED)


# --- SQL helpers --------------------------------------------------------------------------------------------------


class ResponseSeconds(Func):
    """Seconds from receipt to first response; NULL while there is none."""

    output_field = FloatField()

    def __init__(self, **extra: Any) -> None:
        super().__init__(F("first_response_at"), F("created_at"), **extra)

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, Any]:
        raise NotSupportedError(f"response times are not implemented for {connection.vendor}")

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        template = "EXTRACT(EPOCH FROM (%(expressions)s))::double precision"
        return super().as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra_context)

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        template = "((julianday(%(expressions)s)) * 86400.0)"
        return super().as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra_context)


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont: the percentile interpolated between the two nearest values. Given a list of
    fractions it returns the list of percentiles, all from one sort."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fractions)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression: Any, fractions: float | Sequence[float], **extra: Any) -> None:
        several = not isinstance(fractions, int | float)
        values = [float(fraction) for fraction in fractions] if not isinstance(fractions, int | float) else [fractions]
        if not all(0 <= value <= 1 for value in values):
            raise ValueError("fractions must be between 0 and 1")
        literal = f"ARRAY[{', '.join(map(repr, values))}]::double precision[]" if several else repr(values[0])
        output_field = ArrayField(FloatField()) if several else FloatField()
        super().__init__(expression, fractions=literal, output_field=output_field, **extra)


def percentile(sorted_values: Sequence[float], fraction: float) -> float | None:
    """What percentile_cont computes, for databases without it (SQLite): linear interpolation between ranks."""
    if not sorted_values:
        return None
    rank = (len(sorted_values) - 1) * fraction
    low = math.floor(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 60, 1)


# --- shapes the templates draw ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    count: int
    share: float  # percent of the breakdown's total
    length: float  # percent of the longest bar: what the chart draws


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: StrOrPromise
    bars: list[Bar]
    total: int

    @property
    def chart_bars(self) -> list[Bar]:
        return self.bars


@dataclass(frozen=True)
class CommuneBreakdown(Breakdown):
    """Up to 99 units: the chart shows the largest, the table shows all."""

    @property
    def chart_bars(self) -> list[Bar]:
        return self.bars[:COMMUNE_CHART_BARS]


def _bars(items: Iterable[tuple[object, object, int]]) -> tuple[list[Bar], int]:
    """(key, label, count) triples → bars with their share of the total and their length on the chart."""
    items = list(items)
    total = sum(count for _key, _label, count in items)
    longest = max((count for _key, _label, count in items), default=0)
    return [
        Bar(
            key=str(key),
            label=str(label),
            count=count,
            share=round(100 * count / total, 1) if total else 0.0,
            length=round(100 * count / longest, 2) if longest else 0.0,
        )
        for key, label, count in items
    ], total


@dataclass(frozen=True)
class TimePoint:
    day: datetime.date
    label: str
    count: int
    height: float  # percent of the highest column
    x: int  # where its column starts on the chart: 10 units per point, 8 wide

    @property
    def top(self) -> float:
        return round(100 - self.height, 2)


@dataclass(frozen=True)
class TimeSeries:
    unit: str  # "month" or "day"
    points: list[TimePoint]
    total: int
    highest: int


@dataclass(frozen=True)
class Summary:
    received: int
    rejected: int
    rejected_spam: int
    rejected_test: int
    rejected_duplicate: int
    cases: int
    advice: int
    in_danger: int
    open: int
    done: int
    on_legal_hold: int
    purged: int


@dataclass(frozen=True)
class ResponseRow:
    priority: int | None  # None: all priorities
    label: str
    target_minutes: int | None
    cases: int
    answered: int
    on_time: int
    late: int
    overdue: int  # no answer yet and past due, still open
    average_minutes: float | None
    median_minutes: float | None
    p90_minutes: float | None

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None


@dataclass(frozen=True)
class FollowUp:
    cases_with_reporter_messages: int
    reporter_messages: int
    # The check-in some days after resolution (cases.check_ins), for cases received in the period.
    check_ins_sent: int = 0
    check_ins_answered: int = 0
    all_ok: int = 0
    not_ok: int = 0
    ratings: int = 0
    average_rating: float | None = None


@dataclass(frozen=True)
class AgencyRow:
    code: str
    name: str
    sent: int
    acknowledged: int
    acknowledged_on_time: int
    at_agency: int
    completed: int
    declined: int
    retracted: int


@dataclass(frozen=True)
class Takedowns:
    requested: int
    taken_down: int
    taken_down_on_time: int
    still_online: int
    pending: int


@dataclass(frozen=True)
class EscalationFigures:
    available: bool
    agencies: list[AgencyRow]
    total: AgencyRow | None
    takedowns: Takedowns | None


@dataclass(frozen=True)
class Figures:
    period: Period
    summary: Summary
    over_time: TimeSeries
    breakdowns: list[Breakdown]  # channel, category, age band, gender, priority, outcome
    communes: CommuneBreakdown
    districts: Breakdown
    response: list[ResponseRow]  # one per priority, then all priorities
    follow_up: FollowUp
    escalations: EscalationFigures

    def breakdown(self, key: str) -> Breakdown:
        return next(breakdown for breakdown in self.breakdowns if breakdown.key == key)

    @property
    def profile(self) -> list[Breakdown]:
        """Who reported what, and how: every breakdown but the outcomes."""
        return [breakdown for breakdown in self.breakdowns if breakdown.key != "outcome"]

    @property
    def outcomes(self) -> Breakdown:
        return self.breakdown("outcome")


# --- the figures --------------------------------------------------------------------------------------------------
#
# Eight passes over the period's cases, whatever their number: the summary; cases per month or day; one GROUP BY
# over channel × age band × gender × priority (at most 448 rows, with the first-response counts of each), whose
# margins give four breakdowns and the response counts; categories; outcomes; communes; percentiles; repeat contacts.


def _top_categories() -> CategoryFamilies:
    """Top-level categories in the catalogue's order, each with the ids of its family (itself and its children)."""
    categories = list(Category.objects.order_by("sort_order", "code"))
    tops = [category for category in categories if category.parent_id is None]
    family = {top.pk: [top.pk] for top in tops}
    for category in categories:
        if category.parent_id in family:
            family[category.parent_id].append(category.pk)
    return [(top, family[top.pk]) for top in tops]


def _summary(period: Period, categories: CategoryFamilies) -> Summary:
    advice_ids = [pk for top, ids in categories if top.code in ADVICE_CATEGORIES for pk in ids]
    rejected = Q(state=CaseState.REJECTED)
    figures = received_in(period).aggregate(
        received=Count("id"),
        rejected=Count("id", filter=rejected),
        rejected_spam=Count("id", filter=rejected & Q(reject_reason=RejectReason.SPAM)),
        rejected_test=Count("id", filter=rejected & Q(reject_reason=RejectReason.TEST)),
        rejected_duplicate=Count("id", filter=rejected & Q(reject_reason=RejectReason.DUPLICATE)),
        advice=Count("id", filter=Q(category_id__in=advice_ids) & ~rejected),
        in_danger=Count("id", filter=Q(in_danger=True) & ~rejected),
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        done=Count("id", filter=Q(state__in=DONE_STATES)),
        on_legal_hold=Count("id", filter=Q(legal_hold=True)),
        purged=Count("id", filter=Q(purged_at__isnull=False)),
    )
    return Summary(cases=figures["received"] - figures["rejected"], **figures)


def summary(period: Period) -> Summary:
    """Reports received, how many were rejected (and why), how many cases remain, and where they stand: one query."""
    return _summary(period, _top_categories())


def _buckets(period: Period, unit: str) -> Iterator[datetime.date]:
    day = period.first_day if unit == "day" else period.first_day.replace(day=1)
    while day <= period.last_day:
        yield day
        if unit == "day":
            day += datetime.timedelta(days=1)
        else:
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def over_time(period: Period) -> TimeSeries:
    """Cases per month (or per day for periods up to two months) in local time, empty ones included: one query of
    conditional counts over [start, next start), so the database needs no time-zone arithmetic per row."""
    unit = "day" if period.days <= DAILY_UP_TO_DAYS else "month"
    zone = local_zone()
    days = list(_buckets(period, unit))
    edges = [max(period.start, datetime.datetime.combine(day, datetime.time.min, zone)) for day in days]
    edges.append(period.end)
    counts = cases_in(period).aggregate(
        **{
            f"bucket_{index}": Count("id", filter=Q(created_at__gte=low, created_at__lt=high))
            for index, (low, high) in enumerate(itertools.pairwise(edges))
        }
    )
    return _time_series(unit, days, [counts[f"bucket_{index}"] for index in range(len(days))])


def _time_series(unit: str, days: list[datetime.date], values: list[int]) -> TimeSeries:
    highest = max(values, default=0)
    points = [
        TimePoint(
            day=day,
            label=f"{day:%d/%m}" if unit == "day" else f"{day:%m/%Y}",
            count=count,
            height=round(100 * count / highest, 2) if highest else 0.0,
            x=10 * index + 1,
        )
        for index, (day, count) in enumerate(zip(days, values, strict=True))
    ]
    return TimeSeries(unit=unit, points=points, total=sum(values), highest=highest)


RESPONSE_COUNTS = ["cases", "answered", "on_time", "late", "overdue"]

# {priority, or None for all: (median, 90th percentile)} of response seconds.
Percentiles = Mapping[int | None, tuple[float | None, float | None]]


def _profile(period: Period, *, now: datetime.datetime) -> list[Mapping[str, Any]]:
    """Cases by channel × age band × gender × priority, with first-response counts and summed response seconds."""
    return list(
        cases_in(period)
        .values("channel", "age_band", "gender", "priority")
        .annotate(
            cases=Count("id"),
            answered=Count("id", filter=Q(first_response_at__isnull=False)),
            on_time=Count("id", filter=Q(first_response_at__lte=F("first_response_due_at"))),
            late=Count("id", filter=Q(first_response_at__gt=F("first_response_due_at"))),
            overdue=Count(
                "id",
                filter=Q(first_response_at__isnull=True, first_response_due_at__lt=now, state__in=OPEN_STATES),
            ),
            seconds=Sum(ResponseSeconds()),
        )
        .order_by()
    )


def _margin(
    rows: Iterable[Mapping[str, Any]],
    field: str,
    key: str,
    title: StrOrPromise,
    choices: Iterable[tuple[Any, Any]],
) -> Breakdown:
    counts: dict[object, int] = {}
    for row in rows:
        counts[row[field]] = counts.get(row[field], 0) + row["cases"]
    bars, total = _bars((str(value), label, counts.get(value, 0)) for value, label in choices)
    return Breakdown(key=key, title=title, bars=bars, total=total)


def _percentiles(period: Period) -> Percentiles:
    """{priority or None: (median, 90th percentile)} of response seconds. PostgreSQL: percentile_cont in one query
    (one scan, a sort per priority and one for all). Elsewhere: one read of the response times, ordered by the
    database, and the same interpolation in Python."""
    cases = cases_in(period)
    seconds = ResponseSeconds()
    if connection.vendor == "postgresql":
        fractions = [0.5, 0.9]
        figures = {f"p_{value}": PercentileCont(seconds, fractions, filter=Q(priority=value)) for value in Priority}
        figures["p_all"] = PercentileCont(seconds, fractions)
        row = cases.aggregate(**figures)
        result: dict[int | None, Any] = {int(value): row[f"p_{value}"] for value in Priority}
        result[None] = row["p_all"]
        return {priority: tuple(values) if values else (None, None) for priority, values in result.items()}
    values: dict[int | None, list[float]] = {}
    answered = cases.filter(first_response_at__isnull=False).annotate(seconds=seconds)
    for priority, value in answered.values_list("priority", "seconds").order_by("seconds"):
        values.setdefault(priority, []).append(value)
    values[None] = sorted(value for per_priority in list(values.values()) for value in per_priority)
    return {priority: (percentile(times, 0.5), percentile(times, 0.9)) for priority, times in values.items()}


def _response(profile: Iterable[Mapping[str, Any]], percentiles: Percentiles) -> list[ResponseRow]:
    targets = settings.FIRST_RESPONSE_TARGETS
    sums: dict[int, dict[str, Any]] = {}
    for row in profile:
        bucket = sums.setdefault(row["priority"], dict.fromkeys([*RESPONSE_COUNTS, "seconds"], 0))
        for name in [*RESPONSE_COUNTS, "seconds"]:
            bucket[name] += row[name] or 0
    every = {name: sum(bucket[name] for bucket in sums.values()) for name in [*RESPONSE_COUNTS, "seconds"]}

    def make(priority: int | None, label: object, target: int | None, counts: Mapping[str, Any]) -> ResponseRow:
        median, p90 = percentiles.get(priority, (None, None))
        average = counts["seconds"] / counts["answered"] if counts["answered"] else None
        return ResponseRow(
            priority=priority,
            label=str(label),
            target_minutes=target,
            **{name: counts[name] for name in RESPONSE_COUNTS},
            average_minutes=_minutes(average),
            median_minutes=_minutes(median),
            p90_minutes=_minutes(p90),
        )

    rows = []
    for value, label in Priority.choices:
        counts = sums.get(int(value), dict.fromkeys([*RESPONSE_COUNTS, "seconds"], 0))
        rows.append(make(int(value), label, int(targets[int(value)].total_seconds() // 60), counts))
    rows.append(make(None, _("All priorities"), None, every))
    return rows


def response_times(period: Period, *, now: datetime.datetime | None = None) -> list[ResponseRow]:
    """First response against its target, per priority and for all: counts on time / late / overdue, and the
    average, median and 90th percentile in minutes."""
    return _response(_profile(period, now=now or timezone.now()), _percentiles(period))


def by_category(period: Period, categories: CategoryFamilies, *, counts: Mapping[int, int] | None = None) -> Breakdown:
    """Per top-level category (a case filed under a sub-category counts for its parent), in the catalogue's order.
    One query, none when `counts` ({category id: cases}) are given."""
    if counts is None:
        rows = cases_in(period).values("category_id").annotate(n=Count("id")).order_by()
        counts = {row["category_id"]: row["n"] for row in rows}
    items = [(top.code, top.name, sum(counts.get(pk, 0) for pk in ids)) for top, ids in categories]
    bars, total = _bars(items)
    return Breakdown(key="category", title=_("Category"), bars=bars, total=total)


def by_outcome(period: Period, *, counts: Mapping[str, int] | None = None) -> Breakdown:
    if counts is None:
        rows = cases_in(period).filter(state__in=DONE_STATES).values("outcome").annotate(n=Count("id")).order_by()
        counts = {row["outcome"]: row["n"] for row in rows}
    choices = [*Outcome.choices, ("", _("Not recorded"))]
    bars, total = _bars((value, label, counts.get(value, 0)) for value, label in choices)
    return Breakdown(key="outcome", title=_("Outcome of resolved cases"), bars=bars, total=total)


def by_commune(
    period: Period, *, all_units: bool = False, counts: Mapping[int | None, int] | None = None
) -> tuple[CommuneBreakdown, Breakdown]:
    """Per commune or ward, most cases first, then "not given"; and per former district, rolled up from the same
    counts. `all_units` lists every commune and ward in force during the period, with zero where nothing was
    reported. Two queries (one when `counts`, {unit id or None: cases}, are given). Returns (communes, districts)."""
    if counts is None:
        rows = cases_in(period).values("commune_unit_id").annotate(n=Count("id")).order_by()
        counts = {row["commune_unit_id"]: row["n"] for row in rows}
    counts = dict(counts)
    unknown = counts.pop(None, 0)
    # The unit table is small (about a hundred communes and wards, and the former districts): read it whole.
    units = {unit.pk: unit for unit in AdministrativeUnit.objects.select_related("parent")}
    listed = [units[pk] for pk in counts]
    if all_units:
        listed += [
            unit
            for pk, unit in units.items()
            if pk not in counts
            and unit.kind in COMMUNE_LEVEL_KINDS
            and unit.valid_from <= period.last_day
            and (unit.valid_until is None or unit.valid_until >= period.first_day)
        ]
    items: list[tuple[str, StrOrPromise, int]] = sorted(
        ((unit.code, unit.name, counts.get(unit.pk, 0)) for unit in listed), key=lambda i: (-i[2], str(i[1]))
    )
    items.append(("", _("Not given"), unknown))
    bars, total = _bars(items)
    communes = CommuneBreakdown(key="commune", title=_("Commune or ward"), bars=bars, total=total)
    # Roll-up across the merge of 1 July 2025: a commune or ward counts once, for the former district most of its
    # former communes belonged to (its parent), whichever former province that district was in. With `all_units`
    # every former district of a listed unit appears, with zero where nothing was reported.
    districts: dict[tuple[str, str], int] = {}
    without = unknown
    for unit in listed:
        if all_units and unit.parent is not None:
            districts.setdefault((unit.parent.code, unit.parent.name), 0)
    for pk, n in counts.items():
        parent = units[pk].parent
        if parent is None:
            without += n
        else:
            districts[(parent.code, parent.name)] = districts.get((parent.code, parent.name), 0) + n
    district_items: list[tuple[str, StrOrPromise, int]] = [
        (code, name, n) for (code, name), n in sorted(districts.items(), key=lambda item: item[0][1])
    ]
    district_items.append(("", _("Not given"), without))
    bars, total = _bars(district_items)
    return communes, Breakdown(key="district", title=_("Former district"), bars=bars, total=total)


def follow_up(period: Period, *, source: str = "cases") -> FollowUp:
    """Repeat contacts: cases whose reporter wrote again after the report, and how many messages they sent; and the
    check-ins of the cases received in the period: sent, answered, "everything OK" or not, and the 1–5 ratings.
    From the cases' messages and check-ins, or from the rollup with source="rollup" (two queries each)."""
    if source == "rollup":
        contacts = _rolled(period, RollupKind.FOLLOW_UP).aggregate(cases=Sum("cases"), messages=Sum("messages"))
        repeat_contacts = (contacts["cases"] or 0, contacts["messages"] or 0)
        rows = list(
            _rolled(period, RollupKind.CHECK_IN)
            .values("all_ok", "rating")
            .annotate(n=Sum("cases"), answered_n=Sum("answered"))
            .order_by()
        )
        rated = sum(row["n"] for row in rows if row["rating"] is not None)
        check_ins: dict[str, Any] = {
            "sent": sum(row["n"] for row in rows),
            "answered": sum(row["answered_n"] for row in rows),
            "ok": sum(row["n"] for row in rows if row["all_ok"] is True),
            "not_ok_": sum(row["n"] for row in rows if row["all_ok"] is False),
            "rated": rated,
            "average": sum(row["rating"] * row["n"] for row in rows if row["rating"] is not None) / rated
            if rated
            else None,
        }
    else:
        figures = Message.objects.filter(
            sender=Sender.REPORTER, case__created_at__gte=period.start, case__created_at__lt=period.end
        ).aggregate(cases=Count("case_id", distinct=True), messages=Count("id"))
        repeat_contacts = (figures["cases"], figures["messages"])
        check_ins = CheckIn.objects.filter(
            case__created_at__gte=period.start, case__created_at__lt=period.end
        ).aggregate(
            sent=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            ok=Count("id", filter=Q(all_ok=True)),
            not_ok_=Count("id", filter=Q(all_ok=False)),
            rated=Count("rating"),
            average=Avg("rating"),
        )
    return FollowUp(
        cases_with_reporter_messages=repeat_contacts[0],
        reporter_messages=repeat_contacts[1],
        check_ins_sent=check_ins["sent"],
        check_ins_answered=check_ins["answered"],
        all_ok=check_ins["ok"],
        not_ok=check_ins["not_ok_"],
        ratings=check_ins["rated"],
        average_rating=round(float(check_ins["average"]), 1) if check_ins["average"] is not None else None,
    )


def escalation_figures(period: Period) -> EscalationFigures:
    """Escalations sent in the period, by agency and outcome, and the takedowns they asked for: from the app that
    registered them in cases.extensions (escalation.statistics); `available=False` when no app did."""
    for source in extensions.escalation_figure_sources:
        return source(period)
    return EscalationFigures(available=False, agencies=[], total=None, takedowns=None)


# --- the same figures from the daily rollup (cases/rollup.py) -----------------------------------------------------
#
# The rollup's rows of the period's days, summed by the database: the work depends on the number of distinct
# attribute combinations per day, not on the number of cases. What is not rolled up is read from the cases: the
# overdue first responses (they depend on the clock; open cases only). The median and 90th percentile come from
# the response-time histogram, within a bucket's width of the exact ones (cases/rollup.py).


def _whole_months(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day of the whole calendar months inside a period longer than DAILY_UP_TO_DAYS."""
    if period.days <= DAILY_UP_TO_DAYS:
        return None  # drawn day by day: day rows only
    first = period.first_day if period.first_day.day == 1 else _next_month(period.first_day)
    after = period.last_day + datetime.timedelta(days=1)
    end = after if after.day == 1 else after.replace(day=1)  # exclusive
    return (first, end - datetime.timedelta(days=1)) if first < end else None


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def rollup_rows_of(period: Period, **fixed: Any) -> Q:
    """Which rollup rows (any model with `span` and `day`) cover the period: month rows for its whole months, day
    rows for the days around them. Each part carries the `fixed` conditions and parts with no day are left out, so
    each is one range of an index on (..., span, day): the rows of other days are never read."""
    months = _whole_months(period)
    parts: list[tuple[str, datetime.date, datetime.date]] = []
    if months is None:
        parts.append((RollupSpan.DAY, period.first_day, period.last_day))
    else:
        first, last = months
        parts.append((RollupSpan.MONTH, first, last))
        if period.first_day < first:
            parts.append((RollupSpan.DAY, period.first_day, first - datetime.timedelta(days=1)))
        if last < period.last_day:
            parts.append((RollupSpan.DAY, last + datetime.timedelta(days=1), period.last_day))
    rows = Q()
    for span, low, high in parts:
        rows |= Q(span=span, day__gte=low, day__lte=high, **fixed)
    return rows


def _rolled(period: Period, kind: str) -> QuerySet[CaseRollup]:
    return CaseRollup.objects.filter(rollup_rows_of(period, kind=kind))


REJECTED_BY_REASON: dict[str, str] = {
    RejectReason.SPAM: "rejected_spam",
    RejectReason.TEST: "rejected_test",
    RejectReason.DUPLICATE: "rejected_duplicate",
}


def _summary_and_days_from_rollup(
    period: Period, categories: CategoryFamilies
) -> tuple[Summary, dict[datetime.date, int]]:
    """The summary and the cases per day (or month): two queries over the summary rows, summed by the database (a
    year has thousands of them: state × reason × category × flags, per month)."""
    advice_ids = [pk for top, ids in categories if top.code in ADVICE_CATEGORIES for pk in ids]
    rows = _rolled(period, RollupKind.SUMMARY)
    rejected = Q(state=CaseState.REJECTED)
    sums = rows.aggregate(
        received=Sum("cases"),
        rejected=Sum("cases", filter=rejected),
        **{
            name: Sum("cases", filter=rejected & Q(reject_reason=reason)) for reason, name in REJECTED_BY_REASON.items()
        },
        advice=Sum("cases", filter=Q(category_id__in=advice_ids) & ~rejected),
        in_danger=Sum("cases", filter=Q(in_danger=True) & ~rejected),
        open=Sum("cases", filter=Q(state__in=OPEN_STATES)),
        done=Sum("cases", filter=Q(state__in=DONE_STATES)),
        on_legal_hold=Sum("cases", filter=Q(legal_hold=True)),
        purged=Sum("cases", filter=Q(purged=True)),
    )
    totals = {name: value or 0 for name, value in sums.items()}
    per_day = {row["day"]: row["n"] for row in rows.exclude(rejected).values("day").annotate(n=Sum("cases")).order_by()}
    return Summary(cases=totals["received"] - totals["rejected"], **totals), per_day


def _over_time_from_days(period: Period, per_day: Mapping[datetime.date, int]) -> TimeSeries:
    unit = "day" if period.days <= DAILY_UP_TO_DAYS else "month"
    days = list(_buckets(period, unit))
    counts = dict.fromkeys(days, 0)
    for day, n in per_day.items():
        counts[day if unit == "day" else day.replace(day=1)] += n
    return _time_series(unit, days, [counts[day] for day in days])


PROFILE_FIELDS = ["channel", "age_band", "gender", "priority"]


def _profile_from_rollup(period: Period, *, now: datetime.datetime) -> list[Mapping[str, Any]]:
    """_profile's rows from the rollup, with the overdue counts read from the period's open unanswered cases."""
    rows = list(
        _rolled(period, RollupKind.PROFILE)
        .values(*PROFILE_FIELDS)
        .annotate(
            cases=Sum("cases"),
            answered=Sum("answered"),
            on_time=Sum("on_time"),
            late=Sum("late"),
            seconds=Sum("response_seconds"),
        )
        .order_by()
    )
    overdue = (
        cases_in(period)
        .filter(first_response_at__isnull=True, first_response_due_at__lt=now, state__in=OPEN_STATES)
        .values(*PROFILE_FIELDS)
        .annotate(n=Count("id"))
        .order_by()
    )
    late_now = {tuple(row[field] for field in PROFILE_FIELDS): row["n"] for row in overdue}
    for row in rows:
        row["overdue"] = late_now.get(tuple(row[field] for field in PROFILE_FIELDS), 0)
    return rows


def _counts_from_rollup(period: Period, kind: str, field: str) -> dict[Any, int]:
    rows = _rolled(period, kind).values(field).annotate(n=Sum("cases")).order_by()
    return {row[field]: row["n"] for row in rows}


def _percentiles_from_rollup(period: Period) -> Percentiles:
    """{priority or None: (median, 90th percentile)} of response seconds, from the histogram rows: one query."""
    rows = _rolled(period, RollupKind.RESPONSE).values("priority", "response_bucket").annotate(n=Sum("cases"))
    histograms: dict[int | None, dict[int, int]] = {None: {}}
    for row in rows.order_by():
        bucket: int = row["response_bucket"] or 0  # always set on RESPONSE rows
        for priority in (row["priority"], None):
            histogram = histograms.setdefault(priority, {})
            histogram[bucket] = histogram.get(bucket, 0) + row["n"]
    return {
        priority: (
            rollup.percentile_from_histogram(histogram, 0.5),
            rollup.percentile_from_histogram(histogram, 0.9),
        )
        for priority, histogram in histograms.items()
    }


def figures(
    period: Period, *, now: datetime.datetime | None = None, all_units: bool = False, source: str = "rollup"
) -> Figures:
    """Everything the dashboard and the annual report show, in a fixed number of queries.

    `all_units`: list every commune and ward in force during the period, with zero where nothing was reported
    (the annual report does; the dashboard lists only units with cases). `source`: "rollup" (the daily rollup,
    what the pages use) or "cases" (computed from the cases themselves: the reference the rollup is tested
    against).
    """
    now = now or timezone.now()
    categories = _top_categories()
    if source == "cases":
        summary_figures = _summary(period, categories)
        time_series = over_time(period)
        profile = _profile(period, now=now)
        category_bars = by_category(period, categories)
        outcome_bars = by_outcome(period)
        communes, districts = by_commune(period, all_units=all_units)
        percentiles = _percentiles(period)
        follow_up_figures = follow_up(period)
    else:
        rollup.refresh_dirty(first_day=period.first_day, last_day=period.last_day)
        summary_figures, per_day = _summary_and_days_from_rollup(period, categories)
        time_series = _over_time_from_days(period, per_day)
        profile = _profile_from_rollup(period, now=now)
        category_bars = by_category(
            period, categories, counts=_counts_from_rollup(period, RollupKind.CATEGORY, "category_id")
        )
        outcome_bars = by_outcome(period, counts=_counts_from_rollup(period, RollupKind.OUTCOME, "outcome"))
        communes, districts = by_commune(
            period,
            all_units=all_units,
            counts=_counts_from_rollup(period, RollupKind.COMMUNE, "commune_unit_id"),
        )
        percentiles = _percentiles_from_rollup(period)
        follow_up_figures = follow_up(period, source="rollup")
    response = _response(profile, percentiles)
    priority_bars, priority_total = _bars((str(row.priority), row.label, row.cases) for row in response[:-1])
    return Figures(
        period=period,
        summary=summary_figures,
        over_time=time_series,
        breakdowns=[
            _margin(profile, "channel", "channel", _("Channel"), Channel.choices),
            category_bars,
            _margin(profile, "age_band", "age_band", _("Age"), AgeBand.choices),
            _margin(profile, "gender", "gender", _("Gender"), Gender.choices),
            Breakdown(key="priority", title=_("Priority"), bars=priority_bars, total=priority_total),
            outcome_bars,
        ],
        communes=communes,
        districts=districts,
        response=response,
        follow_up=follow_up_figures,
        escalations=escalation_figures(period),
    )


@dataclass(frozen=True)
class CategoryDetail:
    """A top-level category with its sub-categories and its cases by age band."""

    code: str
    name: str
    cases: int
    sub_categories: list[tuple[str, str, int]]  # (code, name, cases), most cases first, only those with cases
    ages: list[int]  # cases per age band, in AgeBand's order


def category_details(period: Period, *, source: str = "rollup") -> list[CategoryDetail]:
    """Cases per top-level category, per sub-category (e.g. sextortion) and per age band within each category: one
    query grouped by category and age band (over the rollup, or the cases with source="cases")."""
    categories = _top_categories()
    by_id = {category.pk: category for category in Category.objects.all()}
    rows: list[Mapping[str, Any]]
    if source == "cases":
        rows = list(cases_in(period).values("category_id", "age_band").annotate(n=Count("id")).order_by())
    else:
        rollup.refresh_dirty(first_day=period.first_day, last_day=period.last_day)
        rolled = _rolled(period, RollupKind.CATEGORY).values("category_id", "age_band").annotate(n=Sum("cases"))
        rows = list(rolled.order_by())
    bands = [value for value, _label in AgeBand.choices]
    details: list[CategoryDetail] = []
    for top, ids in categories:
        family = [row for row in rows if row["category_id"] in ids]
        subs: dict[int, int] = {}
        for row in family:
            if row["category_id"] != top.pk:
                subs[row["category_id"]] = subs.get(row["category_id"], 0) + row["n"]
        sub_categories = sorted(
            ((by_id[pk].code, by_id[pk].name, n) for pk, n in subs.items()), key=lambda item: (-item[2], item[1])
        )
        ages = [sum(row["n"] for row in family if row["age_band"] == band) for band in bands]
        details.append(
            CategoryDetail(
                code=top.code,
                name=top.name,
                cases=sum(row["n"] for row in family),
                sub_categories=sub_categories,
                ages=ages,
            )
        )
    return details
