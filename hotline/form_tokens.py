"""One-time tokens for the report form: three quick taps on "Send" make one case, not three, and every tap ends on
the receipt.

Each rendering of the form carries a new random token (outside the cached form fields). The first valid POST with
a token claims it in the cache (an atomic `add`, kept a day) and records, for two minutes only, the key its
browser's session will have once it carries the case (hotline.reporter_access.session_key_for_new_case: drawn before
the case is written). A repeat finds the token claimed and creates nothing; it waits until the first one's session
is saved, then goes to the receipt. A browser that tapped again before the first answer came back never got that
answer's session cookie: the repeat's answer carries it (the token is proof enough that it is the same page, and
only for those two minutes). A POST without a token (an old page) is accepted as before. If the cache is down, the
report goes through: a child's report matters more than a duplicate.
"""

import contextlib
import logging
import secrets
import time
from importlib import import_module

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

FIELD = "form_token"
TIMEOUT = 24 * 3600  # a form sent again from the browser's history the next day is still a repeat
WAIT_SECONDS = 10
TAKE_OVER_SECONDS = 120  # a repeat this soon after the first sending may take its session over
CLAIMED = "claimed"  # the claim's value: it holds no session key, being kept a day


def new_token():
    return secrets.token_urlsafe(18)


def _key(token):
    return f"report-form-token:{token}"


def _session_key_key(token):
    return f"report-form-session:{token}"


def posted_token(request):
    token = request.POST.get(FIELD, "")
    return token if 16 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum() else ""


def _claim(token, session_key):
    """True when this request is the first to use the token (or there is no token, or the cache is down)."""
    if not token:
        return True
    try:
        first = cache.add(_key(token), CLAIMED, timeout=TIMEOUT)
        if first and session_key:
            cache.set(_session_key_key(token), session_key, timeout=TAKE_OVER_SECONDS)
    except Exception:  # noqa: BLE001 - cache (Redis) down: let the report through
        return True
    return first


def claim_and_count(token, session_key, throttle, request):
    """Claim the token (recording `session_key` with it) and, when this request is the first to use it,
    `throttle.hit(request)` (a repeated tap is not counted twice): (first, over the limit). One round trip when the
    cache can do both at once (hotline.cache.SharedRedisCache.claim_and_count_hit); with the cache down, the report
    goes through uncounted."""
    both = getattr(cache, "claim_and_count_hit", None)
    if not token or both is None:
        first = _claim(token, session_key)
        return first, first and throttle.hit(request)
    limit, window = throttle.limits()
    try:
        also = (_session_key_key(token), session_key, TAKE_OVER_SECONDS) if session_key else None
        count = both(_key(token), CLAIMED, TIMEOUT, throttle.key(request), window, also)
    except Exception:  # noqa: BLE001 - cache (Redis) down: a child's report matters more than a duplicate
        logger.error("report form token and throttle: cache unavailable, report let through uncounted")
        return True, False
    return count is not None, count is not None and count > limit


def release(token):
    """The first request failed: a resend may try again."""
    if token:
        with contextlib.suppress(Exception):
            cache.delete_many([_key(token), _session_key_key(token)])


def wait_for_first(token):
    """The session key of the first sending of this token once its session is saved (within a few seconds), when
    that sending was recent enough to be taken over; None otherwise (it failed, is too old, or never finished)."""
    deadline = time.monotonic() + WAIT_SECONDS
    store = import_module(settings.SESSION_ENGINE).SessionStore
    while True:
        try:
            claimed, session_key = cache.get(_key(token)), cache.get(_session_key_key(token))
        except Exception:  # noqa: BLE001
            return None
        if claimed is None or session_key is None:
            return None  # the first one failed and released the token, or the page is older than two minutes
        if store().exists(session_key):
            return session_key
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.2)
