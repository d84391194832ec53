"""Live notifications. Group names and event types live here, and only services call these, on commit.

The channel layer only notifies: it may lose a notification (Redis down), the database never loses what
it announces. A failed send is logged without any case data and otherwise ignored.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

QUEUE_GROUP = "queue"
QUEUE_CHANGED = "queue.changed"  # handler: QueueConsumer.queue_changed


def _send(group, event):
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # noqa: BLE001 - a lost notification must never break a write that succeeded
        logger.warning("live notification to %s failed", group, exc_info=True)


def queue_changed_on_commit(case, *, change):
    """Tell every open queue that a case arrived or changed. Only facts a queue row shows; no personal data."""
    event = {
        "type": QUEUE_CHANGED,
        "change": change,
        "reference": case.reference,
        "priority": int(case.priority),
        "state": case.state,
    }
    transaction.on_commit(lambda: _send(QUEUE_GROUP, event))
