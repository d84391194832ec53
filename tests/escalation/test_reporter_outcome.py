"""The reporter sees what happened (issue 12, point 3): the outcome in plain words and each link's takedown
result, on the status page and in the API, never internal notes, officer names or agency details."""

import pytest
from django.utils import translation

from cases.models import Case, Outcome
from cases.services import claim_case, close_case, resolve_case
from escalation.models import EscalationState, LinkOutcome
from escalation.services import record_link_outcome
from tests.escalation.factories import PATH, prepare, walk
from tests.factories import make_case

pytestmark = pytest.mark.django_db

TAKEN_DOWN = "https://www.facebook.com/ke-de-doa"
REFUSED = "https://www.tiktok.com/@ke-de-doa"
WAITING = "https://zalo.me/ke-de-doa"
NEVER_ESCALATED = "https://example.com/khong-chuyen"
INTERNAL = ["123/PA05", "Đã gỡ bài, đang điều tra", "Thượng úy", "nội bộ", "Tóm tắt kết quả"]


def escalated_case(operator, supervisor, police):
    case, code = make_case(links=[TAKEN_DOWN, REFUSED, WAITING, NEVER_ESCALATED])
    claim_case(case=case, user=operator)
    case.refresh_from_db()
    links = [link for link in case.links.all() if link.url != NEVER_ESCALATED]
    escalation = walk(
        prepare(case, operator, links=links),
        PATH[EscalationState.IN_PROGRESS],
        operator=operator,
        supervisor=supervisor,
        liaison=police,
    )
    by_url = {link.target: link for link in escalation.links.all()}
    record_link_outcome(link=by_url[TAKEN_DOWN], user=police, outcome=LinkOutcome.TAKEN_DOWN, note="Thượng úy Minh")
    record_link_outcome(link=by_url[REFUSED], user=police, outcome=LinkOutcome.STILL_ONLINE, note="nội bộ")
    return case, code, escalation


def status_page(client, case, code):
    client.post("/status/", {"reference": case.reference, "access_code": code})
    return client.get(f"/status/{case.reference}/").content.decode()


def test_it_shows_each_links_takedown_result_in_plain_words(client, operator, supervisor, police):
    case, code, _escalation = escalated_case(operator, supervisor, police)
    html = status_page(client, case, code)
    assert "đã được gỡ bỏ" in html and "nền tảng từ chối" in html and "đang chờ" in html
    assert NEVER_ESCALATED not in html.split('id="outcome-heading"')[1].split("</section>")[0]
    for internal in INTERNAL:
        assert internal not in html


def test_it_shows_the_outcome_once_resolved_and_never_the_summary(client, operator, supervisor, police):
    case, code, escalation = escalated_case(operator, supervisor, police)
    walk(escalation, ["complete"], operator=operator, supervisor=supervisor, liaison=police)
    resolve_case(
        case=Case.objects.get(pk=case.pk), user=operator, outcome=Outcome.CONTENT_REMOVED, summary="Tóm tắt kết quả"
    )
    close_case(case=Case.objects.get(pk=case.pk), user=operator)
    with translation.override("vi"):
        expected = str(translation.gettext("The harmful content was removed."))
    assert expected != "The harmful content was removed."
    html = status_page(client, case, code)
    assert expected in html
    for internal in INTERNAL:
        assert internal not in html

    body = client.get(f"/api/v1/reports/{case.reference}", HTTP_X_ACCESS_CODE=code).json()
    assert body["outcome"]["outcome"] == "content_removed"
    assert {link["url"]: link["result"] for link in body["outcome"]["links"]} == {
        TAKEN_DOWN: "removed",
        REFUSED: "refused",
        WAITING: "pending",
    }
    for internal in INTERNAL:
        assert internal not in str(body)


def test_a_case_without_outcome_shows_no_outcome_section(client):
    case, code = make_case()
    assert 'id="outcome-heading"' not in status_page(client, case, code)
