"""E-mail to an agency about a new escalation. Reference, agency, priority, due time and a link: nothing about the
child, because e-mail leaves the hotline's systems."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def recipients_for(agency):
    liaisons = (
        get_user_model()
        .objects.filter(liaison__agency=agency, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted({*liaisons, *([agency.email] if agency.email else [])})


def send_new_escalation(escalation):
    """Called by the task queue after commit (escalation/tasks.py). A failure is logged (without case data) and
    raised, so that the task retries; it never undoes the sending: the portal has it."""
    recipients = recipients_for(escalation.agency)
    if not recipients:
        logger.warning("escalation %s: agency %s has no e-mail address", escalation.pk, escalation.agency.code)
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "escalation": escalation,
            "reference": escalation.packet["reference"],
            "agency": escalation.agency,
            "ack_due_at": timezone.localtime(escalation.ack_due_at),
            "portal_url": settings.SITE_URL.rstrip("/") + reverse("escalation:detail", args=[escalation.pk]),
        }
        subject = render_to_string("escalation/email_new_subject.txt", context).strip()
        body = render_to_string("escalation/email_new.txt", context)
    message = EmailMessage(subject=subject, body=body, to=recipients)
    try:
        message.send()
    except Exception:
        logger.warning("escalation %s: e-mail to the agency failed", escalation.pk, exc_info=True)
        raise
