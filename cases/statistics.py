"""Figures for the statistics dashboard and the annual report.

Every figure is an SQL aggregate over the cases received in a period (GROUP BY in the database, never a loop over
cases in Python), so a page costs the same fixed number of queries whatever the number of cases. The figures rest
only on fields the retention purge keeps (category, age band, gender, commune unit, channel, priority, state,
outcome, timestamps), so they do not change when personal data is removed.

"Cases" below means reports received in the period minus those rejected as spam, tests or duplicates; the summary
shows both numbers.
"""

import datetime
import math
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import NotSupportedError, connection
from django.db.models import Aggregate, Avg, Count, F, FloatField, Func, Q
from django.db.models.functions import Coalesce, TruncDay, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.models import (
    OPEN_STATES,
    AgeBand,
    Case,
    CaseState,
    Category,
    Channel,
    Gender,
    Message,
    Outcome,
    Priority,
    RejectReason,
    Sender,
)
from cases.services import ADVICE_CATEGORIES

DONE_STATES = [CaseState.RESOLVED, CaseState.CLOSED]
# Longer periods are drawn month by month, shorter ones day by day.
DAILY_UP_TO_DAYS = 62
COMMUNE_CHART_BARS = 12


def local_zone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


# --- the period ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole days in the hotline's time zone, first and last day included."""

    first_day: datetime.date
    last_day: datetime.date

    @classmethod
    def year(cls, year):
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def current_year(cls, today=None):
        return cls.year((today or timezone.localdate()).year)

    @property
    def start(self):
        return datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=local_zone())

    @property
    def end(self):
        """Exclusive: midnight after the last day."""
        return datetime.datetime.combine(self.last_day + datetime.timedelta(days=1), datetime.time.min, local_zone())

    @property
    def days(self):
        return (self.last_day - self.first_day).days + 1

    @property
    def slug(self):
        return f"{self.first_day.isoformat()}_{self.last_day.isoformat()}"

    def __str__(self):
        return f"{self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y}"


def received_in(period):
    """Every report received in the period, rejected ones included."""
    return Case.objects.filter(created_at__gte=period.start, created_at__lt=period.end)


def cases_in(period):
    """The period's cases: reports received, minus spam, tests and duplicates."""
    return received_in(period).exclude(state=CaseState.REJECTED)


# --- SQL helpers --------------------------------------------------------------------------------------------------


class ResponseSeconds(Func):
    """Seconds from receipt to first response; NULL while there is none."""

    output_field = FloatField()

    def __init__(self, **extra):
        super().__init__(F("first_response_at"), F("created_at"), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"response times are not implemented for {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "EXTRACT(EPOCH FROM (%(expressions)s))::double precision"
        return super().as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "((julianday(%(expressions)s)) * 86400.0)"
        return super().as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra_context)


class PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont: the percentile interpolated between the two nearest values."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def percentile(sorted_values, fraction):
    """What percentile_cont computes, for databases without it (SQLite): linear interpolation between ranks."""
    if not sorted_values:
        return None
    rank = (len(sorted_values) - 1) * fraction
    low = math.floor(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def _minutes(seconds):
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
    title: str
    bars: list
    total: int

    @property
    def chart_bars(self):
        return self.bars


@dataclass(frozen=True)
class CommuneBreakdown(Breakdown):
    """Up to 99 units: the chart shows the largest, the table shows all."""

    @property
    def chart_bars(self):
        return self.bars[:COMMUNE_CHART_BARS]


def _bars(items):
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


def _choice_breakdown(key, title, queryset, field, choices):
    counts = {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("id")).order_by()}
    items = [(value, label, counts.get(value, 0)) for value, label in choices]
    bars, total = _bars(items)
    return Breakdown(key=key, title=title, bars=bars, total=total)


@dataclass(frozen=True)
class TimePoint:
    day: datetime.date
    label: str
    count: int
    height: float  # percent of the highest column
    x: int  # where its column starts on the chart: 10 units per point, 8 wide

    @property
    def top(self):
        return round(100 - self.height, 2)


@dataclass(frozen=True)
class TimeSeries:
    unit: str  # "month" or "day"
    points: list
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
    def on_time_share(self):
        return round(100 * self.on_time / self.answered, 1) if self.answered else None


