"""Chat for the mobile app: a single-use ticket for the websocket, and the conversation over plain HTTP."""

import logging
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Message, Sender
from hotline.asgi import application
from hotline.models import ChatTicket
from tests.conftest import make_user
from tests.factories import make_case, verified_login

pytestmark = [pytest.mark.usefixtures("reference_data")]


def ticket_for(client, case, code):
    response = client.post(f"/api/v1/reports/{case.reference}/chat-ticket", HTTP_X_ACCESS_CODE=code)
    assert response.status_code == 201, response.content
    assert response["Cache-Control"] == "no-store"
    return response.json()


def app_socket(path):
    # An app sends an Origin of the site's host (or none at all would be refused like a foreign page).
    return WebsocketCommunicator(application, path, headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")])


async def refused(path):
    """The socket is closed before accept with 4403, and nothing else is said or stored."""
    stored = await database_sync_to_async(Message.objects.count)()
    communicator = app_socket(path)
    connected, code = await communicator.connect()
    assert (connected, code) == (False, 4403)
    assert await communicator.receive_nothing()
    await communicator.wait()
    # (Also waits for the socket's database thread to be done before the next test.)
    assert await database_sync_to_async(Message.objects.count)() == stored


# --- the ticket ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_it_opens_the_chat_once_with_a_ticket_and_the_protocol_is_unchanged(caplog):
    caplog.set_level(logging.DEBUG)
    case, code = await database_sync_to_async(make_case)()
    body = await database_sync_to_async(ticket_for)(Client(), case, code)
    assert body["websocket_path"] == f"/ws/cases/{case.reference}/chat/"
    path = f"{body['websocket_path']}?ticket={body['ticket']}"
    communicator = app_socket(path)
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "message", "client_id": "app-1", "text": "Em cần giúp đỡ"})
    while (frame := await communicator.receive_json_from(timeout=3))["type"] != "message":
        pass
    assert (frame["seq"], frame["sender"], frame["client_id"]) == (1, Sender.REPORTER, "app-1")
    await communicator.disconnect()
    # Used once: the same ticket opens nothing any more.
    await refused(path)
    # The ticket is in no log line (the access log of Daphne and nginx carry no query string; ours neither).
    assert body["ticket"] not in caplog.text
    stored = await database_sync_to_async(ChatTicket.objects.get)()
    assert body["ticket"] not in stored.ticket_hash


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_an_expired_ticket_is_refused_without_detail():
    case, code = await database_sync_to_async(make_case)()
    body = await database_sync_to_async(ticket_for)(Client(), case, code)
    await database_sync_to_async(ChatTicket.objects.update)(expires_at=timezone.now() - timedelta(seconds=1))
    await refused(f"{body['websocket_path']}?ticket={body['ticket']}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_ticket_for_another_case_is_refused_and_used_up():
    case, code = await database_sync_to_async(make_case)()
    other, _other_code = await database_sync_to_async(make_case)()
    body = await database_sync_to_async(ticket_for)(Client(), case, code)
    await refused(f"/ws/cases/{other.reference}/chat/?ticket={body['ticket']}")
    # A ticket shown at the wrong door is spent: it no longer opens its own case either.
    await refused(f"{body['websocket_path']}?ticket={body['ticket']}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_made_up_or_empty_ticket_is_refused_even_with_a_staff_session():
    case, _code = await database_sync_to_async(make_case)()

    @database_sync_to_async
    def staff_cookie():
        client = Client()
        verified_login(client, make_user("op-ticket", "operator"))
        return client.cookies["sessionid"].value

    cookie = await staff_cookie()
    communicator = WebsocketCommunicator(
        application,
        f"/ws/cases/{case.reference}/chat/?ticket=wrong-wrong-wrong-wrong-wrong",
        headers=[
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
            (b"cookie", f"sessionid={cookie}".encode()),
        ],
    )
    connected, code = await communicator.connect()
    assert (connected, code) == (False, 4403)
    await communicator.wait()
    await refused(f"/ws/cases/{case.reference}/chat/?ticket=" + "x" * 43)
    await refused(f"/ws/cases/{case.reference}/chat/?ticket=")


@pytest.mark.django_db
def test_a_ticket_needs_the_access_code(client):
    case, code = make_case()
    wrong = code[:-1] + ("Y" if code[-1] == "X" else "X")  # one symbol off, never the code itself
    response = client.post(f"/api/v1/reports/{case.reference}/chat-ticket", HTTP_X_ACCESS_CODE=wrong)
    assert response.status_code == 404
    assert client.post(f"/api/v1/reports/{case.reference}/chat-ticket").status_code == 404
    assert not ChatTicket.objects.exists()


# --- the conversation over HTTP --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_app_writes_and_reads_the_conversation_over_http(client):
    case, code = make_case()
    url = f"/api/v1/reports/{case.reference}/messages"
    sent = client.post(
        url,
        {"client_id": "m-1", "text": "  Em vẫn bị nhắn tin  "},
        content_type="application/json",
        HTTP_X_ACCESS_CODE=code,
    )
    assert sent.status_code == 201
    assert sent.json()["seq"] == 1 and sent.json()["text"] == "Em vẫn bị nhắn tin"
    # Resending the same client_id stores nothing new.
    again = client.post(
        url,
        {"client_id": "m-1", "text": "Em vẫn bị nhắn tin"},
        content_type="application/json",
        HTTP_X_ACCESS_CODE=code,
    )
    assert again.json()["seq"] == 1 and Message.objects.filter(case=case).count() == 1
    counsellor = make_user("op-http", "operator")
    services.claim_case(case=case, user=counsellor)
    services.post_staff_message(case=case, user=counsellor, text="Chào em, anh chị đây.")
    page = client.get(url + "?after_seq=1", HTTP_X_ACCESS_CODE=code).json()
    assert [(m["seq"], m["sender"]) for m in page["messages"]] == [(2, "staff")]
    assert (page["last_seq"], page["more"]) == (2, False)
    assert client.get(url + "?after_seq=2", HTTP_X_ACCESS_CODE=code).json() == {
        "messages": [],
        "last_seq": 2,
        "more": False,
    }


@pytest.mark.django_db
def test_the_http_conversation_refuses_bad_input_clearly(client):
    case, code = make_case()
    url = f"/api/v1/reports/{case.reference}/messages"
    assert client.get(url, HTTP_X_ACCESS_CODE="wrong").status_code == 404
    assert client.get(url + "?after_seq=-1", HTTP_X_ACCESS_CODE=code).status_code == 400
    assert client.get(url + "?after_seq=99999999999", HTTP_X_ACCESS_CODE=code).status_code == 400
    empty = client.post(url, {"client_id": "x", "text": " "}, content_type="application/json", HTTP_X_ACCESS_CODE=code)
    assert empty.status_code == 400 and "text" in empty.json()["errors"]
    no_id = client.post(url, {"text": "hello"}, content_type="application/json", HTTP_X_ACCESS_CODE=code)
    assert no_id.status_code == 400 and "client_id" in no_id.json()["errors"]
    not_json = client.post(url, "{", content_type="application/json", HTTP_X_ACCESS_CODE=code)
    assert not_json.status_code == 400
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_the_openapi_document_describes_the_ticket_and_the_messages(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/reports/{reference}/chat-ticket"]
    assert set(paths["/api/v1/reports/{reference}/messages"]) == {"get", "post"}
