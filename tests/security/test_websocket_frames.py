"""Every websocket (the chat as reporter and as counsellor, the queue, the liaison portal) survives any frame:
text, binary, bad UTF-8, deep nesting, sizes around the cap, floods of every type. The connection is never
closed, nothing is logged at ERROR, floods cost a bounded answer, and a normal frame still works afterwards."""

import json
import logging
import time
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import channel_layers, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import paging, realtime, sockets
from cases.models import Message
from escalation import realtime as escalation_realtime
from escalation.models import Agency
from hotline import consumers
from hotline.asgi import application
from tests.conftest import make_user
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import POLICE
from tests.factories import make_case

pytestmark = pytest.mark.usefixtures("reference_data")

KINDS = ["reporter", "counsellor", "queue", "liaison", "staff"]
CAP = sockets.MAX_FRAME_BYTES


def _cookie(client):
    return f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"


@pytest.fixture
def people():
    """One case, and a session cookie for each kind of socket."""
    case, code = make_case()
    reporter = Client()
    reporter.post("/status/", {"reference": case.reference, "access_code": code})
    counsellor = Client()
    counsellor.force_login(make_user("frames-op", "operator"))
    liaison = Client()
    liaison.force_login(make_liaison("frames-pa05", POLICE))
    supervisor = Client()
    supervisor.force_login(make_user("frames-sup", "supervisor"))
    return {
        "case": case,
        "agency_id": Agency.objects.get(code=POLICE).pk,
        "reporter": _cookie(reporter),
        "counsellor": _cookie(counsellor),
        "queue": _cookie(counsellor),
        "staff": _cookie(supervisor),
        "liaison": _cookie(liaison),
    }


def socket_for(kind, people):
    paths = {"queue": "/ws/queue/", "liaison": "/ws/liaison/", "staff": "/ws/staff/"}
    path = paths.get(kind, f"/ws/cases/{people['case'].reference}/chat/")
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost"), (b"cookie", people[kind].encode())]
    return WebsocketCommunicator(application, path, headers=headers)


async def frames_until(socket, done, timeout=5):
    """Every frame up to and including the first for which done(frame) holds. A closed connection or an
    exception inside the consumer fails here (receive_json_from asserts a text frame; the communicator re-raises)."""
    seen = []
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        assert frame["type"] in {
            "message",
            "error",
            "resync",
            "typing",
            "seen",
            "presence",
            "case",
            "escalation",
            "pages",
        }
        if frame["type"] == "error":
            assert isinstance(frame["code"], str) and isinstance(frame["message"], str)
        seen.append(frame)
        if done(frame):
            return seen


async def probe(kind, socket, people):
    """A normal frame (chat) or a live update (queue, liaison) still gets through. Returns what came before."""
    if kind in ("reporter", "counsellor"):
        client_id = f"probe-{uuid.uuid4().hex[:12]}"
        await socket.send_json_to({"type": "message", "client_id": client_id, "text": "Vẫn hoạt động"})
        return await frames_until(socket, lambda f: f["type"] == "message" and f["client_id"] == client_id)
    layer = get_channel_layer()
    if kind == "queue":
        event = {"type": realtime.QUEUE_CHANGED, "change": "probe", "reference": "X", "priority": 1, "state": "new"}
        await layer.group_send(realtime.QUEUE_GROUP, event)
        return await frames_until(socket, lambda f: f["type"] == "case" and f["change"] == "probe")
    if kind == "staff":
        # The alert socket re-reads the alerts on a notice and sends them when they changed: a P1 case is paged.
        await database_sync_to_async(_page_a_p1_case)()
        return await frames_until(socket, lambda f: f["type"] == "pages" and f["pages"])
    event = {"type": "escalation.changed", "change": "probe", "id": 0, "state": "sent"}
    await layer.group_send(escalation_realtime.agency_group(people["agency_id"]), event)
    return await frames_until(socket, lambda f: f["type"] == "escalation" and f["change"] == "probe")


def _page_a_p1_case():
    case, _code = make_case(in_danger=True, description="Có người dọa tung ảnh của em.")
    paging.page_unclaimed_cases(now=case.first_response_due_at)


