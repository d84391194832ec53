"""Websocket routes. Each consumer authorises in connect() before accept()."""

from django.urls import path

from cases.consumers import QueueConsumer, StaffConsumer
from escalation.consumers import LiaisonConsumer
from hotline.consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/queue/", QueueConsumer.as_asgi()),
    path("ws/liaison/", LiaisonConsumer.as_asgi()),
    path("ws/staff/", StaffConsumer.as_asgi()),
    path("ws/cases/<str:reference>/chat/", ChatConsumer.as_asgi()),
]
