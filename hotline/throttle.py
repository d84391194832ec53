"""The public front desk's throttles: failed status look-ups and report submissions (`cases.plumbing.Throttle`
counts them in the cache)."""

from django.conf import settings

from cases.access import normalize_reference
from cases.plumbing import Throttle, client_address


class StatusLookupThrottle:
    """Failed status look-ups (wrong reference or code), counted three ways so that a school's or a mobile
    carrier's shared address does not lock out the innocent (README, "Throttles"; SECURITY.md):

    - per reference: a reference that collects too many wrong codes is "under attack" and refuses every code,
      the right one included, until the window passes (this is what stops guessing one child's code);
    - per client: the address together with this browser's CSRF cookie, so two pupils behind one school address
      are two clients and one's mistakes never block the other; a caller without the cookie (the API, a script)
      is counted by its address alone;
    - per address, with a much higher limit: a backstop against a script that throws its cookie away each time.

    A correct code is refused only while the reference, this client or (past the backstop) the whole address is
    blocked."""

    def __init__(self):
        self.client = Throttle("status", "THROTTLE_STATUS_LOOKUP")
        self.reference = Throttle("status-reference", "THROTTLE_STATUS_REFERENCE")
        self.address = Throttle("status-address", "THROTTLE_STATUS_ADDRESS")

    @staticmethod
    def _client(request):
        cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        return f"client:{client_address(request)}:{cookie}" if cookie else ""

    @staticmethod
    def _reference(reference):
        normalized = normalize_reference(reference or "")
        return f"reference:{normalized}" if normalized else ""

    def blocked(self, request, reference=""):
        subject = self._reference(reference)
        if subject and self.reference.blocked(request, subject):
            return True
        if self.client.blocked(request, self._client(request)):
            return True
        return self.address.blocked(request)

    def hit(self, request, reference=""):
        subject = self._reference(reference)
        if subject:
            self.reference.hit(request, subject)
        self.client.hit(request, self._client(request))
        self.address.hit(request)


status_lookup_failures = StatusLookupThrottle()
report_submissions = Throttle("report", "THROTTLE_REPORT_SUBMIT")
