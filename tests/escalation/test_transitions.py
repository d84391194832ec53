"""Every escalation transition: allowed, refused by state, refused by permission; each on the case timeline; the
case follows its escalations."""

import pytest
from django_fsm import TransitionNotAllowed

from cases.models import Case, CaseEvent, CaseState, EventKind
from cases.services import NotAllowed, wait_for_reporter
from escalation import services
from escalation.models import Escalation, EscalationState, UpdateKind
from tests.escalation.factories import INFO_DEPT, PATH, case_in_progress, make_escalation, prepare, walk

pytestmark = pytest.mark.django_db

S = EscalationState

# transition step → (states it starts from, who takes it)
TRANSITIONS = {
    "submit": ([S.DRAFT], "operator"),
    "return_to_draft": ([S.PENDING_APPROVAL], "supervisor"),
    "approve": ([S.PENDING_APPROVAL], "supervisor"),
    "acknowledge": ([S.SENT], "police"),
    "start_work": ([S.ACKNOWLEDGED], "police"),
    "request_information": ([S.ACKNOWLEDGED, S.IN_PROGRESS], "police"),
    "answer_information_request": ([S.INFO_REQUESTED], "operator"),
    "complete": ([S.ACKNOWLEDGED, S.IN_PROGRESS], "police"),
    "decline": ([S.SENT, S.ACKNOWLEDGED, S.IN_PROGRESS, S.INFO_REQUESTED], "police"),
}
TARGET = {
    "submit": S.PENDING_APPROVAL,
    "return_to_draft": S.DRAFT,
    "approve": S.SENT,
    "acknowledge": S.ACKNOWLEDGED,
    "start_work": S.IN_PROGRESS,
    "request_information": S.INFO_REQUESTED,
    "answer_information_request": S.IN_PROGRESS,
    "complete": S.COMPLETED,
    "decline": S.DECLINED,
}


def run(step, escalation, user):
    calls = {
        "submit": lambda: services.submit_for_approval(escalation=escalation, user=user),
        "return_to_draft": lambda: services.return_to_draft(escalation=escalation, user=user, reason="Thiếu link."),
        "approve": lambda: services.approve_and_send(escalation=escalation, user=user),
        "acknowledge": lambda: services.acknowledge_escalation(escalation=escalation, user=user),
        "start_work": lambda: services.start_work(escalation=escalation, user=user),
        "request_information": lambda: services.request_information(escalation=escalation, user=user, question="?"),
        "answer_information_request": lambda: services.answer_information_request(
            escalation=escalation, user=user, answer="Em 14 tuổi."
        ),
        "complete": lambda: services.complete_escalation(escalation=escalation, user=user, outcome="Đã gỡ."),
        "decline": lambda: services.decline_escalation(escalation=escalation, user=user, reason="Không đủ căn cứ."),
        "retract": lambda: services.retract_escalation(escalation=escalation, user=user, reason="Nhầm."),
    }
    return calls[step]()


@pytest.fixture
def cast(operator, supervisor, police, infodept, outsider):
    return {
        "operator": operator,
        "supervisor": supervisor,
        "police": police,
        "infodept": infodept,
        "outsider": outsider,
    }


def escalation_in(state, cast):
    return make_escalation(state, operator=cast["operator"], supervisor=cast["supervisor"], liaison=cast["police"])


ALLOWED = [(step, state) for step, (sources, _who) in TRANSITIONS.items() for state in sources]


@pytest.mark.parametrize(("step", "state"), ALLOWED)
def test_it_allows_each_transition_from_each_of_its_states(cast, step, state):
    escalation = escalation_in(state, cast)
    events_before = CaseEvent.objects.filter(case=escalation.case, kind=EventKind.ESCALATION).count()
    run(step, escalation, cast[TRANSITIONS[step][1]])
    escalation.refresh_from_db()
    assert escalation.state == TARGET[step]
    event = CaseEvent.objects.filter(case=escalation.case, kind=EventKind.ESCALATION).latest("id")
    assert event.data["step"] == step
    assert event.data["escalation"] == escalation.pk and event.data["state"] == TARGET[step]
    assert event.actor == cast[TRANSITIONS[step][1]]
    assert CaseEvent.objects.filter(case=escalation.case, kind=EventKind.ESCALATION).count() == events_before + 1


