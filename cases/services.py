"""Every write to a case goes through one of these functions.

Each one validates, writes inside one transaction (the change and its CaseEvent together), and leaves
notifications to `transaction.on_commit`, so nothing is announced that did not happen.
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django_fsm import TransitionNotAllowed

from cases import access, notices, realtime, risk, rollup
from cases.evidence import inspect_upload
from cases.models import (
    Callback,
    Case,
    CaseEvent,
    CaseState,
    Category,
    Channel,
    ContactPreference,
    EventKind,
    Evidence,
    Message,
    NoticeKind,
    Page,
    Priority,
    ProtectionLevel,
    ReportedLink,
    Sender,
    StatisticsDirtyDay,
    TextNoticeChannel,
)
from cases.one_statement import insert_with_children
from cases.plumbing import NotAllowed, apply_transition
from cases.text import strip_bidi

if TYPE_CHECKING:
    from cases.consent import Grant  # cases.consent builds on record_event below

URGENT_CATEGORIES = {"OSE", "MHR"}
ADVICE_CATEGORIES = {"INF"}


def initial_priority(*, category: Category, in_danger: bool, risk_reasons: Sequence[object] = ()) -> Priority:
    """The one rule for a new report's priority. P1 when the child is in danger now or at risk of self-harm
    (`cases.risk.risk_reasons`: the self-harm category, a "yes" to the safety question, a danger phrase);
    sexual exploitation is urgent; advice waits."""
    if in_danger or risk_reasons:
        return Priority.P1
    code = category.top_level.code
    if code in URGENT_CATEGORIES:
        return Priority.P2
    if code in ADVICE_CATEGORIES:
        return Priority.P4
    return Priority.P3


def first_response_due(*, received_at: datetime, priority: int) -> datetime:
    return received_at + settings.FIRST_RESPONSE_TARGETS[int(priority)]


# Timeline entries that never change what a case counts as in the statistics (the rest make its day recounted).
NOT_COUNTED_EVENTS = {
    EventKind.INFO_ADDED,
    EventKind.EVIDENCE_ADDED,
    EventKind.NOTE,
    EventKind.ASSIGNED,
    EventKind.CONTACT_REVEALED,
    EventKind.EVIDENCE_VIEWED,
    EventKind.PROTECTION_LEVEL,
    EventKind.PAGED,
    EventKind.PAGE_ACKNOWLEDGED,
}


def record_event(case: Case, kind: str, **fields: Any) -> CaseEvent:
    """Append one entry to the case's timeline (`fields` as for event_row). An entry that may change the case's
    figures (received, a transition, a legal hold, ...) has the statistics rollup of the case's day recounted
    (cases/rollup.py)."""
    if kind not in NOT_COUNTED_EVENTS:
        rollup.mark_changed(case.created_at)
    event = event_row(case, kind, **fields)
    event.save(force_insert=True)
    return event


def event_row(
    case: Case,
    kind: str,
    *,
    actor: User | None = None,
    text: str = "",
    from_state: str = "",
    to_state: str = "",
    transition: str = "",
    **data: Any,
) -> CaseEvent:
    """One entry of the case's timeline, not written yet (record_event writes it; submit_report writes a new case's
    rows together). `data` holds facts (ids, counts, hashes), never personal data."""
    return CaseEvent(
        case=case,
        kind=kind,
        actor=actor,
        text=text,
        from_state=from_state,
        to_state=to_state,
        transition=transition,
        data=data,
    )


def submit_report(
    *,
    report: Mapping[str, Any],
    uploads: Sequence[UploadedFile[Any]] = (),
    channel: str,
    consents: Sequence[Grant] = (),
    user: User | None = None,
) -> tuple[Case, str]:
    """Create a case in state `new` from a validated report.

    `report` is the cleaned data of hotline.forms.ReportForm; `consents` the cases.consent.Grant rows the reporter
    gave with it (recorded by `user` when a counsellor took them). Returns (case, access_code); the access code
    exists only in this return value and is stored as a hash. The case, its links, evidence, consents and the
    `created` event are written together or not at all.
    """
    inspected = [(upload, *inspect_upload(upload)) for upload in uploads]
    report = {**report, "description": strip_bidi(report.get("description", ""))}
    now = timezone.now()
    safety_answer = report.get("safety_answer") or ""
    reasons = risk.risk_reasons(
        category=report["category"], safety_answer=safety_answer, text=report.get("description", "")
    )
    priority = initial_priority(category=report["category"], in_danger=report["in_danger"], risk_reasons=reasons)
    code = access.new_access_code()
    code_hash = access.hash_access_code(code)
    for _attempt in range(20):  # 31^8 references: a second draw is already practically unreachable
        case = Case(
            reference=access.new_reference(),
            access_code_hash=code_hash,
            channel=channel,
            priority=priority,
            category=report["category"],
            description=report.get("description", ""),
            in_danger=report["in_danger"],
            ongoing=report["ongoing"],
            safety_answer=safety_answer,
            risk_reasons=reasons,
            reporter_role=report.get("reporter_role", ""),
            age_band=report["age_band"],
            gender=report["gender"],
            commune=str(report.get("commune") or getattr(report.get("commune_unit"), "name", "")),
            commune_unit=report.get("commune_unit"),
            contact_preference=report["contact_preference"],
            contact_phone=report.get("contact_phone") or "",
            contact_email=report.get("contact_email") or "",
            notify_by=_notices_by(report),
            created_at=now,
            first_response_due_at=first_response_due(received_at=now, priority=priority),
        )
        rows = _new_case_rows(case, report, channel=channel, evidence=len(inspected), consents=consents, user=user)
        try:
            if not inspected and connection.vendor == "postgresql":
                # One statement, committed on its own (cases/one_statement.py); inside a caller's transaction, in
                # a savepoint of its own so that a clash of references can be tried again.
                with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
                    insert_with_children(case, rows)
            else:
                with transaction.atomic():
                    case.save(force_insert=True)
                    for foreign_key, group in rows:
                        if foreign_key:
                            for row in group:
                                setattr(row, foreign_key, case.pk)
                        if group:
                            type(group[0]).objects.bulk_create(group)
                    for upload, content_type, size, sha256 in inspected:
                        _store_evidence(case, upload, content_type=content_type, size=size, sha256=sha256, user=None)
        except IntegrityError:
            # The reference is checked by its unique constraint, not by a query before each report.
            if Case.objects.filter(reference=case.reference).exists():
                continue
            raise
        realtime.queue_changed_on_commit(case, change="created")
        return case, code
    raise RuntimeError("could not find a free case reference")


def _new_case_rows(
    case: Case,
    report: Mapping[str, Any],
    *,
    channel: str,
    evidence: int,
    consents: Sequence[Grant],
    user: User | None,
) -> list[tuple[str | None, list[Any]]]:
    """The rows of a new case besides its own, not written yet, as (foreign key to the case, rows): its platforms and
    links, its timeline (received; the consents given with it; the risk flag), its consents, the callback it asked
    for, and the statistics mark of its day."""
    from cases.consent import consent_rows  # cases.consent builds on this module's record_event

    platforms = [Case.platforms.through(platform=platform) for platform in report.get("platforms") or []]
    links = [ReportedLink(url=strip_bidi(url)) for url in report.get("links") or []]
    events = [
        event_row(
            case,
            EventKind.CREATED,
            channel=channel,
            priority=int(case.priority),
            links=len(links),
            evidence=evidence,
        )
    ]
    given, consent_events = consent_rows(case=case, grants=consents, user=user)
    events += consent_events
    callbacks = []
    if case.contact_preference == ContactPreference.PHONE and case.contact_phone:
        # "Call or text me": a callback, due with the first response (cases.callbacks).
        callbacks.append(Callback(due_at=case.first_response_due_at or case.created_at, created_at=case.created_at))
    if case.risk_reasons:
        # Facts only (category code, the answer, phrase ids and labels): never the reporter's words.
        with translation.override(settings.LANGUAGE_CODE):
            text = "; ".join(str(label) for label in case.risk_labels)
        events.append(event_row(case, EventKind.RISK_FLAGGED, text=text, reasons=case.risk_reasons))
    marks = rollup.day_marks(case.created_at)  # received: the day's figures change
    return [
        ("case_id", platforms),
        ("case_id", links),
        ("case_id", events),
        ("case_id", given),
        ("case_id", callbacks),
        (None, marks),
    ]


def _notices_by(report: Mapping[str, Any]) -> str:
    """The reporter who asked to be e-mailed, or called or texted, gets content-free notices that way (they can
    change it, or stop them, on the status page)."""
    if report["contact_preference"] == ContactPreference.EMAIL and report.get("contact_email"):
        return TextNoticeChannel.EMAIL
    if report["contact_preference"] == ContactPreference.PHONE and report.get("contact_phone"):
        return TextNoticeChannel.SMS
    return TextNoticeChannel.NONE


def _store_evidence(
    case: Case, upload: UploadedFile[Any], *, content_type: str, size: int, sha256: str, user: User | None
) -> Evidence:
    evidence = Evidence(
        case=case,
        original_name=(strip_bidi(upload.name) or "file")[-200:],
        content_type=content_type,
        size=size,
        sha256=sha256,
        received_by=user,
    )
    evidence.file.save("evidence", upload, save=False)
    evidence.save()
    return evidence


# What a reporter's message to an open case reads of its row: the row is locked with these columns alone (read with
# its 40-odd columns it was the costliest statement of a chat message). A case whose state a message changes, or a
# message with files, is then read whole (under the lock already taken).
_MESSAGE_COLUMNS = (
    "id", "reference", "state", "priority", "created_at", "message_seq", "unread_by_staff", "merged_into_id",
)  # fmt: skip
_STATES_THAT_CHANGE_ON_A_MESSAGE = {
    CaseState.WAITING_REPORTER,
    CaseState.RESOLVED,
    CaseState.CLOSED,
    CaseState.REJECTED,
}


def add_reporter_information(
    *, case: Case, text: str = "", uploads: Sequence[UploadedFile[Any]] = (), client_id: str | None = None
) -> Message | None:
    """The reporter adds a message and/or evidence to their case (status page, chat or API).

    The message is stored once per client_id (a resend returns the stored copy and changes nothing else). A new
    message counts as unread for the counsellors and brings a case that was waiting for the reporter, or already
    resolved, back to a counsellor. Returns the message (or None when only files were sent).
    """
    if text and not uploads and connection.vendor == "postgresql":
        message = _append_reporter_message_in_one_statement(case.pk, text=text, client_id=client_id)
        if message is not None:
            return message
        # Not stored: a resend of a stored message, a case whose state the message changes, or no such case.
    inspected = [(upload, *inspect_upload(upload)) for upload in uploads]
    with transaction.atomic():
        case = Case.objects.select_for_update().only(*_MESSAGE_COLUMNS).get(pk=case.pk)
        if inspected or case.state in _STATES_THAT_CHANGE_ON_A_MESSAGE:
            case = Case.objects.get(pk=case.pk)  # locked already: read whole for the files or the transition
        message, created = None, False
        if text:
            message, created = _append_message(case, sender=Sender.REPORTER, text=text, client_id=client_id)
        for upload, content_type, size, sha256 in inspected:
            evidence = _store_evidence(case, upload, content_type=content_type, size=size, sha256=sha256, user=None)
            record_event(case, EventKind.EVIDENCE_ADDED, evidence_id=evidence.pk, sha256=sha256)
        if not created and not inspected:
            return message
        if created and message is not None:
            # The row is locked: keep the instance in step, since a transition below saves the whole row.
            case.unread_by_staff += 1
            Case.objects.filter(pk=case.pk).update(message_seq=case.message_seq, unread_by_staff=case.unread_by_staff)
            rollup.mark_changed(case.created_at)  # repeat contacts: one INSERT, the case was read with its lock
            record_event(case, EventKind.INFO_ADDED, seq=message.seq)
            _bring_to_a_person(case)
            if case.state == CaseState.REJECTED and case.merged_into_id:
                _forward_to_merged_case(case, message)
        else:
            realtime.queue_changed_on_commit(case, change="updated")
    return message


# A reporter's message to a case whose state it does not change, on PostgreSQL: one statement, committed on its own,
# does what the transaction of add_reporter_information does (lock the row, number the message, store it once per
# client_id, count it unread, mark the day for the statistics, write the timeline event): one round trip instead of
# eight. The lock (FOR UPDATE, which reads the row's latest version after waiting) still serialises the writers of
# the conversation, so numbers have no gaps (tests/cases/test_concurrency.py); a client_id already stored inserts
# nothing (ON CONFLICT) and the caller's transaction returns the stored copy.
_ONE_STATEMENT_MESSAGE = """
WITH locked AS (
    SELECT id, reference, state, priority, created_at, message_seq FROM {case} WHERE id = %(case)s FOR UPDATE
), stored AS (
    INSERT INTO {message} (case_id, seq, client_id, sender, author_id, text, sent_at)
    SELECT id, message_seq + 1, %(client_id)s, %(sender)s, NULL, %(text)s, %(now)s FROM locked
    WHERE NOT (state = ANY(%(changing)s))
    ON CONFLICT (case_id, client_id) DO NOTHING
    RETURNING id, seq
), counted AS (
    UPDATE {case} SET message_seq = stored.seq, unread_by_staff = {case}.unread_by_staff + 1
    FROM stored WHERE {case}.id = %(case)s
), marked AS (
    INSERT INTO {dirty_day} (day) SELECT (locked.created_at AT TIME ZONE %(zone)s)::date FROM locked, stored
), recorded AS (
    INSERT INTO {event} (case_id, kind, actor_id, from_state, to_state, transition, text, data, created_at)
    SELECT %(case)s, %(kind)s, NULL, '', '', '', '', jsonb_build_object('seq', stored.seq), %(now)s FROM stored
)
SELECT locked.reference, locked.state, locked.priority, stored.id, stored.seq FROM locked, stored
"""


@functools.cache
def _one_statement_message_sql() -> str:
    return _ONE_STATEMENT_MESSAGE.format(
        case=Case._meta.db_table,
        message=Message._meta.db_table,
        dirty_day=StatisticsDirtyDay._meta.db_table,
        event=CaseEvent._meta.db_table,
    )


def _append_reporter_message_in_one_statement(case_id: int, *, text: str, client_id: str | None) -> Message | None:
    """The message stored and announced, or None when this statement stored nothing (see above)."""
    client_id = (client_id or uuid.uuid4().hex)[:64]
    text, now = strip_bidi(text), timezone.now()
    parameters: dict[str, Any] = {
        "case": case_id,
        "client_id": client_id,
        "sender": Sender.REPORTER.value,
        "text": text,
        "now": now,
        "changing": [str(state) for state in _STATES_THAT_CHANGE_ON_A_MESSAGE],
        "zone": settings.TIME_ZONE,
        "kind": EventKind.INFO_ADDED.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_one_statement_message_sql(), parameters)
        row = cursor.fetchone()
    if row is None:
        return None
    reference, state, priority, message_id, seq = row
    message = Message(
        id=message_id, case_id=case_id, seq=seq, client_id=client_id, sender=Sender.REPORTER, text=text, sent_at=now
    )
    # Committed already (autocommit), or part of the caller's transaction: the announcements follow its commit.
    realtime.chat_message_on_commit(message)
    realtime.queue_changed_on_commit(
        Case(id=case_id, reference=reference, state=state, priority=priority), change="message"
    )
    return message


def _bring_to_a_person(case: Case) -> None:
    """A reporter's new message reaches a counsellor whatever the state (README, "No message unseen"): a case
    waiting for them, resolved or closed goes back to in progress; one rejected as spam or a test back to new."""
    if case.state in (CaseState.WAITING_REPORTER, CaseState.RESOLVED, CaseState.CLOSED):
        run_transition(case, "reporter_replied", user=None)
    elif case.state == CaseState.REJECTED and not case.merged_into_id:
        run_transition(case, "reporter_wrote_after_rejection", user=None)
    else:
        realtime.queue_changed_on_commit(case, change="message")


def _forward_to_merged_case(case: Case, message: Message) -> None:
    """A message on a duplicate goes to the case it was merged into, as a staff-only note (that case's reporter may
    be another child: it never appears in their conversation), with an unread marker; a closed one reopens."""
    target, seen = case, {case.pk}
    while target.state == CaseState.REJECTED and target.merged_into_id and target.merged_into_id not in seen:
        seen.add(target.merged_into_id)
        target = Case.objects.select_for_update().get(pk=target.merged_into_id)
    if target.pk == case.pk or target.purged_at is not None:
        return
    record_event(target, EventKind.NOTE, text=message.text, merged_from=case.reference, seq=message.seq)
    target.unread_by_staff += 1
    Case.objects.filter(pk=target.pk).update(unread_by_staff=target.unread_by_staff)
    _bring_to_a_person(target)


def _append_message(
    case: Case, *, sender: str, text: str, client_id: str | None = None, author: User | None = None
) -> tuple[Message, bool]:
    """Store one message under the next number of its case, once per client_id, and announce it on commit.

    Must run inside the transaction that locked the case row (select_for_update) and read `case` with that lock:
    the lock serialises every writer of this case's conversation, so the number read with the row is the current
    one and no other transaction can store this client_id meanwhile. The caller saves the new `case.message_seq`
    (with whatever else it changes on the row, in one UPDATE) before committing. Returns (message, created).
    """
    client_id = (client_id or uuid.uuid4().hex)[:64]
    text = strip_bidi(text)
    existing = Message.objects.filter(case=case, client_id=client_id).first()
    if existing is not None:
        return existing, False
    seq = case.message_seq + 1
    message = Message.objects.create(case=case, seq=seq, client_id=client_id, sender=sender, author=author, text=text)
    case.message_seq = seq  # keep the locked instance in step: a later save() of it must not roll this back
    realtime.chat_message_on_commit(message)
    return message, True


def run_transition(
    case: Case, name: str, *, user: User | None, event_text: str = "", pending_fields: Iterable[str] = (), **kwargs: Any
) -> Case:
    """Run one transition of `case` as `user` (None: the system or the reporter), save it, write its event.

    Must be called inside transaction.atomic(). Raises NotAllowed when the user lacks the permission;
    django_fsm.TransitionNotAllowed when the state does not allow it; ConcurrentTransition when another
    user changed the case since it was read. Only what changed is saved (`cases.plumbing.apply_transition`):
    a whole-row save from a stale instance would roll back counters other services keep up to date
    (message_seq, unread_by_staff).
    """
    from_state = apply_transition(case, name, user=user, pending_fields=pending_fields, **kwargs)
    record_event(
        case,
        EventKind.TRANSITION,
        actor=user,
        text=event_text,
        from_state=from_state,
        to_state=case.state,
        transition=name,
    )
    realtime.queue_changed_on_commit(case, change="state")
    return case


def _transition_case(case: Case, name: str, *, user: User, event_text: str = "", **kwargs: Any) -> Case:
    with transaction.atomic():
        run_transition(case, name, user=user, event_text=event_text, **kwargs)
    return case


def triage_case(*, case: Case, user: User, priority: int, category: Category, in_danger: bool = False) -> Case:
    """Set category and priority of a new case; its first-response clock follows the new priority. `in_danger`
    raises the danger flag in the same transaction (flag_in_danger); unticked, it leaves the flag as it was."""
    with transaction.atomic():
        case.first_response_due_at = first_response_due(received_at=case.created_at, priority=priority)
        run_transition(
            case, "triage", user=user, priority=priority, category=category, pending_fields=["first_response_due_at"]
        )
        if in_danger and not case.in_danger:
            flag_in_danger(case=case, user=user)
    return case


def claim_case(*, case: Case, user: User) -> Case:
    """The user takes the case: it becomes theirs and is in progress. Only one of two rivals wins; a case a
    supervisor assigned to someone else cannot be claimed."""
    if case.assignee_id not in (None, user.pk):
        raise NotAllowed("claim: assigned to someone else")
    with transaction.atomic():
        run_transition(case, "claim", user=user, assignee=user)
        paging_ended_on_commit(case)
    return case


def paging_ended_on_commit(case: Case) -> None:
    """The case is claimed: whoever was paged about it (cases/paging.py) sees the banner go, after commit."""
    user_ids = set(
        Page.objects.filter(case=case, acknowledged_at__isnull=True).values_list("recipients", flat=True)
    ) - {None}
    if user_ids:
        realtime.pages_changed_on_commit(user_ids)


def resume_case(*, case: Case, user: User) -> Case:
    """A counsellor takes up a case that was waiting for the reporter without waiting any longer."""
    return _transition_case(case, "resume", user=user)


def wait_for_reporter(*, case: Case, user: User) -> Case:
    return _transition_case(case, "wait_for_reporter", user=user)


def resolve_case(*, case: Case, user: User, outcome: str, summary: str) -> Case:
    return _transition_case(case, "resolve", user=user, outcome=outcome, summary=summary)


def close_case(*, case: Case, user: User) -> Case:
    return _transition_case(case, "close", user=user)


def reopen_case(*, case: Case, user: User, reason: str = "") -> Case:
    return _transition_case(case, "reopen", user=user, event_text=reason)


def reject_case(*, case: Case, user: User, reason: str, merged_into: Case | None = None) -> Case:
    return _transition_case(case, "reject", user=user, reason=reason, merged_into=merged_into)


def post_staff_message(*, case: Case, user: User, text: str, client_id: str | None = None) -> Message:
    """A counsellor writes to the reporter (stored once per client_id). The first such message stops the
    first-response clock; writing means the counsellor has read what the reporter sent."""
    if not user.has_perm("cases.claim_case"):
        raise NotAllowed("message")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.state in (CaseState.CLOSED, CaseState.REJECTED):
            raise TransitionNotAllowed("the case is closed")
        message, created = _append_message(case, sender=Sender.STAFF, text=text, client_id=client_id, author=user)
        if created:
            changes: dict[str, object] = {"message_seq": case.message_seq, "unread_by_staff": 0}
            if case.first_response_at is None:
                changes["first_response_at"] = message.sent_at
                rollup.mark_changed(case.created_at)  # answered: the response figures change
            Case.objects.filter(pk=case.pk).update(**changes)
            realtime.queue_changed_on_commit(case, change="answered")
            notices.notice_on_commit(case, NoticeKind.REPLY)  # content-free; quiet hours respected
    return message


def mark_seen_by_staff(*, case: Case) -> None:
    """A counsellor opened the case or saw its chat: its reporter messages are no longer unread."""
    if Case.objects.filter(pk=case.pk, unread_by_staff__gt=0).update(unread_by_staff=0):
        realtime.queue_changed_on_commit(case, change="seen")


def assign_case(*, case: Case, user: User, assignee: User | None) -> Case:
    """A supervisor gives the case to a counsellor (or takes it back with assignee=None)."""
    if not user.has_perm("cases.assign_case"):
        raise NotAllowed("assign")
    if assignee is not None and not assignee.has_perm("cases.claim_case"):
        raise NotAllowed("assignee cannot work on cases")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise TransitionNotAllowed("only open cases can be assigned")
        previous = locked.assignee_id
        Case.objects.filter(pk=case.pk).update(assignee=assignee, updated_at=timezone.now())
        record_event(
            case,
            EventKind.ASSIGNED,
            actor=user,
            assignee_id=assignee.pk if assignee else None,
            previous_assignee_id=previous,
        )
        realtime.queue_changed_on_commit(locked, change="assigned")
    case.refresh_from_db()
    return case


def add_note(*, case: Case, user: User, text: str) -> CaseEvent:
    """An internal note: staff only, never shown to the reporter or sent to an agency."""
    if not user.has_perm("cases.claim_case"):
        raise NotAllowed("note")
    return record_event(case, EventKind.NOTE, actor=user, text=strip_bidi(text))


def reveal_contact(*, case: Case, user: User) -> CaseEvent:
    """Show the reporter's contact details to this user; the look is on the record."""
    if not user.has_perm("cases.reveal_contact"):
        raise NotAllowed("reveal_contact")
    fields = [name for name in ("contact_phone", "contact_email") if getattr(case, name)]
    return record_event(case, EventKind.CONTACT_REVEALED, actor=user, fields=fields)


