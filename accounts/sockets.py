"""The websocket side of the staff sign-in: a socket of a session that has not passed the second factor, or that
has been idle too long, is anonymous to every consumer, so each consumer's connect() refuses it (4403) before
accept(). Applied once, in hotline.asgi, to every websocket route."""

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from accounts import services


@database_sync_to_async
def _verified(scope) -> bool:
    user = scope.get("user")
    session = scope.get("session")
    if user is None or not user.is_authenticated or session is None:
        return False
    last = session.get(services.LAST_ACTIVITY_KEY)
    if last is None or services.idle_for(last=last, now=timezone.now()):
        return False
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed


class SecondFactorMiddleware:
    """After channels' AuthMiddlewareStack: only a verified, recently active staff session keeps its user."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if user is not None and getattr(user, "is_authenticated", False) and not await _verified(scope):
            scope = dict(scope, user=AnonymousUser())
        return await self.inner(scope, receive, send)
