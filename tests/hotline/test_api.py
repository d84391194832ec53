"""The versioned JSON intake API and its OpenAPI document."""

import json

import pytest
from jsonschema import Draft202012Validator

from cases.models import Case, Channel
from hotline.forms import ReportForm
from tests.cases.report_data import make_units

pytestmark = pytest.mark.django_db

VALID = {
    "category": "SCM",
    "description": "Em bị lừa nạp thẻ game 200.000 đồng.",
    "links": ["facebook.com/scammer.page"],
    "platforms": ["facebook", "free_fire"],
    "age_band": "13_15",
    "in_danger": False,
}


def post(client, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/api/v1/reports", data=data, content_type="application/json", **extra)


def test_it_creates_a_report(client):
    response = post(client, VALID)
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get(reference=body["reference"])
    assert case.channel == Channel.API and case.category.code == "SCM"
    assert [link.url for link in case.links.all()] == ["https://facebook.com/scammer.page"]
    assert sorted(case.platforms.values_list("code", flat=True)) == ["facebook", "free_fire"]
    assert len(body["access_code"]) == 16
    assert body["status_url"].endswith(f"/status/#r={case.reference}&c={body['access_code']}")
    assert body["access_code"] not in case.access_code_hash


def test_the_report_can_be_followed_with_the_code_in_a_header(client):
    body = post(client, VALID).json()
    response = client.get(f"/api/v1/reports/{body['reference']}", HTTP_X_ACCESS_CODE=body["access_code"])
    assert response.status_code == 200
    status = response.json()
    assert status["reference"] == body["reference"] and status["status"] == "new"
    assert status["messages"] == [] and status["next_step"]


def test_wrong_code_and_unknown_reference_are_indistinguishable(client):
    body = post(client, VALID).json()
    wrong = client.get(f"/api/v1/reports/{body['reference']}", HTTP_X_ACCESS_CODE="AAAABBBBCCCCDDDD")
    unknown = client.get("/api/v1/reports/ZZZZ-ZZZZ", HTTP_X_ACCESS_CODE=body["access_code"])
    missing = client.get(f"/api/v1/reports/{body['reference']}")
    assert wrong.status_code == unknown.status_code == missing.status_code == 404
    assert wrong.content == unknown.content == missing.content


def test_lookups_are_throttled(client, settings):
    settings.THROTTLE_STATUS_LOOKUP = (2, 900)
    body = post(client, VALID).json()
    for _ in range(2):
        client.get(f"/api/v1/reports/{body['reference']}", HTTP_X_ACCESS_CODE="WRONG")
    response = client.get(f"/api/v1/reports/{body['reference']}", HTTP_X_ACCESS_CODE=body["access_code"])
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"description": "x"}, {"category"}),
        ({"category": "SCM"}, {"description"}),
        ({"category": "SCM", "links": []}, {"description"}),
        ({"category": "SCM", "description": "   "}, {"description"}),
        ({"category": "NOPE", "description": "x"}, {"category"}),
        ({"category": "SCM", "description": "x", "in_danger": "yes"}, {"in_danger"}),
        ({"category": "SCM", "description": "x", "links": "https://a.vn"}, {"links"}),
        ({"category": "SCM", "description": "x", "links": ["not a link"]}, {"links"}),
        ({"category": "SCM", "description": "x", "platforms": ["myspace"]}, {"platforms"}),
        ({"category": "SCM", "description": "x", "surprise": 1}, {"surprise"}),
        ({"category": "SCM", "description": "x", "contact_preference": "phone"}, {"contact_phone"}),
        (
            {
                "category": "SCM",
                "description": "x",
                "contact_phone": "+12025550143",
                "contact_preference": "phone",
            },
            {"contact_phone"},
        ),
        ({"category": "SCM", "description": "x" * 5001}, {"description"}),
    ],
)
def test_validation_errors_are_400_with_messages_per_field(client, body, fields):
    response = post(client, body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == fields
    assert all(isinstance(message, str) and message for messages in errors.values() for message in messages)
    assert Case.objects.count() == 0


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', b"\xff\xfe", "null"])
def test_malformed_json_is_a_clear_400(client, raw):
    response = post(client, raw)
    assert response.status_code == 400
    assert "__all__" in response.json()["errors"]


def test_it_wants_json(client):
    response = client.post("/api/v1/reports", data={"category": "SCM"})
    assert response.status_code == 400


def test_openapi_document_describes_the_request_body_exactly(client):
    make_units()
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    schema = document["components"]["schemas"]["ReportRequest"]
    Draft202012Validator.check_schema(schema)
    # Every field of the form is in the schema (files go through the status page), and nothing else is.
    form_fields = set(ReportForm.base_fields) - {"evidence"}
    # Plus the two consent booleans of older clients, kept (deprecated) so that they are not refused.
    assert set(schema["properties"]) == form_fields | {"child_consent", "guardian_consent"}
    assert schema["properties"]["child_consent"]["deprecated"] is True
    assert schema["additionalProperties"] is False
    # Enumerations are the live choices.
    form = ReportForm()
    assert set(schema["properties"]["category"]["enum"]) == {c.code for c in form.fields["category"].queryset}
    assert schema["properties"]["age_band"]["enum"] == [value for value, _ in form.fields["age_band"].choices]
    assert schema["properties"]["commune_unit"]["enum"] == [u.code for u in form.fields["commune_unit"].queryset]
    # The documented examples validate, and a body that the API refuses is refused by the schema too.
    validator = Draft202012Validator(schema)
    assert not list(validator.iter_errors(VALID))
    assert list(validator.iter_errors({"category": "SCM"}))
    post_op = document["paths"]["/api/v1/reports"]["post"]
    assert set(post_op["responses"]) == {"201", "400", "429"}


def test_api_throttles_submissions(client, settings):
    settings.THROTTLE_REPORT_SUBMIT = (2, 3600)
    assert post(client, VALID).status_code == 201
    assert post(client, VALID).status_code == 201
    assert post(client, VALID).status_code == 429
    # Counted and checked in one step once the report is valid: a report with mistakes still hears what they are.
    assert post(client, {**VALID, "age_band": "ninety"}).status_code == 400
    assert post(client, VALID).status_code == 429
    assert Case.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_report_schema_is_built_once_and_follows_the_catalogue(client, reference_data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.models import Platform
    from hotline import api

    api._report_validator.clear()
    body = {"category": "CBH", "description": "Bị chửi trong nhóm lớp", "platforms": ["zing"]}
    first = client.post("/api/v1/reports", data=body, content_type="application/json")
    assert first.status_code == 400 and "platforms" in first.json()["errors"]  # no such platform yet

    Platform.objects.create(code="zing", name="Zing", sort_order=999)
    with CaptureQueriesContext(connection) as queries:
        second = client.post("/api/v1/reports", data=body, content_type="application/json")
    assert second.status_code == 201
    with CaptureQueriesContext(connection) as again:
        third = client.post("/api/v1/reports", data=body, content_type="application/json")
    assert third.status_code == 201
    assert len(again.captured_queries) < len(queries.captured_queries)  # the schema's reads are not repeated
