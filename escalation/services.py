"""Every write to an escalation goes through one of these functions.

Each one checks the permission and the state, and writes inside one transaction: the escalation, its entry on the
case's timeline (a CaseEvent of kind ESCALATION) and, for what the agency sees, an EscalationUpdate. Live
notifications and e-mail leave on commit. The case follows its escalations: it becomes "escalated" when one is sent
and returns to "in progress" when the last one at an agency is finished.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import TransitionNotAllowed

from cases import realtime as cases_realtime
from cases import rollup
from cases.models import Case, CaseEvent, CaseState, Consent, EventKind, Evidence, ReportedLink
from cases.plumbing import NotAllowed, apply_transition, check_transition
from cases.services import record_event, run_transition, start_intervention_clock
from escalation import queries, realtime, tasks
from escalation.consent import scope_for
from escalation.models import (
    AT_AGENCY_STATES,
    REFERRAL_AGENCY_KINDS,
    REFERRAL_CLOCK_SKEW,
    TAKEDOWN_ACTIONS,
    Agency,
    Escalation,
    EscalationLink,
    EscalationState,
    EscalationUpdate,
    LinkOutcome,
    Referral,
    RequestedAction,
    UpdateKind,
    is_liaison_of,
)
from escalation.packet import build_packet, fingerprint

# A case can be escalated only while a counsellor is working on it (case state machine: in_progress → escalated).
CASE_STATES_FOR_ESCALATION = (CaseState.IN_PROGRESS, CaseState.ESCALATED)

# The case timeline's words for each step, written in the hotline's working language.
STEP_LABELS = {
    "prepare": _("escalation prepared (draft)"),
    "update": _("draft changed"),
    "submit": _("submitted for a supervisor's approval"),
    "return_to_draft": _("returned to the counsellor"),
    "approve": _("approved and sent"),
    "retract": _("retracted"),
    "acknowledge": _("acknowledged by the agency"),
    "agency_reference": _("agency reference recorded"),
    "start_work": _("the agency started work"),
    "request_information": _("the agency asks for more information"),
    "answer_information_request": _("the hotline answered the agency"),
    "link_outcome": _("outcome for a link"),
    "complete": _("completed by the agency"),
    "decline": _("declined by the agency"),
    "consent_withdrawn": _("consent withdrawn: the agency was told"),
}

DRAFT_FIELDS = (
    "agency",
    "priority",
    "reason",
    "requested_actions",
    "summary",
    "incident_time",
    "reported_persons",
    "money_lost_vnd",
    "beneficiary_accounts",
    "actions_taken",
    "contact_through_hotline_only",
    "consent_override_reason",
)


class InvalidEscalation(ValueError):
    """What was asked cannot be an escalation (an agency no longer current, another case's files...)."""


def _timeline(
    case: Case, escalation: Escalation, step: str, *, user: User | None, detail: str = "", **data: Any
) -> CaseEvent:
    if escalation.sent_at is not None:  # the statistics of escalations sent that day (escalation.statistics)
        rollup.mark_changed(escalation.sent_at)
    with translation.override(settings.LANGUAGE_CODE):
        text = f"{escalation.agency.short_name} · {escalation.code}: {STEP_LABELS[step]}"
        if detail:
            text = f"{text} — {detail}"
    return record_event(
        case,
        EventKind.ESCALATION,
        actor=user,
        text=text,
        escalation=escalation.pk,
        agency=escalation.agency.code,
        step=step,
        state=escalation.state,
        **data,
    )


def _update(
    escalation: Escalation, kind: str, *, user: User | None, text: str = "", link: EscalationLink | None = None
) -> EscalationUpdate:
    return EscalationUpdate.objects.create(escalation=escalation, kind=kind, author=user, text=text, link=link)


def _transition(escalation: Escalation, name: str, *, user: User, **kwargs: Any) -> None:
    """Run one transition as `user` and save what it changed (`cases.plumbing.apply_transition`). Raises NotAllowed
    (permission, including another agency's liaison), TransitionNotAllowed (state) or ConcurrentTransition (someone
    changed it since it was read)."""
    apply_transition(escalation, name, user=user, **kwargs)
    # Every step shows on the case's pages and may change the supervisors' count of approvals waiting.
    cases_realtime.case_changed_on_commit(escalation.case_id)
    cases_realtime.count_changed_on_commit("approvals", queries.approvals_waiting)


def _locked_case(escalation: Escalation) -> Case:
    # The case row is the lock that serialises everything that may move the case (two escalations finishing at once).
    return Case.objects.select_for_update(of=("self",)).select_related("category__parent").get(pk=escalation.case_id)


def _return_case_if_done(case: Case, *, user: User) -> None:
    """The last escalation at an agency is finished: the case goes back to its counsellor."""
    if case.state != CaseState.ESCALATED:
        return
    if not Escalation.objects.filter(case=case, state__in=AT_AGENCY_STATES).exists():
        run_transition(case, "return_from_escalation", user=user)


def _check_draft_fields(
    case: Case,
    *,
    agency: Agency,
    requested_actions: Sequence[str],
    links: Sequence[ReportedLink],
    evidence: Sequence[Evidence],
) -> None:
    if not agency.is_current:
        raise InvalidEscalation("the agency is not current")
    if not requested_actions or not set(requested_actions) <= set(RequestedAction.values):
        raise InvalidEscalation("requested actions must be a non-empty list of RequestedAction values")
    if any(link.case_id != case.pk for link in links) or any(item.case_id != case.pk for item in evidence):
        raise InvalidEscalation("links and evidence must belong to the escalated case")


def _set_links_and_evidence(
    escalation: Escalation, *, links: Sequence[ReportedLink], extra_targets: Sequence[str], evidence: Sequence[Evidence]
) -> None:
    escalation.links.all().delete()
    rows = [EscalationLink(escalation=escalation, reported_link=link, target=link.url) for link in links]
    rows += [EscalationLink(escalation=escalation, target=target.strip()[:2000]) for target in extra_targets]
    EscalationLink.objects.bulk_create([row for row in rows if row.target])
    escalation.evidence.set(evidence)


def prepare_escalation(
    *,
    case: Case,
    user: User,
    agency: Agency,
    requested_actions: Sequence[str],
    links: Sequence[ReportedLink] = (),
    extra_targets: Sequence[str] = (),
    evidence: Sequence[Evidence] = (),
    **fields: Any,
) -> Escalation:
    """A counsellor prepares an escalation of a case in progress: a draft, which nobody outside sees yet.

    `fields` are the remaining DRAFT_FIELDS (reason and summary are required). Links and evidence must be the
    case's own."""
    if not user.has_perm("escalation.prepare_escalation"):
        raise NotAllowed("prepare_escalation")
    _check_draft_fields(case, agency=agency, requested_actions=requested_actions, links=links, evidence=evidence)
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.state not in CASE_STATES_FOR_ESCALATION:
            raise TransitionNotAllowed(f"a case in state {locked.state} cannot be escalated")
        escalation = Escalation.objects.create(
            case=locked,
            agency=agency,
            requested_actions=list(requested_actions),
            created_by=user,
            priority=fields.pop("priority", locked.priority),
            **fields,
        )
        _set_links_and_evidence(escalation, links=links, extra_targets=extra_targets, evidence=evidence)
        _timeline(locked, escalation, "prepare", user=user)
    return escalation


def update_draft(
    *,
    escalation: Escalation,
    user: User,
    agency: Agency,
    requested_actions: Sequence[str],
    links: Sequence[ReportedLink] = (),
    extra_targets: Sequence[str] = (),
    evidence: Sequence[Evidence] = (),
    **fields: Any,
) -> Escalation:
    """Change a draft (after a supervisor returned it, say). Only drafts change; what was sent never does."""
    if not user.has_perm("escalation.prepare_escalation"):
        raise NotAllowed("update_draft")
    case = escalation.case
    _check_draft_fields(case, agency=agency, requested_actions=requested_actions, links=links, evidence=evidence)
    with transaction.atomic():
        locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if locked.state != EscalationState.DRAFT:
            raise TransitionNotAllowed("only drafts can be changed")
        unknown = set(fields) - set(DRAFT_FIELDS)
        if unknown:
            raise ValueError(f"not draft fields: {sorted(unknown)}")
        for name, value in {"agency": agency, "requested_actions": list(requested_actions), **fields}.items():
            setattr(locked, name, value)
        locked.save()
        _set_links_and_evidence(locked, links=links, extra_targets=extra_targets, evidence=evidence)
        _timeline(case, locked, "update", user=user)
    return locked


def submit_for_approval(*, escalation: Escalation, user: User) -> Escalation:
    with transaction.atomic():
        case = _locked_case(escalation)
        _transition(escalation, "submit", user=user)
        _timeline(case, escalation, "submit", user=user)
    return escalation


def return_to_draft(*, escalation: Escalation, user: User, reason: str) -> Escalation:
    """A supervisor sends the draft back to the counsellor with what to change."""
    with transaction.atomic():
        case = _locked_case(escalation)
        _transition(escalation, "return_to_draft", user=user)
        _timeline(case, escalation, "return_to_draft", user=user, detail=reason)
    return escalation


def approve_and_send(*, escalation: Escalation, user: User, override_reason: str = "") -> Escalation:
    """A supervisor approves: the packet is built from the case as it is now, frozen with its SHA-256, and the
    agency's liaisons see it in their portal (and get an e-mail, on commit). The acknowledgement clock starts,
    and each link's takedown clock when a takedown or suspension is requested. The case becomes "escalated".

    `override_reason` is the supervisor's reason to share identifying data without consent because life or
    health is at risk; it is ignored when the consent the law asks for is on record (escalation.consent)."""
    with transaction.atomic():
        case = _locked_case(escalation)
        if case.state not in CASE_STATES_FOR_ESCALATION:
            raise TransitionNotAllowed(f"a case in state {case.state} cannot be escalated")
        check_transition(escalation, "approve", user=user)
        now = timezone.now()
        ack_due_at = now + settings.ESCALATION_ACK_TARGETS[int(escalation.priority)]
        if TAKEDOWN_ACTIONS & set(escalation.requested_actions):
            escalation.links.update(takedown_due_at=now + settings.TAKEDOWN_TARGET)
        packet = build_packet(
            escalation, case=case, override_reason=override_reason, sent_at=now, ack_due_at=ack_due_at, approver=user
        )
        _transition(
            escalation,
            "approve",
            user=user,
            by=user,
            sent_at=now,
            ack_due_at=ack_due_at,
            packet=packet,
            packet_sha256=fingerprint(packet),
            consent_basis=packet["consent"]["basis"],
            override_reason=packet["consent"]["override_reason"],
        )
        _update(escalation, UpdateKind.SENT, user=user)
        _timeline(
            case, escalation, "approve", user=user, consent=escalation.consent_basis, sha256=escalation.packet_sha256
        )
        if case.state == CaseState.IN_PROGRESS:
            run_transition(case, "escalate", user=user)
        realtime.escalation_changed_on_commit(escalation, change="sent")
        # robust: a queue that cannot take the e-mail (Redis down) must not turn a committed sending into an error
        transaction.on_commit(lambda: tasks.send_new_escalation_email(escalation.pk), robust=True)
    return escalation


def retract_escalation(*, escalation: Escalation, user: User, reason: str) -> Escalation:
    """The hotline withdraws the escalation: a counsellor before it is sent, a supervisor after."""
    with transaction.atomic():
        case = _locked_case(escalation)
        was_at_agency = escalation.is_at_agency
        _transition(escalation, "retract", user=user, reason=reason)
        _timeline(case, escalation, "retract", user=user, detail=reason)
        if was_at_agency:
            _update(escalation, UpdateKind.RETRACTED, user=user, text=reason)
            realtime.escalation_changed_on_commit(escalation, change="retracted")
        _return_case_if_done(case, user=user)
    return escalation


def acknowledge_escalation(*, escalation: Escalation, user: User, agency_reference: str = "") -> Escalation:
    """The agency's liaison confirms receipt, optionally with the agency's own case number; the clock stops."""
    with transaction.atomic():
        case = _locked_case(escalation)
        _transition(escalation, "acknowledge", user=user, by=user, agency_reference=agency_reference.strip())
        _update(escalation, UpdateKind.ACKNOWLEDGED, user=user, text=escalation.agency_reference)
        _timeline(case, escalation, "acknowledge", user=user, detail=escalation.agency_reference)
        realtime.escalation_changed_on_commit(escalation, change="acknowledged")
    return escalation


# While the agency works on it: after the acknowledgement, before the end.
AGENCY_WORKING_STATES = [EscalationState.ACKNOWLEDGED, EscalationState.IN_PROGRESS, EscalationState.INFO_REQUESTED]


def _check_agency_working(escalation: Escalation, what: str) -> None:
    # Read under the case's lock: every change of an escalation takes that lock first, so this state is current.
    if not Escalation.objects.filter(pk=escalation.pk, state__in=AGENCY_WORKING_STATES).exists():
        raise TransitionNotAllowed(f"{what}: only after the acknowledgement and before the end")


def record_agency_reference(*, escalation: Escalation, user: User, agency_reference: str) -> Escalation:
    """The agency's own case number, recorded or corrected after the acknowledgement."""
    if not is_liaison_of(escalation, user):
        raise NotAllowed("record_agency_reference")
    with transaction.atomic():
        case = _locked_case(escalation)
        _check_agency_working(escalation, "record_agency_reference")
        Escalation.objects.filter(pk=escalation.pk).update(
            agency_reference=agency_reference.strip(), updated_at=timezone.now()
        )
        escalation.agency_reference = agency_reference.strip()
        _update(escalation, UpdateKind.AGENCY_REFERENCE, user=user, text=escalation.agency_reference)
        _timeline(case, escalation, "agency_reference", user=user, detail=escalation.agency_reference)
        realtime.escalation_changed_on_commit(escalation, change="updated")
    return escalation


def start_work(*, escalation: Escalation, user: User) -> Escalation:
    with transaction.atomic():
        case = _locked_case(escalation)
        _transition(escalation, "start_work", user=user)
        _update(escalation, UpdateKind.WORK_STARTED, user=user)
        _timeline(case, escalation, "start_work", user=user)
        realtime.escalation_changed_on_commit(escalation, change="updated")
    return escalation


def request_information(*, escalation: Escalation, user: User, question: str) -> Escalation:
    """The agency asks the hotline a question; the counsellor answers from the case page."""
    with transaction.atomic():
        case = _locked_case(escalation)
        _transition(escalation, "request_information", user=user)
        _update(escalation, UpdateKind.INFO_REQUEST, user=user, text=question)
        _timeline(case, escalation, "request_information", user=user)
        realtime.escalation_changed_on_commit(escalation, change="info_requested")
    return escalation


def answer_information_request(*, escalation: Escalation, user: User, answer: str) -> Escalation:
    """A counsellor answers the agency's question; the answer appears in the agency's portal."""
    with transaction.atomic():
        case = _locked_case(escalation)
        _transition(escalation, "answer_information_request", user=user)
        _update(escalation, UpdateKind.ANSWER, user=user, text=answer)
        # The answer itself stays in the exchange with the agency, not in the case's audit text.
        _timeline(case, escalation, "answer_information_request", user=user)
        realtime.escalation_changed_on_commit(escalation, change="answered")
    return escalation


def record_link_outcome(*, link: EscalationLink, user: User, outcome: str, note: str = "") -> EscalationLink:
    """The agency says what became of one link or account: taken down, still online, investigation opened."""
    escalation = link.escalation
    if outcome not in LinkOutcome.values or outcome == LinkOutcome.PENDING:
        raise InvalidEscalation(f"not an outcome: {outcome!r}")
    if not is_liaison_of(escalation, user):
        raise NotAllowed("record_link_outcome")
    with transaction.atomic():
        case = _locked_case(escalation)
        _check_agency_working(escalation, "record_link_outcome")
        EscalationLink.objects.filter(pk=link.pk).update(
            outcome=outcome, outcome_note=note, updated_by=user, updated_at=timezone.now()
        )
        link.refresh_from_db()
        _update(escalation, UpdateKind.LINK_OUTCOME, user=user, text=note, link=link)
        # The timeline is kept for good; the link itself is personal data that retention removes: only its number.
        number = list(escalation.links.values_list("pk", flat=True)).index(link.pk) + 1
        with translation.override(settings.LANGUAGE_CODE):
            detail = f"#{number} → {link.get_outcome_display()}"
        _timeline(case, escalation, "link_outcome", user=user, detail=detail, link=link.pk, outcome=outcome)
        realtime.escalation_changed_on_commit(escalation, change="updated")
    return link


def complete_escalation(*, escalation: Escalation, user: User, outcome: str) -> Escalation:
    """The agency reports the outcome and closes its side; the case returns to its counsellor if nothing else is
    at an agency."""
    with transaction.atomic():
        case = _locked_case(escalation)
        _transition(escalation, "complete", user=user, outcome=outcome)
        _update(escalation, UpdateKind.COMPLETED, user=user, text=outcome)
        _timeline(case, escalation, "complete", user=user, detail=outcome)
        realtime.escalation_changed_on_commit(escalation, change="completed")
        _return_case_if_done(case, user=user)
    return escalation


def decline_escalation(*, escalation: Escalation, user: User, reason: str) -> Escalation:
    """The agency declines, saying why; the case returns to its counsellor if nothing else is at an agency."""
    with transaction.atomic():
        case = _locked_case(escalation)
        _transition(escalation, "decline", user=user, reason=reason)
        _update(escalation, UpdateKind.DECLINED, user=user, text=reason)
        _timeline(case, escalation, "decline", user=user, detail=reason)
        realtime.escalation_changed_on_commit(escalation, change="declined")
        _return_case_if_done(case, user=user)
    return escalation


# --- child-protection notifications (Decree 56/2017) ---


class InvalidReferral(ValueError):
    """The notification cannot be recorded as given (an agency that does not take them, a time in the future)."""


def _referral_timeline(case: Case, referral: Referral, step: str, *, user: User) -> CaseEvent:
    with translation.override(settings.LANGUAGE_CODE):
        label = _("notified now") if step == "notified" else _("notification approved")
        text = f"{referral.agency.short_name}: {label} ({referral.get_method_display()})"
    # The officer's name and what was agreed stay on the Referral row; the timeline holds ids and codes.
    cases_realtime.case_changed_on_commit(case.pk)
    return record_event(
        case,
        EventKind.REFERRAL,
        actor=user,
        text=text,
        referral=referral.pk,
        agency=referral.agency.code,
        method=referral.method,
        step=step,
    )


def record_referral(
    *,
    case: Case,
    user: User,
    agency: Agency,
    method: str,
    notified_at: datetime,
    officer_name: str,
    agreed: str,
) -> Referral:
    """A counsellor records that they notified a child-protection body just now (or earlier today).

    The record counts at once: it is on the timeline and starts (or keeps) the case's intervention clock, in the same
    transaction. A supervisor approves it later (approve_referral); nothing waits for that."""
    if not user.has_perm("escalation.prepare_escalation"):
        raise NotAllowed("record_referral")
    if agency.kind not in REFERRAL_AGENCY_KINDS or not agency.is_current:
        raise InvalidReferral("this agency does not receive child-protection notifications")
    if notified_at > timezone.now() + REFERRAL_CLOCK_SKEW:
        raise InvalidReferral("the notification time is in the future")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise TransitionNotAllowed("only open cases can be referred")
        referral = Referral.objects.create(
            case=locked,
            agency=agency,
            method=method,
            notified_at=notified_at,
            officer_name=officer_name,
            agreed=agreed,
            recorded_by=user,
        )
        _referral_timeline(locked, referral, "notified", user=user)
        start_intervention_clock(case=locked, notified_at=notified_at)
    return referral


def approve_referral(*, referral: Referral, user: User) -> Referral:
    """A supervisor approves a notification afterwards, with their name and the time. Approving twice is refused."""
    if not user.has_perm("escalation.approve_escalation"):
        raise NotAllowed("approve_referral")
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("agency").get(pk=referral.pk)
        if locked.is_approved:
            raise TransitionNotAllowed("already approved")
        locked.approved_by = user
        locked.approved_at = timezone.now()
        locked.save(update_fields=["approved_by", "approved_at"])
        _referral_timeline(locked.case, locked, "approved", user=user)
    return locked


# Sent: the agency holds the packet, also after it finished or declined (it may still keep what it received).
SENT_STATES = [*AT_AGENCY_STATES, EscalationState.COMPLETED, EscalationState.DECLINED]


def tell_agencies_consent_withdrawn(consent: Consent) -> None:
    """Registered with cases.consent.on_withdrawal: every agency that already received the case, for the scope of
    the withdrawn consent, sees the withdrawal on its escalation (portal and exchange) and the case's timeline says
    so. Runs inside the withdrawal's transaction. Later packets are built without it (escalation.consent)."""
    case = Case.objects.get(pk=consent.case_id)
    escalations = Escalation.objects.filter(case_id=consent.case_id, state__in=SENT_STATES).select_related("agency")
    with translation.override(settings.LANGUAGE_CODE):
        text = str(
            _(
                "Consent withdrawn by %(giver)s for “%(scope)s” at %(when)s. Use no contact details or other "
                "identifying data of the child from now on; reach the child only through the hotline."
            )
            % {
                "giver": consent.get_given_by_display().lower(),
                "scope": consent.get_scope_display(),
                "when": timezone.localtime(consent.withdrawn_at or timezone.now()).strftime("%H:%M %d/%m/%Y"),
            }
        )
    for escalation in escalations:
        if scope_for(escalation.agency) != consent.scope:
            continue
        _update(escalation, UpdateKind.CONSENT_WITHDRAWN, user=None, text=text)
        _timeline(case, escalation, "consent_withdrawn", user=None, scope=consent.scope)
        realtime.escalation_changed_on_commit(escalation, change="consent_withdrawn")
