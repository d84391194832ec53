"""The websocket of a case's conversation, where the young person (by the access proven over HTTP) and the
counsellors write.

Thin: authorise in connect() before accept(); hand each valid incoming frame to one service through
database_sync_to_async; handlers only send.
"""

import asyncio
import hashlib
import logging
import time
from collections import deque
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django_fsm import TransitionNotAllowed

from cases import realtime, services
from cases.models import Case, Message, Sender
from cases.plumbing import MAX_MESSAGE, NotAllowed
from cases.sockets import Budget, Coalesced, FrameError, GuardedConsumer, whole_number
from hotline import monitoring, reporter_access

logger = logging.getLogger(__name__)

# A frame's content or a channel-layer event.
Event = dict[str, Any]

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

    case_id: int
    role: str

    async def connect(self) -> None:
        case_id, role = await _authorise_chat(self.scope, self.scope["url_route"]["kwargs"]["reference"])
        if case_id is None or role is None:
            await self.close(code=4403)
            return
        self.case_id, self.role = case_id, role
        self.group = realtime.chat_group(self.case_id)
        self.sent_times: deque[float] = deque(maxlen=MESSAGES_PER_MINUTE)
        try:
            await self.channel_layer.group_add(self.group, self.channel_name)
        except Exception:  # noqa: BLE001 - no channel layer (Redis down): the page falls back to plain HTTP
            logger.warning("chat: channel layer unavailable at connect")
            await self.close(code=4503)
            return
        await self.accept()
        await self._announce(online=True, reply=True)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            try:
                await self._announce(online=False, reply=False)
                await self.channel_layer.group_discard(self.group, self.channel_name)
            except Exception:  # noqa: BLE001
                logger.warning("chat: channel layer unavailable at disconnect")

    async def _receive_message(self, content: Event) -> None:
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
            # Shielded: a socket closing meanwhile must not stop the stored message's announcement.
            frame = await asyncio.shield(self._store_and_announce(text.strip(), client_id))
        except (NotAllowed, TransitionNotAllowed):
            raise FrameError("not_allowed", "You cannot write on this case now.", client_id=client_id) from None
        await self.send_json(frame)

    async def _store_and_announce(self, text: str, client_id: str) -> Event:
        frame, announcements = await _store_chat_message(self.case_id, self.role, self.scope["user"], text, client_id)
        for group, event in announcements:  # committed: announce it to the conversation, from this loop
            try:
                await self.channel_layer.group_send(group, event)
            except Exception as error:  # noqa: BLE001 - a lost notice never undoes a stored message (resync)
                logger.error("live notification to %s failed: %s", group.split(".")[0], type(error).__name__)
        return frame

    async def _receive_typing(self, content: Event) -> None:
        await self._group_send({"type": realtime.CHAT_TYPING, "sender": self.role, "from": self.channel_name})

    async def _receive_seen(self, content: Event) -> None:
        seq = whole_number(content.get("seq"))
        if seq is None:
            raise FrameError("bad_seq", "seen needs a sequence number.")
        if self.role == Sender.STAFF:
            await _mark_seen(self.case_id)
        await self._group_send({"type": realtime.CHAT_SEEN, "sender": self.role, "seq": seq, "from": self.channel_name})

    async def _receive_resync(self, content: Event) -> None:
        after = whole_number(content.get("after_seq", 0))
        if after is None:
            raise FrameError("bad_seq", "resync needs after_seq, a whole number.")
        frames, more = await _messages_after(self.case_id, after)
        for frame in frames:
            await self.send_json(frame)
        last_seq = frames[-1]["seq"] if frames else after
        await self.send_json({"type": "resync", "after_seq": after, "last_seq": last_seq, "more": more})

    # Group events → this socket.

    async def chat_message(self, event: Event) -> None:
        await self.send_json(event["message"])

    async def chat_case(self, event: Event) -> None:
        await self.send_json({"type": "case"})

    async def chat_typing(self, event: Event) -> None:
        if event["from"] != self.channel_name:
            await self.send_json({"type": "typing", "sender": event["sender"]})

    async def chat_seen(self, event: Event) -> None:
        if event["from"] != self.channel_name:
            await self.send_json({"type": "seen", "sender": event["sender"], "seq": event["seq"]})

    async def chat_presence(self, event: Event) -> None:
        if event["from"] == self.channel_name:
            return
        await self.send_json(
            {"type": "presence", "sender": event["sender"], "id": event["id"], "online": event["online"]}
        )
        if event["reply"]:
            # Someone just arrived: tell them we are here too.
            await self._announce(online=True, reply=False)

    async def _announce(self, *, online: bool, reply: bool) -> None:
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

    async def _group_send(self, event: Event) -> None:
        try:
            await self.channel_layer.group_send(self.group, event)
        except Exception:  # noqa: BLE001 - ephemeral signals may be lost
            logger.warning("chat: channel layer unavailable for %s", event["type"])


