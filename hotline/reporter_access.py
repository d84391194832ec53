"""What a reporter proved over HTTP: the cases whose access code they gave, kept in their session.

The session is the only place the proof lives; the chat socket (hotline/consumers.py) is authorised by the same session.
"""

from django.urls import reverse

from cases import access
from cases.models import Case

SESSION_KEY = "reporter_case_ids"
MAX_CASES_PER_SESSION = 10


def grant(request, case):
    ids = [pk for pk in request.session.get(SESSION_KEY, []) if pk != case.pk]
    if not ids and request.session.session_key:
        # A fresh session id once it starts to carry a case (no fixation). A visitor without a session yet gets a
        # new id anyway when the response saves it: cycling would write the session twice.
        request.session.cycle_key()
    request.session[SESSION_KEY] = ([case.pk] + ids)[:MAX_CASES_PER_SESSION]


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


def status_link(request, reference, code):
    """The link on the receipt. Reference and code travel in the fragment, which browsers never send to a server,
    so the code cannot end up in access logs or Referer headers."""
    return request.build_absolute_uri(reverse("status")) + f"#r={reference}&c={code}"
