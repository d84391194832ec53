"""The chat websocket, through the real ASGI application: origin check, session auth, the protocol, the limits.

Runs on the in-memory channel layer and, when REDIS_URL is set, on channels-redis.
"""

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from cases import services, sockets
from cases.models import Case, CaseEvent, CaseState, Message
from hotline import consumers
from hotline.asgi import application
from tests.conftest import make_user
from tests.factories import make_case, verified_login

pytestmark = [pytest.mark.usefixtures("reference_data"), pytest.mark.asyncio]


def _cookie(client):
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@database_sync_to_async
def new_case(**kwargs):
    return make_case(**kwargs)


@database_sync_to_async
def reporter_cookie(case, code):
    client = Client()
    response = client.post("/status/", {"reference": case.reference, "access_code": code})
    assert response.status_code == 302
    return _cookie(client)


@database_sync_to_async
def staff_cookie(username, role="operator"):
    user = make_user(username, role)
    client = Client()
    verified_login(client, user)
    return user, _cookie(client)


def socket(reference, cookie=None, origin=b"http://localhost"):
    headers = [(b"origin", origin), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"/ws/cases/{reference}/chat/", headers=headers)


async def connected(reference, cookie):
    communicator = socket(reference, cookie)
    ok, _ = await communicator.connect()
    assert ok
    return communicator


