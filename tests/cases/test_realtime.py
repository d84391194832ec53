"""Queue notifications from sync code are handed to the server's event loop without waiting for it."""

import asyncio
import threading

import pytest
from channels.layers import get_channel_layer

from cases import realtime
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_loop():
    """An event loop running in a thread of its own, as Daphne's main loop runs beside the worker threads."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    realtime.use_event_loop(loop)
    yield loop
    realtime.use_event_loop(None)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=5)
    loop.close()


def _in_loop(loop, coroutine):
    return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=5)


def test_it_hands_a_queue_notification_to_the_server_loop(server_loop, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    channel = _in_loop(server_loop, layer.new_channel())
    _in_loop(server_loop, layer.group_add(realtime.QUEUE_GROUP, channel))
    case, _code = make_case()

    with django_capture_on_commit_callbacks(execute=True):
        realtime.queue_changed_on_commit(case, change="created")

    event = _in_loop(server_loop, asyncio.wait_for(layer.receive(channel), 5))
    assert event == {
        "type": realtime.QUEUE_CHANGED,
        "change": "created",
        "reference": case.reference,
        "priority": int(case.priority),
        "state": case.state,
    }


def test_a_failed_notification_is_logged_without_case_data(server_loop, caplog, monkeypatch):
    class BrokenLayer:
        async def group_send(self, group, event):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(realtime, "get_channel_layer", BrokenLayer)
    case, _code = make_case()
    realtime._notify(realtime.QUEUE_GROUP, {"type": realtime.QUEUE_CHANGED, "reference": case.reference})
    _in_loop(server_loop, asyncio.sleep(0.05))  # let the loop run the send
    assert "live notification failed: ConnectionError" in caplog.text
    assert case.reference not in caplog.text
