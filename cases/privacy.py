"""Masking of a reporter's contact details: shown only when a counsellor chooses to reveal them (logged)."""

import time

REVEAL_SESSION_KEY = "revealed_contacts"
REVEAL_SECONDS = 10 * 60


def mask_phone(phone):
    if not phone:
        return ""
    digits = str(phone.as_national if hasattr(phone, "as_national") else phone).replace(" ", "")
    return f"{digits[:3]}{'•' * max(len(digits) - 5, 3)}{digits[-2:]}"


def mask_email(email):
    if not email or "@" not in email:
        return ""
    name, domain = email.split("@", 1)
    return f"{name[:1]}{'•' * 4}@{domain[:1]}{'•' * 4}"


def remember_reveal(session, case):
    revealed = {k: v for k, v in session.get(REVEAL_SESSION_KEY, {}).items() if v > time.time()}
    revealed[str(case.pk)] = time.time() + REVEAL_SECONDS
    session[REVEAL_SESSION_KEY] = revealed


def is_revealed(session, case):
    return session.get(REVEAL_SESSION_KEY, {}).get(str(case.pk), 0) > time.time()
