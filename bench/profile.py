"""Where a Daphne process spends its time under one benchmark load: py-spy samples the process while the load runs.

    .venv/bin/python -m bench.profile form|minimal|visit|minimal-pair|intake|rows-only [--seconds 20] [--database ...]

Run `make bench` (or `bench.run --only front_door`) once first: it makes the databases, the users and the static
files. Prints the share of samples per layer of the stack (the innermost layer on each sampled stack) and the
functions where the samples end (self). Only the thread holding the GIL is sampled (Python's CPU time). The raw
stacks stay in var/bench/profile-<load>.txt (flame graph input). The load is the benchmark's own (eight clients);
the figures are shares of the server's busy samples, not times.
"""

import argparse
import asyncio
import collections
import os
import subprocess
import sys
import time
from pathlib import Path

from bench import client, front_door, servers
from bench.run import ENV, PG

# What a sample's time is spent on: the innermost frame of its stack that matches one of these decides (a Redis call
# made by Django's cache made by our view counts as Redis). Matched against py-spy's "function (path:line)" frames.
LAYERS = [
    ("Redis client (redis-py)", ("redis/",)),
    ("database driver and pool (psycopg)", ("psycopg/", "psycopg_pool/", "psycopg_binary")),
    ("Django ORM", ("django/db/",)),
    ("Django cache API", ("django/core/cache/",)),
    ("templates", ("django/template/",)),
    ("forms", ("django/forms/",)),
    ("signing (sessions, CSRF, cookies)", ("django/core/signing.py",)),
    ("sessions", ("django/contrib/sessions/",)),
    ("CSRF", ("django/middleware/csrf.py",)),
    ("JSON schema", ("jsonschema/", "referencing/")),
    ("hotline's own code", ("hotline/", "cases/", "accounts/", "escalation/", "bench/")),
    ("translations", ("django/utils/translation/",)),
    ("other Django (handlers, middleware, http, urls, utils)", ("django/", "django_otp/", "whitenoise/")),
    ("thread hand-offs (asgiref)", ("asgiref/",)),
    ("threads (threading, executor)", ("threading.py", "concurrent/futures/")),
    ("asyncio event loop", ("asyncio/",)),
    ("Daphne (ASGI server)", ("daphne/",)),
    ("Twisted (HTTP parsing, sockets)", ("twisted/",)),
    ("importlib.metadata", ("importlib/",)),
    ("logging", ("logging/",)),
]


def layer_of(frames):
    for frame in reversed(frames):
        where = frame[frame.rfind("(") + 1 :]
        for layer, parts in LAYERS:
            if any(part in where for part in parts):
                return layer
    return "other"


def load(name, port, deadline):
    async def form(http):
        status, _headers, body = await http.request("GET", "/")
        assert status == 200, status

    async def minimal(http):
        status, _headers, _body = await http.request("GET", "/bench/minimal")
        assert status == 201, status

    async def api(http, path="/api/v1/reports"):
        status, _headers, body = await http.request(
            "POST", path, body=client.REPORT_BODY, content_type="application/json"
        )
        assert status == 201, (status, body[:200])

    async def rows_only(http):
        await api(http, "/bench/rows-only")

    async def visit(_http):
        await front_door.one_visit(port, {"get_form": [], "post_form": [], "receipt": []})

    async def minimal_pair(_http):
        await front_door.minimal_pair(port, {})

    action = {
        "form": form,
        "minimal": minimal,
        "intake": api,
        "rows-only": rows_only,
        "visit": visit,
        "minimal-pair": minimal_pair,
    }[name]
    done = []

    async def one_client():
        http = client.Http(port)
        try:
            while time.perf_counter() < deadline:
                await action(http)
                done.append(1)
        finally:
            await http.close()

    async def clients():
        await asyncio.gather(*(one_client() for _ in range(front_door.CLIENTS)))

    asyncio.run(clients())
    return len(done)


RATE = 250  # samples per second
IDLE = ("select (", "epoll", "wait (threading", "_worker (concurrent", "poll (")


def summarise(raw_path, top=25, *, actions=0, seconds=0.0):
    """py-spy's raw format: one line per distinct stack, `frame;frame;... count`, each frame `function (file:line)`.
    With the number of actions the load completed while sampled, each layer is also given in milliseconds of the
    interpreter's time per action (samples at RATE per second)."""
    layers, self_time, total, idle = collections.Counter(), collections.Counter(), 0, 0
    for line in Path(raw_path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        count = int(count)
        frames = stack.split(";")
        total += count
        if any(
            word in frames[-1] for word in ("select (", "epoll", "wait (threading", "_worker (concurrent", "poll (")
        ):
            idle += count
            continue
        self_time[frames[-1]] += count
        layers[layer_of(frames)] += count
    busy = total - idle
    print(f"samples: {total}, idle (waiting in the reactor or in an idle thread): {idle}, busy: {busy}")
    per_action = (lambda count: f"  {count / RATE * 1000 / actions:6.2f} ms") if actions else (lambda count: "")
    if actions:
        print(f"{actions} actions in {seconds:.0f} s: {busy / RATE * 1000 / actions:.2f} ms of busy samples per action")
    print("\nshare of busy samples per layer (a sample counts for the innermost layer on its stack)")
    for layer, count in layers.most_common():
        print(f"  {100 * count / max(busy, 1):5.1f} %{per_action(count)}  {layer}")
    print(f"\nfunctions where busy samples end (self), top {top}")
    for frame, count in self_time.most_common(top):
        print(f"  {100 * count / max(busy, 1):5.1f} %  {frame[:150]}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("load", choices=["form", "minimal", "visit", "minimal-pair", "intake", "rows-only"])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--database", default=os.environ.get("BENCH_SMALL_DB", "hotline_bench_1k"))
    args = parser.parse_args(argv)
    servers.raise_file_limit()
    env = servers.server_env({**ENV, "DATABASE_URL": f"{PG}/{args.database}"})
    out = servers.LOG_DIR / f"profile-{args.load}.txt"
    with servers.Daphne(env, f"profile-{args.load}") as server:
        load(args.load, server.port, time.perf_counter() + 3)  # warm up: imports, pools, caches
        spy = subprocess.Popen(  # noqa: S603 - the venv's py-spy on our own child process
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(server.pid),
                "--gil",
                "--rate",
                str(RATE),
                "--format",
                "raw",
                "--output",
                str(out),
                "--duration",
                str(int(args.seconds)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started = time.perf_counter()
        actions = load(args.load, server.port, started + args.seconds)
        spy.wait(timeout=60)
    summarise(out, actions=actions, seconds=time.perf_counter() - started)
    print(f"\nraw stacks: {out}")


if __name__ == "__main__":
    main()
