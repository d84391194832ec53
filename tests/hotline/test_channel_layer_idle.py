"""An open socket waits on the channel layer for as long as nobody writes: on Redis that wait is BZPOPMIN for up
to 5 s at a time, so the connection's read timeout must be longer. With redis-py 8's default of 5 s, every idle
socket's consumer failed after 5 s and the page had to reconnect (seen on a queue page left open)."""

import asyncio

import pytest
from channels.layers import get_channel_layer
from django.conf import settings

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="the in-memory layer has no read timeout")


@pytest.mark.asyncio
async def test_a_receive_that_waits_longer_than_five_seconds_still_gets_the_message():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    waiting = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(7)
    assert not waiting.done() or waiting.exception() is None, waiting.exception()
    await layer.send(channel, {"type": "still.here"})
    message = await asyncio.wait_for(waiting, timeout=5)
    assert message == {"type": "still.here"}
    await layer.flush()
