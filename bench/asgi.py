"""What Daphne serves during the benchmarks: the hotline's ASGI application with two baselines added.

- `POST /bench/minimal`: a minimal Django view (the baseline of the intake API);
- `POST /bench/rows-only`: only the report's rows written in one transaction (where the database puts the floor);
- `ws/bench/relay/<room>/`: a bare Channels consumer that only relays each frame to its room's group (the baseline
  of the chat consumer);
- `ws/bench/store-relay/<case id>/`: the same relay after one row is inserted and committed in a worker thread.

Both go through the same stacks as the product's routes (Django's middleware; origin check, session and auth for
websockets). The product's URLconf is not changed: this module is the URLconf of bench.settings.
"""

import functools
import json
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
get_asgi_application()  # sets Django up before the imports below

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.db import database_sync_to_async  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.db import transaction  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

from hotline.asgi import http_application  # noqa: E402 - the product's HTTP entry, served with bench.settings
from hotline.routing import websocket_urlpatterns  # noqa: E402
from hotline.urls import urlpatterns as hotline_urlpatterns  # noqa: E402


@csrf_exempt
def minimal(request):
    return JsonResponse({"ok": True}, status=201)


@csrf_exempt
def rows_only(request):
    """What any intake must at least do: write the report's rows (case, link, platform, event) in one transaction.
    No schema, form, throttle, reference check or notification: the floor between `minimal` and the real API."""
    from cases import access
    from cases.models import Case, CaseEvent, Category, EventKind, Platform, ReportedLink

    body = json.loads(request.body)
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            reference=access.new_reference(),
            access_code_hash=access.hash_access_code(access.new_access_code()),
            category_id=_ids(Category, body["category"]),
            description=body["description"],
            age_band=body["age_band"],
            gender=body["gender"],
            created_at=now,
            first_response_due_at=now,
        )
        ReportedLink.objects.bulk_create([ReportedLink(case=case, url=url) for url in body["links"]])
        Case.platforms.through.objects.bulk_create(
            [Case.platforms.through(case=case, platform_id=_ids(Platform, code)) for code in body["platforms"]]
        )
        CaseEvent.objects.create(case=case, kind=EventKind.CREATED)
    return JsonResponse({"reference": case.reference}, status=201)


@functools.cache
def _ids(model, code):
    return model.objects.values_list("id", flat=True).get(code=code)


urlpatterns = [path("bench/minimal", minimal), path("bench/rows-only", rows_only), *hotline_urlpatterns]


class RelayConsumer(AsyncWebsocketConsumer):
    """Joins its room's group; every frame it receives goes to the group as it is, and back out to each member."""

    async def connect(self):
        route = self.scope["url_route"]["kwargs"]
        self.group = f"bench.relay.{route.get('room') or route['case_id']}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        await self.channel_layer.group_send(self.group, {"type": "relay.frame", "text": text_data})

    async def relay_frame(self, event):
        await self.send(text_data=event["text"])


class StoreAndRelayConsumer(RelayConsumer):
    """The bare relay plus one durable write per frame: a row inserted and committed in a worker thread (as any
    consumer that stores before it broadcasts must do), then the group send. Where the stack puts the floor."""

    async def connect(self):
        self.case_id = self.scope["url_route"]["kwargs"]["case_id"]
        await super().connect()

    async def receive(self, text_data=None, bytes_data=None):
        await _store_row(self.case_id, text_data)
        await super().receive(text_data=text_data)


@database_sync_to_async
def _store_row(case_id, text):
    from cases.models import CaseEvent, EventKind

    with transaction.atomic():
        CaseEvent.objects.create(case_id=case_id, kind=EventKind.NOTE, text=text[:200])


application = ProtocolTypeRouter(
    {
        "http": http_application,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(
                URLRouter(
                    [
                        path("ws/bench/relay/<str:room>/", RelayConsumer.as_asgi()),
                        path("ws/bench/store-relay/<int:case_id>/", StoreAndRelayConsumer.as_asgi()),
                        *websocket_urlpatterns,
                    ]
                )
            )
        ),
    }
)
