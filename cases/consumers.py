"""Websocket consumers: the live operator queue and a case's conversation.

Thin: authorise in connect() before accept(); hand each valid incoming frame to one service through
database_sync_to_async; handlers only send.
"""

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections import deque

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django_fsm import TransitionNotAllowed

from cases import paging, realtime, services
from cases.models import Case, Message, Sender
from hotline import monitoring, reporter_access
from hotline.forms import MAX_MESSAGE

logger = logging.getLogger(__name__)


@database_sync_to_async
def _may_see_queue(user):
    return user.is_authenticated and user.is_active and user.has_perm("cases.view_case")


class QueueConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        if not await _may_see_queue(self.scope["user"]):
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(realtime.QUEUE_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(realtime.QUEUE_GROUP, self.channel_name)

    async def receive_json(self, content, **kwargs):
        # The queue socket is one-way; anything a client sends is ignored.
        return

    async def queue_changed(self, event):
        await self.send_json(
            {
                "type": "case",
                "change": event["change"],
                "reference": event["reference"],
                "priority": event["priority"],
                "state": event["state"],
            }
        )


@database_sync_to_async
def _staff_user_id(user):
    if user.is_authenticated and user.is_active and user.has_perm("cases.view_case"):
        return user.pk
    return None


@database_sync_to_async
def _open_pages(user):
    return [paging.page_frame(page) for page in paging.open_pages_for(user)]


class StaffConsumer(AsyncJsonWebsocketConsumer):
    """Alerts for one staff member on every staff page (/ws/staff/): the paging of unclaimed P1 cases.

    One group per user. The server sends `{"type": "pages", "pages": [...]}`, the whole current list, on connect,
    whenever a page, an acknowledgement or a claim concerns this user, and when a periodic re-read from the
    database finds it changed (a lost notification, or a worker without a shared channel layer). One-way: what a
    client sends is ignored.
    """

    group = None
    sync_task = None

    async def connect(self):
        user_id = await _staff_user_id(self.scope["user"])
        if user_id is None:
            await self.close(code=4403)
            return
        self.group = realtime.staff_group(user_id)
        self.sent = None
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_pages()
        self.sync_task = asyncio.ensure_future(self.resync_periodically())

    async def resync_periodically(self):
        while True:
            await asyncio.sleep(settings.STAFF_ALERT_SYNC_SECONDS)
            await self.send_pages()

    async def disconnect(self, code):
        if self.sync_task:
            self.sync_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.sync_task
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        return

    async def pages_changed(self, event):
        await self.send_pages()

    async def send_pages(self):
        pages = await _open_pages(self.scope["user"])
        if pages != self.sent:
            self.sent = pages
            await self.send_json({"type": "pages", "pages": pages})


MAX_FRAME_CHARS = 16 * 1024
MESSAGES_PER_MINUTE = 20
MAX_RESYNC = 500


class ChatConsumer(AsyncJsonWebsocketConsumer):
    """One case's conversation: the reporter (by the access proven over HTTP, kept in the session) and staff.

    Protocol (JSON text frames), documented in docs/chat-protocol.md:
      client → server  message {client_id, text} · typing · seen {seq} · resync {after_seq}
      server → client  message {seq, client_id, sender, text, sent_at} · typing {sender} · seen {sender, seq}
                       presence {sender, id, online} · resync {after_seq, last_seq} · error {code, message}
    A message is stored first; the sender gets the stored copy straight back (its acknowledgement, even when
    the channel layer is down) and everyone else gets it from the group after commit.
    """

    async def connect(self):
        self.case_id, self.role = await _authorise_chat(self.scope, self.scope["url_route"]["kwargs"]["reference"])
        if self.case_id is None:
            await self.close(code=4403)
            return
        self.group = realtime.chat_group(self.case_id)
        self.sent_times = deque(maxlen=MESSAGES_PER_MINUTE)
        try:
            await self.channel_layer.group_add(self.group, self.channel_name)
        except Exception:  # noqa: BLE001 - no channel layer (Redis down): the page falls back to plain HTTP
            logger.warning("chat: channel layer unavailable at connect")
            await self.close(code=4503)
            return
        await self.accept()
        await self._announce(online=True, reply=True)

    async def disconnect(self, code):
        if getattr(self, "group", None):
            try:
                await self._announce(online=False, reply=False)
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except Exception:  # noqa: BLE001
                logger.warning("chat: channel layer unavailable at disconnect")

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if bytes_data is not None or text_data is None:
            return await self._error("bad_frame", "Send JSON text frames.")
        if len(text_data) > MAX_FRAME_CHARS:
            return await self._error("too_large", "This frame is too large.")
        try:
            content = json.loads(text_data)
        except ValueError:
            return await self._error("bad_json", "This frame is not valid JSON.")
        if not isinstance(content, dict):
            return await self._error("bad_frame", "A frame is a JSON object with a type.")
        handler = {
            "message": self._receive_message,
            "typing": self._receive_typing,
            "seen": self._receive_seen,
            "resync": self._receive_resync,
        }.get(content.get("type"))
        if handler is None:
            return await self._error("unknown_type", "Unknown frame type.")
        await handler(content)

    async def _receive_message(self, content):
        text, client_id = content.get("text"), content.get("client_id")
        monitoring.mark_sensitive(text)
        if not isinstance(text, str) or not text.strip():
            return await self._error("empty", "Write something first.", client_id=client_id)
        if len(text) > MAX_MESSAGE:
            return await self._error("too_long", f"At most {MAX_MESSAGE} characters.", client_id=client_id)
        if not isinstance(client_id, str) or not 1 <= len(client_id) <= 64:
            return await self._error("bad_client_id", "client_id: 1 to 64 characters.", client_id=None)
        now = time.monotonic()
        if len(self.sent_times) == MESSAGES_PER_MINUTE and now - self.sent_times[0] < 60:
            return await self._error("rate_limited", "Too many messages; wait a moment.", client_id=client_id)
        self.sent_times.append(now)
        try:
            frame = await _store_chat_message(self.case_id, self.role, self.scope["user"], text.strip(), client_id)
        except (services.NotAllowed, TransitionNotAllowed):
            return await self._error("not_allowed", "You cannot write on this case now.", client_id=client_id)
        await self.send_json(frame)

    async def _receive_typing(self, content):
        await self._group_send({"type": realtime.CHAT_TYPING, "sender": self.role, "from": self.channel_name})

    async def _receive_seen(self, content):
        seq = content.get("seq")
        if not isinstance(seq, int) or seq < 0:
            return await self._error("bad_seq", "seen needs a sequence number.")
        if self.role == Sender.STAFF:
            await _mark_seen(self.case_id)
        await self._group_send({"type": realtime.CHAT_SEEN, "sender": self.role, "seq": seq, "from": self.channel_name})

    async def _receive_resync(self, content):
        after = content.get("after_seq", 0)
        if not isinstance(after, int) or after < 0:
            return await self._error("bad_seq", "resync needs after_seq, a whole number.")
        frames = await _messages_after(self.case_id, after)
        for frame in frames:
            await self.send_json(frame)
        await self.send_json({"type": "resync", "after_seq": after, "last_seq": frames[-1]["seq"] if frames else after})

    # Group events → this socket.

    async def chat_message(self, event):
        await self.send_json(event["message"])

    async def chat_typing(self, event):
        if event["from"] != self.channel_name:
            await self.send_json({"type": "typing", "sender": event["sender"]})

    async def chat_seen(self, event):
        if event["from"] != self.channel_name:
            await self.send_json({"type": "seen", "sender": event["sender"], "seq": event["seq"]})

    async def chat_presence(self, event):
        if event["from"] == self.channel_name:
            return
        await self.send_json(
            {"type": "presence", "sender": event["sender"], "id": event["id"], "online": event["online"]}
        )
        if event["reply"]:
            # Someone just arrived: tell them we are here too.
            await self._announce(online=True, reply=False)

    async def _announce(self, *, online, reply):
        presence_id = hashlib.sha256(self.channel_name.encode()).hexdigest()[:12]
        await self._group_send(
            {
                "type": realtime.CHAT_PRESENCE,
                "sender": self.role,
                "id": presence_id,
                "online": online,
                "reply": reply,
                "from": self.channel_name,
            }
        )

    async def _group_send(self, event):
        try:
            await self.channel_layer.group_send(self.group, event)
        except Exception:  # noqa: BLE001 - ephemeral signals may be lost
            logger.warning("chat: channel layer unavailable for %s", event["type"])

    async def _error(self, code, message, client_id=None):
        frame = {"type": "error", "code": code, "message": message}
        if client_id is not None:
            frame["client_id"] = client_id
        await self.send_json(frame)


@database_sync_to_async
def _authorise_chat(scope, reference):
    """(case id, role) for whoever may join this case's conversation, or (None, None)."""
    case = Case.objects.filter(reference=reference).only("id", "state").first()
    if case is None:
        return None, None
    user = scope.get("user")
    if user is not None and user.is_authenticated and user.is_active and user.has_perm("cases.view_case"):
        return case.id, Sender.STAFF
    session = scope.get("session")
    if session is not None and reporter_access.has_access(session, case):
        return case.id, Sender.REPORTER
    return None, None


@database_sync_to_async
def _store_chat_message(case_id, role, user, text, client_id):
    case = Case(pk=case_id)  # the services lock and read the row themselves: no need to read it here first
    if role == Sender.STAFF:
        message = services.post_staff_message(case=case, user=user, text=text, client_id=client_id)
    else:
        message = services.add_reporter_information(case=case, text=text, client_id=client_id)
    return realtime.message_frame(message)


@database_sync_to_async
def _messages_after(case_id, after):
    messages = Message.objects.filter(case_id=case_id, seq__gt=after).order_by("seq")[:MAX_RESYNC]
    return [realtime.message_frame(message) for message in messages]


@database_sync_to_async
def _mark_seen(case_id):
    services.mark_seen_by_staff(case=Case(pk=case_id))
