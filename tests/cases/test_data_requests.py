"""Requests about personal data: from the status page or recorded by staff; see, correct, delete, object."""

import datetime
import json
import logging
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cases import data_requests
from cases.models import (
    AuditAction,
    AuditEntry,
    Case,
    CaseEvent,
    DataRequest,
    DataRequestKind,
    DataRequestSource,
    DataRequestState,
    EventKind,
    Evidence,
)
from cases.retention import PURGED_TEXT, set_legal_hold
from cases.services import claim_case, post_staff_message
from tests.factories import make_case, png_upload

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DESCRIPTION = "Em tên Trần Văn B, lớp 7C, bị bắt nạt."
PHONE = "+84912345678"


@pytest.fixture
def reporter(client):
    """A reporter who opened their case with its code on this client."""
    case, code = make_case(
        description=DESCRIPTION, contact_preference="phone", contact_phone=PHONE, uploads=[png_upload()]
    )
    response = client.post("/status/", {"reference": case.reference, "access_code": code})
    assert response.status_code == 302
    return case


def test_the_due_time_counts_working_days_from_the_setting(settings):
    friday = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=HANOI)
    assert data_requests.due_time(friday) == datetime.datetime(2026, 12, 1, 10, 0, tzinfo=HANOI)  # Tuesday
    settings.DATA_REQUEST_RESPONSE_DAYS = 1
    assert data_requests.due_time(friday) == datetime.datetime(2026, 11, 30, 10, 0, tzinfo=HANOI)  # Monday


def test_a_deletion_request_on_legal_hold_is_refused_with_the_reason(client, reporter, supervisor):
    set_legal_hold(case=reporter, user=supervisor, reason="Công an tỉnh yêu cầu giữ hồ sơ (công văn 12/PA05).")
    response = client.post(f"/status/{reporter.reference}/requests/", {"kind": "delete"})
    assert response.status_code == 302
    request = DataRequest.objects.get()
    assert request.state == DataRequestState.REFUSED
    with translation.override("vi"):
        assert request.answer == str(data_requests.LEGAL_HOLD_REFUSAL)  # stored in the hotline's language
    assert "12/PA05" not in request.answer  # the reason the police gave is theirs, not the reporter's to read
    page = client.get(f"/status/{reporter.reference}/").content.decode()
    assert request.answer in page
    reporter.refresh_from_db()
    assert reporter.description == DESCRIPTION and reporter.purged_at is None
    # Refused at once, so not in the supervisors' waiting list; on the audit trail both as received and answered.
    assert not data_requests.open_requests().exists()
    steps = AuditEntry.objects.filter(case=reporter).values_list("action", "params__step")
    assert set(steps) >= {
        (AuditAction.DATA_REQUEST_RECEIVED, "received"),
        (AuditAction.DATA_REQUEST_ANSWERED, "refused"),
    }


def test_a_deletion_done_by_a_supervisor_anonymises_the_case_as_the_purge_does(client, reporter, supervisor, operator):
    claim_case(case=reporter, user=operator)
    post_staff_message(case=reporter, user=operator, text="Chào em, em kể thêm nhé.", client_id="m1")
    client.post(f"/status/{reporter.reference}/requests/", {"kind": "delete", "details": "Xin xóa hết."})
    request = DataRequest.objects.get()
    assert request.state == DataRequestState.OPEN
    assert request.due_at == data_requests.due_time(request.received_at)
    file_name = Evidence.objects.get(case=reporter).file.name

    staff = client_for(supervisor)
    page = staff.get("/cases/privacy/requests/").content.decode()
    assert reporter.reference in page and "Xin xóa hết." in page
    response = staff.post(f"/cases/privacy/requests/{request.pk}/", {f"r{request.pk}-state": "done"})
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.purged_at is not None
    assert (reporter.description, reporter.contact_phone, reporter.access_code_hash) == ("", "", "")
    assert set(reporter.messages.values_list("text", flat=True)) == {PURGED_TEXT}
    assert not storages["private"].exists(file_name)
    request.refresh_from_db()
    assert request.state == DataRequestState.DONE and request.answered_by == supervisor
    assert request.details == ""  # what the reporter wrote went with the rest
    # The reporter's page says so, and nothing personal is left on it.
    page = client.get(f"/status/{reporter.reference}/").content.decode()
    assert DESCRIPTION not in page
    assert CaseEvent.objects.filter(case=reporter, kind=EventKind.DATA_REQUEST, data__step="done").exists()


def test_a_hold_placed_after_the_request_refuses_the_deletion_when_it_is_answered(client, reporter, supervisor):
    client.post(f"/status/{reporter.reference}/requests/", {"kind": "delete"})
    set_legal_hold(case=reporter, user=supervisor, reason="Tòa án yêu cầu.")
    request = DataRequest.objects.get()
    answered = data_requests.answer_data_request(request=request, user=supervisor, state=DataRequestState.DONE)
    assert answered.state == DataRequestState.REFUSED and answered.answer
    reporter.refresh_from_db()
    assert reporter.purged_at is None


def test_a_refusal_needs_a_reason_and_an_answer_is_given_once(reporter, supervisor):
    request = data_requests.file_data_request(
        case=reporter, kind=DataRequestKind.OBJECT, source=DataRequestSource.STATUS_PAGE, details="Đừng gửi công an."
    )
    with pytest.raises(data_requests.RequestNotPossible):
        data_requests.answer_data_request(request=request, user=supervisor, state=DataRequestState.REFUSED)
    data_requests.answer_data_request(request=request, user=supervisor, state=DataRequestState.DONE, answer="Đã ghi.")
    with pytest.raises(data_requests.RequestNotPossible):
        data_requests.answer_data_request(request=request, user=supervisor, state=DataRequestState.DONE)