@dataclass(frozen=True)
class FollowUp:
    cases_with_reporter_messages: int
    reporter_messages: int


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
    agencies: list
    total: AgencyRow | None
    takedowns: Takedowns | None


@dataclass(frozen=True)
class Figures:
    period: Period
    summary: Summary
    over_time: TimeSeries
    breakdowns: list  # channel, category, age band, gender, priority, outcome
    communes: CommuneBreakdown
    districts: Breakdown
    response: list  # ResponseRow per priority, then all priorities
    follow_up: FollowUp
    escalations: EscalationFigures

    def breakdown(self, key):
        return next(breakdown for breakdown in self.breakdowns if breakdown.key == key)

    @property
    def profile(self):
        """Who reported what, and how: every breakdown but the outcomes."""
        return [breakdown for breakdown in self.breakdowns if breakdown.key != "outcome"]

    @property
    def outcomes(self):
        return self.breakdown("outcome")


# --- the figures --------------------------------------------------------------------------------------------------


def summary(period):
    """Reports received, how many were rejected (and why), how many cases remain, and where they stand: one query."""
    advice = Q(category__code__in=ADVICE_CATEGORIES) | Q(category__parent__code__in=ADVICE_CATEGORIES)
    rejected = Q(state=CaseState.REJECTED)
    figures = received_in(period).aggregate(
        received=Count("id"),
        rejected=Count("id", filter=rejected),
        rejected_spam=Count("id", filter=rejected & Q(reject_reason=RejectReason.SPAM)),
        rejected_test=Count("id", filter=rejected & Q(reject_reason=RejectReason.TEST)),
        rejected_duplicate=Count("id", filter=rejected & Q(reject_reason=RejectReason.DUPLICATE)),
        advice=Count("id", filter=advice & ~rejected),
        in_danger=Count("id", filter=Q(in_danger=True) & ~rejected),
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        done=Count("id", filter=Q(state__in=DONE_STATES)),
        on_legal_hold=Count("id", filter=Q(legal_hold=True)),
        purged=Count("id", filter=Q(purged_at__isnull=False)),
    )
    return Summary(cases=figures["received"] - figures["rejected"], **figures)


def _buckets(period, unit):
    day = period.first_day if unit == "day" else period.first_day.replace(day=1)
    while day <= period.last_day:
        yield day
        if unit == "day":
            day += datetime.timedelta(days=1)
        else:
            day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def over_time(period):
    """Cases per month (or per day for periods up to two months), in local time, empty buckets included."""
    unit = "day" if period.days <= DAILY_UP_TO_DAYS else "month"
    trunc = TruncDay if unit == "day" else TruncMonth
    zone = local_zone()
    rows = (
        cases_in(period)
        .annotate(bucket=trunc("created_at", tzinfo=zone))
        .values("bucket")
        .annotate(n=Count("id"))
        .order_by("bucket")
    )
    counts = {timezone.localtime(row["bucket"], zone).date(): row["n"] for row in rows}
    days = list(_buckets(period, unit))
    highest = max(counts.values(), default=0)
    points = [
        TimePoint(
            day=day,
            label=f"{day:%d/%m}" if unit == "day" else f"{day:%m/%Y}",
            count=counts.get(day, 0),
            height=round(100 * counts.get(day, 0) / highest, 2) if highest else 0.0,
            x=10 * index + 1,
        )
        for index, day in enumerate(days)
    ]
    return TimeSeries(unit=unit, points=points, total=sum(counts.values()), highest=highest)


def by_category(period):
    """Per top-level category (a case filed under a sub-category counts for its parent), in the catalogue's order."""
    rows = cases_in(period).values(top=Coalesce("category__parent_id", "category_id")).annotate(n=Count("id"))
    counts = {row["top"]: row["n"] for row in rows.order_by()}
    categories = Category.objects.filter(parent__isnull=True).order_by("sort_order", "code")
    items = [(category.code, category.name, counts.get(category.pk, 0)) for category in categories]
    bars, total = _bars(items)
    return Breakdown(key="category", title=_("Category"), bars=bars, total=total)


