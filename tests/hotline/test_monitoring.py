"""Error reports leave with nothing a reporter typed, and no credential."""

import json

import pytest
import sentry_sdk
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import path
from sentry_sdk.transport import Transport

from hotline.asgi import websocket_application
from hotline.consumers import ChatConsumer
from hotline.monitoring import forget_sensitive, init_sentry, scrub_text
from hotline.urls import urlpatterns as hotline_urls
from tests.factories import make_case

PHONE = "0912 345 678"
EMAIL = "be.lan.2011@gmail.com"
SECRET_TEXT = "Thằng đó tên Tuấn lớp 8A dọa tung ảnh của em"


class CapturingTransport(Transport):
    def __init__(self):
        super().__init__()
        self.events = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type in ("event", "transaction"):
                self.events.append(item.payload.json)


@pytest.fixture
def sentry_events():
    transport = CapturingTransport()
    init_sentry(dsn="https://public@sentry.invalid/1", environment="test", transport=transport)
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.init(dsn=None)


def explode(request):
    raise RuntimeError(f"could not save {request.POST.get('description')!r} for {request.POST.get('contact_phone')}")


urlpatterns = [path("boom/", explode), *hotline_urls]


class ExplodingChatConsumer(ChatConsumer):
    async def _receive_message(self, content):
        await super()._receive_message(content)
        raise ValueError(f"relay failed for {content['text']}")


def assert_clean(events):
    assert events, "no event was captured"
    blob = json.dumps(events, ensure_ascii=False)
    for secret in (PHONE, "0912345678", "912345678", EMAIL, SECRET_TEXT, "Tuấn", "sessionid", "csrftoken"):
        assert secret not in blob, f"{secret!r} leaked into an error report"


@pytest.mark.django_db
def test_a_failing_view_reports_without_personal_data(settings, sentry_events):
    settings.ROOT_URLCONF = "tests.hotline.test_monitoring"
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "sessionid-secret-value"
    response = client.post(
        "/boom/",
        {"description": SECRET_TEXT, "contact_phone": PHONE, "contact_email": EMAIL},
        HTTP_X_ACCESS_CODE="AAAABBBBCCCCDDDD",
    )
    assert response.status_code == 500
    assert "Traceback" not in response.content.decode() and "RuntimeError" not in response.content.decode()
    sentry_sdk.flush()
    assert_clean(sentry_events)
    event = sentry_events[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert "AAAABBBBCCCCDDDD" not in json.dumps(event)


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_failing_consumer_reports_without_the_chat_text(reference_data, sentry_events):
    case, code = await database_sync_to_async(make_case)()

    @database_sync_to_async
    def cookie():
        client = Client()
        client.post("/status/", {"reference": case.reference, "access_code": code})
        return f"sessionid={client.cookies['sessionid'].value}"

    app = websocket_application([path("ws/cases/<str:reference>/chat/", ExplodingChatConsumer.as_asgi())])
    headers = [(b"cookie", (await cookie()).encode()), (b"origin", b"http://localhost"), (b"host", b"localhost")]
    socket = WebsocketCommunicator(app, f"/ws/cases/{case.reference}/chat/", headers=headers)
    assert (await socket.connect())[0]
    await socket.send_json_to({"type": "message", "client_id": "x1", "text": f"{SECRET_TEXT}, số em {PHONE}"})
    # The failure is reported and answered; the connection stays up.
    while (frame := await socket.receive_json_from(timeout=3))["type"] != "error":
        pass
    assert frame == {"type": "error", "code": "server_error", "message": frame["message"], "client_id": "x1"}
    await socket.send_json_to({"type": "typing"})
    await socket.disconnect()
    sentry_sdk.flush()
    assert_clean(sentry_events)


def test_scrub_text_removes_phones_emails_quotes_and_database_details():
    forget_sensitive()
    raw = (
        "duplicate key value violates unique constraint\nDETAIL: Key (text)=(em bị dọa) already exists. "
        f"call {PHONE} or +84912345678, mail {EMAIL}, said 'bí mật' and link /status/#r=ABCD-2345&c=SECRET"
    )
    cleaned = scrub_text(raw)
    for secret in (PHONE, "+84912345678", EMAIL, "bí mật", "em bị dọa", "SECRET"):
        assert secret not in cleaned
    assert cleaned.startswith("duplicate key value violates unique constraint")
