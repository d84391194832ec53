"""Retention for escalations: registered with cases.extensions, run by the purge when it removes the personal data
of cases.

What the statistics count stays (agency, state, priority, requested actions, clocks, consent basis, link outcomes,
evidence hashes); what could identify a child, a reporter or anyone else goes from the escalation, its links, the
exchange with the agency and the frozen packet. The packet keeps its SHA-256: the fingerprint of what was sent.
"""

from escalation.models import Escalation, EscalationLink, EscalationUpdate

TEXT_FIELDS = [
    "reason",
    "summary",
    "incident_time",
    "reported_persons",
    "beneficiary_accounts",
    "actions_taken",
    "consent_override_reason",
    "outcome",
    "decline_reason",
    "retract_reason",
]


def purged_packet(packet):
    """The packet without anything personal; keys stay, so readers of old packets need no special case."""
    if packet is None:
        return None
    incident = {**packet["incident"], "summary": "", "when": "", "beneficiary_accounts": ""}
    victim = {**packet["victim"], "commune": "", "contact": {"route": packet["victim"]["contact"]["route"]}}
    return {
        **packet,
        "purged": True,
        "reason": "",
        "consent": {**packet["consent"], "override_reason": ""},
        "incident": incident,
        "victim": victim,
        "reported_persons": "",
        "links": [{**link, "target": ""} for link in packet["links"]],
        "evidence": [{**item, "name": ""} for item in packet["evidence"]],
        "actions_taken": "",
    }


def purge_cases(case_ids):
    """Runs inside the caller's transaction, for cases whose personal data is being removed. Idempotent."""
    escalations = list(Escalation.objects.filter(case_id__in=case_ids).only("pk", "packet"))
    for escalation in escalations:
        # A plain update: the state machine is not involved and nothing is announced.
        Escalation.objects.filter(pk=escalation.pk).update(
            packet=purged_packet(escalation.packet), **dict.fromkeys(TEXT_FIELDS, "")
        )
    ids = [escalation.pk for escalation in escalations]
    EscalationLink.objects.filter(escalation_id__in=ids).update(target="", outcome_note="")
    EscalationUpdate.objects.filter(escalation_id__in=ids).update(text="")
    return len(ids)
