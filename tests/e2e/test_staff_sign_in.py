"""A counsellor's first sign-in: enrol an authenticator app, keep the recovery codes, sign out, sign in with the
app's code, then once with a recovery code. The enrolment and verification pages pass axe, on a 360 px phone."""

import base64
import re
import time

import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.staff import current_code, sign_in
from tests.e2e.test_report_flow import assert_accessible, assert_fits_phone

PASSWORD = "a-long-test-password"


def password_step(page):
    page.fill("#id_username", "lan")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator(".login-form button[type=submit]").click()


def code_from_setup_key(setup_key):
    """What an authenticator app shows for the setup key typed by hand."""
    key = base64.b32decode(setup_key.replace(" ", ""))
    return f"{TOTP(key).token():06d}"


def sign_out(page):
    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_a_counsellor_enrols_on_first_sign_in_then_signs_in_with_the_app_and_a_recovery_code(site, phone):
    user = make_user("lan", "operator", first_name="Lan")
    errors = []
    phone.on("pageerror", lambda error: errors.append(error))

    phone.goto(f"{site}/cases/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    password_step(phone)
    # No device yet: the enrolment page, before any staff page.
    expect(phone).to_have_url(re.compile(r"/accounts/enrol/\?next="))
    expect(phone.locator("nav.staff-nav")).to_have_count(0)
    expect(phone.locator(".qr-code svg")).to_be_visible()
    assert_accessible(phone, "the enrolment page")
    assert_fits_phone(phone, "the enrolment page")
    phone.fill("#id_token", code_from_setup_key(phone.locator("#totp-secret").inner_text()))
    with phone.expect_navigation():
        phone.locator(".token-form button[type=submit]").click()

    # The recovery codes, once.
    expect(phone).to_have_url(re.compile(r"/accounts/recovery-codes/"))
    codes = [code.strip() for code in phone.locator("#recovery-codes li").all_inner_texts()]
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    assert_accessible(phone, "the recovery codes page")
    assert_fits_phone(phone, "the recovery codes page")
    phone.locator("label[for=id_saved]").click()
    with phone.expect_navigation():
        phone.locator("form[action='/accounts/recovery-codes/'] button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/cases/$"))
    sign_out(phone)

    # Next time: the password, then the app's code.
    password_step(phone)
    expect(phone).to_have_url(re.compile(r"/accounts/verify/"))
    assert_accessible(phone, "the verification page")
    assert_fits_phone(phone, "the verification page")
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    phone.fill("#id_token", "000000" if current_code(device) != "000000" else "111111")
    with phone.expect_navigation():
        phone.locator(".token-form button[type=submit]").click()
    expect(phone.locator("#id_token_error")).to_be_visible()
    assert_accessible(phone, "the verification page with an error")
    time.sleep(1.1)  # django-otp's own pause after a wrong code
    phone.fill("#id_token", current_code(device))
    with phone.expect_navigation():
        phone.locator(".token-form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/cases/$"))
    sign_out(phone)

    # Phone lost: a recovery code, once.
    password_step(phone)
    phone.fill("#id_token", codes[0])
    with phone.expect_navigation():
        phone.locator(".token-form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(r"/cases/$"))
    expect(phone.locator(".notice--warning")).to_be_visible()
    assert not errors, errors


@pytest.fixture
def quick_socket_checks(monkeypatch):
    """Set before the Daphne process starts: its staff sockets check their session every second."""
    monkeypatch.setenv("STAFF_SOCKET_RECHECK_SECONDS", "1")


def test_signing_out_everywhere_sends_the_open_pages_to_sign_in(quick_socket_checks, daphne_servers, desk, browser):
    site = daphne_servers().url
    # The Daphne process checks passwords with the production hashers, not the tests' fast one.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        user = User.objects.create_user("hoa", password=PASSWORD, first_name="Hoa")
    user.groups.add(Group.objects.get(name="operator"))
    sign_in(desk, "hoa", PASSWORD, at=f"{site}/accounts/login/?next=/cases/")
    expect(desk).to_have_url(re.compile(r"/cases/$"))
    expect(desk.locator("#live-status")).to_have_attribute("data-state", "live")

    laptop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    sign_in(laptop, "hoa", PASSWORD, at=f"{site}/accounts/login/?next=/accounts/sessions/")
    expect(laptop.locator("table.sessions tbody tr")).to_have_count(2)
    with laptop.expect_navigation():
        laptop.locator("input[name=everywhere] + button").click()
    expect(laptop).to_have_url(re.compile(r"/accounts/login/$"))
    # The queue left open on the desk goes to the sign-in page by itself.
    expect(desk).to_have_url(re.compile(r"/accounts/login/"), timeout=30_000)
    laptop.context.close()
