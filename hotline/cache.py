"""Django's Redis cache with one connection pool and one client per process, shared by every thread.

Under ASGI each request's sync code runs in a thread of its own, and Django keeps its cache objects per thread:
with the stock backend every request built a new connection pool, opened a new TCP connection to Redis (and read
redis-py's version from the package metadata for the handshake), and left it to the garbage collector. A profile
of the report form under load put 25 % of the server's time there (README, "Performance"). redis-py's clients
and pools are safe to share between threads: a command takes a connection from the pool and gives it back.

Two more things a young person's visit paid for on every request:

- **Version tokens read again and again.** The report form, the report's validation, the danger phrases, the
  self-help library and the hotline settings each read a small key (a version token, or the settings row) that
  changes only when an admin edits something: seven round trips per visit. `OPTIONS["local_keys"]` names such keys
  with how long (seconds) this process may answer them from its own memory. A write of the key through this
  process (set, add, delete) forgets the local copy at once; another process sees the change within those seconds.
  The copy is the stored bytes, unpickled for every read, so no two threads share an object.
- **Counting a throttle hit** took three commands (SET NX, EXISTS, INCRBY): `count_hit` sends SET NX and INCR in one
  round trip (cases.plumbing.Throttle uses it when the cache has it). `claim_and_count_hit` also claims a one-time
  key first (and may set a second key with it) and counts only when the claim is new (the report form's token, the
  session it records and its throttle: hotline.form_tokens).
"""

import threading
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

_clients: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()
# Full key -> (until, stored bytes or None): per process, since Django makes a cache object per thread (and under
# ASGI a thread per request).
_local: dict[str, tuple[float, bytes | None]] = {}
_now = time.monotonic
# redis-py Script objects (EVALSHA, loaded again on NOSCRIPT) by shared client.
_scripts: dict[int, Any] = {}
_CLAIM_AND_COUNT = """
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return -1 end
if #KEYS > 2 then redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[5]) end
redis.call('SET', KEYS[2], 0, 'NX', 'EX', ARGV[3])
return redis.call('INCR', KEYS[2])
"""


class _SharedClient(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._options_key = repr(sorted(self._pool_options.items()))  # once, not for every cache call
        self.local_seconds: dict[str, float] = {}  # full key -> seconds (set by SharedRedisCache)

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        shared = (self._servers[index], self._options_key)
        client = _clients.get(shared)
        if client is None:
            with _lock:
                client = _clients.get(shared)
                if client is None:
                    client = _clients[shared] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def get(self, key: str, default: Any) -> Any:
        seconds = self.local_seconds.get(key)
        if seconds is None:
            return super().get(key, default)
        now = _now()
        kept = _local.get(key)
        if kept is not None and kept[0] > now:
            raw = kept[1]
        else:
            raw = self.get_client(key).get(key)
            _local[key] = (now + seconds, raw)
        return default if raw is None else self._serializer.loads(raw)

    def _forget(self, *keys: str) -> None:
        for key in keys:
            _local.pop(key, None)

    def add(self, key: str, value: Any, timeout: Any) -> bool:
        self._forget(key)
        return bool(super().add(key, value, timeout))

    def set(self, key: str, value: Any, timeout: Any) -> None:
        self._forget(key)
        super().set(key, value, timeout)

    def delete(self, key: str) -> bool:
        self._forget(key)
        return bool(super().delete(key))

    def set_many(self, data: dict[str, Any], timeout: Any) -> None:
        self._forget(*data)
        super().set_many(data, timeout)

    def delete_many(self, keys: Any) -> None:
        self._forget(*keys)
        super().delete_many(keys)

    def clear(self) -> Any:
        _local.clear()
        return super().clear()

    def count_hit(self, key: str, window: int) -> int:
        """Add one to the counter `key`, which starts at 0 for `window` seconds: one round trip."""
        pipeline = self.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=window, nx=True)
        pipeline.incr(key)
        return int(pipeline.execute()[1])

    def claim_and_count_hit(
        self, claim_key: str, value: Any, timeout: int, key: str, window: int, also: tuple[str, Any, int] | None = None
    ) -> int | None:
        """Add `claim_key` (as `add` would) and, only if it was not there, set `also` ((key, value, timeout), as `set`
        would) and count a hit as `count_hit` does: one round trip. None when the key was already claimed (nothing
        set or counted), else the new count."""
        client = self.get_client(key, write=True)
        script = _scripts.get(id(client))
        if script is None:
            script = _scripts[id(client)] = client.register_script(_CLAIM_AND_COUNT)
        keys, args = [claim_key, key], [self._serializer.dumps(value), timeout, window]
        if also is not None:
            keys.append(also[0])
            args += [self._serializer.dumps(also[1]), also[2]]
        count = script(keys=keys, args=args)
        return None if int(count) < 0 else int(count)


class SharedRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self._local_keys: dict[str, float] = options.pop("local_keys", {})
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _SharedClient

    @cached_property
    def _cache(self) -> _SharedClient:
        client = _SharedClient(self._servers, **self._options)
        client.local_seconds = {self.make_key(key): float(seconds) for key, seconds in self._local_keys.items()}
        return client

    def count_hit(self, key: str, window: int) -> int:
        return self._cache.count_hit(self.make_and_validate_key(key), window)

    def claim_and_count_hit(
        self, claim_key: str, value: Any, timeout: int, key: str, window: int, also: tuple[str, Any, int] | None = None
    ) -> int | None:
        full_also = None if also is None else (self.make_and_validate_key(also[0]), also[1], also[2])
        return self._cache.claim_and_count_hit(
            self.make_and_validate_key(claim_key), value, timeout, self.make_and_validate_key(key), window, full_also
        )
