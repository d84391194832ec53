"""Every case transition: allowed, refused by state, refused by permission; each writes its event."""

import pytest
from django.conf import settings
from django.db import connection
from django.db.utils import IntegrityError
from django_fsm import TransitionNotAllowed

from cases import services
from cases.models import Case, CaseEvent, CaseState, EventKind, Outcome, Priority
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def advance(case, user, *states):
    """Walk a new case through the named steps with the given staff user."""
    for step in states:
        if step == "triage":
            services.triage_case(case=case, user=user, priority=Priority.P2, category=case.category)
        elif step == "claim":
            services.claim_case(case=case, user=user)
        elif step == "wait":
            services.wait_for_reporter(case=case, user=user)
        elif step == "resolve":
            services.resolve_case(case=case, user=user, outcome=Outcome.ADVICE_GIVEN, summary="Đã tư vấn.")
        elif step == "close":
            services.close_case(case=case, user=user)
    return case


def test_a_report_starts_new_with_a_created_event():
    case, _code = make_case()
    assert case.state == CaseState.NEW
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.CREATED]


def test_it_triages_and_stamps(operator):
    case, _code = make_case()
    services.triage_case(case=case, user=operator, priority=Priority.P1, category=case.category)
    case.refresh_from_db()
    assert case.state == CaseState.TRIAGED and case.priority == 1 and case.triaged_at
    event = case.events.get(kind=EventKind.TRANSITION)
    assert (event.actor, event.from_state, event.to_state, event.transition) == (
        operator,
        "new",
        "triaged",
        "triage",
    )
    # The first-response clock follows the new priority.
    assert case.first_response_due_at - case.created_at == settings.FIRST_RESPONSE_TARGETS[1]


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (["claim"], CaseState.IN_PROGRESS),
        (["triage", "claim"], CaseState.IN_PROGRESS),
        (["claim", "wait"], CaseState.WAITING_REPORTER),
        (["claim", "resolve"], CaseState.RESOLVED),
        (["claim", "wait", "resolve"], CaseState.RESOLVED),
        (["claim", "resolve", "close"], CaseState.CLOSED),
    ],
)
def test_allowed_paths(operator, steps, expected):
    case, _code = make_case()
    advance(case, operator, *steps)
    case.refresh_from_db()
    assert case.state == expected
    assert case.events.filter(kind=EventKind.TRANSITION).count() == len(steps)


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ([], "wait"),
        ([], "resolve"),
        ([], "close"),
        (["claim"], "claim"),
        (["claim"], "triage"),
        (["claim", "resolve", "close"], "resolve"),
        (["claim", "resolve"], "wait"),
    ],
)
def test_refused_by_state(operator, steps, refused):
    case, _code = make_case()
    advance(case, operator, *steps)
    before = CaseEvent.objects.count()
    with pytest.raises(TransitionNotAllowed):
        advance(case, operator, refused)
    assert CaseEvent.objects.count() == before


@pytest.mark.parametrize("step", ["triage", "claim"])
def test_refused_without_permission(outsider, step):
    case, _code = make_case()
    with pytest.raises(services.NotAllowed):
        advance(case, outsider, step)
    case.refresh_from_db()
    assert case.state == CaseState.NEW


def test_operator_cannot_reject_but_supervisor_can(operator, supervisor):
    case, _code = make_case()
    with pytest.raises(services.NotAllowed):
        services.reject_case(case=case, user=operator, reason="spam")
    services.reject_case(case=case, user=supervisor, reason="spam")
    case.refresh_from_db()
    assert case.state == CaseState.REJECTED and case.reject_reason == "spam"


def test_reopen_and_reporter_reply_bring_a_resolved_case_back(operator):
    case, _code = make_case()
    advance(case, operator, "claim", "resolve")
    services.reopen_case(case=case, user=operator, reason="Em ấy nhắn lại")
    assert case.state == CaseState.IN_PROGRESS
    advance(case, operator, "resolve")
    services.add_reporter_information(case=case, text="Nó lại nhắn cho em")
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    last = case.events.filter(kind=EventKind.TRANSITION).last()
    assert last.transition == "reporter_replied" and last.actor is None


def test_state_cannot_be_assigned_directly():
    case, _code = make_case()
    with pytest.raises(AttributeError):
        case.state = CaseState.CLOSED


def test_a_stale_copy_cannot_overwrite_a_newer_state(operator, other_operator):
    case, _code = make_case()
    mine = Case.objects.get(pk=case.pk)
    theirs = Case.objects.get(pk=case.pk)
    services.claim_case(case=mine, user=operator)
    with pytest.raises(Exception) as error:  # ConcurrentTransition
        services.claim_case(case=theirs, user=other_operator)
    assert type(error.value).__name__ == "ConcurrentTransition"
    case.refresh_from_db()
    assert case.assignee == operator
    assert case.events.filter(transition="claim").count() == 1


def test_priority_is_constrained_in_the_database():
    case, _code = make_case()
    with pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(priority=9)
    assert connection.vendor in ("sqlite", "postgresql")


def test_resolved_cases_close_after_the_grace_period(operator, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    settings.RESOLVED_GRACE_DAYS = 14
    old, _ = make_case()
    recent, _ = make_case()
    for case in (old, recent):
        advance(case, operator, "claim", "resolve")
    Case.objects.filter(pk=old.pk).update(resolved_at=timezone.now() - timedelta(days=15))
    call_command("close_resolved_cases", stdout=__import__("io").StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.state == CaseState.CLOSED and recent.state == CaseState.RESOLVED
    event = old.events.get(transition="close")
    assert event.actor is None and event.from_state == CaseState.RESOLVED
    assert services.close_resolved_cases() == 0  # nothing left to close: safe to run again


def test_resume_takes_up_a_waiting_case_and_needs_the_permission(operator, outsider):
    case, _ = make_case()
    with pytest.raises(TransitionNotAllowed):
        services.resume_case(case=case, user=operator)
    advance(case, operator, "claim", "wait")
    with pytest.raises(services.NotAllowed):
        services.resume_case(case=Case.objects.get(pk=case.pk), user=outsider)
    services.resume_case(case=Case.objects.get(pk=case.pk), user=operator)
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_PROGRESS
