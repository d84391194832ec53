"""Live notifications to liaison portals. Group names and event types live here; only services call these, on commit.

One group per agency: a liaison's socket joins its own agency's group only, so an event never reaches another
agency. Events carry no case facts, only which escalation changed; the page fetches what its user may see.
"""

from django.db import transaction

from cases.plumbing import send_to_group

ESCALATION_CHANGED = "escalation.changed"  # handler: LiaisonConsumer.escalation_changed


def agency_group(agency_id):
    return f"liaison-agency-{agency_id}"


def escalation_changed_on_commit(escalation, *, change):
    """Tell the open portal pages of the escalation's agency that it arrived ("sent") or changed."""
    event = {"type": ESCALATION_CHANGED, "change": change, "id": escalation.pk, "state": escalation.state}
    group = agency_group(escalation.agency_id)
    transaction.on_commit(lambda: send_to_group(group, event))
