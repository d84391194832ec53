"""Browser tests: a real Chromium (the system one, never a downloaded build) against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

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
def site(live_server):
    """The live server's base URL, with the seeded categories and platforms in the database.

    A transactional test empties every table when it ends, the rows seeded by migrations too, so put the
    catalogue back (serialized rollback cannot: under Playwright's sync API Django hands the test a connection
    other than the one holding the serialized copy)."""
    from cases.catalog import seed_catalog
    from cases.models import Category, Platform

    seed_catalog(Category, Platform)
    return live_server.url
