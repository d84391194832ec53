"""Browser tests: a real Chromium (the system one, never a downloaded build) against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

from tests.live import DaphneServer, database_url

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls from the test
# body and from the live server's database code ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A small Android phone, the device most of our reporters have.
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)
    # Browser tests last: the session-wide Playwright keeps an event loop marked as running in this thread, and
    # any asyncio test collected after the first browser test (tests/escalation, tests/hotline) could not run.
    items.sort(key=lambda item: HERE in item.path.parents)


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        reason = "no Chromium on PATH (install Debian's chromium package)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: browser tests must run in CI, not be skipped")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_phone(browser):
    """Opens a fresh browser context (its own cookies: another device) with the phone's screen and language."""
    contexts = []

    def open_context(**overrides):
        context = browser.new_context(**{**PHONE, **overrides})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def phone(new_phone):
    return new_phone().new_page()


@pytest.fixture
def site(live_server, reference_data):
    """pytest-django's live server (WSGI, in a thread), with the seeded reference data."""
    return live_server.url


@pytest.fixture
def daphne_servers(reference_data, tmp_path):
    """Starts Daphne processes on the test database; all share the channel layer when REDIS_URL is set (each
    has its own in-memory layer otherwise)."""
    from django.db import connection

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
        "DEBUG": "1",
        # No worker beside these processes: tasks run in them at once, never left in a queue a later worker reads.
        "TASKS_IMMEDIATE": "1",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    servers = []

    def start_server():
        server = DaphneServer(env, tmp_path / f"daphne-{len(servers)}.log").start()
        servers.append(server)
        return server

    yield start_server
    for server in servers:
        server.stop()


@pytest.fixture
def daphne_site(daphne_servers):
    """The base URL of one real Daphne process on the test database."""
    return daphne_servers().url


@pytest.fixture
def desk(browser):
    """A counsellor's desktop browser, in Vietnamese."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
