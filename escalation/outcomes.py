"""The takedown result of each reported link, for cases.outcomes (registered in EscalationConfig.ready())."""

from cases import outcomes
from escalation.models import PREPARING_STATES, EscalationLink, EscalationState, LinkOutcome

RESULTS = {
    LinkOutcome.TAKEN_DOWN: outcomes.REMOVED,
    LinkOutcome.STILL_ONLINE: outcomes.REFUSED,
    LinkOutcome.INVESTIGATION_OPENED: outcomes.INVESTIGATING,
    LinkOutcome.PENDING: outcomes.PENDING,
}


def link_results(case):
    """{reported link id: {result, ...}} over the case's escalations that reached the agency and were not
    retracted. Only the fixed result: never the agency's note."""
    found = {}
    rows = EscalationLink.objects.filter(escalation__case=case, reported_link__isnull=False).exclude(
        escalation__state__in=[*PREPARING_STATES, EscalationState.RETRACTED]
    )
    for link_id, outcome in rows.values_list("reported_link_id", "outcome"):
        found.setdefault(link_id, set()).add(RESULTS.get(outcome, outcomes.PENDING))
    return found
