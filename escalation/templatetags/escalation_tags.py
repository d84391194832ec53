"""The escalation panel of the case page, and the labels the packet's codes are shown with."""

from datetime import datetime

from django import template
from django.db.models import prefetch_related_objects

from cases.models import AgeBand, CaseState, ContactPreference, Gender, Ongoing, Priority
from escalation import forms, queries
from escalation.consent import disclosure_for_case
from escalation.forms import form_prefix
from escalation.models import ConsentBasis, EscalationState, RequestedAction
from escalation.packet import build_packet
from escalation.services import CASE_STATES_FOR_ESCALATION

register = template.Library()

LABELS = {
    "age_band": AgeBand,
    "gender": Gender,
    "ongoing": Ongoing,
    "priority": Priority,
    "action": RequestedAction,
    "consent": ConsentBasis,
    "contact_preference": ContactPreference,
    "escalation_state": EscalationState,
}


@register.filter
def label(code, kind):
    """The label, in the reader's language, of a code in a packet: `{{ packet.victim.gender|label:"gender" }}`."""
    choices = LABELS[kind]
    try:
        return choices(code).label
    except ValueError:
        return code


@register.filter
def iso_datetime(value):
    """A packet's ISO 8601 timestamp as a datetime, for the `date` filter."""
    return datetime.fromisoformat(value) if value else None


def _panel_forms(escalation, *, case, bound):
    def pick(action, form):
        return bound.get(form_prefix(escalation.pk, action)) or form

    prefix = lambda action: form_prefix(escalation.pk, action)  # noqa: E731
    panel = {
        "retract": pick("retract", forms.ReasonForm(prefix=prefix("retract"))),
    }
    if escalation.state == EscalationState.DRAFT:
        initial = forms.EscalationForm.initial_from(escalation)
        panel["edit"] = pick("edit", forms.EscalationForm(case=case, initial=initial, prefix=prefix("edit")))
    elif escalation.state == EscalationState.PENDING_APPROVAL:
        initial = {"override_reason": escalation.consent_override_reason}
        panel["approve"] = pick("approve", forms.ApproveForm(initial=initial, prefix=prefix("approve")))
        panel["return"] = pick("return", forms.ReasonForm(prefix=prefix("return")))
    elif escalation.state == EscalationState.INFO_REQUESTED:
        panel["answer"] = pick("answer", forms.AnswerForm(prefix=prefix("answer")))
    return panel


@register.inclusion_tag("escalation/_case_escalations.html", takes_context=True)
def case_escalations(context, case, user):
    """Every escalation of the case with its packet (frozen once sent, a preview before), the exchange with the
    agency, and the forms this user may use. A form that failed validation comes back bound through the
    workspace's `forms` (keyed by form_prefix)."""
    bound = context.get("forms") or {}
    prefetch_related_objects([case], "platforms")  # once, for every packet preview
    items = []
    active = list(case.consents.filter(withdrawn_at__isnull=True))
    for escalation in queries.case_escalations(case):
        if escalation.packet is not None:
            packet, preview = escalation.packet, False
        else:
            packet = build_packet(escalation, case=case, override_reason=escalation.consent_override_reason)
            preview = True
        updates = list(escalation.updates.all())
        open_question = next((u for u in reversed(updates) if u.kind == "info_request"), None)
        items.append(
            {
                "escalation": escalation,
                "packet": packet,
                "preview": preview,
                "links": list(escalation.links.all()),
                "updates": updates,
                "open_question": open_question if escalation.state == EscalationState.INFO_REQUESTED else None,
                "forms": _panel_forms(escalation, case=case, bound=bound),
                "consent": disclosure_for_case(case, agency=escalation.agency, active=active),
            }
        )
    new_prefix = form_prefix(None, "new")
    can_prepare = user.has_perm("escalation.prepare_escalation") and case.state in CASE_STATES_FOR_ESCALATION
    new_form = bound.get(new_prefix)
    if new_form is None and can_prepare:
        new_form = forms.EscalationForm(case=case, initial=forms.EscalationForm.initial_for(case), prefix=new_prefix)
    return {
        "case": case,
        "items": items,
        "new_form": new_form,
        "can_prepare": can_prepare,
        "can_approve": user.has_perm("escalation.approve_escalation"),
        "consent": disclosure_for_case(case, active=active),
        "can_answer": user.has_perm("escalation.prepare_escalation"),
        "case_is_escalable": case.state in CASE_STATES_FOR_ESCALATION,
        "CaseState": CaseState,
        "now": context.get("now"),
    }


@register.inclusion_tag("escalation/_case_referrals.html", takes_context=True)
def case_referrals(context, case, user):
    """The child-protection notifications of the case (Decree 56/2017) and the "notified now" form. A form that
    failed validation comes back bound through the workspace's `forms`."""
    bound = context.get("forms") or {}
    can_record = user.has_perm("escalation.prepare_escalation") and case.is_open
    form = bound.get(forms.REFERRAL_PREFIX)
    if form is None and can_record:
        form = forms.ReferralForm(initial=forms.ReferralForm.initial_now())
    return {
        "case": case,
        "referrals": list(case.referrals.select_related("agency", "recorded_by", "approved_by")),
        "form": form,
        "can_record": can_record,
        "can_approve": user.has_perm("escalation.approve_escalation"),
        "now": context.get("now"),
    }
