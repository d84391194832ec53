"""Statistics: known cases in, known figures out (cases/statistics.py)."""

import dataclasses
import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import rollup, statistics
from cases.models import AdministrativeUnit
from cases.statistics import Period, percentile
from escalation import statistics as escalation_statistics
from escalation.models import Agency, Escalation, EscalationLink
from tests.cases.report_data import known_year, local, make_units, place
from tests.factories import make_case

POLICE, INFO_DEPT = "ca-bac-ninh-pa05", "so-vhttdl-bac-ninh"

pytestmark = pytest.mark.django_db

YEAR = Period.year(2026)


@pytest.fixture
def year(operator, supervisor):
    return known_year(operator=operator, supervisor=supervisor, units=make_units())


def counts(breakdown):
    return {bar.key: bar.count for bar in breakdown.bars if bar.count}


def test_the_period_is_whole_local_days():
    period = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert period.start.isoformat() == "2026-03-01T00:00:00+07:00"
    assert period.end.isoformat() == "2026-04-01T00:00:00+07:00"
    assert period.days == 31 and str(period) == "01/03/2026–31/03/2026"


def test_summary(year):
    s = statistics.summary(YEAR)
    assert (s.received, s.rejected, s.rejected_spam, s.cases) == (5, 1, 1, 4)
    assert (s.in_danger, s.advice, s.done, s.open, s.purged, s.on_legal_hold) == (1, 0, 1, 3, 0, 0)


def test_breakdowns(year):
    figures = statistics.figures(YEAR)
    assert counts(figures.breakdown("channel")) == {"web": 2, "api": 1, "phone": 1}
    assert counts(figures.breakdown("category")) == {"CBH": 2, "OSE": 1, "SCM": 1}
    assert counts(figures.breakdown("age_band")) == {"13_15": 2, "16_17": 1, "10_12": 1}
    assert counts(figures.breakdown("gender")) == {"female": 2, "male": 1, "unknown": 1}
    assert counts(figures.breakdown("priority")) == {"1": 1, "2": 1, "3": 2}
    assert counts(figures.outcomes) == {"advice_given": 1}
    assert counts(figures.communes) == {"09187": 2, "09367": 1, "": 1}
    assert counts(figures.districts) == {"256": 2, "261": 1, "": 1}
    # Every choice is listed, zeros included, in the order of its choices; shares add up.
    channel = figures.breakdown("channel")
    assert [bar.key for bar in channel.bars] == ["web", "api", "phone", "chat"]
    assert [bar.share for bar in channel.bars] == [50.0, 25.0, 25.0, 0.0]
    assert [bar.length for bar in channel.bars] == [100.0, 50.0, 50.0, 0.0]
    assert channel.total == figures.summary.cases == 4


