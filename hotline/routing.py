"""Websocket routes. Each consumer authorises in connect() before accept(); see design.md, "Realtime"."""

websocket_urlpatterns = []
