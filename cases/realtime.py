"""Live notifications. Group names and event types live here, and only services call these, on commit.

The channel layer only notifies: it may lose a notification (Redis down), the database never loses what
it announces. A failed send is logged without any case data and otherwise ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from channels.layers import get_channel_layer
from django.db import transaction

from cases.plumbing import send_to_group

if TYPE_CHECKING:
    from cases.models import Message

logger = logging.getLogger(__name__)

QUEUE_GROUP = "queue"
QUEUE_CHANGED = "queue.changed"  # handler: QueueConsumer.queue_changed

# One group per case conversation; handlers on hotline.consumers.ChatConsumer.
CHAT_MESSAGE = "chat.message"
CHAT_TYPING = "chat.typing"
CHAT_SEEN = "chat.seen"
CHAT_PRESENCE = "chat.presence"
CHAT_CASE = "chat.case"  # the case changed: open pages read it again (protocol frame `case`)
# Queue changes that the case's own pages show too (state, assignee, triage, escalation steps...). Not "created":
# no page of a case can be open before the case is committed.
CASE_PAGE_CHANGES = {"state", "assigned", "updated"}


# One group per staff member: the alerts of the paging (cases/paging.py); handler StaffConsumer.pages_changed.
PAGES_CHANGED = "pages.changed"


# Supervisors' staff pages: counts shown on every staff page. The escalation app sends the number of escalations
# awaiting approval here (cases itself knows nothing of escalations). Handler StaffConsumer.count_changed.
APPROVERS_GROUP = "staff.approvers"
COUNT_CHANGED = "count.changed"


def staff_group(user_id):
    return f"staff.{user_id}"


def chat_group(case_id):
    return f"case.{case_id}.chat"


def message_frame(message: Message) -> dict[str, Any]:
    """A stored message as it travels to clients (the protocol's `message` frame). Staff are shown by role only."""
    return {
        "type": "message",
        "seq": message.seq,
        "client_id": message.client_id,
        "sender": message.sender,
        "text": message.text,
        "sent_at": message.sent_at.isoformat(),
    }


# The event loop of this server process (Daphne), as the ASGI application last saw it (hotline.asgi). Sync code
# (views and services run in worker threads) hands queue notifications to it without waiting for Redis: a queue
# ping needs no answer and no order, and waiting for it cost every report a few milliseconds.
_server_loop = None


def use_event_loop(loop):
    global _server_loop
    _server_loop = loop


def _log_failure(future):
    if not future.cancelled() and future.exception() is not None:
        logger.error("live notification failed: %s", type(future.exception()).__name__)


def _notify(group, event):
    """Send without waiting when the server's loop runs (fire and forget); otherwise as `send_to_group` does. Only
    for notifications whose order does not matter: chat messages keep `send_to_group`, which keeps their order."""
    loop, layer = _server_loop, get_channel_layer()
    if layer is None:
        return
    if loop is not None and loop.is_running():
        try:
            asyncio.run_coroutine_threadsafe(layer.group_send(group, event), loop).add_done_callback(_log_failure)
            return
        except RuntimeError:  # the loop closed meanwhile
            pass
    send_to_group(group, event)


def queue_changed_on_commit(case, *, change):
    """Tell every open queue that a case arrived or changed. Only facts a queue row shows; no personal data."""
    event = {
        "type": QUEUE_CHANGED,
        "change": change,
        "reference": case.reference,
        "priority": int(case.priority),
        "state": case.state,
    }
    transaction.on_commit(lambda: _notify(QUEUE_GROUP, event))
    if change in CASE_PAGE_CHANGES:
        case_changed_on_commit(case.pk)


def case_changed_on_commit(case_id):
    """Tell the case's open pages (the reporter's status page, the counsellors' case page) that the case changed:
    they read it again over HTTP, with their own permissions. The event carries nothing else, so the reporter's
    socket never learns an internal detail."""
    group = chat_group(case_id)
    transaction.on_commit(lambda: _notify(group, {"type": CHAT_CASE}))


def count_changed_on_commit(name, count):
    """Tell supervisors' staff pages a count (`count` is called after the commit, so it counts what is stored)."""
    transaction.on_commit(lambda: _notify(APPROVERS_GROUP, {"type": COUNT_CHANGED, "name": name, "count": count()}))


# A chat consumer stores a message in a worker thread; the announcement of the committed message is then sent by the
# consumer itself on its event loop when the thread returns, instead of from the thread (async_to_sync waits for the
# loop and Redis while the thread holds the request): one thread hand-off fewer per chat message. Views, the API
# and tasks, which run with no such collector, send from the thread as before.
_deferred_announcements: ContextVar[list[tuple[str, dict[str, Any]]] | None] = ContextVar(
    "deferred_chat_announcements", default=None
)


@contextlib.contextmanager
def deferred_announcements() -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Inside: chat messages committed are not announced but collected as (group, event) for the caller to send,
    in order, after the block (only once their transaction has committed: on_commit still decides)."""
    collected: list[tuple[str, dict[str, Any]]] = []
    token = _deferred_announcements.set(collected)
    try:
        yield collected
    finally:
        _deferred_announcements.reset(token)


def chat_message_on_commit(message):
    """Tell everyone in the case's conversation about a stored message, once it is committed."""
    event = {"type": CHAT_MESSAGE, "message": message_frame(message)}
    group = chat_group(message.case_id)

    def announce():
        collected = _deferred_announcements.get()
        if collected is not None:
            collected.append((group, event))
        else:
            send_to_group(group, event)

    transaction.on_commit(announce)


def pages_changed_on_commit(user_ids):
    """Tell these staff members' open pages that their alerts changed (a page, an acknowledgement, a claim). The
    socket reads the alerts from the database: the event carries nothing."""
    user_ids = sorted(user_ids)

    def send():
        for user_id in user_ids:
            send_to_group(staff_group(user_id), {"type": PAGES_CHANGED})

    transaction.on_commit(send)
