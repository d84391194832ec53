"""Signing staff in from a browser test: one place, so that a change to the sign-in (a second factor) is made once.

Staff sign in with a password, then a 6-digit code from their authenticator app. Accounts made by a test have no
device yet: `sign_in` gives them one (as if they had enrolled on an earlier day) and types the code the app would
show, computed from the device's secret with django-otp's own TOTP. Enrolling through the pages is tested by
tests/e2e/test_staff_sign_in.py.
"""

import time

from django.contrib.auth.models import User
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_of(username):
    """The user's confirmed authenticator-app device (one is enrolled for them if they have none)."""
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


def current_code(device):
    """The code the app shows now, or the next one when this one was already used (a code works once): waits for
    it rather than type a code the server must refuse."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() <= device.last_t:
        time.sleep(0.5)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(page, username, password, *, at=None):
    """Fill the staff sign-in form on the page already open (or at the URL `at`), submit it, answer the second
    step with the authenticator code, and wait until the browser has left the sign-in pages."""
    device = authenticator_of(username)
    if at:
        page.goto(at)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator(".login-form button[type=submit]").click()
    if "/accounts/verify/" not in page.url:
        page.wait_for_url("**/accounts/verify/**")
    page.fill("#id_token", current_code(device))
    with page.expect_navigation():
        page.locator(".token-form button[type=submit]").click()