def run(conversation):
    """Runs one conversation in a fresh event loop, with a fresh channel layer: a channels-redis layer made in
    another loop (an earlier hypothesis example) holds locks bound to that loop."""
    channel_layers.backends.clear()
    return async_to_sync(conversation)()


def nested(depth):
    return "[" * depth + "]" * depth


def around_the_cap(size, char):
    head = '{"type": "typing", "pad": "'
    return head + char * ((size - len(head) - 2) // len(char.encode())) + '"}'


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
frame_types = st.sampled_from(["message", "typing", "seen", "resync", "ack", "bogus", ""])
text_frames = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.characters(codec="utf-16", categories=["Cs", "Lo", "So"]), max_size=20),  # lone surrogates
    json_values.map(json.dumps),
    st.integers(1, 30_000).map(nested),
    st.integers(1, 5_000).map(lambda depth: '{"a":' * depth + "1" + "}" * depth),
    st.integers(CAP - 8, CAP + 8).map(lambda size: around_the_cap(size, "x")),
    st.integers(CAP - 8, CAP + 8).map(lambda size: around_the_cap(size, "ữ")),
    st.sampled_from(["", "{", '{"type": "message"', "NaN", '{"type": "seen", "seq": Infinity}', "null", "[]"]),
    st.sampled_from(
        ['{"type": "message", "client_id": "u", "text": "\\ud800"}', '{"type": "resync", "after_seq": 1e400}']
    ),
    st.fixed_dictionaries(
        {"type": frame_types},
        optional={
            "text": json_values,
            "client_id": json_values,
            "seq": json_values | st.integers(min_value=2**31 - 2, max_value=2**70),
            "after_seq": json_values | st.integers(min_value=2**31 - 2, max_value=2**70),
        },
    ).map(json.dumps),
)
frames = st.one_of(
    text_frames.map(lambda text: ("text", text)), st.binary(max_size=300).map(lambda raw: ("bytes", raw))
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(KINDS), sent=st.lists(frames, min_size=1, max_size=15))
def test_every_socket_survives_any_frame(people, caplog, kind, sent):
    caplog.set_level(logging.WARNING)

    async def conversation():
        socket = socket_for(kind, people)
        assert (await socket.connect())[0]
        for how, frame in sent:
            # send_input, not send_to: an empty frame is a frame too.
            await socket.send_input({"type": "websocket.receive", how: frame})
        await probe(kind, socket, people)
        await socket.disconnect()

    run(conversation)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    stored = list(Message.objects.filter(case=people["case"]).values_list("text", flat=True))
    assert all(isinstance(t, str) and t.strip() and len(t) <= 4000 for t in stored)


FLOODS = {
    "message": lambda i: {"type": "message", "client_id": f"flood-{uuid.uuid4().hex[:8]}-{i}", "text": f"tin {i}"},
    "typing": lambda i: {"type": "typing"},
    "seen": lambda i: {"type": "seen", "seq": i},
    "resync": lambda i: {"type": "resync", "after_seq": 0},
    "junk": lambda i: {"type": "bogus", "n": i},
}


