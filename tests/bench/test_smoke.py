"""seed_demo keeps making data the hotline itself could have made (the benchmarks rely on it)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min

from cases import access, risk, services
from cases.models import OPEN_STATES, Case, CaseEvent, CaseState, EventKind, Message
from tests.factories import make_case


@pytest.fixture
def seeded(db):
    out = StringIO()
    call_command("seed_demo", cases=50, stdout=out)
    assert "50 cases" in out.getvalue()
    return list(Case.objects.all())


def test_it_makes_the_cases_asked_for(seeded):
    assert len(seeded) == 50


def test_it_gives_every_case_a_valid_state_and_matching_timestamps(seeded):
    for case in seeded:
        assert case.state in CaseState.values
        assert case.created_at <= case.updated_at
        assert case.first_response_due_at > case.created_at
        if case.state in OPEN_STATES:
            assert case.closed_at is None
        if case.state in (CaseState.CLOSED, CaseState.REJECTED):
            assert case.closed_at is not None and case.closed_at >= case.created_at
        if case.state == CaseState.REJECTED:
            assert case.reject_reason
        if case.state in (CaseState.RESOLVED, CaseState.CLOSED):
            assert case.outcome and case.resolved_at is not None
        if case.state in (CaseState.IN_PROGRESS, CaseState.WAITING_REPORTER, CaseState.ESCALATED):
            assert case.assignee_id is not None and case.first_response_at is not None


def test_it_decides_priority_risk_and_due_time_by_intakes_own_rules(seeded):
    for case in Case.objects.select_related("category__parent"):
        if not case.purged_at:
            assert case.risk_reasons == risk.risk_reasons(category=case.category, text=case.description)
        expected = services.initial_priority(
            category=case.category, in_danger=case.in_danger, risk_reasons=case.risk_reasons
        )
        assert case.priority == expected
        assert case.first_response_due_at == services.first_response_due(
            received_at=case.created_at, priority=case.priority
        )
        if case.category.top_level.code == "MHR":
            assert case.risk_flagged and case.priority == 1
            assert CaseEvent.objects.filter(case=case, kind=EventKind.RISK_FLAGGED).exists()


def test_it_makes_unique_well_formed_references(seeded):
    references = [case.reference for case in seeded]
    assert len(set(references)) == len(references)
    assert all(access.normalize_reference(reference) == reference for reference in references)


def test_it_numbers_each_conversation_from_one_without_gaps(seeded):
    numbers = {
        row["case"]: row
        for row in Message.objects.values("case").annotate(n=Count("id"), first=Min("seq"), last=Max("seq"))
    }
    for case in seeded:
        row = numbers.get(case.pk, {"n": 0, "first": 1, "last": 0})
        assert case.message_seq == row["last"] == row["n"]
        assert row["first"] == 1


def test_it_writes_the_timeline_of_each_case(seeded):
    created = set(CaseEvent.objects.filter(kind=EventKind.CREATED).values_list("case_id", flat=True))
    assert created == {case.pk for case in seeded}
    for case in seeded:
        if case.state != CaseState.NEW:
            last = CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITION).order_by("created_at", "id").last()
            assert last.to_state == case.state


def test_it_leaves_the_sequences_ready_for_new_cases(seeded):
    case, _code = make_case()
    assert case.pk > max(seeded_case.pk for seeded_case in seeded)


def test_it_adds_to_existing_cases_without_clashing(seeded):
    call_command("seed_demo", cases=30, seed=1, stdout=StringIO())
    assert Case.objects.count() == 80
    assert Case.objects.values("reference").distinct().count() == 80
