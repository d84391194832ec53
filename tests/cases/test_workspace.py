"""The case page and its actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import services
from cases.models import Case, CaseEvent, CaseState, EventKind, Evidence
from tests.factories import PNG_BYTES, make_case, pdf_upload, png_upload, verified_login

pytestmark = pytest.mark.django_db


def act(client, case, action, **data):
    return client.post(f"/cases/{case.reference}/do/{action}/", data)


def test_it_shows_the_case_with_contact_masked(client, operator):
    case, _ = make_case(contact_preference="phone", contact_phone="+84912345678", contact_email="em@example.vn")
    verified_login(client, operator)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert case.reference in html and case.description in html
    assert "912345678" not in html and "0912 345 678" not in html and "em@example.vn" not in html
    assert "091" in html  # the masked form keeps a hint
    assert not CaseEvent.objects.filter(kind=EventKind.CONTACT_REVEALED).exists()


def test_revealing_contact_is_logged_and_then_shown(client, operator):
    case, _ = make_case(contact_preference="phone", contact_phone="+84912345678")
    verified_login(client, operator)
    assert act(client, case, "reveal_contact").status_code == 302
    event = CaseEvent.objects.get(kind=EventKind.CONTACT_REVEALED)
    assert event.actor == operator and event.data == {"fields": ["contact_phone"]}
    assert "912345678" not in str(event.data) + event.text  # the log says who looked, not what they saw
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert "0912 345 678" in html


def test_people_without_the_permission_cannot_reveal(client, outsider):
    case, _ = make_case(contact_preference="phone", contact_phone="+84912345678")
    verified_login(client, outsider)
    assert act(client, case, "reveal_contact").status_code == 403
    assert not CaseEvent.objects.filter(kind=EventKind.CONTACT_REVEALED).exists()


def test_buttons_are_exactly_the_allowed_transitions(client, operator, supervisor):
    case, _ = make_case()
    verified_login(client, operator)
    assert client.get(f"/cases/{case.reference}/").context["transitions"] == ["triage", "claim"]
    verified_login(client, supervisor)
    assert client.get(f"/cases/{case.reference}/").context["transitions"] == ["triage", "claim", "reject"]
    services.claim_case(case=case, user=operator)
    verified_login(client, operator)
    assert client.get(f"/cases/{case.reference}/").context["transitions"] == ["wait_for_reporter", "resolve"]


def test_the_whole_lifecycle_through_the_page(client, operator):
    case, _ = make_case()
    verified_login(client, operator)
    act(client, case, "triage", category=case.category.pk, priority=2)
    act(client, case, "claim")
    act(client, case, "message", text="Chào em, chị ở đây.", client_id="m1")
    act(client, case, "note", text="Em có vẻ rất sợ; gọi lại tối nay.")
    act(client, case, "wait_for_reporter")
    services.add_reporter_information(case=case, text="Em đây ạ")
    act(client, case, "resolve", outcome="advice_given", summary="Đã hướng dẫn chặn và báo cáo tài khoản.")
    act(client, case, "close")
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.assignee == operator and case.first_response_at
    transitions = list(case.events.filter(kind=EventKind.TRANSITION).values_list("transition", flat=True))
    assert transitions == ["triage", "claim", "wait_for_reporter", "reporter_replied", "resolve", "close"]
    timeline = client.get(f"/cases/{case.reference}/").context["timeline"]
    kinds = [entry.kind for entry in timeline]
    assert kinds.count("message") == 2 and kinds.count("note") == 1


def test_a_refused_step_is_a_clear_message_not_an_error(client, operator):
    case, _ = make_case()
    verified_login(client, operator)
    response = act(client, case, "close")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert [m.level_tag for m in page.context["messages"]] == ["error"]


def test_an_invalid_form_keeps_what_was_typed(client, operator):
    case, _ = make_case()
    services.claim_case(case=case, user=operator)
    verified_login(client, operator)
    response = act(client, case, "resolve", outcome="", summary="Tóm tắt dài em viết")
    assert response.status_code == 400
    assert "Tóm tắt dài em viết" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_PROGRESS


def test_reject_as_duplicate_needs_a_real_other_case(client, supervisor):
    original, _ = make_case()
    duplicate, _ = make_case()
    verified_login(client, supervisor)
    assert act(client, duplicate, "reject", reason="duplicate", duplicate_of=duplicate.reference).status_code == 400
    assert act(client, duplicate, "reject", reason="duplicate", duplicate_of="ZZZZ-ZZZZ").status_code == 400
    assert act(client, duplicate, "reject", reason="duplicate", duplicate_of=original.reference).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.state == CaseState.REJECTED and duplicate.merged_into == original


def test_only_supervisors_assign_and_a_case_assigned_to_another_cannot_be_claimed(
    client, operator, other_operator, supervisor
):
    case, _ = make_case()
    verified_login(client, operator)
    assert act(client, case, "assign", assignee=operator.pk).status_code == 302
    assert Case.objects.get(pk=case.pk).assignee is None
    verified_login(client, supervisor)
    act(client, case, "assign", assignee=other_operator.pk)
    assert Case.objects.get(pk=case.pk).assignee == other_operator
    assert case.events.filter(kind=EventKind.ASSIGNED).count() == 1
    verified_login(client, operator)
    assert "claim" not in client.get(f"/cases/{case.reference}/").context["transitions"]
    act(client, case, "claim")
    assert Case.objects.get(pk=case.pk).state == CaseState.NEW
    verified_login(client, other_operator)
    act(client, case, "claim")
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_PROGRESS


def test_evidence_is_served_only_to_staff_and_every_access_is_logged(client, operator, outsider):
    case, _ = make_case(uploads=[png_upload(), pdf_upload()])
    image, pdf = case.evidence.order_by("id")
    url = f"/cases/{case.reference}/evidence/{image.pk}/"
    assert client.get(url).status_code == 302  # anonymous → login
    verified_login(client, outsider)
    assert client.get(url).status_code == 403
    verified_login(client, operator)
    preview = client.get(url + "?how=preview")
    assert preview.status_code == 200 and b"".join(preview.streaming_content) == PNG_BYTES
    assert preview["Content-Type"] == "image/png" and "attachment" not in preview["Content-Disposition"]
    assert "sandbox" in preview["Content-Security-Policy"]
    download = client.get(f"/cases/{case.reference}/evidence/{pdf.pk}/?how=preview")
    assert download["Content-Disposition"].startswith("attachment")  # PDFs are never shown inline
    assert case.reference in download["Content-Disposition"] and "chat.pdf" not in download["Content-Disposition"]
    client.post(f"{url}reveal/")
    hows = list(
        CaseEvent.objects.filter(kind=EventKind.EVIDENCE_VIEWED).order_by("id").values_list("data__how", flat=True)
    )
    assert hows == ["preview", "download", "reveal"]
    assert all(event.actor == operator for event in CaseEvent.objects.filter(kind=EventKind.EVIDENCE_VIEWED))


def test_evidence_of_one_case_is_not_reachable_through_another(client, operator):
    case, _ = make_case(uploads=[png_upload()])
    other, _ = make_case()
    verified_login(client, operator)
    assert client.get(f"/cases/{other.reference}/evidence/{case.evidence.get().pk}/").status_code == 404


def test_workspace_query_count_is_constant(client, operator):
    case, _ = make_case(uploads=[png_upload()])
    services.claim_case(case=case, user=operator)
    verified_login(client, operator)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.reference}/")
    for i in range(8):
        services.post_staff_message(case=case, user=operator, text=f"tin {i}")
        services.add_note(case=case, user=operator, text=f"ghi chú {i}")
    services.add_reporter_information(case=case, uploads=[png_upload(), png_upload()])
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cases/{case.reference}/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_phone_intake_creates_a_claimed_phone_case(client, operator):
    verified_login(client, operator)
    response = client.post(
        "/cases/new/phone/",
        {
            "caller_phone": "0987 654 321",
            "category": "SCM",
            "description": "Mẹ gọi: con bị lừa nạp thẻ.",
            "ongoing": "no",
            "age_band": "10_12",
            "gender": "male",
            "contact_preference": "phone",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.reference}/"
    assert case.channel == "phone" and case.state == CaseState.IN_PROGRESS and case.assignee == operator
    assert str(case.contact_phone) == "+84987654321" and case.first_response_at == case.created_at
    page = client.get(response["Location"]).content.decode()
    session_keys = list(client.session.keys())  # the code was shown once and is gone from the session now
    assert not any(key.startswith("phone_receipt_") for key in session_keys)
    assert "receipt__value--code" in page


def test_phone_intake_refuses_a_foreign_number_and_keeps_the_form(client, operator):
    verified_login(client, operator)
    response = client.post(
        "/cases/new/phone/", {"caller_phone": "+1 202 555 0143", "category": "SCM", "description": "Gọi từ Mỹ"}
    )
    assert response.status_code == 400 and "Gọi từ Mỹ" in response.content.decode()
    assert Case.objects.count() == 0


def test_supervisor_sees_breaches(client, operator, supervisor):
    from datetime import timedelta

    from django.utils import timezone

    late, _ = make_case()
    Case.objects.filter(pk=late.pk).update(first_response_due_at=timezone.now() - timedelta(hours=1))
    on_time, _ = make_case()
    services.claim_case(case=on_time, user=operator)
    services.post_staff_message(case=on_time, user=operator, text="Chào em")
    verified_login(client, operator)
    assert client.get("/cases/sla/").status_code == 403
    verified_login(client, supervisor)
    response = client.get("/cases/sla/")
    assert [case.reference for case in response.context["breaches"]] == [late.reference]
    summary = {row["priority"]: row for row in response.context["summary"]}
    assert summary[3]["received"] == 2 and summary[3]["overdue"] == 1 and summary[3]["on_time"] == 1


def test_canned_replies_are_offered_in_the_conversation(client, operator):
    case, _ = make_case()
    services.claim_case(case=case, user=operator)
    verified_login(client, operator)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Bị đe dọa tung ảnh (sextortion): việc cần làm ngay" in html
    assert "Đừng xóa tin nhắn" in html or "đừng xóa tin nhắn" in html.lower()


def test_opening_a_case_is_on_the_record(client, operator):
    from cases.models import AuditEntry

    case, _ = make_case()
    verified_login(client, operator)
    client.get(f"/cases/{case.reference}/")
    entry = AuditEntry.objects.get(case=case)
    assert entry.actor == operator and entry.action == "view_case"


def test_a_purged_evidence_file_is_a_404_and_the_page_says_why(client, operator):
    case, _ = make_case(uploads=[png_upload()])
    evidence = case.evidence.get()
    evidence.file.delete(save=False)
    Evidence.objects.filter(pk=evidence.pk).update(file="")
    verified_login(client, operator)
    assert client.get(f"/cases/{case.reference}/evidence/{evidence.pk}/").status_code == 404
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert evidence.sha256 in html and f"/evidence/{evidence.pk}/" not in html
