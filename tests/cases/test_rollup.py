"""The statistics rollup (cases/rollup.py) gives exactly the figures computed from the cases themselves: over
generated cases, after a case changes state, and after the retention purge."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import retention, rollup, services, statistics
from cases.models import AdministrativeUnit, CaseRollup, Channel, Gender, StatisticsDirtyDay
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
        "answered_after": st.one_of(st.none(), st.integers(min_value=1, max_value=600)),
        "fate": st.sampled_from(["new", "in_progress", "resolved", "closed", "rejected"]),
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
    return place(case, received=local(2026, month, day, hour, minute), answered_after=spec["answered_after"])


def assert_rollup_equals_raw():
    for period in (MARCH, QUARTER):
        from_rollup = statistics.figures(period, now=NOW, all_units=True)
        from_cases = statistics.figures(period, now=NOW, all_units=True, source="cases")
        assert from_rollup == from_cases
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


def test_a_report_is_kept_when_the_task_queue_is_down_and_readers_still_count_it(
    monkeypatch, django_capture_on_commit_callbacks
):
    from huey.contrib.djhuey import HUEY

    def refuse(task):
        raise ConnectionError("the task queue's Redis is down")

    monkeypatch.setattr(HUEY, "enqueue", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        case, _code = make_case()
    assert StatisticsDirtyDay.objects.filter(day=rollup.day_of(case.created_at)).exists()
    today = Period(rollup.day_of(case.created_at), rollup.day_of(case.created_at))
    assert statistics.figures(today).summary.received == 1  # the reader recounted the marked day
