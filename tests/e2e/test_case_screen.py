"""Issue 12, second half, in real Chromium on a phone and at a desk: the counsellor's screen (chat and key facts
without scrolling at 1366×768), every change live on both sides, forms that forgive, the queue on a phone, the staff
error page. `HOTLINE_SCREENSHOTS=1` also writes the README's screenshots of the case page to docs/screenshots/."""

import os
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.utils import translation
from playwright.sync_api import expect

from cases import services
from cases.models import Case
from tests.e2e.staff import sign_in
from tests.e2e.test_report_flow import assert_accessible, assert_fits_phone
from tests.factories import make_case, png_upload

PASSWORD = "a-long-staff-password"
DESKTOP = {"viewport": {"width": 1366, "height": 768}, "locale": "vi-VN"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def vi(message):
    with translation.override("vi"):
        return str(translation.gettext(message))


def make_staff(username, role, first_name, *, daphne=False):
    # Daphne checks passwords with the production hashers; the live server in this process with the tests' fast one.
    hashers = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"] if daphne else settings.PASSWORD_HASHERS
    with override_settings(PASSWORD_HASHERS=hashers):
        user = User.objects.create_user(username, password=PASSWORD, first_name=first_name)
    user.groups.add(Group.objects.get(name=role))
    return user


def log_in(page, site, username):
    sign_in(page, username, PASSWORD, at=f"{site}/accounts/login/")


def busy_case(operator):
    """A case as a counsellor meets it mid-conversation: links, a picture, messages, notes."""
    case, code = make_case(
        description="Có người lập tài khoản giả mạo em trên Facebook, đăng ảnh của em và nhắn tin dọa em.\n"
        "Em đã chặn nhưng họ lại lập tài khoản mới.",
        links=["https://www.facebook.com/gia.mao.123", "https://zalo.me/0987654321"],
        uploads=[png_upload("anh-chup-man-hinh.png")],
    )
    services.claim_case(case=case, user=operator)
    services.post_staff_message(case=case, user=operator, text="Chào em, chị là Hoa ở tổng đài. Em an toàn chứ?")
    services.add_reporter_information(case=case, text="Dạ em an toàn.\nNhưng em sợ bạn bè thấy ảnh đó.")
    services.post_staff_message(case=case, user=operator, text="Chị hiểu. Mình sẽ báo gỡ ảnh ngay hôm nay.")
    services.add_note(case=case, user=operator, text="Đã hướng dẫn em báo cáo tài khoản giả mạo.")
    return Case.objects.get(pk=case.pk), code


def inside_window(page, selector, height):
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_case_page_shows_chat_and_key_facts_without_scrolling_at_1366x768_and_works_on_a_phone(
    site, browser, new_phone
):
    operator = make_staff("hoa", "operator", "Hoa")
    case, _code = busy_case(operator)
    context = browser.new_context(**DESKTOP)
    desk = context.new_page()
    log_in(desk, site, "hoa")
    for _ in range(3):  # three loads, the picture seen each time: one look on the record, not three
        desk.goto(f"{site}/cases/{case.reference}/")
        picture = desk.locator("#evidence-panel img")
        picture.scroll_into_view_if_needed()
        expect(picture).to_have_js_property("complete", True)
        assert picture.evaluate("img => img.naturalWidth") > 0
    desk.goto(f"{site}/cases/{case.reference}/")
    for selector in (
        "#case-head h1",
        "#report-panel .facts",
        "#report-panel .description",
        "#messages",
        "#chat-form textarea",
        "#chat-form button[type=submit]",
    ):
        assert inside_window(desk, selector, 768), f"{selector} is not visible without scrolling at 1366×768"
    second = desk.locator("#messages .message__text").nth(1)
    assert second.inner_text() == "Dạ em an toàn.\nNhưng em sợ bạn bè thấy ảnh đó."  # as the eye sees it
    # Notes where they are written; the timeline in the page's language, looks at the evidence grouped.
    expect(desk.locator("#notes-panel")).to_contain_text("Đã hướng dẫn em báo cáo tài khoản giả mạo.")
    timeline = desk.locator("#timeline").inner_text()
    assert "preview" not in timeline and vi("preview") in timeline
    assert timeline.count(vi("preview")) == 1
    # The section links are plain anchors: they work without JavaScript.
    desk.locator(".tabs a[href='#timeline-panel']").click()
    expect(desk).to_have_url(re.compile("#timeline-panel$"))
    assert_accessible(desk, "the counsellor's case page at 1366×768")
    if os.environ.get("HOTLINE_SCREENSHOTS"):
        desk.goto(f"{site}/cases/{case.reference}/")
        desk.screenshot(path=str(SCREENSHOTS / "case-page-1366x768.png"))
    context.close()

    phone = new_phone().new_page()
    log_in(phone, site, "hoa")
    phone.goto(f"{site}/cases/{case.reference}/")
    assert_fits_phone(phone, "the case page")
    expect(phone.locator(".tabs a[href='#chat']")).to_be_visible()  # the chat is one tap away
    assert_accessible(phone, "the counsellor's case page on a phone")
    if os.environ.get("HOTLINE_SCREENSHOTS"):
        phone.screenshot(path=str(SCREENSHOTS / "case-page-phone.png"))


def test_the_reporters_status_and_the_counsellors_page_follow_every_change_live(daphne_site, browser, new_phone):
    make_staff("hoa", "operator", "Hoa", daphne=True)
    mai = make_staff("mai", "supervisor", "Mai", daphne=True)
    case, code = make_case()
    reporter = new_phone().new_page()
    reporter.goto(f"{daphne_site}/status/")
    reporter.fill("#id_reference", case.reference)
    reporter.fill("#id_access_code", code)
    with reporter.expect_navigation():
        reporter.locator("main form button[type=submit]").click()
    expect(reporter.locator("#chat")).to_have_attribute("data-connection", "live")
    before = reporter.locator("#status-heading").inner_text()
    reporter.evaluate("document.body.dataset.loadedOnce = 'yes'")  # gone if the page reloads

    desks = [browser.new_context(**DESKTOP) for _ in range(2)]
    counsellor, supervisor = desks[0].new_page(), desks[1].new_page()
    log_in(counsellor, daphne_site, "hoa")
    counsellor.goto(f"{daphne_site}/cases/{case.reference}/")
    counsellor.locator("button[data-transition=claim]").click()
    expect(counsellor.locator("#chat")).to_have_attribute("data-connection", "live")
    counsellor.evaluate("document.body.dataset.loadedOnce = 'yes'")

    # The claim reaches the reporter's open page, without a reload.
    expect(reporter.locator("#status-heading")).not_to_have_text(before)
    assert reporter.evaluate("document.body.dataset.loadedOnce") == "yes"

    # A supervisor assigns the case to herself on her own screen: the counsellor's page shows it, without a reload.
    log_in(supervisor, daphne_site, "mai")
    supervisor.goto(f"{daphne_site}/cases/{case.reference}/")
    supervisor.select_option("#id_assignee", value=str(mai.pk))
    supervisor.locator("form[action$='/assign/'] button[type=submit]").click()
    expect(counsellor.locator("#case-head")).to_contain_text("Mai")
    assert counsellor.evaluate("document.body.dataset.loadedOnce") == "yes"

    # Live chat keeps line breaks.
    reporter.fill("#chat-form textarea[name=text]", "Dòng một\nDòng hai")
    reporter.locator("#chat-form button[type=submit]").click()
    last = counsellor.locator("#messages li:not(.message--pending) .message__text").last
    expect(last).to_contain_text("Dòng hai")
    assert last.inner_text() == "Dòng một\nDòng hai"  # the line break is shown, not only kept
    for context in desks:
        context.close()


def test_the_report_form_counts_near_the_limit_and_three_quick_taps_send_one_report(site, phone):
    phone.goto(f"{site}/")
    phone.locator("label[for=id_category_0]").click()
    box = phone.locator("#id_description")
    box.fill("a" * 3000)
    expect(phone.locator("#id_description_counter")).to_be_hidden()
    box.fill("a" * 4500)
    expect(phone.locator("#id_description_counter")).to_be_visible()
    expect(phone.locator("#id_description_counter")).to_contain_text("4500/5000")
    box.fill("a" * 5100)
    expect(phone.locator("#id_description_counter")).to_have_attribute("role", "alert")
    expect(phone.locator("#id_description_counter")).to_contain_text("100")
    box.fill("Có người dọa em trên mạng.")
    with phone.expect_navigation(url=re.compile("/receipt/$")):
        phone.locator("form.report-form button[type=submit]").click(click_count=3)
    assert Case.objects.count() == 1


def test_the_queue_on_a_phone_starts_with_cases_and_filters_are_folded(site, browser, phone):
    make_staff("hoa", "operator", "Hoa")
    make_case()
    log_in(phone, site, "hoa")
    phone.goto(f"{site}/cases/")
    expect(phone.locator("details.filters-fold")).not_to_have_attribute("open", "")
    assert inside_window(phone, "#queue-rows tr", 740)
    assert_fits_phone(phone, "the queue")
    context = browser.new_context(**DESKTOP)
    desk = context.new_page()
    log_in(desk, site, "hoa")
    desk.goto(f"{site}/cases/")
    expect(desk.locator("form.filters")).to_be_visible()  # a wide screen shows them open
    context.close()


def test_a_staff_error_page_is_in_the_staff_layout(site, phone):
    make_staff("hoa", "operator", "Hoa")
    log_in(phone, site, "hoa")
    response = phone.goto(f"{site}/cases/NONE-0000/")
    assert response.status == 404
    expect(phone.locator("#quick-exit")).to_have_count(0)
    expect(phone.locator(".safety-line")).to_have_count(0)
    expect(phone.locator("body.staff")).to_have_count(1)
    phone.goto(f"{site}/no-such-page/")
    expect(phone.locator("#quick-exit")).to_have_count(1)  # the public keeps its quick exit
