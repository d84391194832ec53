"""Signing staff in from a browser test: one place, so that a change to the sign-in (a second factor) is made once."""


def sign_in(page, username, password, *, at=None):
    """Fill the staff sign-in form on the page already open (or at the URL `at`), submit it, and wait until the
    browser has left the sign-in form."""
    if at:
        page.goto(at)
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator(".login-form button[type=submit]").click()
