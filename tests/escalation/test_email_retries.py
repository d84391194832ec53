"""The agency's e-mail goes through the task queue: a mail server that refuses it means a retry, not a lost mail."""

import socket

import pytest
from huey.contrib.djhuey import HUEY

from escalation.models import Agency, EscalationState
from tests.escalation.factories import POLICE, make_escalation, walk

pytestmark = pytest.mark.django_db


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_refused_e_mail_to_the_agency_is_retried_and_the_escalation_stays_sent(
    settings, operator, supervisor, police, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", closed_port(), False
    Agency.objects.filter(code=POLICE).update(email="pa05@congan.example.vn")
    escalation = make_escalation(EscalationState.PENDING_APPROVAL, operator=operator, supervisor=supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        walk(escalation, ["approve"], operator=operator, supervisor=supervisor, liaison=None)
    escalation.refresh_from_db()
    assert escalation.state == EscalationState.SENT
    [retry] = [task for task in HUEY.scheduled() if task.name == "send_new_escalation_email"]
    assert retry.args == (escalation.pk,) and retry.retries == 2
