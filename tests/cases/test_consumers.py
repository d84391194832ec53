"""The live queue websocket, through the real ASGI application (origin check, session auth)."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from cases import services
from hotline.asgi import application
from tests.conftest import make_user
from tests.factories import make_case, verified_login

pytestmark = [pytest.mark.usefixtures("reference_data"), pytest.mark.asyncio]


@database_sync_to_async
def session_cookie_for(username, role):
    user = make_user(username, role)
    client = Client()
    verified_login(client, user)
    return user, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def queue_socket(cookie=None, origin=b"http://localhost"):
    headers = [(b"origin", origin), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, "/ws/queue/", headers=headers)


async def test_an_operator_sees_new_reports_and_changes_live():
    operator, cookie = await session_cookie_for("op-live", "operator")
    socket = queue_socket(cookie)
    connected, _ = await socket.connect()
    assert connected
    case, _code = await database_sync_to_async(make_case)(in_danger=True)
    event = await socket.receive_json_from(timeout=5)
    assert event == {"type": "case", "change": "created", "reference": case.reference, "priority": 1, "state": "new"}
    await database_sync_to_async(services.claim_case)(case=case, user=operator)
    event = await socket.receive_json_from(timeout=5)
    assert (event["change"], event["state"]) == ("state", "in_progress")
    # Only queue facts travel: nothing the reporter wrote.
    assert set(event) == {"type", "change", "reference", "priority", "state"}
    await socket.disconnect()


async def test_anonymous_users_and_liaisons_are_refused_before_accept():
    socket = queue_socket()
    connected, code = await socket.connect()
    assert not connected
    _liaison, cookie = await session_cookie_for("liaison-live", "liaison")
    socket = queue_socket(cookie)
    connected, code = await socket.connect()
    assert not connected and code == 4403


async def test_another_origin_is_refused_even_with_a_valid_session():
    _operator, cookie = await session_cookie_for("op-origin", "operator")
    socket = queue_socket(cookie, origin=b"https://evil.example")
    connected, _ = await socket.connect()
    assert not connected


async def test_a_rolled_back_write_announces_nothing():
    _operator, cookie = await session_cookie_for("op-rollback", "operator")
    socket = queue_socket(cookie)
    await socket.connect()

    @database_sync_to_async
    def failing_report():
        from django.db import transaction

        try:
            with transaction.atomic():
                make_case()
                raise RuntimeError("the database refused")
        except RuntimeError:
            pass

    await failing_report()
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()
