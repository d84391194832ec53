"""The statistics rollup (cases/rollup.py) gives exactly the figures computed from the cases themselves: over
generated cases, after a case changes state, and after the retention purge. The median and 90th percentile come
from a histogram of response times: within the width of the buckets they fall in, exact for whole minutes under an
hour."""

import dataclasses
import datetime
import math

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import retention, rollup, services, statistics
from cases.models import AdministrativeUnit, CaseRollup, Channel, Gender, Sender, StatisticsDirtyDay
from cases.statistics import Period
from tests.cases.report_data import local, make_units, place
from tests.factories import make_case

pytestmark = pytest.mark.django_db

MARCH = Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
QUARTER = Period(datetime.date(2026, 2, 15), datetime.date(2026, 5, 15))  # drawn by month, ragged at both ends
NOW = local(2026, 4, 1, 12, 0)

case_spec = st.fixed_dictionaries(
    {
        "category": st.sampled_from(["CBH", "OSE-SEXTORTION", "SCM", "INF", "MHR"]),
        "channel": st.sampled_from([Channel.WEB, Channel.API, Channel.PHONE]),
        "age_band": st.sampled_from(["10_12", "13_15", "16_17", "unknown"]),
        "gender": st.sampled_from([Gender.FEMALE, Gender.MALE, Gender.UNKNOWN]),
        "commune": st.sampled_from([None, "09187", "09367"]),
        "in_danger": st.booleans(),
        # Around the edges of March and of a local day: 28 Feb 23:59 and 1 Apr 00:00 are outside March.
        "received": st.tuples(
            st.sampled_from([(2, 28), (3, 1), (3, 15), (3, 31), (4, 1), (5, 20)]),
            st.sampled_from([(0, 0), (0, 30), (12, 0), (23, 59)]),
        ),
        # Minutes: whole ones up to ten hours (one-minute, five-minute and half-hour buckets), or any up to 90.
        "answered_after": st.one_of(
            st.none(), st.integers(min_value=1, max_value=600), st.floats(min_value=0.01, max_value=90)
        ),
        "fate": st.sampled_from(["new", "in_progress", "resolved", "closed", "rejected"]),
        "reporter_messages": st.integers(min_value=0, max_value=2),
    }
)


def make_generated_case(spec, *, units, operator, supervisor):
    case, _code = make_case(
        category_code=spec["category"],
        channel=spec["channel"],
        age_band=spec["age_band"],
        gender=spec["gender"],
        commune_unit=units.get(spec["commune"]),
        in_danger=spec["in_danger"],
    )
    if spec["fate"] == "rejected":
        services.reject_case(case=case, user=supervisor, reason="spam")
    elif spec["fate"] != "new":
        services.claim_case(case=case, user=operator)
        if spec["fate"] in ("resolved", "closed"):
            services.resolve_case(case=case, user=operator, outcome="advice_given", summary="Đã hướng dẫn.")
        if spec["fate"] == "closed":
            services.close_case(case=case, user=operator)
    (month, day), (hour, minute) = spec["received"]
    case = place(case, received=local(2026, month, day, hour, minute), answered_after=spec["answered_after"])
    for number in range(spec.get("reporter_messages", 0)):
        services.add_reporter_information(case=case, text=f"Em bổ sung thêm lần {number + 1}.")
    return case


def without_percentiles(figures):
    rows = [dataclasses.replace(row, median_minutes=None, p90_minutes=None) for row in figures.response]
    return dataclasses.replace(figures, response=rows)


def response_seconds(period):
    """{priority or None: sorted response seconds} of the period's answered cases, computed here."""
    times = {None: []}
    for priority, received, answered in (
        statistics.cases_in(period)
        .filter(first_response_at__isnull=False)
        .values_list("priority", "created_at", "first_response_at")
    ):
        seconds = (answered - received).total_seconds()
        times.setdefault(priority, []).append(seconds)
        times[None].append(seconds)
    return {priority: sorted(values) for priority, values in times.items()}