def test_cases_over_time_are_counted_by_local_month(year):
    series = statistics.over_time(YEAR)
    assert series.unit == "month" and len(series.points) == 12
    assert [point.count for point in series.points] == [1, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    assert series.points[0].label == "01/2026" and series.highest == 2 and series.total == 4
    assert [point.height for point in series.points[:3]] == [50.0, 0.0, 100.0]


def test_short_periods_are_counted_by_day(year):
    march = statistics.over_time(Period(datetime.date(2026, 3, 14), datetime.date(2026, 3, 21)))
    assert march.unit == "day"
    assert [(point.label, point.count) for point in march.points if point.count] == [("15/03", 1), ("20/03", 1)]


def test_response_times_against_targets(year):
    rows = {row.priority: row for row in statistics.response_times(YEAR)}
    p1, p2, p3, everything = rows[1], rows[2], rows[3], rows[None]
    assert (p1.target_minutes, p2.target_minutes, p3.target_minutes) == (15, 60, 480)
    assert (p1.cases, p1.answered, p1.on_time, p1.late, p1.median_minutes) == (1, 1, 1, 0, 10.0)
    assert (p2.cases, p2.answered, p2.on_time, p2.late, p2.median_minutes) == (1, 1, 0, 1, 90.0)
    assert (p3.cases, p3.answered, p3.on_time, p3.overdue, p3.median_minutes) == (2, 1, 1, 1, 30.0)
    assert rows[4].cases == 0 and rows[4].median_minutes is None and rows[4].on_time_share is None
    assert (everything.cases, everything.answered, everything.on_time, everything.late, everything.overdue) == (
        4,
        3,
        2,
        1,
        1,
    )
    # Median of 10, 30, 90 minutes; 90th percentile interpolated like PostgreSQL's percentile_cont.
    assert everything.median_minutes == 30.0
    assert everything.p90_minutes == 78.0
    assert everything.average_minutes == 43.3
    assert everything.on_time_share == 66.7


def test_percentile_matches_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([7], 0.9) == 7
    assert percentile([10, 20], 0.5) == 15
    assert percentile([10, 30, 90], 0.9) == pytest.approx(78)


def test_follow_up_counts_reporters_who_wrote_again(year):
    follow_up = statistics.follow_up(YEAR)
    assert (follow_up.cases_with_reporter_messages, follow_up.reporter_messages) == (1, 1)


def test_all_units_lists_every_unit_in_force_with_zeros(year):
    figures = statistics.figures(YEAR, all_units=True)
    assert [(bar.key, bar.count) for bar in figures.communes.bars] == [
        ("09187", 2),
        ("09367", 1),
        ("09193", 0),
        ("", 1),
    ]


def test_former_districts_of_both_former_provinces_roll_up_across_the_merge():
    call_command("load_units")
    units = {unit.name: unit for unit in AdministrativeUnit.objects.all()}
    # The provincial centre (former Bắc Giang city), a ward formed from two former districts (mostly Bắc Giang city,
    # partly Tân Yên), a commune of the former Lục Ngạn, and a ward of the former Bắc Ninh city.
    for name in ["Phường Bắc Giang", "Phường Đa Mai", "Xã Lục Ngạn", "Phường Kinh Bắc", "Phường Kinh Bắc"]:
        case, _ = make_case(commune_unit=units[name])
        place(case, received=local(2026, 3, 2, 9, 0))
    figures = statistics.figures(YEAR, all_units=True)
    assert counts(figures.districts) == {"213": 2, "219": 1, "256": 2}
    assert figures.districts.total == 5  # Đa Mai is counted once, not once per district it was formed from
    # The annual report lists every former district of both former provinces, zeros included.
    assert len(figures.districts.bars) == 18 + 1
    assert len(figures.communes.bars) == 99 + 1


def test_a_period_without_cases_has_zeros_not_errors(year):
    figures = statistics.figures(Period.year(2024))
    assert figures.summary.received == 0 and figures.over_time.highest == 0
    assert all(bar.count == 0 and bar.share == 0 for bar in figures.breakdown("category").bars)
    assert all(row.median_minutes is None for row in figures.response)


def escalation(case, agency_code, state, *, sent, ack_after=None, user, takedowns=(), other_links=0):
    """An escalation row as the escalation services leave it once sent (the figures only read the rows)."""
    escalated = Escalation.objects.create(
        case=case,
        agency=Agency.objects.get(code=agency_code),
        state=state,
        reason="r",
        summary="s",
        created_by=user,
        sent_at=sent,
        packet={},
        packet_sha256="0" * 64,
        ack_due_at=sent + datetime.timedelta(hours=1),
        acknowledged_at=sent + datetime.timedelta(hours=ack_after) if ack_after is not None else None,
    )
    for outcome, hours in takedowns:
        EscalationLink.objects.create(
            escalation=escalated,
            target="https://example.vn/post",
            takedown_due_at=sent + datetime.timedelta(hours=24),
            outcome=outcome,
            updated_at=sent + datetime.timedelta(hours=hours) if hours is not None else None,
        )
    for _ in range(other_links):
        EscalationLink.objects.create(escalation=escalated, target="https://example.vn/profile")
    rollup.mark_changed(sent)  # written outside the services: its day is recounted, as place() does for cases
    return escalated


def test_escalations_by_agency_and_outcome_and_takedowns(year, operator):
    b = year["B"]
    escalation(
        b,
        POLICE,
        "completed",
        sent=local(2026, 3, 15, 12),
        ack_after=0.5,
        user=operator,
        takedowns=[("taken_down", 20), ("still_online", 30)],
    )
    escalation(
        b, POLICE, "declined", sent=local(2026, 3, 16, 12), ack_after=3, user=operator, takedowns=[("pending", None)]
    )
    escalation(b, POLICE, "sent", sent=local(2026, 12, 30, 12), user=operator, other_links=1)
    escalation(b, INFO_DEPT, "retracted", sent=local(2026, 4, 1, 12), user=operator)
    escalation(
        b,
        INFO_DEPT,
        "completed",
        sent=local(2025, 12, 31, 12),
        ack_after=0.5,
        user=operator,
        takedowns=[("taken_down", 1)],
    )

    figures = statistics.escalation_figures(YEAR)
    assert figures == escalation_statistics.escalation_figures(YEAR, source="escalations")  # the rollup is exact

    assert figures.available
    rows = {row.code: dataclasses.astuple(row)[2:] for row in figures.agencies}
    # sent, acknowledged, acknowledged on time, at the agency, completed, declined, retracted
    assert rows == {POLICE: (3, 2, 1, 1, 1, 1, 0), INFO_DEPT: (1, 0, 0, 0, 0, 0, 1)}
    assert dataclasses.astuple(figures.total)[2:] == (4, 2, 1, 1, 1, 1, 1)
    assert dataclasses.astuple(figures.takedowns) == (3, 1, 1, 1, 1)


def test_the_number_of_queries_does_not_depend_on_the_number_of_cases(operator, supervisor):
    units = make_units()
    with CaptureQueriesContext(connection) as empty:
        statistics.figures(YEAR, all_units=True)
    known_year(operator=operator, supervisor=supervisor, units=units)
    rollup.refresh_dirty()  # what the worker does every minute
    with CaptureQueriesContext(connection) as full:
        statistics.figures(YEAR, all_units=True)
    assert len(full.captured_queries) == len(empty.captured_queries)
    # Aggregation happens in the database, and the median, 90th percentile and repeat contacts come from the rollup:
    # no response time is read row by row, no message is read at all.
    row_by_row = [
        q["sql"]
        for q in full.captured_queries
        if '"cases_case"' in q["sql"] and not any(word in q["sql"] for word in ("GROUP BY", "COUNT(", "PERCENTILE"))
    ]
    assert row_by_row == []
    assert not [q["sql"] for q in full.captured_queries if '"cases_message"' in q["sql"]]
