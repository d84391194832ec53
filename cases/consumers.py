"""Websocket consumers of the staff: the live operator queue and the alerts of every staff page.

Thin: authorise in connect() before accept(); hand each valid incoming frame to one service through
database_sync_to_async; handlers only send.
"""

import asyncio
import contextlib
from typing import Any, ClassVar

from channels.db import database_sync_to_async
from django.conf import settings

from cases import paging, realtime
from cases.sockets import GuardedConsumer

# A channel-layer event, as the group sends it (cases.realtime).
Event = dict[str, Any]


@database_sync_to_async
def _may_see_queue(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm("cases.view_case"))


class QueueConsumer(GuardedConsumer):
    # One-way: the queue accepts no frame type; whatever a client sends gets an error frame (within budget).
    frames: ClassVar[dict[str, str]] = {}

    async def connect(self) -> None:
        if not await _may_see_queue(self.scope["user"]):
            await self.close(code=4403)
            return
        await self.channel_layer.group_add(realtime.QUEUE_GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(realtime.QUEUE_GROUP, self.channel_name)

    async def queue_changed(self, event: Event) -> None:
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
def _staff_user_id(user: Any) -> int | None:
    if user.is_authenticated and user.is_active and user.has_perm("cases.view_case"):
        return int(user.pk)
    return None


@database_sync_to_async
def _open_pages(user: Any) -> list[dict[str, Any]]:
    return [paging.page_frame(page) for page in paging.open_pages_for(user)]


@database_sync_to_async
def _is_approver(user: Any) -> bool:
    return bool(user.has_perm("cases.assign_case"))  # supervisors: they approve escalations


class StaffConsumer(GuardedConsumer):
    """Alerts for one staff member on every staff page (/ws/staff/): the paging of unclaimed P1 cases.

    One group per user. The server sends `{"type": "pages", "pages": [...]}`, the whole current list, on connect,
    whenever a page, an acknowledgement or a claim concerns this user, and when a periodic re-read from the
    database finds it changed (a lost notification, or a worker without a shared channel layer). One-way: it accepts
    no frame type; whatever a client sends gets an error frame, within the base's budget.
    """

    frames: ClassVar[dict[str, str]] = {}
    group: str | None = None
    sync_task: asyncio.Future[None] | None = None
    approvers = False
    sent: list[dict[str, Any]] | None = None

    async def connect(self) -> None:
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

    async def resync_periodically(self) -> None:
        while True:
            await asyncio.sleep(settings.STAFF_ALERT_SYNC_SECONDS)
            await self.send_pages()

    async def disconnect(self, code: int) -> None:
        if self.sync_task:
            self.sync_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.sync_task
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.approvers:
            await self.channel_layer.group_discard(realtime.APPROVERS_GROUP, self.channel_name)

    async def pages_changed(self, event: Event) -> None:
        await self.send_pages()

    async def count_changed(self, event: Event) -> None:
        await self.send_json({"type": "count", "name": event["name"], "count": event["count"]})

    async def send_pages(self) -> None:
        pages = await _open_pages(self.scope["user"])
        if pages != self.sent:
            self.sent = pages
            await self.send_json({"type": "pages", "pages": pages})
