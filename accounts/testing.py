"""Signing a staff member in on Django's test client, for the tests and the benchmarks (never imported by a view).

`verified_login` leaves the session that the two sign-in steps leave: logged in (force_login) and verified by a
confirmed authenticator device of theirs (one is made if they have none), active just now. The product's
enforcement is untouched: a session without these steps (a bare force_login) is refused on every staff page and
websocket (tests/accounts).
"""

import time
from typing import Any

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import StaffSession
from accounts.services import LAST_ACTIVITY_KEY, RECORDED_KEY


def verified_login(client: Any, user: Any) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[LAST_ACTIVITY_KEY] = int(time.time())
    session[RECORDED_KEY] = session.session_key
    session.save()
    StaffSession.objects.update_or_create(
        session_key=session.session_key, defaults={"user": user, "last_seen_at": timezone.now()}
    )
    return device