def assert_percentiles_within_their_buckets(period):
    exact = statistics._percentiles(period)
    rolled = statistics._percentiles_from_rollup(period)
    for priority, values in response_seconds(period).items():
        for index, fraction in enumerate((0.5, 0.9)):
            if not values:
                assert rolled.get(priority, (None, None))[index] is None
                continue
            assert exact[priority][index] == pytest.approx(statistics.percentile(values, fraction), abs=0.01)
            rank = (len(values) - 1) * fraction
            around = {values[math.floor(rank)], values[min(math.floor(rank) + 1, len(values) - 1)]}
            widths = [rollup.bucket_width(rollup.response_bucket(value)) for value in around]
            if None in widths:  # 30 days or more: the last bucket has no upper bound, only its lower one is known
                assert rolled[priority][index] >= min(rollup.response_bucket(value) for value in around) - 0.01
                continue
            width = max(width for width in widths if width is not None)
            assert abs(rolled[priority][index] - exact[priority][index]) <= width + 0.01


def assert_rollup_equals_raw():
    for period in (MARCH, QUARTER):
        from_rollup = statistics.figures(period, now=NOW, all_units=True)
        from_cases = statistics.figures(period, now=NOW, all_units=True, source="cases")
        assert without_percentiles(from_rollup) == without_percentiles(from_cases)
        assert_percentiles_within_their_buckets(period)
        assert statistics.category_details(period) == statistics.category_details(period, source="cases")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(case_spec, min_size=1, max_size=6))
def test_rollup_figures_equal_the_figures_computed_from_the_cases(specs, operator, supervisor):
    units = {unit.code: unit for unit in AdministrativeUnit.objects.all()} or make_units()  # once per test
    for spec in specs:
        make_generated_case(spec, units=units, operator=operator, supervisor=supervisor)
    assert_rollup_equals_raw()


def test_figures_stay_equal_after_a_state_change_and_after_the_purge(operator, supervisor):
    units = make_units()
    spec = {
        "category": "CBH",
        "channel": Channel.WEB,
        "age_band": "13_15",
        "gender": Gender.FEMALE,
        "commune": "09187",
        "in_danger": False,
        "answered_after": 20,
    }
    closed = make_generated_case(
        {**spec, "received": ((3, 2), (9, 0)), "fate": "closed"}, units=units, operator=operator, supervisor=supervisor
    )
    open_case = make_generated_case(
        {**spec, "received": ((3, 3), (9, 0)), "fate": "in_progress"},
        units=units,
        operator=operator,
        supervisor=supervisor,
    )
    assert_rollup_equals_raw()
    before = statistics.figures(MARCH, now=NOW).summary

    services.resolve_case(case=open_case, user=operator, outcome="content_removed", summary="Đã gỡ.")
    assert_rollup_equals_raw()
    after = statistics.figures(MARCH, now=NOW).summary
    assert (before.open, before.done) == (1, 1) and (after.open, after.done) == (0, 2)

    result = retention.purge_personal_data(now=timezone.now() + datetime.timedelta(days=3), retention_days=1)
    assert result.cases == 1
    closed.refresh_from_db()
    assert closed.purged_at is not None
    assert_rollup_equals_raw()
    assert statistics.figures(MARCH, now=NOW).summary.purged == 1


def test_a_change_marks_its_day_and_the_worker_or_a_reader_recounts_it(operator):
    case, _code = make_case()
    assert StatisticsDirtyDay.objects.filter(day=rollup.day_of(case.created_at)).exists()
    assert rollup.refresh_dirty() == 1
    assert not StatisticsDirtyDay.objects.exists()
    assert rollup.refresh_dirty() == 0  # nothing left: one query
    services.claim_case(case=case, user=operator)
    assert StatisticsDirtyDay.objects.exists()  # a transition marks the day again


