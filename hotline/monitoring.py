"""Error monitoring. Nothing a reporter typed, and no credential, may leave in an error report.

Every string of an event passes through `scrub_text` before it is sent: phone numbers, e-mail addresses, quoted
values (database and validation errors quote the offending input), database error details, and the texts the
current request or websocket frame carried (registered with `mark_sensitive`) are replaced. Request bodies,
cookies, query strings, local variables and the user are never sent.
"""

import contextvars
import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

FILTERED = "[Filtered]"
SENSITIVE_HEADERS = {"authorization", "cookie", "x-access-code", "x-csrftoken", "proxy-authorization", "set-cookie"}
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”")
_DETAIL = re.compile(r"(DETAIL|HINT|CONTEXT):.*", re.DOTALL)
_ACCESS = re.compile(r"#r=[^&\s]+&c=\S+")

_sensitive = contextvars.ContextVar("hotline_sensitive_texts", default=())


MAX_SENSITIVE = 200


def mark_sensitive(*texts):
    """Register texts of the current request or frame (chat text, a description) that must never be reported.

    The register lives in the current context: one request, or one websocket connection (where it keeps the
    latest MAX_SENSITIVE texts)."""
    extra = tuple(text for text in texts if isinstance(text, str) and len(text) >= 3)
    if extra:
        _sensitive.set((_sensitive.get() + extra)[-MAX_SENSITIVE:])


def forget_sensitive():
    """Start a fresh register (at the start of a request)."""
    _sensitive.set(())


def scrub_text(text):
    for secret in sorted(_sensitive.get(), key=len, reverse=True):
        text = text.replace(secret, FILTERED)
    text = _DETAIL.sub(FILTERED, text)
    text = _QUOTED.sub(FILTERED, text)
    text = _ACCESS.sub(FILTERED, text)
    return _EMAIL.sub(FILTERED, _PHONE.sub(FILTERED, text))


def _scrub(value):
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def scrub_event(event, hint=None):
    """Sentry's before_send: strip what may carry personal data, scrub every free text that remains."""
    request = event.get("request") or {}
    for key in ("data", "cookies", "query_string", "env"):
        if key in request:
            request[key] = FILTERED
    headers = request.get("headers") or {}
    for name in list(headers):
        headers[name] = FILTERED if name.lower() in SENSITIVE_HEADERS else scrub_text(str(headers[name]))
    if "url" in request:
        request["url"] = scrub_text(request["url"])
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = scrub_text(str(exception["value"]))
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values") or []:
        for frame in (thread.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        crumb.pop("data", None)
        if crumb.get("message"):
            crumb["message"] = scrub_text(str(crumb["message"]))
    if event.get("message"):
        event["message"] = scrub_text(str(event["message"]))
    if event.get("logentry"):
        event["logentry"] = _scrub(event["logentry"])
    if event.get("tags"):
        event["tags"] = _scrub(event["tags"])
    event.pop("user", None)
    event.pop("extra", None)
    return event


def init_sentry(*, dsn, environment, transport=None):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        # Collect no user identity, no request bodies, no SQL parameters, no local variables; before_send
        # removes cookies, credentials and query strings and scrubs every free text that remains.
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        traces_sample_rate=0.0,
        transport=transport,
    )
