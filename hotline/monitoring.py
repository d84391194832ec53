"""Error monitoring. Nothing a reporter typed, and no credential, may leave in an error report."""

import re

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

FILTERED = "[Filtered]"
SENSITIVE_HEADERS = {"authorization", "cookie", "x-access-code", "x-csrftoken", "proxy-authorization"}
_PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def scrub_text(text):
    return _EMAIL.sub(FILTERED, _PHONE.sub(FILTERED, text))


def scrub_event(event, hint=None):
    request = event.get("request") or {}
    for key in ("data", "cookies", "query_string"):
        if key in request:
            request[key] = FILTERED
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in SENSITIVE_HEADERS:
            headers[name] = FILTERED
    if "url" in request:
        request["url"] = scrub_text(request["url"])
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = scrub_text(exception["value"])
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    if event.get("message"):
        event["message"] = scrub_text(event["message"])
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        if crumb.get("message"):
            crumb["message"] = scrub_text(crumb["message"])
        crumb.pop("data", None)
    event.pop("user", None)
    return event


def init_sentry(*, dsn, environment):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        traces_sample_rate=0.0,
    )
