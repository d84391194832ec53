"""Counting attempts per client in the cache (Redis in production, shared by every Daphne process)."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_address(request):
    """The client's address: the socket's, or the one our own trusted proxies put in X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class Throttle:
    """At most `limit` counted attempts per client in a window of `window` seconds."""

    def __init__(self, name, setting):
        self.name = name
        self.setting = setting

    def _key(self, request, extra):
        # Hashed: the cache holds no readable trace of who asked. `extra` counts per account instead of per
        # address (a login name tried from many addresses).
        subject = f"user:{extra}" if extra else f"addr:{client_address(request)}"
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{subject}".encode()).hexdigest()[:32]
        return f"throttle:{self.name}:{digest}"

    def blocked(self, request, extra=""):
        limit, _window = getattr(settings, self.setting)
        try:
            return (cache.get(self._key(request, extra)) or 0) >= limit
        except Exception:  # noqa: BLE001 - cache (Redis) down: a child's report must still go through
            logger.error("throttle %s: cache unavailable, not throttling", self.name)
            return False

    def hit(self, request, extra=""):
        _limit, window = getattr(settings, self.setting)
        key = self._key(request, extra)
        try:
            cache.add(key, 0, timeout=window)
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
        except Exception:  # noqa: BLE001
            logger.error("throttle %s: cache unavailable, attempt not counted", self.name)




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
        from cases.access import normalize_reference

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
