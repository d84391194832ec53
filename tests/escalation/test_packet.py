"""The packet: minimised, consent or override recorded, clocks started, frozen when sent."""

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from cases.models import Case, ReportedLink
from escalation.models import ConsentBasis, Escalation, EscalationState
from escalation.packet import canonical_bytes, fingerprint
from tests.escalation.factories import case_in_progress, make_escalation, prepare, walk

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"
EMAIL = "em@example.vn"


def sent(operator, supervisor, *, override_reason="", case_fields=None, **escalation_fields):
    case = case_in_progress(
        operator,
        contact_preference="phone",
        contact_phone=PHONE,
        contact_email=EMAIL,
        description="Em tên Nguyễn Thị A, học lớp 8A trường THCS Kinh Bắc.",
        **(case_fields or {}),
    )
    escalation = prepare(case, operator, **escalation_fields)
    walk(escalation, ["submit"], operator=operator, supervisor=supervisor, liaison=None)
    walk(
        escalation, ["approve"], operator=operator, supervisor=supervisor, liaison=None, override_reason=override_reason
    )
    return escalation


def test_without_consent_the_packet_identifies_nothing_and_contact_goes_through_the_hotline(operator, supervisor):
    escalation = sent(operator, supervisor, contact_through_hotline_only=False)
    packet = escalation.packet
    text = json.dumps(packet, ensure_ascii=False)
    assert packet["consent"] == {
        "basis": ConsentBasis.NONE,
        "scope": "share_police",
        "records": [],
        "child": False,
        "guardian": False,
        "override_reason": "",
        "override_approved_by": "",
    }
    assert packet["victim"] == {
        "age_band": "13_15",
        "gender": "female",
        "commune": "Phường Kinh Bắc",
        "contact": {"route": "hotline"},
    }
    # Neither the reporter's contact, nor their own words, nor an evidence file's name.
    assert "912345678" not in text and EMAIL not in text
    assert "Nguyễn Thị A" not in text
    [item] = packet["evidence"]
    assert item["name"] == f"{escalation.case.reference}-{item['id']}" and "screenshot" not in text
    assert escalation.consent_basis == ConsentBasis.NONE and escalation.consent_override_by is None


def test_with_the_consent_the_law_asks_for_the_counsellor_may_share_the_contact(operator, supervisor):
    escalation = sent(
        operator,
        supervisor,
        case_fields={"child_consent": True, "guardian_consent": True},
        contact_through_hotline_only=False,
    )
    packet = escalation.packet
    assert packet["consent"]["basis"] == ConsentBasis.GUARDIAN_AND_CHILD
    assert packet["victim"]["contact"] == {"route": "direct", "preference": "phone", "phone": PHONE, "email": EMAIL}
    assert packet["evidence"][0]["name"] == "screenshot.png"
    assert packet["disclosure"] == {"contact_through_hotline_only": False}


def test_with_consent_contact_still_goes_through_the_hotline_unless_the_counsellor_chose_otherwise(
    operator, supervisor
):
    escalation = sent(operator, supervisor, case_fields={"child_consent": True, "guardian_consent": True})
    assert escalation.packet["victim"]["contact"] == {"route": "hotline"}
    assert escalation.packet["disclosure"] == {"contact_through_hotline_only": True}


def test_a_supervisor_s_override_is_recorded_with_reason_and_approver(operator, supervisor):
    supervisor.first_name = "Hùng"
    supervisor.save()
    escalation = sent(
        operator,
        supervisor,
        override_reason="Em nói sẽ tự tử tối nay.",
        contact_through_hotline_only=False,
        consent_override_reason="Nguy cơ tự sát.",
    )
    consent = escalation.packet["consent"]
    assert consent["basis"] == ConsentBasis.OVERRIDE
    assert consent["override_reason"] == "Em nói sẽ tự tử tối nay." and consent["override_approved_by"] == "Hùng"
    assert escalation.packet["victim"]["contact"]["phone"] == PHONE
    assert escalation.consent_basis == ConsentBasis.OVERRIDE and escalation.consent_override_by == supervisor
    assert escalation.consent_override_reason == "Em nói sẽ tự tử tối nay."


def test_a_counsellor_s_proposed_override_counts_only_if_the_supervisor_approves_it(operator, supervisor):
    escalation = sent(
        operator, supervisor, override_reason="", contact_through_hotline_only=False, consent_override_reason="Nguy."
    )
    assert escalation.packet["consent"]["basis"] == ConsentBasis.NONE
    assert escalation.packet["victim"]["contact"] == {"route": "hotline"}
    assert escalation.consent_override_reason == "" and escalation.consent_override_by is None


