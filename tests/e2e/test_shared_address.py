"""A school's shared address: other pupils' mistakes do not lock a child out of their own case; a reference under
attack refuses every code, with a clear message (phone and desktop, real Chromium; every browser of the test comes
from the same address, 127.0.0.1)."""

import pytest
from django.test import Client

from tests.e2e.test_report_flow import vi
from tests.factories import make_case

SCREENS = {
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}


def look_up(browser, site, screen, reference, code):
    context = browser.new_context(locale="vi-VN", **SCREENS[screen])
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{site}/status/")
    page.fill("#id_reference", reference)
    page.fill("#id_access_code", code)
    with page.expect_navigation():
        page.locator("#status-form button[type=submit]").click()
    return page


def pupils_mistakes(site_case_reference, times):
    """Other pupils behind the same address, each in their own browser (own CSRF cookie), typing a wrong code."""
    for _ in range(times):
        pupil = Client()
        pupil.get("/status/")
        pupil.post("/status/", {"reference": site_case_reference, "access_code": "WRONG-CODE"})


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_right_code_opens_the_case_after_other_pupils_mistakes(site, browser, settings, screen):
    settings.THROTTLE_STATUS_LOOKUP = (3, 900)
    settings.THROTTLE_STATUS_REFERENCE = (3, 900)
    case, code = make_case()
    other, _other_code = make_case()
    pupils_mistakes(other.reference, 6)  # the same address, many browsers, another reference

    page = look_up(browser, site, screen, case.reference, code)
    assert page.url == f"{site}/status/{case.reference}/"
    page.context.close()

    # The other reference is under attack: even its right code is refused, in words, and nothing typed is lost.
    page = look_up(browser, site, screen, other.reference, _other_code)
    assert page.url == f"{site}/status/"
    assert vi("Too many attempts. Please wait 15 minutes and try again.") in page.content()
    assert page.locator("#id_reference").input_value() == other.reference
    page.context.close()
