"""ASGI entry point for Daphne: HTTP through Django, websockets through Channels.

Websockets pass the Origin check (against ALLOWED_HOSTS) and get the session and user before any route (a staff
session that has not passed the second factor, or is idle too long, is anonymous there); an
exception in a consumer reaches Sentry (scrubbed, see hotline.monitoring) like one in a view.
"""

import asyncio
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from sentry_sdk.integrations.asgi import SentryAsgiMiddleware  # noqa: E402

from accounts.sockets import SecondFactorMiddleware  # noqa: E402
from cases import realtime  # noqa: E402
from hotline.routing import websocket_urlpatterns  # noqa: E402


def _form_bodies_left_to_django():
    """Twisted parses every form POST's body (URL-encoded, or multipart with its files) into `request.args` for its
    own web resources. Daphne never reads them: it hands the raw body to Django, which parses it again. For a report
    with evidence that was a second parse of the upload, in memory and on the event loop, holding up every other
    request and socket of the process. Twisted's switch for it (`parsePOSTFormSubmission`, an argument of
    twisted.web.http.Request) is turned off for Daphne's requests; Daphne builds each request from the class in
    its module, looked up per connection."""
    from daphne import http_protocol

    if getattr(http_protocol.WebRequest, "leaves_form_bodies_to_django", False):
        return

    class WebRequest(http_protocol.WebRequest):
        leaves_form_bodies_to_django = True

        def __init__(self, *args, **kwargs):
            super().__init__(*args, parsePOSTFormSubmission=False, **kwargs)

    http_protocol.WebRequest = WebRequest


_form_bodies_left_to_django()


async def http_application(scope, receive, send):
    # Services running in worker threads hand some notifications to this loop without waiting (cases.realtime).
    realtime.use_event_loop(asyncio.get_running_loop())
    return await django_asgi_app(scope, receive, send)


def websocket_application(routes):
    return SentryAsgiMiddleware(
        AllowedHostsOriginValidator(AuthMiddlewareStack(SecondFactorMiddleware(URLRouter(routes))))
    )


application = ProtocolTypeRouter({"http": http_application, "websocket": websocket_application(websocket_urlpatterns)})
