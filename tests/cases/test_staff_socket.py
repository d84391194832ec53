"""The staff-wide socket (/ws/staff/): the paging alerts reach a supervisor's open page, live."""

from importlib import import_module

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from cases import paging, services
from hotline import reporter_access
from hotline.asgi import application
from tests.conftest import make_user
from tests.factories import make_case, verified_login

pytestmark = [pytest.mark.usefixtures("reference_data"), pytest.mark.asyncio]


@database_sync_to_async
def logged_in(username, role):
    user = make_user(username, role)
    client = Client()
    verified_login(client, user)
    return user, f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@database_sync_to_async
def reporter_session():
    """A session that proved the access code of a case (what the status page's form leaves behind)."""
    case, _code = make_case()
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[reporter_access.SESSION_KEY] = [case.pk]
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def staff_socket(cookie=None):
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, "/ws/staff/", headers=headers)


async def test_a_page_reaches_the_supervisor_live_and_goes_when_acknowledged():
    supervisor, cookie = await logged_in("sup-live", "supervisor")
    socket = staff_socket(cookie)
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_json_from(timeout=5) == {"type": "pages", "pages": []}

    case, _code = await database_sync_to_async(make_case)(in_danger=True, description="Em muốn chết.")
    [page] = await database_sync_to_async(paging.page_unclaimed_cases)(now=case.first_response_due_at)
    frame = await socket.receive_json_from(timeout=5)
    assert frame["type"] == "pages"
    [alert] = frame["pages"]
    assert (alert["id"], alert["reference"], alert["round"]) == (page.pk, case.reference, 1)
    assert set(alert) == {"id", "reference", "round", "paged_at"}  # nothing the reporter wrote

    await database_sync_to_async(paging.acknowledge_page)(case=case, user=supervisor)
    assert await socket.receive_json_from(timeout=5) == {"type": "pages", "pages": []}
    await socket.disconnect()


async def test_a_claim_takes_the_alert_away():
    _supervisor, cookie = await logged_in("sup-claim", "supervisor")
    operator, _ = await logged_in("op-claim", "operator")
    case, _code = await database_sync_to_async(make_case)(in_danger=True)
    await database_sync_to_async(paging.page_unclaimed_cases)(now=case.first_response_due_at)
    socket = staff_socket(cookie)
    assert (await socket.connect())[0]
    assert len((await socket.receive_json_from(timeout=5))["pages"]) == 1  # already paged: shown on connect
    await database_sync_to_async(services.claim_case)(case=case, user=operator)
    assert await socket.receive_json_from(timeout=5) == {"type": "pages", "pages": []}
    await socket.disconnect()


async def test_anonymous_users_reporters_and_liaisons_are_refused_before_accept():
    for cookie in (None, await reporter_session(), (await logged_in("liaison-staff", "liaison"))[1]):
        socket = staff_socket(cookie)
        connected, code = await socket.connect()
        assert not connected and code == 4403
