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


status_lookup_failures = Throttle("status", "THROTTLE_STATUS_LOOKUP")
report_submissions = Throttle("report", "THROTTLE_REPORT_SUBMIT")