def log_evidence_access(*, evidence: Evidence, user: User, how: str) -> CaseEvent:
    """Chain of custody: every preview, reveal and download of an evidence file is recorded."""
    return record_event(
        evidence.case, EventKind.EVIDENCE_VIEWED, actor=user, evidence_id=evidence.pk, sha256=evidence.sha256, how=how
    )


def record_phone_case(*, report: Mapping[str, Any], user: User, consents: Sequence[Grant] = ()) -> tuple[Case, str]:
    """An operator records a call as a case: it is theirs, in progress, and the call was its first response.
    `consents` are what the caller agreed to on the phone, recorded with the operator's name."""
    if not user.has_perm("cases.add_case") or not user.has_perm("cases.claim_case"):
        raise NotAllowed("phone intake")
    with transaction.atomic():
        case, code = submit_report(report=report, channel=Channel.PHONE, consents=consents, user=user)
        case.first_response_at = case.created_at
        case.save(update_fields=["first_response_at"])
        run_transition(case, "claim", user=user, assignee=user)
    return case, code


def set_protection_level(*, case: Case, user: User, level: str) -> Case:
    """A counsellor records which of the three levels of protection (Law on Children 2016) the case needs."""
    if not user.has_perm("cases.claim_case"):
        raise NotAllowed("protection level")
    if level not in ProtectionLevel.values:
        raise ValueError(f"unknown protection level {level!r}")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise TransitionNotAllowed("only open cases have a level of protection")
        if locked.protection_level == level:
            return locked
        previous = locked.protection_level
        Case.objects.filter(pk=case.pk).update(protection_level=level, updated_at=timezone.now())
        record_event(case, EventKind.PROTECTION_LEVEL, actor=user, level=level, previous=previous)
        realtime.queue_changed_on_commit(locked, change="updated")
    case.refresh_from_db()
    return case


