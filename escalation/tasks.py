"""Escalation work for the task queue (the huey worker): the agency's e-mail, with retries."""

from huey.contrib.djhuey import db_task

from escalation import emails
from escalation.models import Escalation


@db_task(retries=3, retry_delay=60)
def send_new_escalation_email(escalation_id):
    escalation = Escalation.objects.select_related("agency").filter(pk=escalation_id).first()
    if escalation is not None:
        emails.send_new_escalation(escalation)
