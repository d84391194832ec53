"""Redis goes away and comes back: nothing is lost, and live chat resumes by itself.

The test runs its own throwaway redis-server on a free port, so it can stop it without touching anyone else.
"""

import asyncio
import shutil
import socket
import subprocess
import time

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from django.test import Client

from cases import services
from cases.models import Message
from tests.cases.test_chat import connected, next_of, reporter_cookie, staff_cookie
from tests.cases.test_chat import socket as chat_socket
from tests.factories import make_case
from tests.live import free_port

REDIS = shutil.which("redis-server")
pytestmark = [
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.asyncio,
    pytest.mark.skipif(REDIS is None, reason="needs the redis-server program"),
]


class ThrowawayRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_layer(settings):
    redis = ThrowawayRedis()
    redis.start()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{redis.port}/0"], "prefix": "outage-test"},
        }
    }
    channel_layers.backends.clear()
    yield redis
    if redis.process.poll() is None:
        redis.stop()
    channel_layers.backends.clear()


async def test_messages_survive_a_redis_outage_and_chat_resumes(redis_layer):
    case, code = await database_sync_to_async(make_case)()
    operator, staff = await staff_cookie("op-outage")
    await database_sync_to_async(services.claim_case)(case=case, user=operator)
    own_cookie = await reporter_cookie(case, code)
    reporter = await connected(case.reference, own_cookie)
    counsellor = await connected(case.reference, staff)
    await reporter.send_json_to({"type": "message", "client_id": "before", "text": "Trước khi mất Redis"})
    assert (await next_of(counsellor, "message"))["client_id"] == "before"

    await database_sync_to_async(redis_layer.stop)()

    # Open sockets end (Channels' consumers listen on the layer); the pages' scripts then show "paused" and
    # send with plain form posts until they can reconnect.
    assert await ended(reporter) and await ended(counsellor)

    # Over HTTP, the reporter's note and the counsellor's answer are saved as usual.
    @database_sync_to_async
    def reporter_posts_the_form():
        client = Client()
        client.post("/status/", {"reference": case.reference, "access_code": code})
        return client.post(f"/status/{case.reference}/", {"text": "Gửi qua trang khi Redis tắt", "client_id": "http"})

    assert (await reporter_posts_the_form()).status_code == 302
    await database_sync_to_async(services.post_staff_message)(
        case=case, user=operator, text="Chị vẫn nhận được", client_id="staff-http"
    )
    # A new socket cannot join while the channel layer is down: it is refused before accept().
    joined, code_ = await _try_connect(case.reference, own_cookie)
    assert not joined and code_ == 4503

    await database_sync_to_async(redis_layer.start)()

    # Live chat works again by itself (same process, same settings), as the pages' scripts retry with backoff;
    # resync then finds everything, once.
    reporter = await connect_with_retries(case.reference, own_cookie)
    counsellor = await connect_with_retries(case.reference, staff)
    await counsellor.send_json_to({"type": "resync", "after_seq": 0})
    frames = [await next_of(counsellor, "message") for _ in range(3)]
    assert [(f["seq"], f["client_id"]) for f in frames] == [(1, "before"), (2, "http"), (3, "staff-http")]
    await reporter.send_json_to({"type": "message", "client_id": "after", "text": "Redis đã trở lại"})
    heard = await _next_with_client_id(counsellor, "after")
    assert heard["seq"] == 4
    assert await database_sync_to_async(Message.objects.filter(case=case).count)() == 4
    await reporter.disconnect()
    await counsellor.disconnect()


async def ended(communicator):
    """The socket was closed, or its consumer stopped (Daphne then closes the connection)."""
    try:
        output = await communicator.receive_output(timeout=10)
    except Exception:  # noqa: BLE001 - the consumer task ended with the layer's connection error
        return True
    while output["type"] != "websocket.close":
        try:
            output = await communicator.receive_output(timeout=10)
        except Exception:  # noqa: BLE001
            return True
    return True


async def connect_with_retries(reference, cookie, attempts=10):
    for attempt in range(attempts):
        communicator = chat_socket(reference, cookie)
        joined, _code = await communicator.connect()
        if joined:
            return communicator
        await asyncio.sleep(0.2 * (attempt + 1))
    raise AssertionError("live chat did not come back after Redis returned")


async def _try_connect(reference, cookie):
    communicator = chat_socket(reference, cookie)
    return await communicator.connect()


async def _next_with_client_id(communicator, client_id):
    while True:
        frame = await next_of(communicator, "message")
        if frame["client_id"] == client_id:
            return frame