WRONG_STATE = [
    (step, state) for step, (sources, _who) in TRANSITIONS.items() for state in S.values if state not in sources
]


@pytest.mark.parametrize(("step", "state"), WRONG_STATE)
def test_it_refuses_each_transition_from_every_other_state(cast, step, state):
    escalation = escalation_in(state, cast)
    events_before = CaseEvent.objects.filter(case=escalation.case).count()
    with pytest.raises(TransitionNotAllowed):
        run(step, escalation, cast[TRANSITIONS[step][1]])
    assert Escalation.objects.get(pk=escalation.pk).state == state
    assert CaseEvent.objects.filter(case=escalation.case).count() == events_before


# Who must be refused, with the escalation in a state that allows the step.
REFUSED = [
    ("submit", "outsider"),
    ("submit", "police"),
    ("return_to_draft", "operator"),
    ("return_to_draft", "police"),
    ("approve", "operator"),
    ("approve", "police"),
    ("acknowledge", "operator"),
    ("acknowledge", "supervisor"),
    ("acknowledge", "infodept"),  # a liaison of another agency
    ("start_work", "infodept"),
    ("request_information", "infodept"),
    ("request_information", "operator"),
    ("answer_information_request", "police"),
    ("answer_information_request", "outsider"),
    ("complete", "infodept"),
    ("complete", "supervisor"),
    ("decline", "infodept"),
    ("decline", "operator"),
]


@pytest.mark.parametrize(("step", "who"), REFUSED)
def test_it_refuses_each_transition_without_the_permission(cast, step, who):
    state = TRANSITIONS[step][0][0]
    escalation = escalation_in(state, cast)
    events_before = CaseEvent.objects.filter(case=escalation.case).count()
    with pytest.raises(NotAllowed):
        run(step, escalation, cast[who])
    assert Escalation.objects.get(pk=escalation.pk).state == state
    assert CaseEvent.objects.filter(case=escalation.case).count() == events_before


@pytest.mark.parametrize("state", [S.DRAFT, S.PENDING_APPROVAL])
def test_a_counsellor_withdraws_before_sending(cast, state):
    escalation = escalation_in(state, cast)
    run("retract", escalation, cast["operator"])
    escalation.refresh_from_db()
    assert escalation.state == S.RETRACTED and escalation.retract_reason == "Nhầm." and escalation.finished_at
    # The agency never saw it: nothing on its side.
    assert not escalation.updates.exists()


@pytest.mark.parametrize("state", [S.SENT, S.ACKNOWLEDGED, S.IN_PROGRESS, S.INFO_REQUESTED])
def test_once_sent_only_a_supervisor_retracts_and_the_agency_is_told(cast, state):
    escalation = escalation_in(state, cast)
    for who in ("operator", "police"):
        with pytest.raises(NotAllowed):
            run("retract", escalation, cast[who])
    run("retract", escalation, cast["supervisor"])
    escalation.refresh_from_db()
    assert escalation.state == S.RETRACTED
    assert escalation.updates.latest("id").kind == UpdateKind.RETRACTED
    assert Case.objects.get(pk=escalation.case_id).state == CaseState.IN_PROGRESS


@pytest.mark.parametrize("state", [S.COMPLETED, S.DECLINED, S.RETRACTED])
def test_a_finished_escalation_cannot_be_retracted(cast, state):
    escalation = escalation_in(state, cast)
    with pytest.raises(TransitionNotAllowed):
        run("retract", escalation, cast["supervisor"])


