"""Headers that keep a reporter's page private: no caching of case pages, no framing, no third-party loads."""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def privacy_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if not request.path.startswith("/static/"):
            # Pages may show a child's report: never keep them in a shared phone's cache or history snapshots.
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    return middleware


def request_size_limit(get_response):
    """Refuse bodies larger than any legitimate report before anything reads them."""
    from django.conf import settings
    from django.shortcuts import render

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return render(request, "413.html", status=413)
        return get_response(request)

    return middleware


def vietnamese_first(get_response):
    """Pages are in Vietnamese unless the visitor chose English with the switch (a cookie).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language on pages: many phones in Vietnam
    are set to English, and a child must not land on an English hotline by accident. The JSON API, whose clients
    set Accept-Language on purpose, follows it.
    """
    from django.conf import settings
    from django.utils import translation
    from django.utils.cache import patch_vary_headers

    available = {code for code, _name in settings.LANGUAGES}

    def middleware(request):
        if request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if language not in available:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        return response

    return middleware


def sensitive_request_data(get_response):
    """Everything a request carries in its body is registered as never-to-be-reported (see hotline.monitoring)."""
    import json

    from hotline.monitoring import forget_sensitive, mark_sensitive

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)

    def middleware(request):
        forget_sensitive()
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                if request.content_type == "application/json":
                    mark_sensitive(*strings(json.loads(request.body or b"null")))
                else:
                    mark_sensitive(*(item for _key, values in request.POST.lists() for item in values))
            except Exception:  # noqa: BLE001, S110 - unreadable bodies are the views' to refuse
                pass
        return get_response(request)

    return middleware


class ServiceUnavailableMiddleware:
    """When the database cannot be reached, people get a calm page in Vietnamese (with the emergency numbers),
    not a stack trace, and the error still reaches monitoring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        import logging

        import sentry_sdk
        from django.db import InterfaceError, OperationalError
        from django.template.loader import render_to_string

        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logging.getLogger("hotline").error("database unavailable: %s", type(exception).__name__)
        sentry_sdk.capture_exception(exception)
        from django.http import HttpResponse

        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
