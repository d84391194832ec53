"""The crisis path end to end, on a real Daphne process and a real task worker (the queue of the settings in use:
Redis on the PostgreSQL + Redis run, the SQLite file otherwise).

A child on a phone reports self-harm thoughts without ticking "in danger": the receipt shows the crisis panel
first. Nobody claims the case; once its (shortened) target has passed, the worker pages the supervisor on duty,
whose open page alerts without a reload. The supervisor acknowledges, claims the case, records the notification to
111, and the case page shows the 12-hour intervention clock.
"""

import os
import re
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from huey import RedisHuey, SqliteHuey
from huey.contrib.djhuey import HUEY
from playwright.sync_api import expect

from cases import tasks
from cases.models import Case, CaseEvent, EventKind, Page, Priority
from escalation.models import Referral
from tests.e2e.staff import sign_in
from tests.e2e.test_report_flow import send, vi
from tests.factories import make_shift
from tests.live import DaphneServer, database_url

PASSWORD = "a-long-supervisor-password"


@pytest.fixture
def server_and_worker(reference_data, tmp_path):
    """One Daphne process and one task worker sharing a queue of their own (nothing left for another worker)."""
    name = f"hotline-e2e-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "DEBUG": "1",
        "TASKS_IMMEDIATE": "0",
        "TASK_QUEUE_NAME": name,
        "TASK_QUEUE_FILE": str(tmp_path / "tasks.sqlite3"),
        # Without Redis the worker's notice cannot reach Daphne's sockets: the staff socket's re-read brings it.
        "STAFF_ALERT_SYNC_SECONDS": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    queue = (
        RedisHuey(name, url=settings.REDIS_URL)
        if settings.REDIS_URL
        else SqliteHuey(name, filename=env["TASK_QUEUE_FILE"])
    )
    server = DaphneServer(env, tmp_path / "daphne.log").start()
    with open(tmp_path / "worker.log", "w") as log:
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "run_huey", "--no-periodic", "--workers", "2"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    yield server, queue, worker, tmp_path / "worker.log"
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
    server.stop()
    queue.flush()


def run_in_worker(queue, task, worker, log, *, until):
    """Put one task in the worker's queue (serialised by the app's huey, which knows the task); wait for its effect."""
    queue.storage.enqueue(HUEY.serialize_task(task), task.priority)
    deadline = time.monotonic() + 60
    while not until():
        assert worker.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the worker did not run the task:\n" + log.read_text()
        time.sleep(0.2)


def test_a_child_at_risk_is_paged_acknowledged_claimed_and_referred_to_111(server_and_worker, new_phone, desk):
    server, queue, worker, log = server_and_worker
    site = server.url
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        supervisor = User.objects.create_user("hoa", password=PASSWORD, first_name="Hoa", email="hoa@example.vn")
    supervisor.groups.add(Group.objects.get(name="supervisor"))
    now = timezone.now()
    make_shift(supervisor, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=7))
    errors = []
    desk.on("pageerror", lambda error: errors.append(error))

    # The supervisor's desk is open on the SLA page.
    desk.goto(f"{site}/cases/sla/")
    sign_in(desk, "hoa", PASSWORD)
    expect(desk).to_have_url(re.compile(r"/cases/sla/$"))
    desk.evaluate("window.stillTheSamePage = true")
    expect(desk.locator("#staff-alerts-list .staff-alert")).to_have_count(0)

    # A child on a phone: self-harm, "in danger" not ticked.
    phone = new_phone().new_page()
    phone.on("pageerror", lambda error: errors.append(error))
    phone.goto(f"{site}/")
    phone.locator("input[name=category][value=MHR]").check()
    expect(phone.locator("input[name=in_danger]")).not_to_be_checked()
    phone.fill("#id_description", "Em không muốn sống nữa, không ai hiểu em.")
    assert send(phone).status == 200 and phone.url.endswith("/receipt/")
    panel = phone.locator("#crisis")
    expect(panel).to_be_visible()
    expect(panel.locator("a[href='tel:111']")).to_be_visible()
    assert panel.bounding_box()["y"] < phone.locator("#receipt-reference").bounding_box()["y"]
    reference = phone.locator("#receipt-reference").inner_text().strip()
    case = Case.objects.get(reference=reference)
    assert case.priority == Priority.P1 and not case.in_danger and case.risk_flagged

    # Nobody claims it. Its target is shortened to now; the worker's paging run (every minute) pages the supervisor.
    Case.objects.filter(pk=case.pk).update(first_response_due_at=timezone.now() - timedelta(seconds=1))
    paged = Page.objects.filter(case=case).exists
    run_in_worker(queue, tasks.page_unclaimed_cases.s(), worker, log, until=paged)
    [page] = Page.objects.filter(case=case)
    assert list(page.recipients.all()) == [supervisor]

    banner = desk.locator("#staff-alerts-list .staff-alert")
    expect(banner).to_have_count(1, timeout=15_000)
    expect(banner).to_contain_text(reference)
    assert desk.evaluate("window.stillTheSamePage") is True  # it came over the socket, no reload

    # Acknowledge, claim, notify 111.
    banner.get_by_role("button", name=vi("Acknowledge")).click()
    expect(desk).to_have_url(re.compile(rf"/cases/{reference}/$"))
    expect(desk.locator("#staff-alerts-list .staff-alert")).to_have_count(0)
    desk.locator("button[data-transition=claim]").click()
    expect(desk.locator("#timeline")).to_contain_text(vi("Page acknowledged"))
    referrals = desk.locator("#referrals")
    referrals.locator("select[name=referral-agency]").select_option(label="Tổng đài 111 · 111")
    referrals.locator("input[name=referral-officer_name]").fill("Nguyễn Thị Hạnh")
    referrals.locator("textarea[name=referral-agreed]").fill("111 gọi lại cho em trong 30 phút.")
    referrals.locator("button[data-referral-action=record]").click()
    clock = desk.locator("#intervention-clock")
    expect(clock).to_be_visible()
    expect(clock.locator(".badge--clock")).to_have_text(vi("%(hours)s-hour clock") % {"hours": 12})

    case.refresh_from_db()
    assert case.assignee == supervisor and case.intervention_due_at is not None
    assert Referral.objects.get(case=case).agency.code == "tong-dai-111"
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds.index(EventKind.PAGED) < kinds.index(EventKind.PAGE_ACKNOWLEDGED) < kinds.index(EventKind.REFERRAL)
    assert errors == []
