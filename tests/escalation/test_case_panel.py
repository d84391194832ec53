"""The escalation panel of the case page: prepare, submit, approve, return, retract, answer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseState
from escalation.forms import form_prefix
from escalation.models import Agency, Escalation, EscalationState, UpdateKind
from tests.escalation.factories import POLICE, case_in_progress, make_escalation
from tests.factories import verified_login

pytestmark = pytest.mark.django_db

S = EscalationState


def draft_fields(case, **overrides):
    data = {
        "agency": Agency.objects.get(code=POLICE).pk,
        "priority": 2,
        "requested_actions": ["takedown", "investigate"],
        "reason": "Đe dọa tung ảnh, đòi tiền.",
        "summary": "Một tài khoản lạ nhắn tin đe dọa học sinh.",
        "links": [link.pk for link in case.links.all()],
        "evidence": [item.pk for item in case.evidence.all()],
        "contact_through_hotline_only": "on",
    }
    data.update(overrides)
    return data


def prepare_post(case, **overrides):
    prefix = form_prefix(None, "new")
    return {f"{prefix}-{key}": value for key, value in draft_fields(case, **overrides).items()}


def do(client, escalation, action, **data):
    prefix = form_prefix(escalation.pk, action)
    return client.post(
        f"/cases/{escalation.case.reference}/escalations/{escalation.pk}/{action}/",
        {f"{prefix}-{key}": value for key, value in data.items()},
    )


def test_a_counsellor_prepares_an_escalation_from_the_case_page(client, operator):
    case = case_in_progress(operator)
    verified_login(client, operator)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="escalations"' in page and f'action="/cases/{case.reference}/escalations/new/"' in page
    response = client.post(f"/cases/{case.reference}/escalations/new/", prepare_post(case))
    escalation = Escalation.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#escalation-{escalation.pk}")
    assert escalation.state == S.DRAFT and escalation.created_by == operator
    assert escalation.requested_actions == ["takedown", "investigate"] and escalation.priority == 2
    assert [link.target for link in escalation.links.all()] == [link.url for link in case.links.all()]
    assert list(escalation.evidence.all()) == list(case.evidence.all())
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert f"E-{escalation.pk}" in page and "Phường Kinh Bắc" in page  # the packet preview


def test_an_invalid_escalation_keeps_what_was_typed(client, operator):
    case = case_in_progress(operator)
    verified_login(client, operator)
    response = client.post(
        f"/cases/{case.reference}/escalations/new/",
        prepare_post(case, requested_actions=[], summary="Tóm tắt em đã gõ"),
    )
    assert response.status_code == 400
    assert "Tóm tắt em đã gõ" in response.content.decode()
    assert not Escalation.objects.exists()


def test_no_escalation_form_before_a_counsellor_works_on_the_case(client, operator):
    from tests.factories import make_case

    case, _ = make_case()
    verified_login(client, operator)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "/escalations/new/" not in page
    response = client.post(f"/cases/{case.reference}/escalations/new/", prepare_post(case))
    assert response.status_code == 302 and not Escalation.objects.exists()
    assert Case.objects.get(pk=case.pk).state == CaseState.NEW


def test_a_supervisor_approves_and_the_case_is_escalated(client, operator, supervisor):
    escalation = make_escalation(S.PENDING_APPROVAL, operator=operator, supervisor=supervisor)
    verified_login(client, operator)
    page = client.get(f"/cases/{escalation.case.reference}/").content.decode()
    assert "/approve/" not in page
    # An operator who posts anyway is refused with a message.
    assert do(client, escalation, "approve").status_code == 302
    assert Escalation.objects.get(pk=escalation.pk).state == S.PENDING_APPROVAL
    verified_login(client, supervisor)
    page = client.get(f"/cases/{escalation.case.reference}/").content.decode()
    assert f"/escalations/{escalation.pk}/approve/" in page
    assert do(client, escalation, "approve", override_reason="").status_code == 302
    escalation.refresh_from_db()
    assert escalation.state == S.SENT and escalation.approved_by == supervisor
    assert Case.objects.get(pk=escalation.case_id).state == CaseState.ESCALATED


def test_a_supervisor_returns_a_draft_with_a_reason_and_the_counsellor_changes_it(client, operator, supervisor):
    escalation = make_escalation(S.PENDING_APPROVAL, operator=operator, supervisor=supervisor)
    verified_login(client, supervisor)
    assert do(client, escalation, "return", reason="").status_code == 400
    assert do(client, escalation, "return", reason="Thêm tài khoản Zalo.").status_code == 302
    assert Escalation.objects.get(pk=escalation.pk).state == S.DRAFT
    verified_login(client, operator)
    page = client.get(f"/cases/{escalation.case.reference}/").content.decode()
    assert "Thêm tài khoản Zalo." in page  # on the case timeline
    case = escalation.case
    data = draft_fields(case, extra_targets="zalo: 0987000000", requested_actions=["takedown"])
    assert do(client, escalation, "edit", **data).status_code == 302
    escalation.refresh_from_db()
    assert escalation.requested_actions == ["takedown"]
    assert escalation.links.filter(target="zalo: 0987000000").exists()
    assert do(client, escalation, "submit").status_code == 302
    assert Escalation.objects.get(pk=escalation.pk).state == S.PENDING_APPROVAL


def test_the_counsellor_answers_the_agency_from_the_case_page(client, operator, supervisor, police):
    escalation = make_escalation(S.INFO_REQUESTED, operator=operator, supervisor=supervisor, liaison=police)
    verified_login(client, operator)
    page = client.get(f"/cases/{escalation.case.reference}/").content.decode()
    assert "Em bao nhiêu tuổi?" in page and f"/escalations/{escalation.pk}/answer/" in page
    assert do(client, escalation, "answer", answer="Em 14 tuổi, học lớp 8.").status_code == 302
    escalation.refresh_from_db()
    assert escalation.state == S.IN_PROGRESS
    assert escalation.updates.latest("id").kind == UpdateKind.ANSWER
    verified_login(client, police)
    assert "Em 14 tuổi, học lớp 8." in client.get(f"/liaison/{escalation.pk}/").content.decode()


def test_retracting_needs_a_reason_and_the_right_role(client, operator, supervisor, police):
    escalation = make_escalation(S.ACKNOWLEDGED, operator=operator, supervisor=supervisor, liaison=police)
    verified_login(client, operator)
    assert do(client, escalation, "retract", reason="Gia đình không muốn.").status_code == 302
    assert Escalation.objects.get(pk=escalation.pk).state == S.ACKNOWLEDGED
    verified_login(client, supervisor)
    assert do(client, escalation, "retract", reason="").status_code == 400
    assert do(client, escalation, "retract", reason="Gia đình không muốn.").status_code == 302
    assert Escalation.objects.get(pk=escalation.pk).state == S.RETRACTED
    assert Case.objects.get(pk=escalation.case_id).state == CaseState.IN_PROGRESS


def test_liaisons_and_outsiders_cannot_use_the_case_side(client, operator, supervisor, police, outsider):
    escalation = make_escalation(S.PENDING_APPROVAL, operator=operator, supervisor=supervisor)
    for user in (police, outsider):
        verified_login(client, user)
        assert do(client, escalation, "approve").status_code == 403
        assert client.post(f"/cases/{escalation.case.reference}/escalations/new/", {}).status_code == 403
    assert Escalation.objects.get(pk=escalation.pk).state == S.PENDING_APPROVAL


def test_an_escalation_of_another_case_is_not_reachable_through_this_one(client, operator, supervisor):
    escalation = make_escalation(S.PENDING_APPROVAL, operator=operator, supervisor=supervisor)
    other = case_in_progress(operator)
    verified_login(client, supervisor)
    response = client.post(f"/cases/{other.reference}/escalations/{escalation.pk}/approve/", {})
    assert response.status_code == 404


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_case_page_costs_the_same_queries_for_one_or_several_sent_escalations(client, operator, supervisor, police):
    case = case_in_progress(operator)
    make_escalation(S.SENT, case=case, operator=operator, supervisor=supervisor)
    verified_login(client, supervisor)
    url = f"/cases/{case.reference}/"
    one = count_queries(client, url)
    for state in (S.IN_PROGRESS, S.COMPLETED):
        make_escalation(state, case=case, operator=operator, supervisor=supervisor, liaison=police)
    assert count_queries(client, url) == one
