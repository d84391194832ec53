"""Websocket consumers: the live operator queue and a case's conversation.

Thin: authorise in connect() before accept(); hand each valid incoming frame to one service through
database_sync_to_async; handlers only send.
"""

import asyncio
import contextlib
import hashlib
import logging
import time
from collections import deque

from channels.db import database_sync_to_async
from django.conf import settings
from django_fsm import TransitionNotAllowed

from cases import paging, realtime, services
from cases.models import Case, Message, Sender
from cases.sockets import Budget, Coalesced, FrameError, GuardedConsumer, whole_number
from hotline import monitoring, reporter_access
from hotline.forms import MAX_MESSAGE

logger = logging.getLogger(__name__)


@database_sync_to_async
def _may_see_queue(user):
    return user.is_authenticated and user.is_active and user.has_perm("cases.view_case")


class QueueConsumer(GuardedConsumer):
    # One-way: the queue accepts no frame type; whatever a client sends gets an error frame (within budget).
    frames = {}

    async def connect(self):
        if not await _may_see_queue(self.scope["user"]):
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(realtime.QUEUE_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(realtime.QUEUE_GROUP, self.channel_name)

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


@database_sync_to_async
def _is_approver(user):
    return user.has_perm("cases.assign_case")  # supervisors: they approve escalations


class StaffConsumer(GuardedConsumer):
    """Alerts for one staff member on every staff page (/ws/staff/): the paging of unclaimed P1 cases.

    One group per user. The server sends `{"type": "pages", "pages": [...]}`, the whole current list, on connect,
    whenever a page, an acknowledgement or a claim concerns this user, and when a periodic re-read from the
    database finds it changed (a lost notification, or a worker without a shared channel layer). One-way: it accepts
    no frame type; whatever a client sends gets an error frame, within the base's budget.
    """

    frames = {}
    group = None
    sync_task = None
    approvers = False

    async def connect(self):
        user_id = await _staff_user_id(self.scope["user"])
        if user_id is None:
            await self.close(code=4403)
            return
        self.group = realtime.staff_group(user_id)
        self.sent = None
        await self.channel_layer.group_add(self.group, self.channel_name)
        if await _is_approver(self.scope["user"]):
            self.approvers = True
            await self.channel_layer.group_add(realtime.APPROVERS_GROUP, self.channel_name)
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
        if self.approvers:
            await self.channel_layer.group_discard(realtime.APPROVERS_GROUP, self.channel_name)

    async def pages_changed(self, event):
        await self.send_pages()

    async def count_changed(self, event):
        await self.send_json({"type": "count", "name": event["name"], "count": event["count"]})

    async def send_pages(self):
        pages = await _open_pages(self.scope["user"])
        if pages != self.sent:
            self.sent = pages
            await self.send_json({"type": "pages", "pages": pages})


MESSAGES_PER_MINUTE = 20
RESYNC_BATCH = 100  # messages in one resync answer; the client asks again while `more` is true
RESYNCS_PER_MINUTE = 20


class ChatConsumer(GuardedConsumer):
    """One case's conversation: the reporter (by the access proven over HTTP, kept in the session) and staff.

    Protocol (JSON text frames), documented in docs/chat-protocol.md:
      client → server  message {client_id, text} · typing · seen {seq} · resync {after_seq}
      server → client  message {seq, client_id, sender, text, sent_at} · typing {sender} · seen {sender, seq}
                       presence {sender, id, online} · resync {after_seq, last_seq, more} · error {code, message}
    Frames enter through GuardedConsumer (cases/sockets.py): size, parsing, budgets and errors are its job.
    A message is stored first; the sender gets the stored copy straight back (its acknowledgement, even when
    the channel layer is down) and everyone else gets it from the group after commit.
    """

    frames = {
        "message": "_receive_message",
        "typing": "_receive_typing",
        "seen": "_receive_seen",
        "resync": "_receive_resync",
    }
    budgets = {
        # Messages have their own limit below (only stored messages count), with an error naming the message.
        "message": Budget(MESSAGES_PER_MINUTE * 3, 60),
        "typing": Coalesced(2.0),
        "seen": Coalesced(1.0),
        "resync": Budget(RESYNCS_PER_MINUTE, 60),
    }

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

    async def _receive_message(self, content):
        text, client_id = content.get("text"), content.get("client_id")
        monitoring.mark_sensitive(text)
        if not isinstance(text, str) or not text.strip():
            raise FrameError("empty", "Write something first.", **_client_id(client_id))
        if len(text) > MAX_MESSAGE:
            raise FrameError("too_long", f"At most {MAX_MESSAGE} characters.", **_client_id(client_id))
        if not isinstance(client_id, str) or not 1 <= len(client_id) <= 64:
            raise FrameError("bad_client_id", "client_id: 1 to 64 characters.")
        now = time.monotonic()
        if len(self.sent_times) == MESSAGES_PER_MINUTE and now - self.sent_times[0] < 60:
            raise FrameError("rate_limited", "Too many messages; wait a moment.", client_id=client_id)
        self.sent_times.append(now)
        try:
            frame = await _store_chat_message(self.case_id, self.role, self.scope["user"], text.strip(), client_id)
        except (services.NotAllowed, TransitionNotAllowed):
            raise FrameError("not_allowed", "You cannot write on this case now.", client_id=client_id) from None
        await self.send_json(frame)

    async def _receive_typing(self, content):
        await self._group_send({"type": realtime.CHAT_TYPING, "sender": self.role, "from": self.channel_name})

    async def _receive_seen(self, content):
        seq = whole_number(content.get("seq"))
        if seq is None:
            raise FrameError("bad_seq", "seen needs a sequence number.")
        if self.role == Sender.STAFF:
            await _mark_seen(self.case_id)
        await self._group_send({"type": realtime.CHAT_SEEN, "sender": self.role, "seq": seq, "from": self.channel_name})

    async def _receive_resync(self, content):
        after = whole_number(content.get("after_seq", 0))
        if after is None:
            raise FrameError("bad_seq", "resync needs after_seq, a whole number.")
        frames, more = await _messages_after(self.case_id, after)
        for frame in frames:
            await self.send_json(frame)
        last_seq = frames[-1]["seq"] if frames else after
        await self.send_json({"type": "resync", "after_seq": after, "last_seq": last_seq, "more": more})

    # Group events → this socket.

    async def chat_message(self, event):
        await self.send_json(event["message"])

    async def chat_case(self, event):
        await self.send_json({"type": "case"})

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


def _client_id(client_id):
    return {"client_id": client_id} if client_id is not None else {}


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
    """At most RESYNC_BATCH messages after `after`, and whether more follow (the client asks again from there)."""
    messages = list(Message.objects.filter(case_id=case_id, seq__gt=after).order_by("seq")[: RESYNC_BATCH + 1])
    return [realtime.message_frame(message) for message in messages[:RESYNC_BATCH]], len(messages) > RESYNC_BATCH


@database_sync_to_async
def _mark_seen(case_id):
    services.mark_seen_by_staff(case=Case(pk=case_id))
