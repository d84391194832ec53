"""Consent as records: whose, for what, how, when, withdrawn; the escalation rule reads them and nothing else."""

import pytest

from cases.models import CaseEvent, Consent, ConsentChannel, ConsentGiver, ConsentScope, EventKind
from escalation.consent import disclosure_for_case
from escalation.models import ConsentBasis, EscalationState, EscalationUpdate, UpdateKind
from tests.escalation.factories import INFO_DEPT, POLICE, case_in_progress, make_escalation, prepare, walk
from tests.factories import form_post

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"


def send(case, operator, supervisor, *, agency_code=POLICE, override_reason=""):
    escalation = prepare(case, operator, agency_code=agency_code, contact_through_hotline_only=False)
    walk(escalation, ["submit"], operator=operator, supervisor=supervisor, liaison=None)
    walk(
        escalation, ["approve"], operator=operator, supervisor=supervisor, liaison=None, override_reason=override_reason
    )
    escalation.refresh_from_db()
    return escalation


def child_case(operator, **fields):
    """A 13-year-old's case who ticked "share with the police" on the web form and gave a phone number."""
    return case_in_progress(
        operator, age_band="13_15", contact_preference="phone", contact_phone=PHONE, child_consent=True, **fields
    )


def test_a_child_under_16_is_not_identified_to_the_police_on_their_own_consent(operator, supervisor):
    case = child_case(operator)
    escalation = send(case, operator, supervisor)
    assert escalation.consent_basis == ConsentBasis.NONE
    assert escalation.packet["victim"]["contact"] == {"route": "hotline"}
    assert PHONE not in str(escalation.packet)


def test_a_guardians_consent_heard_on_the_phone_lets_the_packet_identify_the_child(client, operator, supervisor):
    case = child_case(operator)
    client.force_login(operator)
    response = client.post(
        f"/cases/{case.reference}/consent/",
        {"given_by": "guardian", "age_band": "13_15", "scopes": ["share_police"], "channel": "phone"},
    )
    assert response.status_code == 302
    guardian = Consent.objects.get(case=case, given_by=ConsentGiver.GUARDIAN)
    assert (guardian.scope, guardian.channel, guardian.recorded_by) == (ConsentScope.SHARE_POLICE, "phone", operator)
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CONSENT, actor=operator).exists()
    escalation = send(case, operator, supervisor)
    assert escalation.consent_basis == ConsentBasis.GUARDIAN_AND_CHILD
    assert escalation.packet["victim"]["contact"]["phone"] == PHONE
    assert escalation.packet["consent"]["guardian"] is True
    assert {r["given_by"] for r in escalation.packet["consent"]["records"]} == {"young_person", "guardian"}


def test_a_parents_box_ticked_on_the_web_form_does_not_count_as_the_guardians_consent(client, operator, supervisor):
    # A child can say "I am a parent" on an anonymous form: that record is kept, but the rule needs a counsellor.
    client.post("/", form_post(reporter_role="parent", age_band="13_15", consent_share_police="on"))
    case = Consent.objects.get().case
    assert Consent.objects.get().given_by == ConsentGiver.GUARDIAN
    Consent.objects.create(
        case=case, given_by=ConsentGiver.YOUNG_PERSON, scope="share_police", channel="chat", age_band="13_15"
    )
    assert disclosure_for_case(case).basis == ConsentBasis.NONE


def test_without_the_guardians_record_only_a_supervisors_override_identifies_the_child(operator, supervisor):
    case = child_case(operator)
    escalation = send(case, operator, supervisor, override_reason="Em nói sẽ tự tử tối nay.")
    assert escalation.consent_basis == ConsentBasis.OVERRIDE
    # The override is itself on record: who, why, and on the case's timeline.
    assert escalation.consent_override_by == supervisor
    assert escalation.consent_override_reason == "Em nói sẽ tự tử tối nay."
    assert escalation.packet["consent"]["override_approved_by"]
    event = CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION, data__step="approve").get()
    assert event.data["consent"] == ConsentBasis.OVERRIDE and event.actor == supervisor


def test_from_16_the_young_persons_own_record_is_enough(operator, supervisor):
    case = case_in_progress(
        operator, age_band="16_17", contact_preference="phone", contact_phone=PHONE, child_consent=True
    )
    assert send(case, operator, supervisor).consent_basis == ConsentBasis.OWN


def test_a_young_person_who_declared_under_16_with_their_consent_is_treated_as_under_16(operator):
    case = case_in_progress(operator, age_band="16_17")
    Consent.objects.create(
        case=case, given_by=ConsentGiver.YOUNG_PERSON, scope="share_police", channel="chat", age_band="13_15"
    )
    assert disclosure_for_case(case).basis == ConsentBasis.NONE


