"""One-time tokens for the report form: three quick taps on "Send" make one case, not three.

Each rendering of the form carries a new random token (outside the cached form fields). The first valid POST with
a token claims it in the cache (an atomic `add`); a repeat finds it claimed, creates nothing and waits briefly for
the first one to finish, then goes to the same receipt. A POST without a token (an old page) is accepted as before.
If the cache is down, the report goes through: a child's report matters more than a duplicate.
"""

import contextlib
import logging
import secrets
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

FIELD = "form_token"
PENDING = "pending"
TIMEOUT = 24 * 3600
WAIT_SECONDS = 10


def new_token():
    return secrets.token_urlsafe(18)


def _key(token):
    return f"report-form-token:{token}"


def posted_token(request):
    token = request.POST.get(FIELD, "")
    return token if 16 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum() else ""


def claim(token):
    """True when this request is the first to use the token (or there is no token, or the cache is down)."""
    if not token:
        return True
    try:
        return cache.add(_key(token), PENDING, timeout=TIMEOUT)
    except Exception:  # noqa: BLE001 - cache (Redis) down: let the report through
        return True


def claim_and_count(token, throttle, request):
    """`claim(token)` and, when this request is the first to use it, `throttle.hit(request)` (a repeated tap is not
    counted twice): (first, over the limit). One round trip when the cache can do both at once
    (hotline.cache.SharedRedisCache.claim_and_count_hit); with the cache down, the report goes through uncounted."""
    both = getattr(cache, "claim_and_count_hit", None)
    if not token or both is None:
        first = claim(token)
        return first, first and throttle.hit(request)
    limit, window = throttle.limits()
    try:
        count = both(_key(token), PENDING, TIMEOUT, throttle.key(request), window)
    except Exception:  # noqa: BLE001 - cache (Redis) down: a child's report matters more than a duplicate
        logger.error("report form token and throttle: cache unavailable, report let through uncounted")
        return True, False
    return count is not None, count is not None and count > limit


def done(token, reference):
    if token:
        with contextlib.suppress(Exception):
            cache.set(_key(token), reference, timeout=TIMEOUT)


def release(token):
    """The first request failed: a resend may try again."""
    if token:
        with contextlib.suppress(Exception):
            cache.delete(_key(token))


def wait_for_first(token):
    """The case reference the first request made, waiting up to a few seconds for it; None if it never came."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            value = cache.get(_key(token))
        except Exception:  # noqa: BLE001
            return None
        if value is None:
            return None  # the first one failed and released the token
        if value != PENDING:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.2)
