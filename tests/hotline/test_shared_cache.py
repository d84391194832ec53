"""Every thread of a process uses the same Redis connection pool for the cache (hotline.cache): under ASGI each
request runs in a new thread, and the stock backend opened a new connection to Redis for each of them."""

import threading

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="the in-memory cache has no connections")


def _in_new_thread(work):
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", work()))
    thread.start()
    thread.join()
    return result["value"]


def test_requests_in_new_threads_share_one_client_and_its_connections():
    def one_request():
        cache.set("shared-cache-test", "ok", 30)  # `cache` is a per-thread object, as in a request
        assert cache.get("shared-cache-test") == "ok"
        return cache._cache.get_client()

    clients = [_in_new_thread(one_request) for _ in range(20)]
    assert len({id(client) for client in clients}) == 1
    pool = clients[0].connection_pool
    # One after the other, twenty "requests" needed one connection; the stock backend opened twenty.
    assert len(pool._available_connections) + len(pool._in_use_connections) == 1
    cache.delete("shared-cache-test")
