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


async def http_application(scope, receive, send):
    # Services running in worker threads hand some notifications to this loop without waiting (cases.realtime).
    realtime.use_event_loop(asyncio.get_running_loop())
    return await django_asgi_app(scope, receive, send)


def websocket_application(routes):
    return SentryAsgiMiddleware(
        AllowedHostsOriginValidator(AuthMiddlewareStack(SecondFactorMiddleware(URLRouter(routes))))
    )


application = ProtocolTypeRouter({"http": http_application, "websocket": websocket_application(websocket_urlpatterns)})
