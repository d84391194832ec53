"""The liaison portal's live updates. Thin: authorise before accept(), join the own agency's group, forward."""

from typing import Any, ClassVar

from channels.db import database_sync_to_async

from cases.sockets import GuardedConsumer
from escalation import queries, realtime


@database_sync_to_async
def _agency_id_of(user: Any) -> int | None:
    if not (user.is_authenticated and user.is_active and user.has_perm("escalation.act_as_liaison")):
        return None
    agency = queries.agency_of(user)
    return agency.pk if agency else None


class LiaisonConsumer(GuardedConsumer):
    # One-way: the portal's writes are forms over HTTP. Any frame gets an error frame (within budget).
    frames: ClassVar[dict[str, str]] = {}
    group: str | None = None

    async def connect(self) -> None:
        agency_id = await _agency_id_of(self.scope["user"])
        if agency_id is None:
            await self.close(code=4403)
            return
        self.group = realtime.agency_group(agency_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def escalation_changed(self, event: dict[str, Any]) -> None:
        await self.send_json(
            {"type": "escalation", "change": event["change"], "id": event["id"], "state": event["state"]}
        )
