"""Writes of the staff sign-in: enrolling and checking a second factor, recovery codes, resetting a person's devices,
recording and ending sessions.

Every device belongs to django-otp (TOTP, static recovery codes) or django-otp-webauthn (passkeys); this module is
the only place that creates, confirms or deletes them.
"""

import base64
import datetime
import secrets
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import demo
from accounts.models import StaffSession
from accounts.user_agents import browser_family, masked_network
from cases.audit import record_audit
from cases.models import AuditAction

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery"
TOTP_DEVICE_NAME = "authenticator"
# How often a session's "last activity" is written: not on every request.
LAST_SEEN_RESOLUTION = datetime.timedelta(minutes=1)
# Session keys this module keeps in a staff session.
LAST_ACTIVITY_KEY = "staff_last_activity"
RECOVERY_CODES_KEY = "staff_recovery_codes"  # shown once, then dropped from the session
RECORDED_KEY = "staff_session_recorded"  # the session key whose StaffSession row exists


class TokenRefused(Exception):
    """The code is wrong, already used, or the device may not be used."""


def has_second_factor(user: User) -> bool:
    """Whether the user has a confirmed device that signs in (recovery codes alone do not count as enrolled)."""
    return any(not isinstance(device, StaticDevice) for device in devices_for_user(user, confirmed=True))


def is_verified(user: Any) -> bool:
    """Whether django-otp's middleware marked this request's user as verified by a device."""
    verified = getattr(user, "is_verified", None)
    return bool(verified and verified())


def start_totp_enrolment(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator-app device with a new secret (the previous unconfirmed one is replaced)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def pending_totp_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def totp_secret(device: TOTPDevice) -> str:
    """The device's secret as an authenticator app takes it by hand: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _refuse_demo_device(device: Device) -> None:
    # The demo accounts' documented secret is public: outside DEBUG it never signs anyone in.
    if not settings.DEBUG and isinstance(device, TOTPDevice) and device.key == demo.DEMO_TOTP_KEY_HEX:
        raise TokenRefused


def confirm_totp_enrolment(*, request: HttpRequest, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm the authenticator app with its first code; the session is then verified by it."""
    _refuse_demo_device(device)
    if not device.verify_token(_digits(token)):
        raise TokenRefused
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    _verified_session(request, device)
    return device


def verify_second_factor(*, request: HttpRequest, token: str) -> Device:
    """Check a 6-digit code from the authenticator app or a recovery code against the signed-in user's devices;
    on success the session is verified. A recovery code works once."""
    user = request.user
    token = token.strip()
    digits = _digits(token)
    candidates = []
    # An app's code is six digits (maybe typed "123 456"); a recovery code has letters too, and may have six
    # digits among them ("d5737-ck47g"): only a token of digits alone is taken for an app's code.
    if len(digits) == 6 and token.replace(" ", "").replace("-", "").isdigit():
        candidates += list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    else:
        candidates += list(StaticDevice.objects.devices_for_user(user, confirmed=True))
        token = _recovery_code(token)
    for device in candidates:
        _refuse_demo_device(device)
        verified = device.verify_token(digits if isinstance(device, TOTPDevice) else token)
        if verified:
            _verified_session(request, device)
            return device
    raise TokenRefused


def _verified_session(request: HttpRequest, device: Device) -> None:
    # A new session key once verified: a cookie copied while the password step was done proves nothing.
    request.session.cycle_key()
    otp_login(request, device)


def issue_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes (the old ones stop working). Only their plain text goes back, to be shown once."""
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=_recovery_code(code)) for code in codes])
    return codes


def remaining_recovery_codes(user: User) -> int:
    count: int = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return count


def reset_second_factor(*, actor: User, user: User) -> int:
    """Remove every device of `user` (authenticator apps, passkeys, recovery codes) and end their sessions: they
    enrol again at their next sign-in. On the audit trail; returns how many devices were removed."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
            devices = model.objects.filter(user=user)
            removed += devices.count()
            devices.delete()
        record_audit(actor=actor, action=AuditAction.SECOND_FACTOR_RESET, target=f"user:{user.pk}", devices=removed)
        end_sessions(user=user)
    return removed


# --- sessions ---


def _session_store() -> type[SessionBase]:
    store: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    return store


def touch_session(*, request: HttpRequest, user: User, now: datetime.datetime) -> None:
    """Record this request of `user` as the session's latest activity (written at most once a minute)."""
    session = request.session
    last = session.get(LAST_ACTIVITY_KEY)
    recorded = session.session_key and session.get(RECORDED_KEY) == session.session_key
    if recorded and last is not None and now.timestamp() - last < LAST_SEEN_RESOLUTION.total_seconds():
        return
    session[LAST_ACTIVITY_KEY] = int(now.timestamp())
    if not session.session_key:
        session.save()
    session[RECORDED_KEY] = session.session_key
    StaffSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "last_seen_at": now,
            "browser": browser_family(request.headers.get("User-Agent", "")),
            "network": masked_network(request),
        },
    )


def idle_for(*, last: int, now: datetime.datetime) -> bool:
    """Whether a session last active at `last` (a timestamp) has been idle longer than the timeout."""
    limit: int = settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
    return now.timestamp() - last > limit


def is_idle(*, request: HttpRequest, now: datetime.datetime) -> bool:
    last = request.session.get(LAST_ACTIVITY_KEY)
    return last is not None and idle_for(last=last, now=now)


def end_sessions(*, user: User, keep: str = "") -> int:
    """End the user's sessions (all of them, or all but the session `keep`). Returns how many were ended."""
    store = _session_store()
    ended = 0
    for staff_session in StaffSession.objects.filter(user=user).exclude(session_key=keep or None):
        store(session_key=staff_session.session_key).delete()
        staff_session.delete()
        ended += 1
    return ended


def end_session(*, user: User, session_id: int) -> bool:
    staff_session = StaffSession.objects.filter(user=user, pk=session_id).first()
    if staff_session is None:
        return False
    _session_store()(session_key=staff_session.session_key).delete()
    staff_session.delete()
    return True


def prune_sessions(*, user: User) -> None:
    """Forget the rows of the user's sessions that ended elsewhere (the admin's own sign-out, expiry)."""
    store = _session_store()
    for staff_session in StaffSession.objects.filter(user=user):
        if not store().exists(staff_session.session_key):
            staff_session.delete()


def forget_session(*, session_key: str | None) -> None:
    """The session was signed out or timed out: its row goes too."""
    if session_key:
        StaffSession.objects.filter(session_key=session_key).delete()


# --- codes ---


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch.isdigit())[:8]


RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper without mistakes


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_code(token: str) -> str:
    """Recovery codes are compared without case, spaces or dashes."""
    return "".join(ch for ch in token.lower() if ch.isalnum())[:16]