def flag_in_danger(*, case: Case, user: User) -> Case:
    """Someone is in danger right now: the case carries the flag (queue row, case page), the timeline says who
    raised it, and open queues and case pages update after commit. Raising it again changes nothing."""
    if not user.has_perm("cases.claim_case"):
        raise NotAllowed("flag in danger")
    with transaction.atomic():
        return _set_in_danger(case, user=user, in_danger=True, reason="")


def clear_in_danger(*, case: Case, user: User, reason: str) -> Case:
    """A supervisor lowers the flag, with the reason on the timeline. Only a supervisor: counsellors raise it."""
    if not user.has_perm("cases.assign_case"):
        raise NotAllowed("clear in danger")
    reason = strip_bidi(reason).strip()
    if not reason:
        raise ValueError("clearing the danger flag needs a reason")
    with transaction.atomic():
        return _set_in_danger(case, user=user, in_danger=False, reason=reason)


def _set_in_danger(case: Case, *, user: User, in_danger: bool, reason: str) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.in_danger != in_danger:
        Case.objects.filter(pk=case.pk).update(in_danger=in_danger, updated_at=timezone.now())
        record_event(case, EventKind.DANGER_FLAG, actor=user, text=reason, in_danger=in_danger)
        realtime.queue_changed_on_commit(locked, change="updated")
    case.in_danger = in_danger
    return case