def test_rebuild_statistics_recounts_every_day_from_scratch(operator, supervisor):
    make_units()
    case, _code = make_case()
    place(case, received=local(2026, 3, 10, 8, 0))
    CaseRollup.objects.all().delete()
    StatisticsDirtyDay.objects.all().delete()
    assert statistics.figures(MARCH, now=NOW).summary.received == 0  # the rollup was lost
    call_command("rebuild_statistics")
    assert statistics.figures(MARCH, now=NOW).summary.received == 1
    assert_rollup_equals_raw()


def test_two_recounts_of_one_day_never_double_its_rows():
    case, _code = make_case()
    day = rollup.day_of(case.created_at)
    rollup.refresh_day(day=day)
    rows = CaseRollup.objects.filter(span="day", day=day).count()
    rollup.refresh_day(day=day)
    assert CaseRollup.objects.filter(span="day", day=day).count() == rows > 0


def test_a_long_period_reads_month_rows_for_its_whole_months(operator, supervisor):
    units = make_units()
    spec = {"category": "SCM", "channel": Channel.API, "age_band": "16_17", "gender": Gender.MALE, "commune": None,
            "in_danger": True, "answered_after": 5, "fate": "resolved"}  # fmt: skip
    for month, day in [(2, 20), (3, 1), (3, 31), (4, 15), (5, 15), (5, 16)]:
        make_generated_case({**spec, "received": ((month, day), (10, 0))}, units=units, operator=operator,
                            supervisor=supervisor)  # fmt: skip
    rollup.refresh_dirty()
    march = CaseRollup.objects.filter(span="month", day=datetime.date(2026, 3, 1), kind="summary")
    assert sum(row.cases for row in march) == 2
    assert statistics._whole_months(QUARTER) == (datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
    assert statistics._whole_months(MARCH) is None  # a short period is drawn day by day
    assert_rollup_equals_raw()
    assert statistics.figures(QUARTER, now=NOW).summary.received == 5  # 16 May is outside (15 Feb – 15 May)


def test_a_change_queues_no_task_and_readers_count_it_before_the_worker_runs(
    monkeypatch, django_capture_on_commit_callbacks
):
    from huey.contrib.djhuey import HUEY

    def refuse(task):
        raise AssertionError("a change must not queue a task: the worker recounts marked days every minute")

    monkeypatch.setattr(HUEY, "enqueue", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        case, _code = make_case()
        services.add_reporter_information(case=case, text="Em gửi thêm thông tin.")
    assert StatisticsDirtyDay.objects.filter(day=rollup.day_of(case.created_at)).exists()
    today = Period(rollup.day_of(case.created_at), rollup.day_of(case.created_at))
    figures = statistics.figures(today)  # the reader recounted the marked day
    assert figures.summary.received == 1
    assert (figures.follow_up.cases_with_reporter_messages, figures.follow_up.reporter_messages) == (1, 1)


def test_a_reporter_message_marks_its_day_with_one_insert_and_no_read(operator, django_capture_on_commit_callbacks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case, _code = make_case()
    services.claim_case(case=case, user=operator)  # in progress: the message changes no state
    StatisticsDirtyDay.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        services.add_reporter_information(case=case, text="Em gửi thêm ảnh chụp màn hình.")
    marks = [query["sql"] for query in queries if "statistics" in query["sql"]]
    # An INSERT, or on PostgreSQL the one statement that stores the whole message (services, _ONE_STATEMENT_MESSAGE).
    assert len(marks) == 1 and marks[0].lstrip().startswith(("INSERT", "WITH"))
    assert list(StatisticsDirtyDay.objects.values_list("day", flat=True)) == [rollup.day_of(case.created_at)]


def test_repeat_contacts_count_only_the_reporters_messages(operator):
    case, _code = make_case()
    place(case, received=local(2026, 3, 10, 8, 0))
    services.add_reporter_information(case=case, text="Em bổ sung.")
    services.claim_case(case=case, user=operator)
    services.post_staff_message(case=case, user=operator, text="Chào em, anh chị đã nhận được.")
    services.add_reporter_information(case=case, text="Dạ em cảm ơn.")
    other, _code = make_case()
    place(other, received=local(2026, 3, 11, 8, 0))  # no message from its reporter
    follow_up = statistics.figures(MARCH, now=NOW).follow_up
    assert (follow_up.cases_with_reporter_messages, follow_up.reporter_messages) == (1, 2)
    assert case.messages.filter(sender=Sender.STAFF).count() == 1
    assert_rollup_equals_raw()


def test_percentiles_from_whole_minutes_under_an_hour_are_exact(operator, supervisor):
    units = make_units()
    spec = {"category": "CBH", "channel": Channel.WEB, "age_band": "13_15", "gender": Gender.FEMALE,
            "commune": None, "in_danger": False, "fate": "in_progress"}  # fmt: skip
    # Uneven gaps: the ranks of the median and the 90th percentile fall between two values.
    for day, minutes in enumerate([1, 2, 2, 5, 9, 14, 20, 33, 47, 59, 3, 26], start=2):
        make_generated_case({**spec, "received": ((3, day), (10, 0)), "answered_after": minutes}, units=units,
                            operator=operator, supervisor=supervisor)  # fmt: skip
    rollup.refresh_dirty()
    exact = statistics._percentiles(MARCH)
    rolled = statistics._percentiles_from_rollup(MARCH)
    assert exact[None][0] == pytest.approx(11.5 * 60) and exact[None][1] == pytest.approx(45.6 * 60)
    for priority, (median, p90) in exact.items():  # PostgreSQL lists every priority, (None, None) without cases
        assert rolled.get(priority, (None, None)) == (pytest.approx(median, abs=0.01), pytest.approx(p90, abs=0.01))
    assert statistics.figures(MARCH, now=NOW).response == statistics.figures(MARCH, now=NOW, source="cases").response


def test_the_histogram_buckets_and_the_interpolation_inside_them():
    assert rollup.response_bucket(0) == 0 and rollup.response_bucket(59.9) == 0 and rollup.response_bucket(60) == 60
    assert rollup.response_bucket(299.99998) == 300  # SQLite's float arithmetic
    assert rollup.response_bucket(3600 + 299) == 3600 and rollup.bucket_width(3600) == 300
    assert rollup.bucket_width(6 * 3600) == 1800 and rollup.bucket_width(48 * 3600) == 6 * 3600
    assert rollup.bucket_width(30 * 86400) is None and rollup.response_bucket(400 * 86400) == 30 * 86400
    assert len(rollup.RESPONSE_BUCKETS) == 248
    assert rollup.percentile_from_histogram({}, 0.5) is None
    # Two values in the bucket 1 h – 1 h 05: read as 1 h 01 15 s and 1 h 03 45 s; the median lies halfway.
    assert rollup.percentile_from_histogram({3600: 2}, 0.5) == 3600 + 150
    assert rollup.percentile_from_histogram({3600: 2}, 0.0) == 3600 + 75
    # Minutes: 1, 1, 4 → the median is 1 min, the 90th percentile 1 + 0.8 × 3 min.
    assert rollup.percentile_from_histogram({60: 2, 240: 1}, 0.5) == 60
    assert rollup.percentile_from_histogram({60: 2, 240: 1}, 0.9) == pytest.approx(60 + 0.8 * 180)


def test_a_check_in_sent_marks_its_case_s_day(operator):
    from cases import check_ins
    from cases.models import Case

    case, _code = make_case()
    services.claim_case(case=case, user=operator)
    services.resolve_case(case=case, user=operator, outcome="advice_given", summary="Đã hướng dẫn.")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - datetime.timedelta(days=30))
    rollup.refresh_dirty()
    assert check_ins.send_check_ins() == 1
    day = rollup.day_of(case.created_at)
    assert StatisticsDirtyDay.objects.filter(day=day).exists()
    follow_up = statistics.figures(Period(day, day)).follow_up
    assert (follow_up.check_ins_sent, follow_up.check_ins_answered) == (1, 0)
    assert follow_up == statistics.figures(Period(day, day), source="cases").follow_up
