"""The packet: what an agency receives, built from the case and minimised (the consent rule: escalation/consent.py).

Built for the supervisor's preview while the escalation is prepared, and built once more and frozen (with its
SHA-256) when it is sent. The agency only ever sees the frozen copy.
"""

import hashlib
import json

from django.utils import timezone

from escalation.consent import consent_on_record, disclosure_for

PACKET_FORMAT = 1


def _iso(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def _person(user):
    return (user.get_full_name() or user.username) if user else ""


def build_packet(escalation, *, case, override_reason="", sent_at=None, ack_due_at=None, approver=None):
    """The packet as a JSON-ready dict. Facts about the child are limited to age band, gender and commune; the
    contact route is the hotline unless consent (or an override) allows more and the counsellor chose to share."""
    on_record = consent_on_record(case, agency=escalation.agency)
    disclosure = disclosure_for(
        age_band=on_record.age_band,
        child_consent=on_record.young_person,
        guardian_consent=on_record.guardian,
        override_reason=override_reason,
    )
    contact = {"route": "hotline"}
    if disclosure.may_identify and not escalation.contact_through_hotline_only:
        contact = {
            "route": "direct",
            "preference": case.contact_preference,
            "phone": str(case.contact_phone) if case.contact_phone else "",
            "email": case.contact_email,
        }
    category = case.category
    top = category.top_level
    return {
        "format": PACKET_FORMAT,
        "reference": case.reference,
        "escalation": escalation.pk,
        "agency": {"code": escalation.agency.code, "name_vi": escalation.agency.name_vi},
        "priority": int(escalation.priority),
        "reason": escalation.reason,
        "requested_actions": list(escalation.requested_actions),
        "sent_at": _iso(sent_at),
        "ack_due_at": _iso(ack_due_at),
        "prepared_by": _person(escalation.created_by),
        "approved_by": _person(approver),
        "consent": {
            "basis": disclosure.basis,
            "scope": on_record.scope,
            "child": on_record.young_person,
            "guardian": on_record.guardian,
            "records": [
                {"given_by": record.given_by, "channel": record.channel, "granted_at": _iso(record.granted_at)}
                for record in on_record.records
            ],
            "override_reason": override_reason.strip() if disclosure.basis == "override" else "",
            "override_approved_by": _person(approver) if disclosure.basis == "override" else "",
        },
        "disclosure": {"contact_through_hotline_only": contact["route"] == "hotline"},
        "incident": {
            "category": {"code": top.code, "name_vi": top.name_vi, "name_en": top.name_en},
            "subcategory": (
                {"code": category.code, "name_vi": category.name_vi, "name_en": category.name_en}
                if category.parent_id
                else None
            ),
            "platforms": [platform.name for platform in case.platforms.all()],
            "in_danger": case.in_danger,
            "ongoing": case.ongoing,
            "when": escalation.incident_time,
            "reported_at": _iso(case.created_at),
            "summary": escalation.summary,
            "money_lost_vnd": escalation.money_lost_vnd,
            "beneficiary_accounts": escalation.beneficiary_accounts,
        },
        "victim": {
            "age_band": case.age_band,
            "gender": case.gender,
            "commune": case.commune,
            "contact": contact,
        },
        "reported_persons": escalation.reported_persons,
        "links": [
            {"id": link.pk, "target": link.target, "takedown_due_at": _iso(link.takedown_due_at)}
            for link in escalation.links.all()
        ],
        "evidence": [
            {
                "id": item.pk,
                # A file name may name the child: only with consent or an override.
                "name": item.original_name if disclosure.may_identify else f"{case.reference}-{item.pk}",
                "type": item.content_type,
                "size": item.size,
                "sha256": item.sha256,
                "received_at": _iso(item.received_at),
            }
            for item in escalation.evidence.all()
        ],
        "actions_taken": escalation.actions_taken,
    }


def canonical_bytes(packet):
    """One byte form per packet (keys sorted), so its fingerprint survives a round trip through any database."""
    return json.dumps(packet, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fingerprint(packet):
    return hashlib.sha256(canonical_bytes(packet)).hexdigest()
