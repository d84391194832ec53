"""Arbitrary input thrown at the report form, the API and chat message handling: never a 500, never an
unhandled exception, and every answer is one a client can act on."""

import json

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Message
from hotline.asgi import application
from tests.factories import make_case

FORM_FIELDS = [
    "category", "description", "links", "platforms", "in_danger", "ongoing", "reporter_role", "age_band", "gender",
    "commune", "contact_preference", "contact_phone", "contact_email", "consent_share_police",
    "consent_share_information", "consent_keep_evidence",
]  # fmt: skip
text = st.text(max_size=300)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=12,
)
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.mark.django_db
@HYPOTHESIS
@given(data=st.dictionaries(st.sampled_from(FORM_FIELDS) | text, st.lists(text, max_size=3) | text, max_size=12))
def test_the_report_form_answers_any_post_with_a_page_or_a_receipt(data):
    response = Client().post("/", data)
    assert response.status_code in (302, 400, 413, 429)
    if response.status_code == 400:
        assert "error-summary" in response.content.decode()


@pytest.mark.django_db
@HYPOTHESIS
@given(body=json_values)
def test_the_api_answers_any_json_with_201_or_field_errors(body):
    response = Client().post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (201, 400, 429)
    payload = response.json()
    if response.status_code == 400:
        assert isinstance(payload["errors"], dict)
        assert all(isinstance(m, str) for messages in payload["errors"].values() for m in messages)


@pytest.mark.django_db
@HYPOTHESIS
@given(body=st.dictionaries(st.sampled_from(FORM_FIELDS) | text, json_values, max_size=10))
def test_the_api_answers_objects_with_known_field_names_and_any_values(body):
    response = Client().post("/api/v1/reports", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (201, 400, 429)


@pytest.mark.django_db
@HYPOTHESIS
@given(raw=st.binary(max_size=400))
def test_the_api_answers_any_bytes(raw):
    response = Client().post("/api/v1/reports", data=raw, content_type="application/json")
    assert response.status_code in (201, 400, 429)


@pytest.mark.django_db
@HYPOTHESIS
@given(reference=text, code=text)
def test_status_lookup_answers_any_reference_and_code(reference, code):
    response = Client().post("/status/", {"reference": reference, "access_code": code})
    assert response.status_code in (400, 429)
    api = Client().get("/api/v1/reports/x", HTTP_X_ACCESS_CODE=code.encode("utf-8", "ignore").decode("latin-1"))
    assert api.status_code in (404, 429)


chat_frames = st.one_of(
    st.text(min_size=1, max_size=300),
    json_values.map(json.dumps),
    st.fixed_dictionaries(
        {"type": st.sampled_from(["message", "typing", "seen", "resync", "bogus"])},
        optional={"text": json_values, "client_id": json_values, "seq": json_values, "after_seq": json_values},
    ).map(json.dumps),
)


@pytest.mark.usefixtures("reference_data")
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(frames=st.lists(chat_frames, min_size=1, max_size=25))
def test_chat_handling_survives_arbitrary_frames(frames):
    case, code = make_case()
    client = Client()
    client.post("/status/", {"reference": case.reference, "access_code": code})
    headers = [
        (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()),
        (b"origin", b"http://localhost"),
        (b"host", b"localhost"),
    ]

    async def conversation():
        socket = WebsocketCommunicator(application, f"/ws/cases/{case.reference}/chat/", headers=headers)
        assert (await socket.connect())[0]
        for frame in frames:
            await socket.send_to(text_data=frame)
        # Whatever came before, the connection and the server still work.
        await socket.send_json_to({"type": "message", "client_id": "still-alive", "text": "Vẫn hoạt động"})
        while True:
            answer = await socket.receive_json_from(timeout=5)
            assert answer["type"] in {"message", "error", "resync", "typing", "seen", "presence"}
            if answer["type"] == "message" and answer.get("client_id") == "still-alive":
                break
        await socket.disconnect()

    channel_layers.backends.clear()  # a channels-redis layer's locks belong to the previous example's event loop
    async_to_sync(conversation)()
    stored = list(Message.objects.filter(case=case).values_list("text", flat=True))
    assert "Vẫn hoạt động" in stored and all(isinstance(t, str) and t.strip() and len(t) <= 4000 for t in stored)
