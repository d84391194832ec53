"""Web push to staff browsers (VAPID, RFC 8030/8291, through pywebpush).

The VAPID key comes from settings.VAPID_PRIVATE_KEY; on the embedded default a key pair is generated once into
settings.VAPID_KEY_FILE (var/). A notice is content-free: it says that something urgent waits, never what.
A subscription the push service no longer knows (404, 410) is removed.
"""

import base64
import json
import logging
import os

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from cases.models import PushSubscription

logger = logging.getLogger(__name__)

GONE = (404, 410)
TTL_SECONDS = 15 * 60  # an alert older than this is no use


def vapid():
    """The hotline's VAPID key (loaded from settings, or generated into VAPID_KEY_FILE the first time)."""
    key = settings.VAPID_PRIVATE_KEY.strip()
    if key:
        return Vapid.from_pem(key.encode()) if "BEGIN" in key else Vapid.from_string(key)
    path = settings.VAPID_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        generated = Vapid()
        generated.generate_keys()
        # Written once, readable by the hotline's user only.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(generated.private_pem())
    return Vapid.from_file(str(path))


def application_server_key():
    """The public key a browser needs to subscribe (base64url, uncompressed P-256 point)."""
    raw = vapid().public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def save_subscription(*, user, endpoint, p256dh, auth):
    """Store (or move to this user) a browser's subscription. The endpoint identifies it."""
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return subscription


def send(subscription, payload):
    """Push `payload` (a dict, content-free) to one subscription. Returns False when the subscription was gone
    (and is now removed); raises WebPushException on other failures, so the task can retry."""
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload),
            vapid_private_key=vapid(),
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            timeout=10,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE:
            logger.info("push subscription %s is gone (%s): removed", subscription.pk, status)
            subscription.delete()
            return False
        logger.warning("push to subscription %s failed (%s)", subscription.pk, status)
        raise
    return True
