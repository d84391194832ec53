"""Django's Redis cache with one connection pool and one client per process, shared by every thread.

Under ASGI each request's sync code runs in a thread of its own, and Django keeps its cache objects per thread:
with the stock backend every request built a new connection pool, opened a new TCP connection to Redis (and read
redis-py's version from the package metadata for the handshake), and left it to the garbage collector. A profile
of the report form under load put 25 % of the server's time there (README, "Performance"). redis-py's clients
and pools are safe to share between threads: a command takes a connection from the pool and gives it back.
"""

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_clients: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


class _SharedClient(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._options_key = repr(sorted(self._pool_options.items()))  # once, not for every cache call

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


class SharedRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _SharedClient
