"""After the retention period the escalation's copy of personal data goes with the case's; the figures stay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, Outcome
from cases.retention import purge_personal_data
from escalation import services
from escalation.models import Escalation, EscalationState
from escalation.packet import fingerprint
from escalation.retention import purge_cases
from tests.escalation.factories import make_escalation, walk

pytestmark = pytest.mark.django_db


def closed_long_ago(escalation, operator):
    case = Case.objects.get(pk=escalation.case_id)
    case_services.resolve_case(case=case, user=operator, outcome=Outcome.AGENCY_HANDLED, summary="Công an đã xử lý.")
    case_services.close_case(case=case, user=operator)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=400))


def test_purging_a_case_removes_the_escalation_s_copy_of_personal_data(operator, supervisor, police, settings):
    settings.RETENTION_DAYS = 365
    escalation = make_escalation(
        EscalationState.IN_PROGRESS,
        operator=operator,
        supervisor=supervisor,
        liaison=police,
        reported_persons="Nguyễn Văn B, 0987 000 111",
    )
    link = escalation.links.get()
    services.record_link_outcome(link=link, user=police, outcome="taken_down", note="Gỡ lúc 9 giờ")
    walk(escalation, ["complete"], operator=operator, supervisor=supervisor, liaison=police)
    sent_hash = escalation.packet_sha256
    assert fingerprint(escalation.packet) == sent_hash
    closed_long_ago(escalation, operator)
    other = make_escalation(EscalationState.SENT, operator=operator, supervisor=supervisor)

    assert purge_personal_data().cases == 1
    escalation.refresh_from_db()
    packet = escalation.packet
    assert packet["purged"] is True
    assert packet["victim"]["commune"] == "" and packet["incident"]["summary"] == ""
    assert packet["reported_persons"] == "" and [item["target"] for item in packet["links"]] == [""]
    assert [item["name"] for item in packet["evidence"]] == [""]
    assert escalation.summary == escalation.reported_persons == escalation.outcome == ""
    assert set(escalation.updates.values_list("text", flat=True)) == {""}
    link.refresh_from_db()
    assert (link.target, link.outcome_note, link.outcome) == ("", "", "taken_down")
    # What the figures count stays, and the fingerprint of what was sent.
    assert (escalation.state, escalation.agency.code, escalation.requested_actions) == (
        EscalationState.COMPLETED,
        "ca-bac-ninh-pa05",
        ["takedown", "investigate"],
    )
    assert escalation.packet_sha256 == sent_hash and packet["victim"]["age_band"] == "13_15"
    # An escalation of a case that is not due keeps everything.
    assert Escalation.objects.get(pk=other.pk).packet["victim"]["commune"] == "Phường Kinh Bắc"


def test_purging_twice_changes_nothing_more(operator, supervisor):
    escalation = make_escalation(EscalationState.SENT, operator=operator, supervisor=supervisor)
    assert purge_cases([escalation.case_id]) == 1
    once = Escalation.objects.get(pk=escalation.pk).packet
    purge_cases([escalation.case_id])
    assert Escalation.objects.get(pk=escalation.pk).packet == once
