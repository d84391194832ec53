"""Requests from the person whose data a case holds: see it, correct it, delete it, object to its use.

Filed from the status page (whoever holds the case's code) or recorded by staff (a call, a chat, a letter). Each one
is due settings.DATA_REQUEST_RESPONSE_DAYS working days after it arrived, shows in the supervisors' list, and every
step is on the audit trail (cases.audit) and the case's timeline. A deletion anonymises the case exactly as the
retention purge does (cases.retention.anonymise_cases), unless the case is on legal hold: then it is refused, and
the reporter is told why.
"""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cases import retention
from cases.audit import record_audit
from cases.models import (
    AuditAction,
    Case,
    DataRequest,
    DataRequestKind,
    DataRequestSource,
    DataRequestState,
    EventKind,
)
from cases.plumbing import NotAllowed
from cases.services import record_event

# The answer a refused deletion carries (stored in the hotline's language, shown to the reporter as written).
LEGAL_HOLD_REFUSAL = _(
    "We cannot delete your data now: the police or a court asked us to keep this case for an investigation or a "
    "trial (a legal hold). When the hold ends, your data is deleted on the usual schedule; you may ask again then."
)
DELETED_ANSWER = _("Your personal data in this case has been deleted. What is left cannot identify anyone.")
ACCESS_ANSWER = _("Shown on the status page, with a download.")


class RequestNotPossible(Exception):
    """The request cannot be filed or answered as asked (shown as a clear message)."""


def due_time(received_at: datetime, *, working_days: int | None = None) -> datetime:
    """`working_days` (default: the setting) Monday-to-Friday days after `received_at`, at the same local time."""
    days = settings.DATA_REQUEST_RESPONSE_DAYS if working_days is None else working_days
    moment = timezone.localtime(received_at)
    while days > 0:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


def local_due(request: DataRequest) -> str:
    """The due time as the reporter reads it (local time)."""
    return timezone.localtime(request.due_at).strftime("%H:%M %d/%m/%Y")


def _stored_text(text: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def file_data_request(*, case: Case, kind: str, source: str, details: str = "", user: Any = None) -> DataRequest:
    """Record a request. From the status page `user` is None; staff recording one need cases.add_datarequest.

    Seeing one's data from the status page is answered at once (the page shows it). A deletion of a case on legal
    hold is refused at once, with the reason. Everything else waits for a supervisor (answer_data_request)."""
    if kind not in DataRequestKind.values or source not in DataRequestSource.values:
        raise RequestNotPossible("unknown request")
    if user is not None and not user.has_perm("cases.add_datarequest"):
        raise NotAllowed("file_data_request")
    if source == DataRequestSource.STATUS_PAGE and user is not None:
        raise RequestNotPossible("staff record requests as staff")
    details = details.strip()[:2000]
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.purged_at is not None:
            raise RequestNotPossible("the personal data of this case has already been removed")
        now = timezone.now()
        request = DataRequest(
            case=locked,
            kind=kind,
            source=source,
            details=details,
            received_at=now,
            due_at=due_time(now),
            recorded_by=user,
        )
        if kind == DataRequestKind.DELETE and locked.legal_hold:
            request.state, request.answered_at = DataRequestState.REFUSED, now
            request.answer = _stored_text(LEGAL_HOLD_REFUSAL)
        elif kind == DataRequestKind.ACCESS and source == DataRequestSource.STATUS_PAGE:
            request.state, request.answered_at = DataRequestState.DONE, now
            request.answer = _stored_text(ACCESS_ANSWER)
        request.save()
        _record(request, actor=user, action=AuditAction.DATA_REQUEST_RECEIVED, step="received")
        if request.state != DataRequestState.OPEN:
            _record(request, actor=None, action=AuditAction.DATA_REQUEST_ANSWERED, step=request.state)
    return request


def answer_data_request(*, request: DataRequest, user: Any, state: str, answer: str = "") -> DataRequest:
    """A supervisor answers an open request: done (a deletion anonymises the case now) or refused with a reason.

    A deletion of a case that went on legal hold meanwhile is refused with the legal-hold reason whatever was asked.
    Answering twice is refused."""
    if not user.has_perm("cases.change_datarequest"):
        raise NotAllowed("answer_data_request")
    if state not in (DataRequestState.DONE, DataRequestState.REFUSED):
        raise RequestNotPossible("a request is done or refused")
    answer = answer.strip()[:2000]
    if state == DataRequestState.REFUSED and not answer:
        raise RequestNotPossible("a refusal needs the reason the reporter will read")
    files: list[str] = []
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=request.case_id)
        locked = DataRequest.objects.select_for_update().get(pk=request.pk)
        if locked.state != DataRequestState.OPEN:
            raise RequestNotPossible("this request has already been answered")
        now = timezone.now()
        if locked.kind == DataRequestKind.DELETE and state == DataRequestState.DONE:
            if case.legal_hold:
                state, answer = DataRequestState.REFUSED, _stored_text(LEGAL_HOLD_REFUSAL)
            elif case.purged_at is None:
                _messages, _links, files = retention.anonymise_cases([case.pk], now=now)
                answer = answer or _stored_text(DELETED_ANSWER)
        locked.state, locked.answer, locked.answered_at, locked.answered_by = state, answer, now, user
        locked.save(update_fields=["state", "answer", "answered_at", "answered_by"])
        _record(locked, actor=user, action=AuditAction.DATA_REQUEST_ANSWERED, step=state)
        if files:
            transaction.on_commit(lambda: retention.delete_files(files))
    return locked


