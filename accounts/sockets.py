"""The websocket side of the staff sign-in.

A socket of a session that has not passed the second factor, or has been idle too long, is anonymous to every
consumer, so each consumer's connect() refuses it (4403) before accept(). A staff socket that is open is checked
again every STAFF_SOCKET_RECHECK_SECONDS: once its session has ended (signed out, here or everywhere, or the
account's devices reset by an administrator) it is closed (4401). Applied once, in hotline.asgi, to every websocket
route.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from importlib import import_module
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from accounts import services

logger = logging.getLogger(__name__)

SESSION_ENDED = 4401

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _verified_session(user: Any, session: SessionBase) -> bool:
    last = session.get(services.LAST_ACTIVITY_KEY)
    if last is None or services.idle_for(last=last, now=timezone.now()):
        return False
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed


@database_sync_to_async
def _verified(scope: Scope) -> bool:
    user = scope.get("user")
    session = scope.get("session")
    if user is None or not user.is_authenticated or session is None:
        return False
    return _verified_session(user, session)


@database_sync_to_async
def _still_signed_in(user: Any, session_key: str) -> bool:
    """The session still exists and still carries a device of this user (its activity is the HTTP side's)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not session_key or not store().exists(session_key):
        return False
    session = store(session_key=session_key)
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed


class SecondFactorMiddleware:
    """After channels' AuthMiddlewareStack: only a verified, recently active staff session keeps its user."""

    def __init__(self, inner: ASGIApp) -> None:
        self.inner = inner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        user = scope.get("user")
        if user is None or not getattr(user, "is_authenticated", False):
            return await self.inner(scope, receive, send)
        if not await _verified(scope):
            return await self.inner(dict(scope, user=AnonymousUser()), receive, send)
        ended = asyncio.Event()
        watcher = asyncio.ensure_future(self._watch(user, scope["session"].session_key, ended))

        async def receive_until_ended() -> dict[str, Any]:
            incoming = asyncio.ensure_future(receive())
            stop = asyncio.ensure_future(ended.wait())
            try:
                done, _pending = await asyncio.wait({incoming, stop}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                stop.cancel()
                if not incoming.done():
                    incoming.cancel()
            if incoming in done:
                return incoming.result()
            with contextlib.suppress(Exception):  # the client may be gone already
                await send({"type": "websocket.close", "code": SESSION_ENDED})
            return {"type": "websocket.disconnect", "code": SESSION_ENDED}

        try:
            return await self.inner(scope, receive_until_ended, send)
        finally:
            watcher.cancel()

    @staticmethod
    async def _watch(user: Any, session_key: str, ended: asyncio.Event) -> None:
        while True:
            await asyncio.sleep(settings.STAFF_SOCKET_RECHECK_SECONDS)
            try:
                signed_in = await _still_signed_in(user, session_key)
            except Exception:  # a database hiccup must not end the watch for good: try again at the next check
                logger.warning("staff socket: the session check failed; trying again", exc_info=True)
                continue
            if not signed_in:
                ended.set()
                return