def test_each_agency_reads_its_own_scope(operator, supervisor):
    case = case_in_progress(operator, age_band="16_17")
    Consent.objects.create(
        case=case, given_by=ConsentGiver.YOUNG_PERSON, scope=ConsentScope.SHARE_INFORMATION, channel="web_form"
    )
    assert send(case, operator, supervisor, agency_code=INFO_DEPT).consent_basis == ConsentBasis.OWN
    assert send(case, operator, supervisor, agency_code=POLICE).consent_basis == ConsentBasis.NONE


def test_a_withdrawal_stops_the_next_escalation_and_the_agency_that_has_the_case_is_told(
    client, operator, supervisor, police
):
    case = case_in_progress(
        operator, age_band="16_17", contact_preference="phone", contact_phone=PHONE, child_consent=True
    )
    first = send(case, operator, supervisor)
    assert first.consent_basis == ConsentBasis.OWN and first.packet["victim"]["contact"]["phone"] == PHONE

    # The young person withdraws "share with the police" from their status page.
    give_reporter_access(client, case)
    record = Consent.objects.get(case=case, scope=ConsentScope.SHARE_POLICE)
    response = client.post(f"/status/{case.reference}/consent/{record.pk}/withdraw/")
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.withdrawn_at is not None and record.withdrawal_channel == ConsentChannel.STATUS_PAGE
    # Kept on record, never deleted; the other scope stands.
    assert Consent.objects.filter(case=case, withdrawn_at__isnull=True, scope=ConsentScope.SHARE_INFORMATION).exists()

    # The liaison who received the case sees it: on the escalation's exchange and in the portal's list.
    update = EscalationUpdate.objects.get(escalation=first, kind=UpdateKind.CONSENT_WITHDRAWN)
    assert PHONE not in update.text
    client.force_login(police)
    assert "consent_withdrawn" in client.get(f"/liaison/{first.pk}/").content.decode()
    portal = client.get("/liaison/").content.decode()
    assert 'class="badge badge--danger"' in portal
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION, data__step="consent_withdrawn").exists()

    # The next escalation to the police goes without anything identifying.
    second = send(case, operator, supervisor)
    assert second.consent_basis == ConsentBasis.NONE
    assert second.packet["victim"]["contact"] == {"route": "hotline"}
    assert PHONE not in str(second.packet)


def test_a_withdrawal_before_anything_was_sent_tells_no_agency(client, operator, supervisor):
    case = case_in_progress(operator, age_band="16_17", child_consent=True)
    draft = make_escalation(EscalationState.DRAFT, case=case, operator=operator, supervisor=supervisor)
    record = Consent.objects.filter(case=case).first()
    client.force_login(operator)
    client.post(f"/cases/{case.reference}/consent/{record.pk}/withdraw/", {"channel": "phone"})
    record.refresh_from_db()
    assert record.withdrawn_by == operator and record.withdrawal_channel == "phone"
    assert not EscalationUpdate.objects.filter(escalation=draft, kind=UpdateKind.CONSENT_WITHDRAWN).exists()


def give_reporter_access(client, case):
    """This client holds the case's code, as after the status lookup (hotline.reporter_access)."""
    session = client.session
    session["reporter_case_ids"] = [case.pk]
    session.save()


@pytest.mark.parametrize(
    ("role", "given_by"),
    [("self", "young_person"), ("", "young_person"), ("parent", "guardian"), ("teacher", "other"), ("friend", "other")],
)
def test_the_web_forms_boxes_become_records_of_whoever_the_reporter_says_they_are(client, role, given_by):
    client.post(
        "/",
        form_post(
            reporter_role=role,
            age_band="10_12",
            consent_share_police="on",
            consent_keep_evidence="on",
            contact_preference="phone",
            contact_phone="0912345678",
        ),
    )
    records = list(Consent.objects.order_by("scope"))
    assert {r.scope for r in records} == {"contact", "share_police", "keep_evidence"}
    assert {(r.given_by, r.channel, r.age_band) for r in records} == {(given_by, "web_form", "10_12")}


def test_no_box_ticked_records_no_consent(client):
    client.post("/", form_post())
    assert not Consent.objects.exists()


def test_a_call_records_the_consents_the_operator_heard_with_their_name(client, operator):
    client.force_login(operator)
    response = client.post(
        "/cases/new/phone/",
        form_post(reporter_role="parent", age_band="13_15", child_consent="on", guardian_consent="on"),
    )
    assert response.status_code == 302
    records = Consent.objects.all()
    assert {(r.given_by, r.scope) for r in records} == {
        (giver, scope) for giver in ("young_person", "guardian") for scope in ("share_police", "share_information")
    }
    assert {(r.channel, r.recorded_by) for r in records} == {(ConsentChannel.PHONE, operator)}
    assert disclosure_for_case(records[0].case).basis == ConsentBasis.GUARDIAN_AND_CHILD