def by_commune(period, *, units=None):
    """Per commune or ward, most cases first, then "not given". `units` (e.g. every current unit) adds zero rows."""
    rows = (
        cases_in(period)
        .values("commune_unit_id", "commune_unit__code", "commune_unit__name")
        .annotate(n=Count("id"))
        .order_by("-n", "commune_unit__name")
    )
    items, unknown = [], 0
    for row in rows:
        if row["commune_unit_id"] is None:
            unknown = row["n"]
        else:
            items.append((row["commune_unit__code"], row["commune_unit__name"], row["n"]))
    if units is not None:
        seen = {code for code, _name, _n in items}
        items += [(unit.code, unit.name, 0) for unit in units if unit.code not in seen]
    items.append(("", _("Not given"), unknown))
    bars, total = _bars(items)
    return CommuneBreakdown(key="commune", title=_("Commune or ward"), bars=bars, total=total)


def by_district(period):
    """Per former district (the level abolished on 1 July 2025), for comparison with earlier years' reports."""
    rows = (
        cases_in(period)
        .values("commune_unit__parent__code", "commune_unit__parent__name")
        .annotate(n=Count("id"))
        .order_by("commune_unit__parent__name")
    )
    items, unknown = [], 0
    for row in rows:
        if row["commune_unit__parent__code"] is None:
            unknown += row["n"]
        else:
            items.append((row["commune_unit__parent__code"], row["commune_unit__parent__name"], row["n"]))
    items.append(("", _("Not given"), unknown))
    bars, total = _bars(items)
    return Breakdown(key="district", title=_("Former district"), bars=bars, total=total)


