"""The shared way in for websocket frames (cases.sockets), on a consumer that takes one frame type: what a new
socket gets by declaring its frames and budgets."""

import logging

import pytest
from channels.testing import WebsocketCommunicator

from cases.sockets import ERROR_BUDGET, Budget, Coalesced, FrameError, GuardedConsumer, whole_number

pytestmark = pytest.mark.asyncio


class AckConsumer(GuardedConsumer):
    frames = {"ack": "receive_ack", "wave": "receive_wave", "boom": "receive_boom"}
    budgets = {"ack": Budget(3, 60), "wave": Coalesced(30.0)}

    async def connect(self):
        await self.accept()

    async def receive_ack(self, content):
        alert_id = whole_number(content.get("id"))
        if alert_id is None:
            raise FrameError("bad_id", "ack needs an id.")
        await self.send_json({"type": "acked", "id": alert_id})

    async def receive_wave(self, content):
        await self.send_json({"type": "waved", "n": content.get("n")})

    async def receive_boom(self, content):
        raise RuntimeError("a bug in a handler")


async def connected():
    socket = WebsocketCommunicator(AckConsumer.as_asgi(), "/ws/alerts/")
    assert (await socket.connect())[0]
    return socket


async def test_it_hands_declared_frames_to_their_handler_and_refuses_the_rest():
    socket = await connected()
    await socket.send_json_to({"type": "ack", "id": 7})
    assert await socket.receive_json_from() == {"type": "acked", "id": 7}
    await socket.send_json_to({"type": "ack", "id": -1})
    assert (await socket.receive_json_from())["code"] == "bad_id"
    await socket.send_json_to({"type": "message", "text": "hi"})
    assert (await socket.receive_json_from())["code"] == "unknown_type"
    await socket.send_to(bytes_data=b"\xff\xfe")
    assert (await socket.receive_json_from())["code"] == "bad_frame"
    await socket.disconnect()


async def test_a_budget_refuses_frames_beyond_it():
    socket = await connected()
    for alert_id in range(3):
        await socket.send_json_to({"type": "ack", "id": alert_id})
        assert (await socket.receive_json_from())["type"] == "acked"
    await socket.send_json_to({"type": "ack", "id": 9, "client_id": "a9"})
    assert await socket.receive_json_from() == {
        "type": "error",
        "code": "rate_limited",
        "message": "Too many frames; wait a moment.",
        "client_id": "a9",
    }
    await socket.disconnect()


async def test_coalesced_frames_are_handled_once_per_interval():
    socket = await connected()
    for n in range(50):
        await socket.send_json_to({"type": "wave", "n": n})
    assert await socket.receive_json_from() == {"type": "waved", "n": 0}
    # The rest wait for the end of the 30-second interval (only the latest would be handled then).
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_a_failing_handler_answers_server_error_and_the_socket_stays_up(caplog):
    socket = await connected()
    with caplog.at_level(logging.ERROR):
        await socket.send_json_to({"type": "boom"})
        assert (await socket.receive_json_from())["code"] == "server_error"
    assert [record.name for record in caplog.records if record.levelno >= logging.ERROR] == ["cases.sockets"]
    await socket.send_json_to({"type": "ack", "id": 1})
    assert (await socket.receive_json_from())["type"] == "acked"
    await socket.disconnect()


async def test_refusals_are_answered_up_to_the_error_budget_then_dropped():
    socket = await connected()
    for _ in range(ERROR_BUDGET.limit + 20):
        await socket.send_to(text_data="not json")
    # Read as many answers as the budget allows (however slowly they come), then nothing more may follow.
    answers = [await socket.receive_json_from() for _ in range(ERROR_BUDGET.limit)]
    assert {a["code"] for a in answers} == {"bad_json"}
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_frames_reach_their_handler_without_a_thread_hand_off_each(monkeypatch):
    """Channels' own dispatch sends every message through a worker thread to close old database connections; ours
    does not (database_sync_to_async closes them where the database is used)."""
    from asgiref.sync import SyncToAsync

    hand_offs = []
    original = SyncToAsync.__call__

    async def counting(self, *args, **kwargs):
        hand_offs.append(getattr(self.func, "__name__", "?"))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(SyncToAsync, "__call__", counting)
    socket = await connected()
    for n in range(3):
        await socket.send_json_to({"type": "ack", "id": n})
        assert (await socket.receive_json_from())["id"] == n
    assert hand_offs == []  # (channels still cleans up once when the socket closes)
    await socket.disconnect()