def test_sending_escalates_the_case_and_finishing_the_last_one_returns_it(cast):
    operator, supervisor, police, infodept = cast["operator"], cast["supervisor"], cast["police"], cast["infodept"]
    case = case_in_progress(operator)
    to_police = make_escalation(S.SENT, case=case, operator=operator, supervisor=supervisor, liaison=police)
    assert Case.objects.get(pk=case.pk).state == CaseState.ESCALATED
    to_info = make_escalation(
        S.SENT, case=case, agency_code=INFO_DEPT, operator=operator, supervisor=supervisor, liaison=infodept
    )
    case_transitions = lambda: list(  # noqa: E731
        case.events.filter(kind=EventKind.TRANSITION).values_list("transition", flat=True)
    )
    assert case_transitions() == ["claim", "escalate"]  # the second sending leaves it escalated

    walk(to_police, PATH[S.COMPLETED][2:], operator=operator, supervisor=supervisor, liaison=police)
    assert Case.objects.get(pk=case.pk).state == CaseState.ESCALATED  # the department still has it
    walk(to_info, ["decline"], operator=operator, supervisor=supervisor, liaison=infodept)
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_PROGRESS
    assert case_transitions() == ["claim", "escalate", "return_from_escalation"]
    back = case.events.get(transition="return_from_escalation")
    assert back.actor == infodept


def test_a_draft_in_preparation_does_not_keep_the_case_escalated(cast):
    operator, supervisor, police = cast["operator"], cast["supervisor"], cast["police"]
    case = case_in_progress(operator)
    sent = make_escalation(S.SENT, case=case, operator=operator, supervisor=supervisor, liaison=police)
    prepare(case, operator)  # a second one, still a draft
    walk(sent, ["decline"], operator=operator, supervisor=supervisor, liaison=police)
    assert Case.objects.get(pk=case.pk).state == CaseState.IN_PROGRESS


@pytest.mark.parametrize("case_state", ["new", "waiting_reporter"])
def test_only_a_case_in_progress_is_escalated(cast, case_state):
    operator = cast["operator"]
    case = case_in_progress(operator)
    escalation = make_escalation(S.PENDING_APPROVAL, case=case, operator=operator, supervisor=cast["supervisor"])
    if case_state == "waiting_reporter":
        wait_for_reporter(case=case, user=operator)
        with pytest.raises(TransitionNotAllowed):
            run("approve", escalation, cast["supervisor"])
        assert Escalation.objects.get(pk=escalation.pk).state == S.PENDING_APPROVAL
    else:
        from tests.factories import make_case

        new_case, _ = make_case()
        with pytest.raises(TransitionNotAllowed):
            prepare(new_case, operator)
        assert not Escalation.objects.filter(case=new_case).exists()


def test_preparing_needs_the_permission_and_the_case_s_own_links_and_files(cast):
    operator = cast["operator"]
    case = case_in_progress(operator)
    other = case_in_progress(operator)
    with pytest.raises(NotAllowed):
        prepare(case, cast["police"])
    with pytest.raises(ValueError):
        prepare(case, operator, evidence=list(other.evidence.all()))
    with pytest.raises(ValueError):
        prepare(case, operator, links=list(other.links.all()))
    with pytest.raises(ValueError):
        prepare(case, operator, requested_actions=[])
    assert not Escalation.objects.exists()


def test_a_historical_agency_cannot_receive_escalations(cast):
    case = case_in_progress(cast["operator"])
    with pytest.raises(ValueError):
        prepare(case, cast["operator"], agency_code="so-tttt-bac-ninh")