def response_times(period, *, now=None):
    """First response against its target, per priority and for all: counts on time / late / overdue, and the
    average, median and 90th percentile in minutes. Percentiles in SQL on PostgreSQL (percentile_cont); elsewhere
    from one extra query of the response times, ordered by the database."""
    now = now or timezone.now()
    cases = cases_in(period)
    figures = {
        "cases": Count("id"),
        "answered": Count("id", filter=Q(first_response_at__isnull=False)),
        "on_time": Count("id", filter=Q(first_response_at__lte=F("first_response_due_at"))),
        "late": Count("id", filter=Q(first_response_at__gt=F("first_response_due_at"))),
        "overdue": Count(
            "id", filter=Q(first_response_at__isnull=True, first_response_due_at__lt=now, state__in=OPEN_STATES)
        ),
        "average": Avg(ResponseSeconds()),
    }
    in_sql = connection.vendor == "postgresql"
    if in_sql:
        figures["median"] = PercentileCont(ResponseSeconds(), 0.5)
        figures["p90"] = PercentileCont(ResponseSeconds(), 0.9)
    rows = {row["priority"]: row for row in cases.values("priority").annotate(**figures).order_by("priority")}
    total = cases.aggregate(**figures)
    if not in_sql:
        seconds = {}
        answered = cases.filter(first_response_at__isnull=False).annotate(seconds=ResponseSeconds())
        for priority, value in answered.values_list("priority", "seconds").order_by("seconds"):
            seconds.setdefault(priority, []).append(value)
        everything = sorted(value for values in seconds.values() for value in values)
        for priority, row in rows.items():
            row["median"] = percentile(seconds.get(priority, []), 0.5)
            row["p90"] = percentile(seconds.get(priority, []), 0.9)
        total["median"] = percentile(everything, 0.5)
        total["p90"] = percentile(everything, 0.9)

    def make(priority, label, target, row):
        row = row or {}
        return ResponseRow(
            priority=priority,
            label=str(label),
            target_minutes=target,
            cases=row.get("cases", 0),
            answered=row.get("answered", 0),
            on_time=row.get("on_time", 0),
            late=row.get("late", 0),
            overdue=row.get("overdue", 0),
            average_minutes=_minutes(row.get("average")),
            median_minutes=_minutes(row.get("median")),
            p90_minutes=_minutes(row.get("p90")),
        )

    targets = settings.FIRST_RESPONSE_TARGETS
    result = [
        make(int(value), label, int(targets[int(value)].total_seconds() // 60), rows.get(int(value)))
        for value, label in Priority.choices
    ]
    result.append(make(None, _("All priorities"), None, total))
    return result


def follow_up(period):
    """Repeat contacts: cases whose reporter wrote again after the report, and how many messages they sent."""
    figures = Message.objects.filter(
        sender=Sender.REPORTER, case__created_at__gte=period.start, case__created_at__lt=period.end
    ).aggregate(cases=Count("case_id", distinct=True), messages=Count("id"))
    return FollowUp(cases_with_reporter_messages=figures["cases"], reporter_messages=figures["messages"])


def escalation_figures(period):
    """Escalations sent in the period, by agency and outcome, and the takedowns they asked for (two queries).

    The escalation app is built separately; until its Escalation and EscalationLink models exist this returns
    `available=False` and the pages say so.
    """
    try:
        from escalation.models import (
            AT_AGENCY_STATES,
            Escalation,
            EscalationLink,
            EscalationState,
            LinkOutcome,
        )
    except ImportError:
        return EscalationFigures(available=False, agencies=[], total=None, takedowns=None)

    counts = {
        "sent": Count("id"),
        "acknowledged": Count("id", filter=Q(acknowledged_at__isnull=False)),
        "acknowledged_on_time": Count("id", filter=Q(acknowledged_at__lte=F("ack_due_at"))),
        "at_agency": Count("id", filter=Q(state__in=AT_AGENCY_STATES)),
        "completed": Count("id", filter=Q(state=EscalationState.COMPLETED)),
        "declined": Count("id", filter=Q(state=EscalationState.DECLINED)),
        "retracted": Count("id", filter=Q(state=EscalationState.RETRACTED)),
    }
    sent = Escalation.objects.filter(sent_at__gte=period.start, sent_at__lt=period.end)
    name_field = "agency__name_en" if (get_language() or "").startswith("en") else "agency__name_vi"
    rows = sent.values("agency__code", "agency__short_name", name_field).annotate(**counts).order_by("agency__code")
    agencies = [
        AgencyRow(
            code=row["agency__code"],
            name=row[name_field] or row["agency__short_name"],
            **{key: row[key] for key in counts},
        )
        for row in rows
    ]
    total = AgencyRow(
        code="",
        name=str(_("All agencies")),
        **{key: sum(getattr(agency, key) for agency in agencies) for key in counts},
    )
    taken_down = Q(outcome=LinkOutcome.TAKEN_DOWN)
    links = EscalationLink.objects.filter(
        escalation__sent_at__gte=period.start, escalation__sent_at__lt=period.end, takedown_due_at__isnull=False
    ).aggregate(
        requested=Count("id"),
        taken_down=Count("id", filter=taken_down),
        taken_down_on_time=Count("id", filter=taken_down & Q(updated_at__lte=F("takedown_due_at"))),
        still_online=Count("id", filter=Q(outcome=LinkOutcome.STILL_ONLINE)),
        pending=Count("id", filter=Q(outcome=LinkOutcome.PENDING)),
    )
    return EscalationFigures(available=True, agencies=agencies, total=total, takedowns=Takedowns(**links))


def figures(period, *, now=None, all_units=False):
    """Everything the dashboard and the annual report show, in a fixed number of queries.

    `all_units`: list every commune and ward in force during the period, with zero where nothing was reported
    (the annual report does; the dashboard lists only units with cases).
    """
    counted = cases_in(period)
    units = None
    if all_units:
        from cases.models import COMMUNE_LEVEL_KINDS, AdministrativeUnit

        units = list(
            AdministrativeUnit.objects.filter(kind__in=COMMUNE_LEVEL_KINDS, valid_from__lte=period.last_day)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=period.first_day))
            .order_by("name")
        )
    priorities = response_times(period, now=now)
    priority_items = [(str(row.priority), row.label, row.cases) for row in priorities if row.priority is not None]
    priority_bars, priority_total = _bars(priority_items)
    return Figures(
        period=period,
        summary=summary(period),
        over_time=over_time(period),
        breakdowns=[
            _choice_breakdown("channel", _("Channel"), counted, "channel", Channel.choices),
            by_category(period),
            _choice_breakdown("age_band", _("Age"), counted, "age_band", AgeBand.choices),
            _choice_breakdown("gender", _("Gender"), counted, "gender", Gender.choices),
            Breakdown(key="priority", title=_("Priority"), bars=priority_bars, total=priority_total),
            _choice_breakdown(
                "outcome",
                _("Outcome of resolved cases"),
                counted.filter(state__in=DONE_STATES),
                "outcome",
                [*Outcome.choices, ("", _("Not recorded"))],
            ),
        ],
        communes=by_commune(period, units=units),
        districts=by_district(period),
        response=priorities,
        follow_up=follow_up(period),
        escalations=escalation_figures(period),
    )