def _client_id(client_id: object) -> dict[str, object]:
    return {"client_id": client_id} if client_id is not None else {}


@database_sync_to_async
def _authorise_chat(scope: Mapping[str, Any], reference: str) -> tuple[int | None, str | None]:
    """(case id, role) for whoever may join this case's conversation, or (None, None)."""
    case = Case.objects.filter(reference=reference).only("id", "state").first()
    if case is None:
        return None, None
    ticket = _ticket(scope)
    if ticket is not None:
        # An app's single-use ticket (POST /api/v1/reports/{reference}/chat-ticket); a wrong, used or expired one
        # is refused like any other stranger, whatever else the connection carries.
        case_id = reporter_access.redeem_chat_ticket(ticket=ticket, reference=reference)
        return (case_id, Sender.REPORTER) if case_id == case.id else (None, None)
    user = scope.get("user")
    if user is not None and user.is_authenticated and user.is_active and user.has_perm("cases.view_case"):
        return case.id, Sender.STAFF
    session = scope.get("session")
    if session is not None and reporter_access.has_access(session, case):
        return case.id, Sender.REPORTER
    return None, None


def _ticket(scope: Mapping[str, Any]) -> str | None:
    """The `ticket` query parameter, or None. The query string never reaches a log (Daphne logs the path only;
    deploy/nginx logs no query strings; hotline.monitoring drops query strings from error reports)."""
    raw = scope.get("query_string", b"")
    if b"ticket=" not in raw:
        return None
    try:
        values = parse_qs(raw.decode("latin-1"), max_num_fields=5).get("ticket")
    except ValueError:
        return ""
    return values[0] if values else ""


@database_sync_to_async
def _store_chat_message(
    case_id: int, role: str, user: Any, text: str, client_id: str
) -> tuple[Event, list[tuple[str, Event]]]:
    """The stored message's frame, and the announcements to send once back on the loop (realtime)."""
    case = Case(pk=case_id)  # the services lock and read the row themselves: no need to read it here first
    with realtime.deferred_announcements() as announcements:
        if role == Sender.STAFF:
            message: Message | None = services.post_staff_message(case=case, user=user, text=text, client_id=client_id)
        else:
            message = services.add_reporter_information(case=case, text=text, client_id=client_id)
    assert message is not None  # a message with text is always stored (or found stored)
    return realtime.message_frame(message), announcements


@database_sync_to_async
def _messages_after(case_id: int, after: int) -> tuple[list[Event], bool]:
    """At most RESYNC_BATCH messages after `after`, and whether more follow (the client asks again from there)."""
    messages = list(Message.objects.filter(case_id=case_id, seq__gt=after).order_by("seq")[: RESYNC_BATCH + 1])
    return [realtime.message_frame(message) for message in messages[:RESYNC_BATCH]], len(messages) > RESYNC_BATCH


@database_sync_to_async
def _mark_seen(case_id: int) -> None:
    services.mark_seen_by_staff(case=Case(pk=case_id))
