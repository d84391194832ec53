"""The staff websockets refuse a session that has not passed the second factor, or has been idle too long, in
connect() before accept() (4403), through the real ASGI application."""

import asyncio
import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from accounts import services
from tests.conftest import make_user
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import POLICE
from tests.factories import make_case, verified_login

pytestmark = [pytest.mark.usefixtures("reference_data"), pytest.mark.asyncio]


@database_sync_to_async
def session_cookie(user, *, verified, idle_minutes=0):
    client = Client()
    if verified:
        verified_login(client, user)
    else:
        client.force_login(user)  # the password step only
    if idle_minutes:
        session = client.session
        session[services.LAST_ACTIVITY_KEY] = int(time.time()) - idle_minutes * 60
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def connects(path, cookie):
    from hotline.asgi import application

    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", cookie.encode())]
    socket = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await socket.connect()
    await socket.disconnect()
    return connected, code


@database_sync_to_async
def people():
    case, _code = make_case()
    return {
        "case": case,
        "supervisor": make_user("sock-sup", "supervisor"),
        "police": make_liaison("sock-pa05", POLICE),
    }


async def test_every_staff_socket_refuses_a_session_without_the_second_factor():
    world = await people()
    sockets = [
        ("/ws/queue/", world["supervisor"]),
        ("/ws/staff/", world["supervisor"]),
        (f"/ws/cases/{world['case'].reference}/chat/", world["supervisor"]),
        ("/ws/liaison/", world["police"]),
    ]
    for path, user in sockets:
        connected, code = await connects(path, await session_cookie(user, verified=False))
        assert not connected and code == 4403, path
        # The same person, verified: let in.
        connected, _code = await connects(path, await session_cookie(user, verified=True))
        assert connected, path


async def test_a_staff_socket_refuses_a_session_idle_past_the_timeout(settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 30
    world = await people()
    connected, code = await connects(
        "/ws/queue/", await session_cookie(world["supervisor"], verified=True, idle_minutes=31)
    )
    assert not connected and code == 4403
    connected, _code = await connects(
        "/ws/queue/", await session_cookie(world["supervisor"], verified=True, idle_minutes=29)
    )
    assert connected


@database_sync_to_async
def sign_out_everywhere(user):
    services.end_sessions(user=user)


async def test_an_open_staff_socket_is_closed_once_its_session_is_signed_out_everywhere(settings):
    from hotline.asgi import application

    settings.STAFF_SOCKET_RECHECK_SECONDS = 0.2
    world = await people()
    cookie = await session_cookie(world["supervisor"], verified=True)
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", cookie.encode())]
    socket = WebsocketCommunicator(application, "/ws/queue/", headers=headers)
    connected, _code = await socket.connect()
    assert connected
    await asyncio.sleep(0.5)
    assert await socket.receive_nothing(timeout=0.1)  # still open while the session lives
    await sign_out_everywhere(world["supervisor"])
    closed = await socket.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4401}
    await socket.wait()
