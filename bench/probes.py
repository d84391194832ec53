"""What one round trip costs on this machine while the benchmarks run: the unit the other figures are made of.

A chat message or a report is a few database statements, a commit and a few Redis commands; when the machine is
busy, each of them waits for a turn on a CPU. These probes put a number on that for the table.
"""

import time

import psycopg
import redis

from bench import client

SAMPLES = 500


def _timed(function):
    times = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return client.summary(times)


def run(database_url, redis_url):
    with psycopg.connect(database_url) as conn:
        select = _timed(lambda: conn.execute("SELECT 1").fetchone())
        conn.execute("CREATE TEMP TABLE bench_probe (id bigint)")
        conn.commit()

        def insert_commit():
            conn.execute("INSERT INTO bench_probe VALUES (1)")
            conn.commit()

        commit = _timed(insert_commit)
    layer = redis.Redis.from_url(redis_url)
    ping = _timed(layer.ping)
    layer.close()
    return [
        ("round trips", "PostgreSQL SELECT 1 p50 / p99", f"{select['p50']:.2f} / {select['p99']:.2f} ms"),
        ("round trips", "PostgreSQL INSERT + COMMIT p50 / p99", f"{commit['p50']:.2f} / {commit['p99']:.2f} ms"),
        ("round trips", "Redis PING p50 / p99", f"{ping['p50']:.2f} / {ping['p99']:.2f} ms"),
    ]