def _record(request: DataRequest, *, actor: Any, action: str, step: str) -> None:
    """On the audit trail and on the case's timeline: facts only (kind, source, step), never what was written."""
    record_audit(
        actor=actor,
        action=action,
        case=request.case,
        target=request.case.reference,
        request=request.pk,
        kind=request.kind,
        source=request.source,
        step=step,
    )
    record_event(
        request.case, EventKind.DATA_REQUEST, actor=actor, request=request.pk, request_kind=request.kind, step=step
    )


def open_requests() -> QuerySet[DataRequest]:
    """The supervisors' list: open requests, the one due first on top."""
    return (
        DataRequest.objects.filter(state=DataRequestState.OPEN)
        .select_related("case", "recorded_by")
        .order_by("due_at", "id")
    )


def answered_requests(*, limit: int = 50) -> list[DataRequest]:
    """The latest answered requests, newest first (the list's second table)."""
    return list(
        DataRequest.objects.exclude(state=DataRequestState.OPEN)
        .select_related("case", "answered_by")
        .order_by("-answered_at", "-id")[:limit]
    )


def requests_of(case: Case) -> list[DataRequest]:
    return list(DataRequest.objects.filter(case=case).order_by("-received_at", "-id"))


def case_data(case: Case) -> dict[str, Any]:
    """Everything the case holds about the reporter and the child, as the reporter may see it: what they sent, what
    they told us, the conversation, their consents and requests. Not the counsellors' internal notes or names, nor
    what agencies wrote (those are the hotline's and the agencies' records about the case)."""

    def iso(moment: datetime | None) -> str | None:
        return timezone.localtime(moment).isoformat() if moment else None

    return {
        "reference": case.reference,
        "received_at": iso(case.created_at),
        "state": case.state,
        "category": case.category.name,
        "description": case.description,
        "links": [link.url for link in case.links.all() if link.url],
        "files": [
            {
                "name": evidence.original_name,
                "type": evidence.content_type,
                "size": evidence.size,
                "sha256": evidence.sha256,
                "received_at": iso(evidence.received_at),
            }
            for evidence in case.evidence.all()
        ],
        "about_you": {
            "reporter_role": case.reporter_role,
            "age_band": case.age_band,
            "gender": case.gender,
            "commune": case.commune,
            "contact_preference": case.contact_preference,
            "contact_phone": str(case.contact_phone) if case.contact_phone else "",
            "contact_email": case.contact_email,
        },
        "messages": [
            {"from": message.sender, "at": iso(message.sent_at), "text": message.text}
            for message in case.messages.order_by("seq")
        ],
        "consents": [
            {
                "given_by": consent.given_by,
                "scope": consent.scope,
                "channel": consent.channel,
                "age_band": consent.age_band,
                "given_at": iso(consent.granted_at),
                "withdrawn_at": iso(consent.withdrawn_at),
                "withdrawn_how": consent.withdrawal_channel,
            }
            for consent in case.consents.order_by("granted_at", "id")
        ],
        "requests": [
            {
                "kind": request.kind,
                "received_at": iso(request.received_at),
                "due_at": iso(request.due_at),
                "state": request.state,
                "answer": request.answer,
            }
            for request in case.data_requests.order_by("received_at", "id")
        ],
        "personal_data_removed_at": iso(case.purged_at),
    }
