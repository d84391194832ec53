"""One task through a real worker process (`manage.py run_huey`), on the queue storage of the settings in use:
the SQLite file on the embedded default, Redis when REDIS_URL is set. Everything else runs tasks immediately."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from huey import RedisHuey, SqliteHuey
from huey.contrib.djhuey import HUEY

from cases import tasks
from cases.models import Case, Page
from tests.conftest import make_user
from tests.factories import make_case
from tests.live import database_url

BASE_DIR = settings.BASE_DIR


@pytest.fixture
def worker_queue(tmp_path):
    """The queue a worker process started with the returned environment reads, and a way to start that worker."""
    name = f"hotline-test-{os.getpid()}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "TASK_QUEUE_NAME": name,
        "TASK_QUEUE_FILE": str(tmp_path / "tasks.sqlite3"),
        "TASKS_IMMEDIATE": "0",
        "DEBUG": "1",
    }
    if settings.REDIS_URL:
        queue = RedisHuey(name, url=settings.REDIS_URL)
    else:
        queue = SqliteHuey(name, filename=env["TASK_QUEUE_FILE"])
    processes = []

    def start_worker():
        log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - handed to the process
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "run_huey", "--no-periodic", "--workers", "1"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        processes.append(process)
        return process

    yield queue, start_worker
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    queue.flush()


def test_a_real_worker_runs_the_paging_task(reference_data, worker_queue, tmp_path):
    queue, start_worker = worker_queue
    supervisor = make_user("sup-worker", "supervisor")
    case, _code = make_case(in_danger=True)
    Case.objects.filter(pk=case.pk).update(first_response_due_at=timezone.now() - timedelta(minutes=1))
    # Serialised by the app's huey (its task registry), stored in the worker's queue.
    task = tasks.page_unclaimed_cases.s()
    queue.storage.enqueue(HUEY.serialize_task(task), task.priority)
    assert queue.pending_count() == 1
    worker = start_worker()
    deadline = time.monotonic() + 60
    while not Page.objects.filter(case=case).exists():
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        assert time.monotonic() < deadline, "the worker did not run the task:\n" + (tmp_path / "worker.log").read_text()
        time.sleep(0.2)
    page = Page.objects.get(case=case)
    assert list(page.recipients.all()) == [supervisor]
