"""What Daphne serves during the benchmarks: the hotline's ASGI application with two baselines added.

- `POST /bench/minimal`: a minimal Django view (the baseline of the intake API);
- `ws/bench/relay/<room>/`: a bare Channels consumer that only relays each frame to its room's group (the baseline
  of the chat consumer).

Both go through the same stacks as the product's routes (Django's middleware; origin check, session and auth for
websockets). The product's URLconf is not changed: this module is the URLconf of bench.settings.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from hotline.routing import websocket_urlpatterns  # noqa: E402
from hotline.urls import urlpatterns as hotline_urlpatterns  # noqa: E402


@csrf_exempt
def minimal(request):
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("bench/minimal", minimal), *hotline_urlpatterns]


class RelayConsumer(AsyncWebsocketConsumer):
    """Joins its room's group; every frame it receives goes to the group as it is, and back out to each member."""

    async def connect(self):
        self.group = f"bench.relay.{self.scope['url_route']['kwargs']['room']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {"type": "relay.frame", "text": text_data})

    async def relay_frame(self, event):
        await self.send(text_data=event["text"])


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(
                URLRouter([path("ws/bench/relay/<str:room>/", RelayConsumer.as_asgi()), *websocket_urlpatterns])
            )
        ),
    }
)
