"""Database connections under ASGI: pooled, bounded, never leaked, whatever the settings say."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar

import psycopg
import pytest
from django.db import connection

from tests.live import DaphneServer, database_url

POOL_MAX = 4
CLIENTS = 8
VISITS_PER_CLIENT = 12  # each visit is three requests: 8 x 12 x 3 = 288 requests


def _settings_error(**env):
    """What importing the settings says under these environment variables (the message, or '' when fine)."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import hotline.settings"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr


def test_it_refuses_persistent_connections_and_says_why():
    error = _settings_error(DB_CONN_MAX_AGE="60")
    assert "ImproperlyConfigured" in error
    assert "DB_CONN_MAX_AGE is not supported" in error
    assert "DB_POOL_MAX_SIZE" in error
    assert _settings_error(DB_CONN_MAX_AGE="0") == ""


def test_it_pools_postgresql_connections(settings):
    if connection.vendor != "postgresql":
        pytest.skip("the pool is for PostgreSQL")
    assert connection.settings_dict["CONN_MAX_AGE"] == 0
    assert connection.settings_dict["OPTIONS"]["pool"]["max_size"] >= 1


def _hotline_pids(probe):
    return {
        pid
        for (pid,) in probe.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'hotline'"
        )
    }


def _visit(base_url, failures):
    """A young person's visit: the form, a report through the API, then the status page."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    body = json.dumps({"category": "CBH", "description": "Bạn cùng lớp lập nhóm chat để chê bai em."}).encode()
    json_header = {"Content-Type": "application/json"}
    requests = [
        urllib.request.Request(f"{base_url}/"),  # noqa: S310 - http:// to our own test server
        urllib.request.Request(f"{base_url}/api/v1/reports", data=body, headers=json_header),  # noqa: S310
        urllib.request.Request(f"{base_url}/status/"),  # noqa: S310
    ]
    for request in requests:
        try:
            with opener.open(request, timeout=30) as response:  # noqa: S310 - our own http:// server
                response.read()
                if response.status >= 400:
                    failures.append((request.full_url, response.status))
        except (urllib.error.URLError, OSError) as error:
            failures.append((request.full_url, getattr(error, "code", repr(error))))


@pytest.mark.django_db(transaction=True)
def test_it_keeps_connections_within_the_pool_under_concurrent_clients(reference_data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_stat_activity is PostgreSQL's")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "DEBUG": "1",
        "DB_POOL_MAX_SIZE": str(POOL_MAX),
        "THROTTLE_REPORT_SUBMIT_ATTEMPTS": "100000",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    failures, samples, done = [], [], threading.Event()
    # The probe is a plain connection of its own, outside the pool and the hotline's name. This test process's
    # own connections are the hotline's that exist before the server starts.
    probe = psycopg.connect(database_url(connection.settings_dict), autocommit=True, application_name="probe")
    ours = _hotline_pids(probe)
    server = DaphneServer(env, tmp_path / "daphne.log").start()

    def sample():
        while not done.is_set():
            samples.append(len(_hotline_pids(probe) - ours))
            time.sleep(0.05)

    def client():
        for _visit_number in range(VISITS_PER_CLIENT):
            _visit(server.url, failures)

    try:
        sampler = threading.Thread(target=sample)
        sampler.start()
        clients = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        done.set()
        sampler.join()
        after = len(_hotline_pids(probe) - ours)
    finally:
        done.set()
        server.stop()
        probe.close()

    assert failures == []
    from cases.models import Case

    assert Case.objects.count() == CLIENTS * VISITS_PER_CLIENT
    assert samples and max(samples) >= 1  # the sampler really saw the server's connections
    assert max(samples) <= POOL_MAX, f"connections seen: {sorted(set(samples))}"
    assert after <= POOL_MAX
