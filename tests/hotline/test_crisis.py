"""The crisis panel: a report at risk shows what to do right now first, on the receipt, the status page and the API."""

import json

import pytest
from jsonschema import Draft202012Validator

from cases.crisis import crisis_contacts
from cases.hotline_settings import update_hotline_settings
from cases.models import Case, Priority
from tests.factories import form_post

pytestmark = pytest.mark.django_db

NOTHING_TO_DO_VI = "Bây giờ bạn không cần làm gì thêm"
NOTHING_TO_DO_EN = "You do not need to do anything now"
SELF_HARM = {"category": "MHR", "description": "Dạo này em buồn lắm, không ai hiểu em.", "links": ""}


def submit(client, **overrides):
    response = client.post("/", form_post(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.order_by("-pk").first()


def test_a_self_harm_report_without_in_danger_shows_the_crisis_panel_first_on_the_receipt(client):
    case = submit(client, **SELF_HARM)
    assert case.priority == Priority.P1 and not case.in_danger
    html = client.get("/receipt/").content.decode()
    assert 'id="crisis"' in html
    assert html.index('id="crisis"') < html.index('id="receipt-reference"')
    for number in ("111", "113", "115"):
        assert f'href="tel:{number}"' in html
    assert "Tổng đài quốc gia bảo vệ trẻ em" in html


def test_the_hotlines_own_number_and_hours_come_from_settings(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        update_hotline_settings(user=None, phone="0204 3 854 111", hours_vi="7:30–21:30")
    submit(client, **SELF_HARM)
    html = client.get("/receipt/").content.decode()
    assert 'href="tel:02043854111"' in html and "0204 3 854 111" in html and "7:30–21:30" in html
    assert crisis_contacts()[-1]["number"] == "0204 3 854 111"


def test_an_ordinary_report_has_no_crisis_panel(client):
    submit(client)
    assert 'id="crisis"' not in client.get("/receipt/").content.decode()


def test_the_status_page_of_a_p1_shows_the_panel_and_never_says_there_is_nothing_to_do(client):
    case = submit(client, **SELF_HARM)
    html = client.get(f"/status/{case.reference}/").content.decode()
    assert 'id="crisis"' in html and html.index('id="crisis"') < html.index('id="status-heading"')
    assert NOTHING_TO_DO_VI not in html
    assert "gọi ngay" in html


def test_the_status_page_of_an_ordinary_new_report_is_unchanged(client):
    case = submit(client)
    html = client.get(f"/status/{case.reference}/").content.decode()
    assert 'id="crisis"' not in html and NOTHING_TO_DO_VI in html


def test_a_danger_phrase_in_the_text_is_enough(client):
    case = submit(client, category="CBH", description="Tụi nó đăng ảnh em, em chỉ muốn chết cho xong")
    assert case.priority == Priority.P1
    assert 'id="crisis"' in client.get("/receipt/").content.decode()


def test_the_safety_question_is_optional_and_never_preselected(client):
    html = client.get("/").content.decode()
    assert "Bạn có đang nghĩ đến việc làm hại bản thân không?" in html
    start = html.index('name="safety_answer"')
    assert "checked" not in html[start - 200 : start + 800]
    case = submit(client, safety_answer="yes")
    assert case.priority == Priority.P1 and case.safety_answer == "yes"


def test_a_bad_safety_answer_gets_a_clear_message_and_keeps_what_was_typed(client):
    response = client.post("/", form_post(safety_answer="maybe", description="Có người đe doạ em trên Zalo"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Có người đe doạ em trên Zalo" in html
    assert "để trống câu hỏi này" in html
    assert not Case.objects.exists()


# --- the API ---

API_SELF_HARM = {"category": "CBH", "description": "Em bị bắt nạt và em khong muon song nua", "age_band": "13_15"}


def api_post(client, body):
    return client.post("/api/v1/reports", data=json.dumps(body), content_type="application/json")


def test_the_api_returns_the_crisis_object_for_a_p1(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        update_hotline_settings(user=None, phone="1900 1234", hours_vi="24/7")
    response = api_post(client, API_SELF_HARM)
    assert response.status_code == 201
    crisis = response.json()["crisis"]
    assert [contact["number"] for contact in crisis["contacts"]] == ["111", "113", "115", "1900 1234"]
    assert crisis["contacts"][0]["free"] is True and crisis["contacts"][0]["hours"]
    assert crisis["title"] and crisis["message"]
    body = response.json()
    status = client.get(f"/api/v1/reports/{body['reference']}", HTTP_X_ACCESS_CODE=body["access_code"]).json()
    assert status["crisis"] == crisis
    assert NOTHING_TO_DO_VI not in status["next_step"]


def test_the_api_takes_the_safety_question(client):
    body = api_post(client, {"category": "SCM", "description": "Em bị lừa.", "safety_answer": "yes"}).json()
    assert Case.objects.get(reference=body["reference"]).priority == Priority.P1 and body["crisis"]


def test_the_api_has_no_crisis_object_for_an_ordinary_report(client):
    body = api_post(client, {"category": "SCM", "description": "Em bị lừa nạp thẻ game."}).json()
    assert body["crisis"] is None
    status = client.get(f"/api/v1/reports/{body['reference']}", HTTP_X_ACCESS_CODE=body["access_code"]).json()
    assert status["crisis"] is None and NOTHING_TO_DO_EN not in status["next_step"]  # Vietnamese by default


def test_the_api_refuses_an_unknown_safety_answer_by_name(client):
    response = api_post(client, {**API_SELF_HARM, "safety_answer": "maybe"})
    assert response.status_code == 400 and "safety_answer" in response.json()["errors"]


def test_the_openapi_document_describes_the_question_and_the_crisis_object(client):
    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["ReportRequest"]["properties"]["safety_answer"]["enum"] == ["yes", "no", "prefer_not_to_say"]
    created = document["paths"]["/api/v1/reports"]["post"]["responses"]["201"]["content"]["application/json"]
    assert created["schema"]["properties"]["crisis"] == {"$ref": "#/components/schemas/Crisis"}
    Draft202012Validator.check_schema(schemas["Crisis"])
    body = api_post(client, API_SELF_HARM).json()
    Draft202012Validator(schemas["Crisis"]).validate(body["crisis"])
    Draft202012Validator(schemas["Crisis"]).validate(None)
