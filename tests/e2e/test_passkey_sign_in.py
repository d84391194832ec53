"""A liaison enrols a passkey instead of an app and signs in with it (Chromium's virtual authenticator)."""

import re

from playwright.sync_api import expect

from tests.escalation.conftest import make_liaison
from tests.escalation.factories import POLICE

PASSWORD = "a-long-test-password"


def password_step(page, username):
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator(".login-form button[type=submit]").click()


def session_cookie(page):
    return next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "sessionid")


def test_a_liaison_enrols_a_passkey_and_signs_in_with_it(site, desk):
    make_liaison("pa05-minh", POLICE)
    session = desk.context.new_cdp_session(desk)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    errors = []
    desk.on("pageerror", lambda error: errors.append(error))
    desk.goto(f"{site}/liaison/")
    password_step(desk, "pa05-minh")
    expect(desk).to_have_url(re.compile(r"/accounts/enrol/"))
    with desk.expect_navigation():
        desk.locator("#passkey-register-button").click()
    expect(desk).to_have_url(re.compile(r"/accounts/recovery-codes/"))
    desk.locator("label[for=id_saved]").click()
    with desk.expect_navigation():
        desk.locator("form[action='/accounts/recovery-codes/'] button[type=submit]").click()
    expect(desk).to_have_url(re.compile(r"/liaison/$"))
    with desk.expect_navigation():
        desk.locator("form[action='/accounts/logout/'] button").first.click()

    password_step(desk, "pa05-minh")
    expect(desk).to_have_url(re.compile(r"/accounts/verify/"))
    half_signed_in = session_cookie(desk)
    with desk.expect_navigation():
        desk.locator("#passkey-verification-button").click()
    expect(desk).to_have_url(re.compile(r"/liaison/$"))
    assert session_cookie(desk) != half_signed_in  # a new session key once verified
    assert not errors, errors
