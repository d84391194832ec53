"""What a reporter proved over HTTP: the cases whose access code they gave, kept in their session.

The session is the only place the proof lives; the chat socket (hotline/consumers.py) is authorised by the same session.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases import access
from cases.models import Case
from hotline.models import ChatTicket

SESSION_KEY = "reporter_case_ids"
MAX_CASES_PER_SESSION = 10


def grant(request, case, *, fresh=False):
    """This browser may open `case`. `fresh`: the session's key was made fresh for it already
    (`session_key_for_new_case`)."""
    ids = [pk for pk in request.session.get(SESSION_KEY, []) if pk != case.pk]
    if not ids and request.session.session_key and not fresh:
        # A fresh session id once it starts to carry a case (no fixation). A visitor without a session yet gets a
        # new id anyway when the response saves it: cycling would write the session twice.
        request.session.cycle_key()
    request.session[SESSION_KEY] = ([case.pk] + ids)[:MAX_CASES_PER_SESSION]


def session_key_for_new_case(request):
    """The key this browser's session will have once it carries the case being reported, known before the case
    exists: a new visitor's is drawn now (saved with the response), a session that carried no case gets a fresh one
    now (no fixation), a session that already carries cases keeps its own."""
    session = request.session
    if session.session_key and not session.get(SESSION_KEY):
        session.cycle_key()  # grant(..., fresh=True) then need not cycle it again
    return session.session_key or session.reserve_key()


def adopt_session(request, session_key):
    """This browser takes over the session of the same form's first sending (hotline.form_tokens): it tapped
    "Send" again before the first answer came back, and never got that answer's session cookie. The response
    carries the session's cookie (saved unchanged)."""
    session = type(request.session)(session_key=session_key)
    if session.get(SESSION_KEY) is not None:  # loaded: the first sending's session, saved with its case
        request.session = session
        session.modified = True


def has_access(session, case):
    return case.pk in session.get(SESSION_KEY, [])


def forget(request):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def find_case(reference, code):
    """The case with this reference and access code, or None: a wrong code looks exactly like no such case."""
    reference = access.normalize_reference(reference)
    case = Case.objects.filter(reference=reference).first() if reference else None
    if case is None:
        access.hash_access_code(code)  # spend the same work either way
        return None
    return case if access.access_code_matches(code, case.access_code_hash) else None


def _ticket_hash(ticket):
    return hashlib.sha256(ticket.encode("utf-8", "replace")).hexdigest()


def issue_chat_ticket(*, case):
    """A new chat ticket for this case (the caller proved the access code): 256 bits, valid for
    settings.CHAT_TICKET_SECONDS, good for one websocket connection. Returns (ticket, expires_at); only the hash is
    stored. Tickets that expired a day ago are deleted on the way."""
    now = timezone.now()
    ticket = secrets.token_urlsafe(32)
    expires_at = now + timedelta(seconds=settings.CHAT_TICKET_SECONDS)
    ChatTicket.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    ChatTicket.objects.create(case=case, ticket_hash=_ticket_hash(ticket), expires_at=expires_at)
    return ticket, expires_at


def redeem_chat_ticket(*, ticket, reference):
    """The id of the case this ticket opens, or None. A ticket works once: any presentation (even for another
    case, even expired) uses it up, so a ticket that leaked is worth at most one refused try."""
    if not isinstance(ticket, str) or not 20 <= len(ticket) <= 100:
        return None
    now = timezone.now()
    with transaction.atomic():
        row = (
            ChatTicket.objects.select_for_update()
            .select_related("case")
            .filter(ticket_hash=_ticket_hash(ticket))
            .only("id", "expires_at", "used_at", "case__id", "case__reference")
            .first()
        )
        if row is None or row.used_at is not None:
            return None
        ChatTicket.objects.filter(pk=row.pk).update(used_at=now)
    if row.expires_at <= now or row.case.reference != access.normalize_reference(reference or ""):
        return None
    return row.case.id


def status_link(request, reference, code):
    """The link on the receipt. Reference and code travel in the fragment, which browsers never send to a server,
    so the code cannot end up in access logs or Referer headers."""
    return request.build_absolute_uri(reverse("status")) + f"#r={reference}&c={code}"
