"""Consent records: who agreed to what, how and when, and their withdrawal.

A consent is one `Consent` row per grant (cases.models). The escalation rule (escalation/consent.py) reads the active
rows; nothing reads booleans on the case. Withdrawing keeps the row and stamps the time and the channel; other apps
that must react (an escalation already at an agency) register a listener with `on_withdrawal`.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases import rollup
from cases.models import (
    AgeBand,
    Case,
    CaseEvent,
    Consent,
    ConsentChannel,
    ConsentGiver,
    ConsentScope,
    EventKind,
    ReporterRole,
)
from cases.plumbing import NotAllowed
from cases.services import event_row, record_event


class ConsentNotPossible(Exception):
    """The consent cannot be recorded or withdrawn as asked (shown as a clear message)."""


@dataclass(frozen=True)
class Grant:
    """One consent to record: who gave it, for what, through which channel, and the age they declared."""

    given_by: str
    scope: str
    channel: str
    age_band: str = AgeBand.UNKNOWN


def giver_for_role(reporter_role: str) -> str:
    """Whose consent a box ticked on the web form is, from who the reporter said they are.

    The form speaks to the young person, so a reporter who did not say who they are is taken to be the young person
    the report is about. A parent's box is recorded as the guardian's consent, but does not count for a child's
    escalation until a counsellor confirms it (cases.models.CONFIRMED_BY_COUNSELLOR)."""
    if reporter_role in ("", ReporterRole.SELF):
        return ConsentGiver.YOUNG_PERSON
    if reporter_role == ReporterRole.PARENT:
        return ConsentGiver.GUARDIAN
    return ConsentGiver.OTHER


def write_grants(*, case: Case, grants: Iterable[Grant], user: Any = None) -> list[Consent]:
    """Write consent rows and their timeline entry. Call inside the caller's transaction."""
    rows, events = consent_rows(case=case, grants=grants, user=user)
    if not rows:
        return []
    created = Consent.objects.bulk_create(rows)
    rollup.mark_changed(case.created_at)  # a consent changes the case's figures (as record_event would mark it)
    CaseEvent.objects.bulk_create(events)
    return created


def consent_rows(*, case: Case, grants: Iterable[Grant], user: Any = None) -> tuple[list[Consent], list[CaseEvent]]:
    """The consent rows of these grants and their timeline entries, not written yet."""
    now = timezone.now()
    rows = [
        Consent(
            case=case,
            given_by=grant.given_by,
            scope=grant.scope,
            channel=grant.channel,
            age_band=grant.age_band or AgeBand.UNKNOWN,
            recorded_by=user,
            granted_at=now,
        )
        for grant in grants
    ]
    events = [
        event_row(
            case,
            EventKind.CONSENT,
            actor=user,
            given_by=consent.given_by,
            scope=consent.scope,
            channel=consent.channel,
            age_band=consent.age_band,
            granted=True,
        )
        for consent in rows
    ]
    return rows, events


def record_consent(
    *, case: Case, user: Any, given_by: str, scopes: Sequence[str], channel: str, age_band: str
) -> list[Consent]:
    """A counsellor records a consent heard on the phone or in the chat (for instance a guardian's): one row per
    scope, with the counsellor's name on it."""
    if not user.has_perm("cases.add_consent"):
        raise NotAllowed("record_consent")
    if channel not in (ConsentChannel.PHONE, ConsentChannel.CHAT):
        raise ConsentNotPossible("a counsellor records consent heard on the phone or in the chat")
    if not scopes or any(scope not in ConsentScope.values for scope in scopes):
        raise ConsentNotPossible("choose what the consent is for")
    if given_by not in ConsentGiver.values or age_band not in AgeBand.values:
        raise ConsentNotPossible("unknown person or age")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.purged_at is not None:
            raise ConsentNotPossible("the personal data of this case has been removed")
        grants = [Grant(given_by=given_by, scope=scope, channel=channel, age_band=age_band) for scope in scopes]
        return write_grants(case=locked, grants=grants, user=user)


WithdrawalListener = Callable[[Consent], None]
_withdrawal_listeners: list[WithdrawalListener] = []


def on_withdrawal(listener: WithdrawalListener) -> WithdrawalListener:
    """Register a function called, inside the withdrawal's transaction, with each withdrawn consent (the escalation
    app registers one that tells the agencies already holding the case). Registering twice is harmless."""
    if listener not in _withdrawal_listeners:
        _withdrawal_listeners.append(listener)
    return listener


def withdraw_consent(*, consent: Consent, channel: str, user: Any = None) -> Consent:
    """Withdraw one consent: the row stays, with the time and the channel. From now on the escalation rule ignores
    it; an agency that already received the case is told (on_withdrawal). Withdrawing twice changes nothing."""
    if channel not in ConsentChannel.values:
        raise ConsentNotPossible("unknown channel")
    if user is not None and not user.has_perm("cases.add_consent"):
        raise NotAllowed("withdraw_consent")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=consent.case_id)
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            return locked
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_channel = channel
        locked.withdrawn_by = user
        locked.save(update_fields=["withdrawn_at", "withdrawal_channel", "withdrawn_by"])
        record_event(
            case,
            EventKind.CONSENT,
            actor=user,
            given_by=locked.given_by,
            scope=locked.scope,
            channel=channel,
            granted=False,
        )
        for listener in _withdrawal_listeners:
            listener(locked)
    return locked


def consents_of(case: Case) -> QuerySet[Consent]:
    """Every consent of the case, withdrawn ones too, oldest first, with who recorded them."""
    return Consent.objects.filter(case=case).select_related("recorded_by", "withdrawn_by").order_by("granted_at", "id")


def active_consents(case: Case, *, scope: str) -> list[Consent]:
    """The consents for `scope` that stand now (not withdrawn)."""
    return list(Consent.objects.filter(case=case, scope=scope, withdrawn_at__isnull=True))
