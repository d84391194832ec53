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


def test_the_listed_keys_are_the_ones_the_code_reads():
    from cases.catalog import CATALOGUE_VERSION_KEY
    from cases.models import HOTLINE_SETTINGS_CACHE_KEY
    from cases.risk import PHRASES_VERSION_KEY
    from hotline.library import VERSION_KEY

    expected = {CATALOGUE_VERSION_KEY, PHRASES_VERSION_KEY, VERSION_KEY, HOTLINE_SETTINGS_CACHE_KEY}
    assert set(settings.LOCAL_CACHE_KEYS) == expected
    assert set(settings.CACHES["default"]["OPTIONS"]["local_keys"]) == expected


def test_a_listed_key_is_read_from_redis_once_a_second_and_a_write_here_is_seen_at_once(monkeypatch):
    import redis

    from cases.catalog import CATALOGUE_VERSION_KEY
    from hotline import cache as shared

    reads = []
    real_get = redis.Redis.get
    monkeypatch.setattr(redis.Redis, "get", lambda self, name: reads.append(name) or real_get(self, name))
    clock = [1000.0]
    monkeypatch.setattr(shared, "_now", lambda: clock[0])

    cache.set(CATALOGUE_VERSION_KEY, "v1", None)
    assert [_in_new_thread(lambda: cache.get(CATALOGUE_VERSION_KEY)) for _ in range(5)] == ["v1"] * 5
    assert len(reads) == 1  # five requests, each in its own thread: one round trip
    cache.set(CATALOGUE_VERSION_KEY, "v2", None)  # written through this process: seen at once
    assert cache.get(CATALOGUE_VERSION_KEY) == "v2" and len(reads) == 2

    # Written by another process: this one answers from memory until its second is over.
    raw = cache._cache.get_client(write=True)
    raw.set(cache.make_key(CATALOGUE_VERSION_KEY), cache._cache._serializer.dumps("v3"))
    assert cache.get(CATALOGUE_VERSION_KEY) == "v2"
    clock[0] += 1.01
    assert cache.get(CATALOGUE_VERSION_KEY) == "v3"
    cache.delete(CATALOGUE_VERSION_KEY)
    assert cache.get(CATALOGUE_VERSION_KEY) is None
    assert cache.add(CATALOGUE_VERSION_KEY, "v4", None) and cache.get(CATALOGUE_VERSION_KEY) == "v4"

    reads.clear()
    cache.set("not-listed", "x", 30)
    assert [cache.get("not-listed") for _ in range(3)] == ["x"] * 3 and len(reads) == 3  # other keys: every time
    cache.delete_many(["not-listed", CATALOGUE_VERSION_KEY])


def test_a_throttle_hit_is_counted_in_one_round_trip_and_expires_with_its_window(monkeypatch):
    import redis

    sent = []
    real_execute = redis.client.Pipeline.execute
    monkeypatch.setattr(
        redis.client.Pipeline, "execute", lambda self, *a, **k: sent.append(1) or real_execute(self, *a, **k)
    )
    cache.delete("hits-test")
    assert [cache.count_hit("hits-test", 60) for _ in range(3)] == [1, 2, 3]
    assert len(sent) == 3 and cache.get("hits-test") == 3
    assert 0 < cache._cache.get_client().ttl(cache.make_key("hits-test")) <= 60
    cache.delete("hits-test")


def test_a_claim_and_its_throttle_hit_are_one_round_trip_and_a_repeat_is_not_counted(monkeypatch):
    import redis

    calls = []
    real = redis.client.Redis.execute_command
    monkeypatch.setattr(
        redis.client.Redis, "execute_command", lambda self, *a, **k: calls.append(a[0]) or real(self, *a, **k)
    )
    cache.delete_many(["claim-test", "claim-hits-test"])
    cache.claim_and_count_hit("claim-warm-up", "pending", 5, "claim-warm-up-hits", 5)  # Redis learns the script once
    calls.clear()
    assert cache.claim_and_count_hit("claim-test", "pending", 600, "claim-hits-test", 60) == 1
    assert len(calls) == 1 and calls[0] in ("EVALSHA", "EVAL")
    assert cache.get("claim-test") == "pending"  # stored as `add` stores it: Django's cache reads it back
    assert cache.claim_and_count_hit("claim-test", "pending", 600, "claim-hits-test", 60) is None  # a repeat
    assert cache.get("claim-hits-test") == 1  # not counted
    assert cache.claim_and_count_hit("claim-test-2", "pending", 600, "claim-hits-test", 60) == 2
    client = cache._cache.get_client()
    assert (
        0 < client.ttl(cache.make_key("claim-test")) <= 600 and 0 < client.ttl(cache.make_key("claim-hits-test")) <= 60
    )
    cache.delete_many(["claim-test", "claim-test-2", "claim-hits-test", "claim-warm-up", "claim-warm-up-hits"])
