"""The daily jobs run as periodic tasks of the worker, through the same services as the management commands."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from cases import services, tasks
from cases.models import Case, CaseRollup, CaseState, StatisticsDirtyDay
from tests.cases.test_retention import SECRET, closed_case
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_the_worker_schedules_the_paging_every_minute_and_the_daily_jobs_at_night():
    assert HUEY.utc is False  # crontabs in local time (Asia/Ho_Chi_Minh, set by Django's TIME_ZONE)
    night = timezone.localtime().replace(hour=1, minute=30, second=0, microsecond=0, tzinfo=None)
    assert tasks.page_unclaimed_cases.s().validate_datetime(night + timedelta(minutes=7))
    assert tasks.close_resolved_cases.s().validate_datetime(night)
    assert not tasks.close_resolved_cases.s().validate_datetime(night + timedelta(minutes=1))
    assert tasks.purge_personal_data.s().validate_datetime(night.replace(hour=2, minute=0))
    assert not tasks.purge_personal_data.s().validate_datetime(night.replace(hour=14, minute=0))
    assert tasks.refresh_statistics.s().validate_datetime(night + timedelta(minutes=7))  # every minute
    assert tasks.rebuild_statistics.s().validate_datetime(night.replace(hour=3, minute=0))
    assert not tasks.rebuild_statistics.s().validate_datetime(night.replace(hour=3, minute=1))


def test_the_auto_close_task_closes_resolved_cases_past_their_grace(operator, settings):
    settings.RESOLVED_GRACE_DAYS = 14
    case, _code = make_case()
    services.claim_case(case=case, user=operator)
    services.resolve_case(case=case, user=operator, outcome="advice_given", summary="Đã tư vấn.")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=15))
    tasks.close_resolved_cases()  # the periodic task, run at once
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_the_purge_task_removes_personal_data_past_retention(operator, settings):
    settings.RETENTION_DAYS = 365
    case, _code = closed_case(operator, days_ago=400)
    tasks.purge_personal_data()
    case.refresh_from_db()
    assert case.purged_at is not None and SECRET not in case.description


def test_supervisors_are_reminded_of_the_annual_report_in_november(supervisor, mailoutbox):
    morning = timezone.localtime().replace(month=11, day=15, hour=8, minute=0, second=0, microsecond=0, tzinfo=None)
    assert tasks.remind_annual_report.s().validate_datetime(morning)
    assert tasks.remind_annual_report.s().validate_datetime(morning.replace(day=25))
    assert not tasks.remind_annual_report.s().validate_datetime(morning.replace(day=16))
    assert not tasks.remind_annual_report.s().validate_datetime(morning.replace(month=10))
    supervisor.email = "sup1@example.vn"
    supervisor.save()
    tasks.remind_annual_report()
    assert [message.to for message in mailoutbox] == [["sup1@example.vn"]]


def test_the_statistics_tasks_recount_marked_days_and_rebuild_every_day():
    case, _code = make_case()
    assert StatisticsDirtyDay.objects.exists()
    tasks.refresh_statistics()  # what the worker runs every minute
    assert not StatisticsDirtyDay.objects.exists()
    assert CaseRollup.objects.filter(kind="summary", span="day").aggregate(n=Sum("cases"))["n"] == 1
    CaseRollup.objects.all().delete()
    tasks.rebuild_statistics()
    assert CaseRollup.objects.filter(kind="summary", span="day").aggregate(n=Sum("cases"))["n"] == 1