def start_intervention_clock(*, case: Case, notified_at: datetime) -> datetime:
    """The authority was notified that a child needs protection (Decree 56/2017): it must intervene within
    settings.INTERVENTION_HOURS of the FIRST notification. Later notifications keep the earliest clock.

    Called by escalation.services.record_referral inside its transaction (which wrote the timeline entry), with
    the case row locked. Returns the due time."""
    due = notified_at + timedelta(hours=settings.INTERVENTION_HOURS)
    if case.intervention_due_at is not None and case.intervention_due_at <= due:
        return case.intervention_due_at
    case.intervention_due_at = due
    Case.objects.filter(pk=case.pk).update(intervention_due_at=due, updated_at=timezone.now())
    realtime.queue_changed_on_commit(case, change="updated")
    return due


def close_resolved_cases(*, now: datetime | None = None) -> int:
    """Close the cases resolved longer ago than the grace period (settings.RESOLVED_GRACE_DAYS); the system is
    the actor. Each case is closed in its own transaction, so one that a counsellor reopens meanwhile is skipped.
    Returns the number closed."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.RESOLVED_GRACE_DAYS)
    closed = 0
    for pk in Case.objects.filter(state=CaseState.RESOLVED, resolved_at__lt=cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            if case.state != CaseState.RESOLVED:
                continue
            run_transition(case, "close", user=None, event_text="closed after the grace period")
            closed += 1
    return closed