def test_an_override_is_ignored_when_consent_is_on_record(operator, supervisor):
    escalation = sent(
        operator,
        supervisor,
        override_reason="Nguy hiểm.",
        case_fields={"age_band": "16_17", "child_consent": True},
    )
    assert escalation.consent_basis == ConsentBasis.OWN and escalation.consent_override_by is None
    assert escalation.packet["consent"]["override_reason"] == ""


def test_the_packet_is_frozen_when_sent(operator, supervisor, police, client):
    escalation = sent(operator, supervisor)
    frozen = json.loads(json.dumps(escalation.packet))
    case = escalation.case
    # Later edits of the case, its links and the draft fields do not reach what the agency received.
    Case.objects.filter(pk=case.pk).update(commune="Xã Yên Phong", age_band="16_17")
    ReportedLink.objects.create(case=case, url="https://www.tiktok.com/@new")
    ReportedLink.objects.filter(case=case).update(url="https://changed.example/")
    Escalation.objects.filter(pk=escalation.pk).update(summary="Đã sửa sau khi gửi")
    stored = Escalation.objects.get(pk=escalation.pk)
    assert stored.packet == frozen
    assert fingerprint(stored.packet) == stored.packet_sha256 == escalation.packet_sha256
    assert len(stored.packet_sha256) == 64
    walk(stored, ["acknowledge"], operator=None, supervisor=None, liaison=police)
    client.force_login(police)
    html = client.get(f"/liaison/{escalation.pk}/").content.decode()
    assert "Phường Kinh Bắc" in html and "Xã Yên Phong" not in html
    assert "Đã sửa sau khi gửi" not in html and "changed.example" not in html
    assert escalation.packet_sha256 in html


def test_the_fingerprint_is_of_one_canonical_form():
    packet = {"b": 1, "a": {"y": "Bắc Ninh", "x": [1, 2]}}
    reordered = {"a": {"x": [1, 2], "y": "Bắc Ninh"}, "b": 1}
    assert canonical_bytes(packet) == canonical_bytes(reordered)
    assert fingerprint(packet) == fingerprint(reordered) != fingerprint({**packet, "b": 2})


@pytest.mark.parametrize(("priority", "hours"), [(1, 1), (2, 24), (3, 24), (4, 24)])
def test_the_acknowledgement_clock_follows_the_priority(operator, supervisor, priority, hours):
    escalation = sent(operator, supervisor, priority=priority)
    assert escalation.ack_due_at - escalation.sent_at == timedelta(hours=hours)
    assert escalation.packet["priority"] == priority


def test_the_acknowledgement_clock_is_a_setting(operator, supervisor, settings):
    settings.ESCALATION_ACK_TARGETS = {**settings.ESCALATION_ACK_TARGETS, 1: timedelta(minutes=30)}
    escalation = sent(operator, supervisor, priority=1)
    assert escalation.ack_due_at - escalation.sent_at == timedelta(minutes=30)


def test_a_takedown_request_starts_a_24_hour_clock_on_each_link(operator, supervisor):
    escalation = sent(operator, supervisor, requested_actions=["takedown"], extra_targets=["zalo: 0987000000"])
    links = list(escalation.links.all())
    assert len(links) == 2
    assert all(link.takedown_due_at - escalation.sent_at == timedelta(hours=24) for link in links)
    assert [item["takedown_due_at"] is not None for item in escalation.packet["links"]] == [True, True]


def test_without_a_takedown_request_there_is_no_takedown_clock(operator, supervisor):
    escalation = sent(operator, supervisor, requested_actions=["investigate", "advice"])
    assert [link.takedown_due_at for link in escalation.links.all()] == [None]


def test_overdue_acknowledgements_and_takedowns_are_flagged(operator, supervisor):
    escalation = sent(operator, supervisor, requested_actions=["takedown"])
    assert not escalation.ack_overdue and not escalation.links.get().takedown_overdue
    Escalation.objects.filter(pk=escalation.pk).update(ack_due_at=escalation.sent_at - timedelta(minutes=1))
    escalation.links.update(takedown_due_at=escalation.sent_at - timedelta(minutes=1))
    escalation.refresh_from_db()
    assert escalation.ack_overdue and escalation.links.get().takedown_overdue


def test_only_included_evidence_is_in_the_manifest(operator, supervisor):
    escalation = sent(operator, supervisor, evidence=[])
    assert escalation.packet["evidence"] == []
    item = make_escalation(EscalationState.SENT, operator=operator, supervisor=supervisor).packet["evidence"][0]
    assert set(item) == {"id", "name", "type", "size", "sha256", "received_at"}
    assert item["type"] == "image/png" and len(item["sha256"]) == 64


def test_the_database_refuses_a_sent_escalation_without_its_packet(operator, supervisor):
    escalation = sent(operator, supervisor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.filter(pk=escalation.pk).update(packet_sha256="")