def test_only_drafts_change(cast):
    escalation = escalation_in(S.DRAFT, cast)
    services.update_draft(
        escalation=escalation,
        user=cast["operator"],
        agency=escalation.agency,
        requested_actions=["advice"],
        reason="Khác",
        summary="Tóm tắt mới",
        extra_targets=["zalo: 0912000000"],
    )
    escalation.refresh_from_db()
    assert escalation.requested_actions == ["advice"] and escalation.summary == "Tóm tắt mới"
    assert [link.target for link in escalation.links.all()] == ["zalo: 0912000000"]
    walk(escalation, ["submit"], operator=cast["operator"], supervisor=None, liaison=None)
    with pytest.raises(TransitionNotAllowed):
        services.update_draft(
            escalation=escalation, user=cast["operator"], agency=escalation.agency, requested_actions=["advice"]
        )


def test_acknowledgement_stops_the_clock_and_keeps_the_agency_reference(cast):
    escalation = escalation_in(S.SENT, cast)
    with pytest.raises(TransitionNotAllowed):
        services.record_agency_reference(escalation=escalation, user=cast["police"], agency_reference="44/PA05")
    services.acknowledge_escalation(escalation=escalation, user=cast["police"], agency_reference=" 45/PA05 ")
    escalation.refresh_from_db()
    assert escalation.acknowledged_at and escalation.acknowledged_by == cast["police"]
    assert escalation.agency_reference == "45/PA05" and not escalation.ack_overdue
    services.record_agency_reference(escalation=escalation, user=cast["police"], agency_reference="46/PA05")
    assert Escalation.objects.get(pk=escalation.pk).agency_reference == "46/PA05"
    with pytest.raises(NotAllowed):
        services.record_agency_reference(escalation=escalation, user=cast["infodept"], agency_reference="x")
    walk(escalation, ["complete"], operator=None, supervisor=None, liaison=cast["police"])
    with pytest.raises(TransitionNotAllowed):
        services.record_agency_reference(escalation=escalation, user=cast["police"], agency_reference="47/PA05")
    assert Escalation.objects.get(pk=escalation.pk).agency_reference == "46/PA05"


def test_a_question_and_its_answer_are_on_both_sides(cast):
    escalation = escalation_in(S.IN_PROGRESS, cast)
    services.request_information(escalation=escalation, user=cast["police"], question="Em học trường nào?")
    services.answer_information_request(escalation=escalation, user=cast["operator"], answer="Trường THCS X.")
    kinds = list(escalation.updates.values_list("kind", "text"))
    assert kinds[-2:] == [(UpdateKind.INFO_REQUEST, "Em học trường nào?"), (UpdateKind.ANSWER, "Trường THCS X.")]
    # The case timeline records that it happened; the answer itself stays in the exchange with the agency.
    answer_event = CaseEvent.objects.filter(case=escalation.case, kind=EventKind.ESCALATION).latest("id")
    assert "Trường THCS X." not in answer_event.text


def test_link_outcomes_are_recorded_by_the_agency_only_while_it_works_on_it(cast):
    escalation = escalation_in(S.SENT, cast)
    link = escalation.links.get()
    with pytest.raises(TransitionNotAllowed):
        services.record_link_outcome(link=link, user=cast["police"], outcome="taken_down")
    walk(escalation, ["acknowledge"], operator=None, supervisor=None, liaison=cast["police"])
    link.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.record_link_outcome(link=link, user=cast["infodept"], outcome="taken_down")
    with pytest.raises(ValueError):
        services.record_link_outcome(link=link, user=cast["police"], outcome="pending")
    services.record_link_outcome(link=link, user=cast["police"], outcome="taken_down", note="Facebook đã gỡ.")
    link.refresh_from_db()
    assert (link.outcome, link.outcome_note, link.updated_by) == ("taken_down", "Facebook đã gỡ.", cast["police"])
    assert not link.takedown_overdue
    event = CaseEvent.objects.filter(case=escalation.case, kind=EventKind.ESCALATION).latest("id")
    assert event.data["outcome"] == "taken_down" and "#1 → " in event.text
    assert link.target not in event.text  # the timeline is kept for good; the link is removed after retention