async def next_of(communicator, frame_type, timeout=3):
    """The next frame of this type (presence and other signals may come first)."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == frame_type:
            return frame


async def next_new_message(communicator, after_seq):
    """The next message frame numbered after `after_seq` (a sender also gets its own message back from the
    group after its acknowledgement: clients keep one copy per seq)."""
    while True:
        frame = await next_of(communicator, "message")
        if frame["seq"] > after_seq:
            return frame


async def test_reporter_and_counsellor_talk_and_every_message_is_stored_once_in_order():
    case, code = await new_case()
    operator, staff = await staff_cookie("op-chat")
    await database_sync_to_async(services.claim_case)(case=case, user=operator)
    reporter = await connected(case.reference, await reporter_cookie(case, code))
    counsellor = await connected(case.reference, staff)

    await reporter.send_json_to({"type": "message", "client_id": "r-1", "text": "Chị ơi em sợ lắm"})
    ack = await next_of(reporter, "message")
    assert (ack["seq"], ack["client_id"], ack["sender"], ack["text"]) == (1, "r-1", "reporter", "Chị ơi em sợ lắm")
    heard = await next_of(counsellor, "message")
    assert heard["seq"] == 1 and heard["sender"] == "reporter"

    await counsellor.send_json_to({"type": "message", "client_id": "s-1", "text": "Chị ở đây, em kể chị nghe nhé."})
    assert (await next_new_message(reporter, 1))["seq"] == 2

    # The same client id again (a resend after a dropped connection) is stored once and acknowledged again.
    await reporter.send_json_to({"type": "message", "client_id": "r-1", "text": "Chị ơi em sợ lắm"})
    again = await next_of(reporter, "message")
    assert again["seq"] == 1
    assert await database_sync_to_async(Message.objects.filter(case=case).count)() == 2

    # Resync returns everything after a number, in order, then says where it ended. Frames still on their way from
    # before come first; the resync's own are the last three up to its summary.
    await reporter.send_json_to({"type": "resync", "after_seq": 0})
    frames = [await reporter.receive_json_from()]
    while frames[-1].get("type") != "resync":
        frames.append(await reporter.receive_json_from())
    assert [f.get("seq") for f in frames[-3:-1]] == [1, 2]
    assert frames[-1] == {"type": "resync", "after_seq": 0, "last_seq": 2, "more": False}
    await reporter.disconnect()
    await counsellor.disconnect()


async def test_a_reporter_message_brings_a_waiting_case_back_and_counts_as_unread():
    case, code = await new_case()
    operator, staff = await staff_cookie("op-wait")
    await database_sync_to_async(services.claim_case)(case=case, user=operator)
    await database_sync_to_async(services.wait_for_reporter)(case=case, user=operator)
    reporter = await connected(case.reference, await reporter_cookie(case, code))
    await reporter.send_json_to({"type": "message", "client_id": "x", "text": "Em trả lời đây"})
    await next_of(reporter, "message")
    case = await database_sync_to_async(Case.objects.get)(pk=case.pk)
    assert case.state == CaseState.IN_PROGRESS and case.unread_by_staff == 1
    counsellor = await connected(case.reference, staff)
    await counsellor.send_json_to({"type": "seen", "seq": 1})
    assert (await next_of(reporter, "seen")) == {"type": "seen", "sender": "staff", "seq": 1}
    case = await database_sync_to_async(Case.objects.get)(pk=case.pk)
    assert case.unread_by_staff == 0
    await reporter.disconnect()
    await counsellor.disconnect()


async def test_typing_and_presence_reach_the_other_side_and_are_never_stored():
    case, code = await new_case()
    _operator, staff = await staff_cookie("op-typing")
    reporter = await connected(case.reference, await reporter_cookie(case, code))
    events_before = await database_sync_to_async(CaseEvent.objects.count)()
    counsellor = await connected(case.reference, staff)
    arrived = await next_of(reporter, "presence")
    assert arrived["sender"] == "staff" and arrived["online"] is True
    await counsellor.send_json_to({"type": "typing"})
    assert await next_of(reporter, "typing") == {"type": "typing", "sender": "staff"}
    await counsellor.disconnect()
    left = await next_of(reporter, "presence")
    assert left["online"] is False and left["id"] == arrived["id"]
    assert await database_sync_to_async(Message.objects.count)() == 0
    assert await database_sync_to_async(CaseEvent.objects.count)() == events_before
    await reporter.disconnect()


async def test_messages_sent_over_http_reach_open_sockets():
    case, code = await new_case()
    operator, staff = await staff_cookie("op-http")
    await database_sync_to_async(services.claim_case)(case=case, user=operator)
    counsellor = await connected(case.reference, staff)

    @database_sync_to_async
    def reporter_posts_the_form():
        client = Client()
        client.post("/status/", {"reference": case.reference, "access_code": code})
        return client.post(f"/status/{case.reference}/", {"text": "Gửi từ trang trạng thái", "client_id": "form-1"})

    assert (await reporter_posts_the_form()).status_code == 302
    frame = await next_of(counsellor, "message")
    assert frame["text"] == "Gửi từ trang trạng thái" and frame["client_id"] == "form-1"
    await counsellor.disconnect()


async def test_who_may_join():
    case, code = await new_case()
    other, other_code = await new_case()
    # Nobody, the reporter of another case, a liaison, and another origin are refused before accept().
    assert not (await socket(case.reference).connect())[0]
    assert not (await socket(case.reference, await reporter_cookie(other, other_code)).connect())[0]
    _liaison, liaison_cookie = await staff_cookie("liaison-chat", "liaison")
    assert not (await socket(case.reference, liaison_cookie).connect())[0]
    own = await reporter_cookie(case, code)
    assert not (await socket(case.reference, own, origin=b"https://evil.example").connect())[0]
    assert not (await socket("ZZZZ-ZZZZ", own).connect())[0]
    ok = socket(case.reference, own)
    assert (await ok.connect())[0]
    await ok.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_frame"),
        (json.dumps({"type": "shout"}), "unknown_type"),
        (json.dumps({"type": "message", "client_id": "a", "text": "   "}), "empty"),
        (json.dumps({"type": "message", "client_id": "a", "text": "x" * 4001}), "too_long"),
        (json.dumps({"type": "message", "client_id": "", "text": "hi"}), "bad_client_id"),
        (json.dumps({"type": "message", "client_id": {"$ne": 1}, "text": "hi"}), "bad_client_id"),
        (json.dumps({"type": "message", "client_id": "a", "text": ["hi"]}), "empty"),
        (json.dumps({"type": "resync", "after_seq": "0; DROP TABLE"}), "bad_seq"),
        (json.dumps({"type": "seen", "seq": -1}), "bad_seq"),
        ("x" * (sockets.MAX_FRAME_BYTES + 1), "too_large"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_connection_stays_up(raw, code):
    case, access_code = await new_case()
    reporter = await connected(case.reference, await reporter_cookie(case, access_code))
    await reporter.send_to(text_data=raw)
    error = await next_of(reporter, "error")
    assert error["code"] == code and error["message"]
    await reporter.send_json_to({"type": "message", "client_id": "after", "text": "Vẫn gửi được"})
    assert (await next_of(reporter, "message"))["text"] == "Vẫn gửi được"
    await reporter.disconnect()


async def test_a_flood_is_rate_limited_per_connection():
    case, code = await new_case()
    reporter = await connected(case.reference, await reporter_cookie(case, code))
    for i in range(consumers.MESSAGES_PER_MINUTE):
        await reporter.send_json_to({"type": "message", "client_id": f"m{i}", "text": f"tin {i}"})
        await next_of(reporter, "message")
    await reporter.send_json_to({"type": "message", "client_id": "one-too-many", "text": "nữa"})
    error = await next_of(reporter, "error")
    assert error["code"] == "rate_limited" and error["client_id"] == "one-too-many"
    assert await database_sync_to_async(Message.objects.count)() == consumers.MESSAGES_PER_MINUTE
    await reporter.disconnect()


async def test_staff_cannot_write_on_a_closed_case():
    case, _code = await new_case()
    supervisor, staff = await staff_cookie("sup-closed", "supervisor")
    await database_sync_to_async(services.reject_case)(case=case, user=supervisor, reason="spam")
    counsellor = await connected(case.reference, staff)
    await counsellor.send_json_to({"type": "message", "client_id": "late", "text": "Chào em"})
    assert (await next_of(counsellor, "error"))["code"] == "not_allowed"
    await counsellor.disconnect()
