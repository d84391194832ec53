"""The liaison portal: one agency's escalations only, its actions, evidence downloads, the way in."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from cases.models import CaseEvent, EventKind
from escalation import services
from escalation.models import Escalation, EscalationState, LinkOutcome, UpdateKind
from tests.conftest import make_user
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import INFO_DEPT, POLICE, make_escalation, prepare
from tests.factories import PNG_BYTES

pytestmark = pytest.mark.django_db

S = EscalationState


@pytest.fixture
def to_police(operator, supervisor, police):
    return make_escalation(S.SENT, operator=operator, supervisor=supervisor, liaison=police)


@pytest.fixture
def to_info(operator, supervisor, infodept):
    return make_escalation(S.SENT, operator=operator, supervisor=supervisor, liaison=infodept, agency_code=INFO_DEPT)


def act(client, escalation, action, **data):
    return client.post(f"/liaison/{escalation.pk}/do/{action}/", data)


def test_a_liaison_sees_only_their_agency_s_escalations(client, police, to_police, to_info):
    client.force_login(police)
    response = client.get("/liaison/")
    assert response.status_code == 200
    assert [e.pk for e in response.context["escalations"]] == [to_police.pk]
    html = response.content.decode()
    assert to_police.case.reference in html and to_info.case.reference not in html


def test_another_agency_s_escalation_is_a_404_everywhere(client, police, infodept, to_police, to_info):
    client.force_login(infodept)
    link = to_police.links.get()
    evidence_id = to_police.packet["evidence"][0]["id"]
    assert client.get(f"/liaison/{to_police.pk}/").status_code == 404
    assert act(client, to_police, "acknowledge").status_code == 404
    assert act(client, to_police, "decline", reason="Không phải của chúng tôi").status_code == 404
    assert (
        client.post(f"/liaison/{to_police.pk}/links/{link.pk}/", {f"link{link.pk}-outcome": "taken_down"}).status_code
        == 404
    )
    assert client.get(f"/liaison/{to_police.pk}/evidence/{evidence_id}/").status_code == 404
    assert Escalation.objects.get(pk=to_police.pk).state == S.SENT
    assert not CaseEvent.objects.filter(kind=EventKind.EVIDENCE_VIEWED).exists()
    # Their own is there.
    assert client.get(f"/liaison/{to_info.pk}/").status_code == 200


def test_an_escalation_not_yet_sent_does_not_exist_for_the_agency(client, operator, supervisor, police):
    draft = make_escalation(S.DRAFT, operator=operator, supervisor=supervisor)
    pending = make_escalation(S.PENDING_APPROVAL, operator=operator, supervisor=supervisor)
    client.force_login(police)
    assert client.get("/liaison/").context["escalations"] == []
    assert client.get(f"/liaison/{draft.pk}/").status_code == 404
    assert client.get(f"/liaison/{pending.pk}/").status_code == 404


def test_staff_and_strangers_cannot_open_the_portal(client, operator, outsider, to_police):
    assert client.get("/liaison/")["Location"].startswith("/accounts/login/")
    for user in (operator, outsider):
        client.force_login(user)
        assert client.get("/liaison/").status_code == 403
        assert client.get(f"/liaison/{to_police.pk}/").status_code == 403
    # The liaison permission without a membership of an agency is not enough either.
    client.force_login(make_user("orphan", "liaison"))
    assert client.get("/liaison/").status_code == 403


def test_liaisons_never_see_cases(client, police, to_police):
    client.force_login(police)
    assert client.get("/cases/").status_code == 403
    assert client.get(f"/cases/{to_police.case.reference}/").status_code == 403
    assert not police.has_perm("cases.view_case")


def test_login_sends_each_role_to_its_own_start_page(client, police, operator, outsider):
    response = client.post("/accounts/login/", {"username": police.username, "password": "a-long-test-password"})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/")["Location"] == "/liaison/"
    page = client.get("/liaison/").content.decode()
    assert 'href="/liaison/"' in page  # the nav link
    client.force_login(operator)
    assert client.get("/staff/")["Location"] == "/cases/"
    client.force_login(outsider)
    assert client.get("/staff/").status_code == 403


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_costs_the_same_queries_for_one_or_many_escalations(client, operator, supervisor, police):
    client.force_login(police)
    make_escalation(S.SENT, operator=operator, supervisor=supervisor, liaison=police)
    one = count_queries(client, "/liaison/")
    one_rows = count_queries(client, "/liaison/?fragment=rows")
    for state in (S.ACKNOWLEDGED, S.INFO_REQUESTED, S.SENT):
        make_escalation(state, operator=operator, supervisor=supervisor, liaison=police)
    page = client.get("/liaison/")
    assert len(page.context["escalations"]) == 4
    assert count_queries(client, "/liaison/") == one
    assert count_queries(client, "/liaison/?fragment=rows") == one_rows


def test_the_whole_agency_side_through_the_portal(client, police, to_police):
    client.force_login(police)
    assert act(client, to_police, "acknowledge", agency_reference="77/PA05").status_code == 302
    assert act(client, to_police, "start_work").status_code == 302
    assert act(client, to_police, "request_information", question="Em bao nhiêu tuổi?").status_code == 302
    to_police.refresh_from_db()
    assert (to_police.state, to_police.agency_reference) == (S.INFO_REQUESTED, "77/PA05")
    # A refused step is a message, not an error.
    response = act(client, to_police, "complete", outcome="Xong")
    assert response.status_code == 302
    assert [m.level_tag for m in client.get(response["Location"]).context["messages"]] == ["error"]
    to_police.refresh_from_db()
    services.answer_information_request(escalation=to_police, user=to_police.created_by, answer="Em 14 tuổi.")
    assert "Em 14 tuổi." in client.get(f"/liaison/{to_police.pk}/").content.decode()
    link = to_police.links.get()
    response = client.post(
        f"/liaison/{to_police.pk}/links/{link.pk}/",
        {f"link{link.pk}-outcome": "taken_down", f"link{link.pk}-note": "Đã gỡ"},
    )
    assert response.status_code == 302
    assert act(client, to_police, "agency_reference", agency_reference="78/PA05").status_code == 302
    assert act(client, to_police, "complete", outcome="Đã gỡ bài, đã mời đối tượng lên làm việc.").status_code == 302
    to_police.refresh_from_db()
    link.refresh_from_db()
    assert to_police.state == S.COMPLETED and to_police.agency_reference == "78/PA05"
    assert link.outcome == LinkOutcome.TAKEN_DOWN
    assert list(to_police.updates.values_list("kind", flat=True)) == [
        UpdateKind.SENT,
        UpdateKind.ACKNOWLEDGED,
        UpdateKind.WORK_STARTED,
        UpdateKind.INFO_REQUEST,
        UpdateKind.ANSWER,
        UpdateKind.LINK_OUTCOME,
        UpdateKind.AGENCY_REFERENCE,
        UpdateKind.COMPLETED,
    ]
    steps = CaseEvent.objects.filter(case=to_police.case, kind=EventKind.ESCALATION).values_list(
        "data__step", flat=True
    )
    assert list(steps)[-7:] == [
        "acknowledge",
        "start_work",
        "request_information",
        "answer_information_request",
        "link_outcome",
        "agency_reference",
        "complete",
    ]


def test_declining_needs_a_reason(client, police, to_police):
    client.force_login(police)
    response = act(client, to_police, "decline", reason="")
    assert response.status_code == 400
    assert Escalation.objects.get(pk=to_police.pk).state == S.SENT
    assert act(client, to_police, "decline", reason="Không thuộc thẩm quyền của PA05.").status_code == 302
    to_police.refresh_from_db()
    assert to_police.state == S.DECLINED and to_police.decline_reason == "Không thuộc thẩm quyền của PA05."


def test_a_step_the_state_refuses_is_a_message_in_the_reader_s_language(client, police, to_police):
    client.force_login(police)
    response = act(client, to_police, "start_work")  # not before the acknowledgement
    assert response.status_code == 302
    assert Escalation.objects.get(pk=to_police.pk).state == S.SENT
    english = "This step is not possible in the escalation's current state."
    with translation.override("vi"):
        vietnamese = gettext(english)
    assert vietnamese != english
    assert vietnamese in client.get(response["Location"]).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/liaison/"})
    response = act(client, to_police, "start_work")
    assert english.replace("'", "&#x27;") in client.get(response["Location"]).content.decode()


def test_an_unknown_action_is_refused(client, police, to_police):
    client.force_login(police)
    assert act(client, to_police, "approve").status_code == 405
    assert Escalation.objects.get(pk=to_police.pk).state == S.SENT


def test_the_agency_downloads_included_evidence_and_each_download_is_logged(client, police, to_police):
    client.force_login(police)
    evidence_id = to_police.packet["evidence"][0]["id"]
    response = client.get(f"/liaison/{to_police.pk}/evidence/{evidence_id}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "no-store, private"
    event = CaseEvent.objects.get(kind=EventKind.EVIDENCE_VIEWED)
    assert (event.case_id, event.actor, event.data["how"], event.data["evidence_id"]) == (
        to_police.case_id,
        police,
        "liaison_download",
        evidence_id,
    )


def test_evidence_left_out_of_the_packet_cannot_be_downloaded(client, operator, supervisor, police):
    escalation = make_escalation(S.SENT, operator=operator, supervisor=supervisor, evidence=[])
    evidence = escalation.case.evidence.get()
    client.force_login(police)
    assert client.get(f"/liaison/{escalation.pk}/evidence/{evidence.pk}/").status_code == 404
    # Nor the file of another case through an escalation that includes files.
    other = make_escalation(S.SENT, operator=operator, supervisor=supervisor)
    assert client.get(f"/liaison/{other.pk}/evidence/{evidence.pk}/").status_code == 404
    assert not CaseEvent.objects.filter(kind=EventKind.EVIDENCE_VIEWED).exists()


def test_overdue_items_are_shown_to_the_agency(client, police, to_police):
    Escalation.objects.filter(pk=to_police.pk).update(ack_due_at=to_police.sent_at - timedelta(hours=2))
    to_police.links.update(takedown_due_at=to_police.sent_at - timedelta(hours=1))
    client.force_login(police)
    rows = client.get("/liaison/?fragment=rows").content.decode()
    assert "is-overdue" in rows and rows.count('class="overdue"') == 2
    page = client.get(f"/liaison/{to_police.pk}/").content.decode()
    assert page.count('class="overdue"') == 2


def test_finished_escalations_are_listed_apart(client, operator, supervisor, police):
    done = make_escalation(S.COMPLETED, operator=operator, supervisor=supervisor, liaison=police)
    client.force_login(police)
    assert client.get("/liaison/").context["escalations"] == []
    assert [e.pk for e in client.get("/liaison/?show=finished").context["escalations"]] == [done.pk]


def test_two_liaisons_of_one_agency_share_its_escalations(client, to_police):
    colleague = make_liaison("pa05-lan", POLICE)
    client.force_login(colleague)
    assert [e.pk for e in client.get("/liaison/").context["escalations"]] == [to_police.pk]


def test_prepare_of_a_second_escalation_shows_nothing_to_the_agency(client, operator, police, to_police):
    prepare(to_police.case, operator)
    client.force_login(police)
    assert len(client.get("/liaison/").context["escalations"]) == 1
