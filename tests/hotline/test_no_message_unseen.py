"""No message unseen (issue 12, point 1): in every state a case can be in, what the young person sees after
writing on the status page, and where their message lands for the counsellors."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseState, EventKind, Outcome, RejectReason
from cases.retention import purge_personal_data
from cases.services import (
    claim_case,
    close_case,
    reject_case,
    resolve_case,
    run_transition,
    triage_case,
    wait_for_reporter,
)
from tests.factories import make_case

pytestmark = pytest.mark.django_db

WORDS = "người đó lại lập tài khoản mới và nhắn cho em tiếp"


def opened(client, case, code):
    assert client.post("/status/", {"reference": case.reference, "access_code": code}).status_code == 302


def write(client, case):
    response = client.post(f"/status/{case.reference}/", {"text": WORDS}, follow=True)
    assert response.status_code == 200
    return [str(message) for message in response.context["messages"]]


def escalate(case):
    with transaction.atomic():
        run_transition(Case.objects.select_for_update().get(pk=case.pk), "escalate", user=None)


def in_state(state, operator, supervisor):
    case, code = make_case()
    if state == CaseState.NEW:
        return case, code
    if state == CaseState.TRIAGED:
        triage_case(case=case, user=supervisor, priority=2, category=case.category)
        return case, code
    claim_case(case=case, user=operator)
    if state == CaseState.WAITING_REPORTER:
        wait_for_reporter(case=Case.objects.get(pk=case.pk), user=operator)
    elif state == CaseState.ESCALATED:
        escalate(case)
    elif state in (CaseState.RESOLVED, CaseState.CLOSED):
        resolve_case(case=Case.objects.get(pk=case.pk), user=operator, outcome=Outcome.ADVICE_GIVEN, summary="Ổn.")
        if state == CaseState.CLOSED:
            close_case(case=Case.objects.get(pk=case.pk), user=operator)
    return case, code


@pytest.mark.parametrize(
    ("state", "lands_in", "told"),
    [
        (CaseState.NEW, CaseState.NEW, "Cảm ơn"),
        (CaseState.TRIAGED, CaseState.TRIAGED, "Cảm ơn"),
        (CaseState.IN_PROGRESS, CaseState.IN_PROGRESS, "Cảm ơn"),
        (CaseState.WAITING_REPORTER, CaseState.IN_PROGRESS, "Cảm ơn"),
        (CaseState.ESCALATED, CaseState.ESCALATED, "Cảm ơn"),
        (CaseState.RESOLVED, CaseState.IN_PROGRESS, "Cảm ơn"),
        (CaseState.CLOSED, CaseState.IN_PROGRESS, "mở lại"),
    ],
)
def test_it_brings_the_message_to_a_counsellor_in_every_state(client, operator, supervisor, state, lands_in, told):
    case, code = in_state(state, operator, supervisor)
    assert Case.objects.get(pk=case.pk).state == state
    opened(client, case, code)
    shown = write(client, case)
    case.refresh_from_db()
    assert case.state == lands_in
    assert case.unread_by_staff == 1
    assert case.closed_at is None
    assert case.messages.get().text == WORDS
    assert case.events.filter(kind=EventKind.INFO_ADDED).exists()
    assert any(told in text for text in shown), shown


def test_it_sends_a_message_on_a_spam_report_back_to_the_queue(client, supervisor):
    case, code = make_case()
    reject_case(case=case, user=supervisor, reason=RejectReason.SPAM)
    opened(client, case, code)
    shown = write(client, case)
    case.refresh_from_db()
    assert case.state == CaseState.NEW and case.unread_by_staff == 1
    assert case.messages.get().text == WORDS
    assert any("xem lại" in text for text in shown), shown


def test_it_passes_a_message_on_a_duplicate_to_the_merged_case_as_a_staff_note(client, operator, supervisor):
    kept, _kept_code = make_case()
    claim_case(case=kept, user=operator)
    resolve_case(case=Case.objects.get(pk=kept.pk), user=operator, outcome=Outcome.ADVICE_GIVEN, summary="Ổn.")
    close_case(case=Case.objects.get(pk=kept.pk), user=operator)
    duplicate, code = make_case()
    reject_case(case=duplicate, user=supervisor, reason=RejectReason.DUPLICATE, merged_into=kept)
    opened(client, duplicate, code)
    shown = write(client, duplicate)
    duplicate.refresh_from_db()
    kept.refresh_from_db()
    assert duplicate.state == CaseState.REJECTED
    assert duplicate.messages.get().text == WORDS  # the child still sees what they wrote
    # The merged case reopens with an unread marker and a staff-only note; its own conversation is untouched
    # (its reporter may be another child).
    assert kept.state == CaseState.IN_PROGRESS and kept.unread_by_staff == 1
    note = CaseEvent.objects.get(case=kept, kind=EventKind.NOTE)
    assert note.text == WORDS and note.data["merged_from"] == duplicate.reference
    assert not kept.messages.exists()
    assert any("chuyển" in text for text in shown), shown


def test_the_code_of_a_purged_case_no_longer_works(client, operator):
    case, code = in_state(CaseState.CLOSED, operator, None)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - datetime.timedelta(days=400))
    purge_personal_data()
    response = client.post("/status/", {"reference": case.reference, "access_code": code})
    assert response.status_code == 400
