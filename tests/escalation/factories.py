"""Escalations made through the same services as real ones, walked to the state a test needs."""

from cases import services as case_services
from escalation import services
from escalation.models import Agency, EscalationState
from tests.factories import make_case, png_upload

POLICE = "ca-bac-ninh-pa05"
INFO_DEPT = "so-vhttdl-bac-ninh"

# The steps, in order, that lead to each state; a liaison of the agency does the agency's.
PATH = {
    EscalationState.DRAFT: [],
    EscalationState.PENDING_APPROVAL: ["submit"],
    EscalationState.SENT: ["submit", "approve"],
    EscalationState.ACKNOWLEDGED: ["submit", "approve", "acknowledge"],
    EscalationState.IN_PROGRESS: ["submit", "approve", "acknowledge", "start_work"],
    EscalationState.INFO_REQUESTED: ["submit", "approve", "acknowledge", "start_work", "request_information"],
    EscalationState.COMPLETED: ["submit", "approve", "acknowledge", "start_work", "complete"],
    EscalationState.DECLINED: ["submit", "approve", "decline"],
    EscalationState.RETRACTED: ["retract"],
}


def case_in_progress(operator, **overrides):
    """A case a counsellor has claimed, with one link and one picture."""
    case, _code = make_case(uploads=[png_upload()], **overrides)
    case_services.claim_case(case=case, user=operator)
    case.refresh_from_db()
    return case


def prepare(case, operator, *, agency_code=POLICE, **overrides):
    fields = {
        "agency": Agency.objects.get(code=agency_code),
        "requested_actions": ["takedown", "investigate"],
        "reason": "Đối tượng đe dọa phát tán ảnh của em.",
        "summary": "Một tài khoản Facebook đe dọa một học sinh lớp 8 và đòi tiền.",
        "links": list(case.links.all()),
        "evidence": list(case.evidence.all()),
    }
    fields.update(overrides)
    return services.prepare_escalation(case=case, user=operator, **fields)


def walk(escalation, steps, *, operator, supervisor, liaison, override_reason=""):
    for step in steps:
        if step == "submit":
            services.submit_for_approval(escalation=escalation, user=operator)
        elif step == "approve":
            services.approve_and_send(escalation=escalation, user=supervisor, override_reason=override_reason)
        elif step == "acknowledge":
            services.acknowledge_escalation(escalation=escalation, user=liaison, agency_reference="123/PA05")
        elif step == "start_work":
            services.start_work(escalation=escalation, user=liaison)
        elif step == "request_information":
            services.request_information(escalation=escalation, user=liaison, question="Em bao nhiêu tuổi?")
        elif step == "complete":
            services.complete_escalation(escalation=escalation, user=liaison, outcome="Đã gỡ bài, đang điều tra.")
        elif step == "decline":
            services.decline_escalation(escalation=escalation, user=liaison, reason="Không thuộc thẩm quyền.")
        elif step == "retract":
            services.retract_escalation(escalation=escalation, user=operator, reason="Nhầm cơ quan.")
    escalation.refresh_from_db()
    return escalation


def make_escalation(state, *, operator, supervisor, liaison=None, case=None, agency_code=POLICE, **overrides):
    case = case or case_in_progress(operator)
    escalation = prepare(case, operator, agency_code=agency_code, **overrides)
    return walk(escalation, PATH[state], operator=operator, supervisor=supervisor, liaison=liaison)
