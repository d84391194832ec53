"""The live operator queue. Thin: authorise before accept(), then only forward notifications."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cases import realtime


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
