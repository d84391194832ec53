"""A long conversation and a long timeline stay usable with the keyboard and a screen reader: the message list and
the timeline are named, focusable, scrollable regions, and axe finds nothing serious on either side."""

from playwright.sync_api import expect

from cases import services
from cases.models import Case
from tests.conftest import make_user
from tests.e2e.staff import sign_in
from tests.e2e.test_report_flow import assert_accessible
from tests.factories import make_case

MESSAGES = 30


def long_conversation(operator):
    case, code = make_case()
    services.claim_case(case=case, user=operator)
    for number in range(MESSAGES // 2):
        services.add_reporter_information(case=case, text=f"Em kể tiếp, phần {number}: " + "nó nhắn dọa em. " * 8)
        services.post_staff_message(case=case, user=operator, text=f"Chị nghe em, lần {number}. " * 6)
        services.add_note(case=case, user=operator, text=f"Ghi chú {number}")
    return Case.objects.get(pk=case.pk), code


def assert_keyboard_scrollable(page, selector, name):
    region = page.locator(selector)
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("el => el.scrollHeight > el.clientHeight"), f"{selector} does not overflow"
    # The region has an accessible name (what a screen reader announces on focus).
    expect(region).to_have_accessible_name(name)
    region.focus()
    expect(region).to_be_focused()
    before = region.evaluate("el => el.scrollTop")
    page.keyboard.press("End" if before == 0 else "Home")
    for _ in range(50):  # the browser may scroll smoothly; wait for it to move (the page's CSP forbids eval)
        if region.evaluate("el => el.scrollTop") != before:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} did not scroll with the keyboard")


def test_a_long_conversation_and_timeline_are_keyboard_scrollable_and_accessible(site, desk, phone):
    operator = make_user("hoa", "operator", first_name="Hoa")
    case, code = long_conversation(operator)

    sign_in(desk, "hoa", "a-long-test-password", at=f"{site}/accounts/login/")
    desk.goto(f"{site}/cases/{case.reference}/")
    expect(desk.locator("#messages li")).to_have_count(MESSAGES)
    assert_keyboard_scrollable(desk, "#messages", desk.locator("#messages").get_attribute("aria-label"))
    assert_keyboard_scrollable(desk, "#timeline", desk.locator("#timeline-heading").inner_text())
    assert_accessible(desk, "the workspace of a case with a long conversation")

    phone.goto(f"{site}/status/")
    phone.fill("#id_reference", case.reference)
    phone.fill("#id_access_code", code)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    expect(phone.locator("#messages li")).to_have_count(MESSAGES)
    assert_keyboard_scrollable(phone, "#messages", phone.locator("#messages").get_attribute("aria-label"))
    assert_accessible(phone, "a reporter's status page with a long conversation")
