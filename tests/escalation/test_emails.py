"""The e-mail to an agency: on commit, to its liaisons, with nothing about the child."""

import logging

import pytest
from django.db import transaction
from django.utils import timezone

from escalation.models import Agency, EscalationState
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import INFO_DEPT, POLICE, make_escalation, walk

pytestmark = pytest.mark.django_db


def test_a_sent_escalation_mails_the_agency_s_liaisons_on_commit(
    operator, supervisor, police, infodept, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://hotline.example.vn"
    Agency.objects.filter(code=POLICE).update(email="pa05@congan.example.vn")
    make_liaison("pa05-nomail", POLICE)  # no address: not a recipient
    escalation = make_escalation(EscalationState.PENDING_APPROVAL, operator=operator, supervisor=supervisor, priority=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        walk(escalation, ["approve"], operator=operator, supervisor=supervisor, liaison=None)
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    [mail] = mailoutbox
    assert sorted(mail.to) == ["minh@pa05.example.vn", "pa05@congan.example.vn"]
    assert infodept.email not in mail.to
    body = mail.subject + mail.body
    assert escalation.code in mail.subject and "P1" in mail.subject
    assert escalation.case.reference in body
    assert f"https://hotline.example.vn/liaison/{escalation.pk}/" in body
    assert Agency.objects.get(code=POLICE).name_vi in body
    assert timezone.localtime(escalation.ack_due_at).strftime("%H:%M %d/%m/%Y") in body
    # Nothing about the child or the incident.
    case = escalation.case
    for private in (case.commune, case.description, escalation.summary, escalation.reason, "screenshot"):
        assert private not in body


def test_a_rolled_back_sending_mails_nobody(
    operator, supervisor, police, mailoutbox, django_capture_on_commit_callbacks
):
    escalation = make_escalation(EscalationState.PENDING_APPROVAL, operator=operator, supervisor=supervisor)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        walk(escalation, ["approve"], operator=operator, supervisor=supervisor, liaison=None)
        raise RuntimeError("the database refused")
    assert callbacks == [] and mailoutbox == []


def test_an_agency_without_any_address_is_logged_and_still_has_it_in_its_portal(
    operator, supervisor, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    escalation = make_escalation(
        EscalationState.PENDING_APPROVAL, operator=operator, supervisor=supervisor, agency_code=INFO_DEPT
    )
    with caplog.at_level(logging.WARNING, logger="escalation.emails"), django_capture_on_commit_callbacks(execute=True):
        walk(escalation, ["approve"], operator=operator, supervisor=supervisor, liaison=None)
    assert mailoutbox == []
    assert "no e-mail address" in caplog.text
    assert escalation.state == EscalationState.SENT
