"""The liaison portal's websocket: own agency only, authorised before accept(), told on commit."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from escalation.models import EscalationState
from hotline.asgi import application
from tests.conftest import make_user
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import INFO_DEPT, POLICE, make_escalation, walk
from tests.factories import verified_login

pytestmark = [pytest.mark.usefixtures("reference_data"), pytest.mark.asyncio]


def cookie_for(user):
    client = Client()
    verified_login(client, user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@database_sync_to_async
def liaison_cookie(username, agency_code):
    user = make_liaison(username, agency_code)
    return user, cookie_for(user)


@database_sync_to_async
def staff_cookie(username, role):
    user = make_user(username, role)
    return user, cookie_for(user)


def liaison_socket(cookie=None):
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, "/ws/liaison/", headers=headers)


async def test_a_liaison_is_told_when_an_escalation_of_their_agency_arrives_and_changes():
    police, police_cookie = await liaison_cookie("pa05-live", POLICE)
    _info, info_cookie = await liaison_cookie("vhttdl-live", INFO_DEPT)
    operator, _ = await staff_cookie("op-live", "operator")
    supervisor, _ = await staff_cookie("sup-live", "supervisor")
    police_socket, info_socket = liaison_socket(police_cookie), liaison_socket(info_cookie)
    assert (await police_socket.connect())[0] and (await info_socket.connect())[0]

    escalation = await database_sync_to_async(make_escalation)(
        EscalationState.SENT, operator=operator, supervisor=supervisor
    )
    event = await police_socket.receive_json_from(timeout=5)
    assert event == {"type": "escalation", "change": "sent", "id": escalation.pk, "state": "sent"}
    await database_sync_to_async(walk)(escalation, ["acknowledge"], operator=None, supervisor=None, liaison=police)
    event = await police_socket.receive_json_from(timeout=5)
    assert (event["change"], event["state"]) == ("acknowledged", "acknowledged")
    # The other agency hears nothing of it.
    assert await info_socket.receive_nothing(timeout=0.3)
    await police_socket.disconnect()
    await info_socket.disconnect()


async def test_nothing_is_announced_while_an_escalation_is_prepared():
    police, cookie = await liaison_cookie("pa05-quiet", POLICE)
    operator, _ = await staff_cookie("op-quiet", "operator")
    supervisor, _ = await staff_cookie("sup-quiet", "supervisor")
    socket = liaison_socket(cookie)
    await socket.connect()
    await database_sync_to_async(make_escalation)(
        EscalationState.PENDING_APPROVAL, operator=operator, supervisor=supervisor
    )
    assert await socket.receive_nothing(timeout=0.3)
    await socket.disconnect()


async def test_anonymous_users_staff_and_liaisons_without_an_agency_are_refused_before_accept():
    connected, _code = await liaison_socket().connect()
    assert not connected
    _operator, cookie = await staff_cookie("op-refused", "operator")
    connected, code = await liaison_socket(cookie).connect()
    assert not connected and code == 4403
    _orphan, cookie = await staff_cookie("liaison-without-agency", "liaison")
    connected, code = await liaison_socket(cookie).connect()
    assert not connected and code == 4403