@pytest.mark.parametrize("flood", sorted(FLOODS))
@pytest.mark.parametrize("kind", KINDS)
def test_a_flood_of_any_frame_type_costs_a_bounded_answer(people, caplog, kind, flood):
    caplog.set_level(logging.WARNING)
    count = 300
    chat = kind in ("reporter", "counsellor")
    other_kind = "counsellor" if kind == "reporter" else "reporter"

    async def conversation():
        socket = socket_for(kind, people)
        assert (await socket.connect())[0]
        other = socket_for(other_kind, people) if chat else None
        if other:
            assert (await other.connect())[0]
        started = time.monotonic()
        for i in range(count):
            await socket.send_json_to(FLOODS[flood](i))
        if chat and flood == "message":
            # The message budget is spent: the proof of life is a resync instead.
            await socket.send_json_to({"type": "resync", "after_seq": 10**6})
            answers = await frames_until(socket, lambda f: f["type"] == "resync" and f["after_seq"] == 10**6)
        else:
            answers = await probe(kind, socket, people)
        relayed = (
            await frames_until(other, lambda f: f["type"] == "message" and f["text"] == "Vẫn hoạt động")
            if (chat and flood != "message")
            else []
        )
        took = time.monotonic() - started
        for connection in (socket, other):
            if connection:
                await connection.disconnect()
        return answers, relayed, took

    answers, relayed, took = run(conversation)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    errors = [a for a in answers if a["type"] == "error"]
    assert len(errors) <= sockets.ERROR_BUDGET.limit + consumers.MESSAGES_PER_MINUTE * 3
    if chat and flood == "message":
        # 20 stored, the rest refused by name until the frame budget is spent, then dropped.
        stored = Message.objects.filter(case=people["case"], client_id__startswith="flood-").count()
        assert stored == consumers.MESSAGES_PER_MINUTE
        assert {e["code"] for e in errors} == {"rate_limited"}
    if chat and flood in ("typing", "seen"):
        # Coalesced: one relay per interval, the first at once and the latest at the end of each interval; on a
        # quick machine the 300 frames are one relay, perhaps two (a slow one may take more than one interval).
        interval = consumers.ChatConsumer.budgets[flood].interval
        assert 1 <= len([f for f in relayed if f["type"] == flood]) <= 2 + took / interval
    if chat and flood == "resync":
        assert len([a for a in answers if a["type"] == "resync"]) == consumers.RESYNCS_PER_MINUTE
    if not chat or flood == "junk":
        assert 0 < len(errors) <= sockets.ERROR_BUDGET.limit


def test_a_resync_answer_is_bounded_and_says_when_more_follow(people):
    case = people["case"]
    for seq in range(1, consumers.RESYNC_BATCH + 6):
        Message.objects.create(case=case, seq=seq, sender="reporter", text=f"tin {seq}", client_id=f"c{seq}")

    async def conversation():
        socket = socket_for("reporter", people)
        assert (await socket.connect())[0]
        await socket.send_json_to({"type": "resync", "after_seq": 0})
        first = await frames_until(socket, lambda f: f["type"] == "resync")
        await socket.send_json_to({"type": "resync", "after_seq": first[-1]["last_seq"]})
        second = await frames_until(socket, lambda f: f["type"] == "resync")
        await socket.disconnect()
        return first, second

    first, second = run(conversation)
    assert len([f for f in first if f["type"] == "message"]) == consumers.RESYNC_BATCH
    assert first[-1] == {"type": "resync", "after_seq": 0, "last_seq": consumers.RESYNC_BATCH, "more": True}
    assert [f["seq"] for f in second if f["type"] == "message"] == list(range(101, 106))
    assert second[-1]["more"] is False


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (nested(1500), "bad_json"),
        ('{"type": "message", "client_id": "u", "text": "\\udc80"}', "bad_json"),
        ('{"type": "seen", "seq": NaN}', "bad_json"),
        (json.dumps({"type": "resync", "after_seq": 2**63}), "bad_seq"),
        (json.dumps({"type": "seen", "seq": True}), "bad_seq"),
        (around_the_cap(CAP + 1, "ữ"), "too_large"),
    ],
)
def test_the_frames_that_used_to_close_the_chat_get_an_error_frame(people, raw, code):
    async def conversation():
        socket = socket_for("reporter", people)
        assert (await socket.connect())[0]
        await socket.send_to(text_data=raw)
        answers = await frames_until(socket, lambda f: f["type"] == "error")
        await probe("reporter", socket, people)
        await socket.disconnect()
        return answers[-1]

    assert run(conversation)["code"] == code


def test_a_frame_just_under_the_cap_in_bytes_is_accepted(people):
    frame = around_the_cap(CAP, "ữ")
    assert len(frame.encode()) <= CAP

    async def conversation():
        socket = socket_for("reporter", people)
        assert (await socket.connect())[0]
        await socket.send_to(text_data=frame)
        await socket.send_json_to({"type": "resync", "after_seq": 0})
        answers = await frames_until(socket, lambda f: f["type"] == "resync")
        await socket.disconnect()
        return answers

    assert not [a for a in run(conversation) if a["type"] == "error"]
