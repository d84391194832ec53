"""Live chat in two real browsers: the reporter on a phone, the counsellor at a desk.

With REDIS_URL set, they are served by two different Daphne processes sharing PostgreSQL/SQLite and Redis (how
the hotline scales out); without it, by one process. The reporter's server then goes down and comes back:
the missed messages appear, in order, once.
"""

import os
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings
from playwright.sync_api import expect

from cases import services
from cases.models import Case, Message
from tests.e2e.staff import sign_in

PASSWORD = "a-long-operator-password"


def make_operator():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user = User.objects.create_user("hoa", password=PASSWORD, first_name="Hoa")
    user.groups.add(Group.objects.get(name="operator"))
    return user


def message_texts(page):
    return [
        text.strip() for text in page.locator("#messages li:not(.message--pending) .message__text").all_inner_texts()
    ]


def send_chat(page, text):
    page.fill("#chat-form textarea[name=text]", text)
    page.locator("#chat-form button[type=submit]").click()


@pytest.mark.parametrize("processes", [1, 2], ids=["one-daphne", "two-daphnes"])
def test_reporter_and_counsellor_chat_live_and_nothing_is_lost_across_a_drop(
    processes, daphne_servers, desk, new_phone
):
    if processes == 2 and not os.environ.get("REDIS_URL"):
        pytest.skip("two Daphne processes share live updates only through Redis (set REDIS_URL)")
    reporter_server = daphne_servers()
    counsellor_server = daphne_servers() if processes == 2 else reporter_server
    operator = make_operator()

    # The young person reports from a phone and opens the case page from the receipt link.
    phone = new_phone().new_page()
    phone.goto(f"{reporter_server.url}/")
    phone.locator("label[for=id_category_1]").click()
    phone.fill("#id_description", "Bạn cùng lớp lập nhóm chat để chửi em.")
    with phone.expect_navigation():
        phone.locator("form.report-form button[type=submit]").click()
    reference = phone.locator("#receipt-reference").inner_text().strip()
    phone.locator("#receipt-link").click()
    expect(phone).to_have_url(re.compile(rf"/status/{reference}/$"))
    expect(phone.locator("#chat")).to_have_attribute("data-connection", "live")
    expect(phone.locator("#chat-presence")).to_have_attribute("data-present", "0")

    # The counsellor logs in on (possibly) another server and opens the case.
    sign_in(desk, "hoa", PASSWORD, at=f"{counsellor_server.url}/accounts/login/")
    desk.goto(f"{counsellor_server.url}/cases/{reference}/")
    desk.locator("button[data-transition=claim]").click()
    expect(desk.locator("#chat")).to_have_attribute("data-connection", "live")
    # The reporter sees that a counsellor is there.
    expect(phone.locator("#chat-presence")).to_have_attribute("data-present", "1")

    send_chat(phone, "Chị ơi em phải làm sao?")
    expect(desk.locator("#messages")).to_contain_text("Chị ơi em phải làm sao?")
    desk.locator("#chat-form textarea").press_sequentially("Chị")
    expect(phone.locator("#chat-typing")).to_be_visible()
    send_chat(desk, "Em đừng trả lời nhóm đó, chụp màn hình lại cho chị nhé.")
    expect(phone.locator("#messages")).to_contain_text("chụp màn hình lại cho chị")
    assert message_texts(phone) == message_texts(desk)

    # The reporter's connection drops: their server goes away. Meanwhile the counsellor writes twice.
    reporter_server.stop()
    expect(phone.locator("#chat")).to_have_attribute("data-connection", "offline")
    missed = ["Em còn đó không?", "Khi nào em sẵn sàng thì nhắn chị."]
    case = Case.objects.get(reference=reference)
    for text in missed:
        if processes == 2:
            send_chat(desk, text)  # live, through the other server
            expect(desk.locator("#messages")).to_contain_text(text)
        else:
            services.post_staff_message(case=case, user=operator, text=text)  # saved while nobody is connected
    reporter_server.start()

    # The phone reconnects by itself, asks for what it missed, and shows it in order, once.
    expect(phone.locator("#chat")).to_have_attribute("data-connection", "live", timeout=20_000)
    expect(phone.locator("#messages li:not(.message--pending)")).to_have_count(4)
    expected = ["Chị ơi em phải làm sao?", "Em đừng trả lời nhóm đó, chụp màn hình lại cho chị nhé.", *missed]
    assert message_texts(phone) == expected
    assert list(Message.objects.filter(case=case).order_by("seq").values_list("text", flat=True)) == expected
    send_chat(phone, "Em đây ạ")
    expect(desk.locator("#messages")).to_contain_text("Em đây ạ")
    assert Message.objects.filter(case=case).count() == 5