def test_seeing_ones_data_is_answered_at_once_with_a_page_and_a_download(client, reporter):
    response = client.post(f"/status/{reporter.reference}/requests/", {"kind": "access"})
    assert response["Location"] == f"/status/{reporter.reference}/my-data/"
    request = DataRequest.objects.get()
    assert (request.kind, request.state) == (DataRequestKind.ACCESS, DataRequestState.DONE)
    page = client.get(response["Location"]).content.decode()
    assert DESCRIPTION in page and "screenshot.png" in page
    download = client.get(f"/status/{reporter.reference}/my-data.json")
    assert download["Content-Disposition"] == f'attachment; filename="{reporter.reference}.json"'
    data = json.loads(download.content)
    assert data["description"] == DESCRIPTION and data["about_you"]["contact_phone"] == PHONE
    assert data["requests"][0]["kind"] == "access"
    assert AuditEntry.objects.filter(case=reporter, action=AuditAction.DATA_DOWNLOADED).exists()
    # What the counsellors wrote among themselves is not the reporter's data.
    assert "notes" not in data


def test_staff_record_a_request_heard_on_the_phone(reporter, supervisor):
    staff = client_for(supervisor)
    response = staff.post(
        "/cases/privacy/requests/",
        {"reference": reporter.reference.lower(), "kind": "correct", "details": "Em 14 tuổi."},
    )
    assert response.status_code == 302
    request = DataRequest.objects.get()
    assert (request.source, request.recorded_by, request.kind) == ("staff", supervisor, "correct")
    assert staff.post("/cases/privacy/requests/", {"reference": "ZZZZ-9999", "kind": "correct"}).status_code == 400


def test_a_counsellor_records_a_request_from_the_cases_page(reporter, operator):
    staff = client_for(operator)
    assert f"/cases/{reporter.reference}/data-request/" in staff.get(f"/cases/{reporter.reference}/").content.decode()
    response = staff.post(f"/cases/{reporter.reference}/data-request/", {"kind": "delete", "details": "Bố em gọi."})
    assert response.status_code == 302
    request = DataRequest.objects.get()
    assert (request.kind, request.source, request.recorded_by, request.state) == ("delete", "staff", operator, "open")
    assert staff.post(f"/cases/{reporter.reference}/data-request/", {"kind": "nonsense"}).status_code == 302
    assert DataRequest.objects.count() == 1


def test_the_supervisors_list_shows_overdue_requests_first(reporter, supervisor):
    late = data_requests.file_data_request(case=reporter, kind="correct", source="status_page")
    DataRequest.objects.filter(pk=late.pk).update(due_at=late.received_at - datetime.timedelta(hours=1))
    data_requests.file_data_request(case=reporter, kind="object", source="status_page")
    assert [r.pk for r in data_requests.open_requests()][0] == late.pk
    page = client_for(supervisor).get("/cases/privacy/requests/").content.decode()
    assert "is-overdue" in page


def test_the_requests_list_costs_the_same_queries_for_one_or_many(reporter, supervisor):
    staff = client_for(supervisor)
    data_requests.file_data_request(case=reporter, kind="correct", source="status_page")
    with CaptureQueriesContext(connection) as one:
        staff.get("/cases/privacy/requests/")
    for _ in range(3):
        case, _code = make_case()
        data_requests.file_data_request(case=case, kind="object", source="status_page")
    with CaptureQueriesContext(connection) as many:
        staff.get("/cases/privacy/requests/")
    assert len(many) == len(one)


def test_an_operator_cannot_answer_requests(reporter, operator):
    assert client_for(operator).get("/cases/privacy/requests/").status_code == 403


def test_nothing_personal_reaches_the_logs(client, caplog, supervisor):
    caplog.set_level(logging.DEBUG)
    client.post(
        "/",
        {
            "category": "CBH",
            "description": DESCRIPTION,
            "ongoing": "yes",
            "age_band": "13_15",
            "gender": "female",
            "contact_preference": "phone",
            "contact_phone": "0912345678",
            "consent_share_police": "on",
        },
    )
    case = Case.objects.get()
    session = client.session
    session["reporter_case_ids"] = [case.pk]
    session.save()
    consent = case.consents.first()
    client.post(f"/status/{case.reference}/consent/{consent.pk}/withdraw/")
    client.post(f"/status/{case.reference}/requests/", {"kind": "correct", "details": "Số của em là 0988777666"})
    client.get(f"/status/{case.reference}/my-data.json")
    request = DataRequest.objects.get()
    data_requests.answer_data_request(request=request, user=supervisor, state="done", answer="Đã sửa số 0988777666.")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for personal in (DESCRIPTION, "912345678", "0988777666", case.access_code_hash):
        assert personal not in logged


def client_for(user):
    staff = Client()
    staff.force_login(user)
    return staff


def test_a_purged_case_takes_no_more_requests(reporter, supervisor):
    Case.objects.filter(pk=reporter.pk).update(purged_at=reporter.created_at)
    reporter.refresh_from_db()
    with pytest.raises(data_requests.RequestNotPossible):
        data_requests.file_data_request(case=reporter, kind="delete", source="status_page")
