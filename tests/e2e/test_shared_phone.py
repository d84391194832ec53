"""A shared phone keeps no trace (issue 12, point 2): quick exit and "Close my case on this device" end this
browser's access, and Back brings back neither the case nor a filled report form. On a phone and on a desktop,
with and without JavaScript."""

import pytest

from tests.e2e.test_report_flow import vi
from tests.factories import make_case

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}
SCREENS = pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
SECRET = "Người đó dọa gửi ảnh của em cho cả lớp"


@pytest.fixture
def exit_page(site, settings):
    """Where quick exit leaves for: a neutral page (a search engine in production; unreachable from the tests)."""
    settings.QUICK_EXIT_URL = f"{site}/favicon.ico"
    return settings.QUICK_EXIT_URL


def device(browser, screen, **options):
    context = browser.new_context(locale="vi-VN", **screen, **options)
    context.set_default_timeout(10_000)
    return context


def open_case_page(page, site, reference, code):
    page.goto(f"{site}/status/")
    page.fill("#id_reference", reference)
    page.fill("#id_access_code", code)
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()
    assert page.url == f"{site}/status/{reference}/"
    assert page.locator("#status-heading").is_visible()
    assert reference in page.locator(".case-status__ref").inner_text()


def assert_case_gone(page, site, reference):
    assert page.locator(".case-status, #chat").count() == 0
    assert page.url != f"{site}/status/{reference}/"
    # Nor does the look-up form come back filled in: one press would open the case again.
    for field in page.locator("#id_access_code").all():
        assert field.input_value() == ""
    page.goto(f"{site}/status/{reference}/")
    assert page.url == f"{site}/status/?reference={reference}"
    assert page.locator(".case-status, #chat").count() == 0


@SCREENS
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_it_forgets_the_case_on_quick_exit_and_back_does_not_bring_it_back(
    browser, site, exit_page, screen, javascript
):
    case, code = make_case(description=SECRET)
    context = device(browser, screen, java_script_enabled=javascript)
    page = context.new_page()
    open_case_page(page, site, case.reference, code)

    with page.expect_navigation(url=exit_page):
        page.locator("#quick-exit").click()
    page.go_back()
    assert_case_gone(page, site, case.reference)
    assert page.evaluate("window.localStorage.length + window.sessionStorage.length") == 0 if javascript else True
    context.close()


@SCREENS
def test_it_closes_the_case_on_this_device(browser, site, screen):
    case, code = make_case(description=SECRET)
    context = device(browser, screen)
    page = context.new_page()
    open_case_page(page, site, case.reference, code)

    button = page.get_by_role("button", name=vi("Close my case on this device"))
    button.scroll_into_view_if_needed()
    assert button.is_visible()
    with page.expect_navigation():
        button.click()
    assert page.url == f"{site}/status/"
    page.go_back()
    assert_case_gone(page, site, case.reference)
    context.close()


@SCREENS
def test_back_after_sending_a_report_shows_an_empty_form(browser, site, screen):
    context = device(browser, screen)
    page = context.new_page()
    page.goto(f"{site}/")
    page.locator("input[name=category]").first.check()
    page.fill("#id_description", SECRET)
    with page.expect_navigation():
        page.locator("form.report-form button[type=submit]").click()
    assert page.url == f"{site}/receipt/"
    page.go_back()
    page.wait_for_load_state()
    assert page.url == f"{site}/"
    assert page.input_value("#id_description") == ""
    assert SECRET not in page.content()
    context.close()
