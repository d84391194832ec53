"""Where a Daphne process spends its time under one benchmark load: py-spy samples the process while the load runs.

    .venv/bin/python -m bench.profile form|minimal|visit|intake|rows-only [--seconds 20] [--database hotline_bench_1k]

Run `make bench` (or `bench.run --only front_door`) once first: it makes the databases, the users and the static
files. Prints the share of samples per step of a request (functions seen anywhere in a stack: inclusive) and the
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

# Steps of a request, by a function that only that step runs (file fragment, function name).
STEPS = [
    ("Twisted: HTTP parsing, sockets, reactor", ("twisted/", "")),
    ("Daphne: ASGI glue", ("daphne/", "")),
    ("asgiref: thread hand-offs (sync_to_async / async_to_sync)", ("asgiref/sync.py", "")),
    ("Django: request handler (middleware chain)", ("django/core/handlers/base.py", "_get_response")),
    ("middleware: sessions", ("django/contrib/sessions/", "")),
    ("middleware: CSRF", ("django/middleware/csrf.py", "")),
    ("middleware: authentication and second factor", ("django_otp/middleware.py", "")),
    ("templates: rendering", ("django/template/", "render")),
    ("forms: validation", ("django/forms/forms.py", "full_clean")),
    ("database: queries (psycopg)", ("psycopg/", "execute")),
    ("database: pool check-out and return", ("psycopg_pool/", "")),
    ("database: commit", ("django/db/backends/base/base.py", "commit")),
    ("cache (Redis)", ("django/core/cache/backends/redis.py", "")),
    ("channel layer (live notices)", ("channels_redis/", "")),
    ("hotline code", ("/work/", "")),
    ("json schema", ("jsonschema/", "")),
    ("logging", ("logging/__init__.py", "")),
]


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
        await front_door._visit(port, {"get_form": [], "post_form": [], "receipt": []})

    action = {"form": form, "minimal": minimal, "intake": api, "rows-only": rows_only, "visit": visit}[name]

    async def one_client():
        http = client.Http(port)
        try:
            while time.perf_counter() < deadline:
                await action(http)
        finally:
            await http.close()

    async def clients():
        await asyncio.gather(*(one_client() for _ in range(front_door.CLIENTS)))

    asyncio.run(clients())


IDLE = ("select (", "epoll", "wait (threading", "_worker (concurrent", "poll (")


def summarise(raw_path, top=25):
    """py-spy's raw format: one line per distinct stack, `frame;frame;... count`, each frame `function (file:line)`."""
    inclusive, self_time, total, idle = collections.Counter(), collections.Counter(), 0, 0
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
        for step, (file_part, function) in STEPS:
            if any(file_part in frame and (not function or frame.startswith(function)) for frame in frames):
                inclusive[step] += count
    busy = total - idle
    print(f"samples: {total}, idle (waiting in the reactor or in an idle thread): {idle}, busy: {busy}")
    print("\nshare of busy samples, per step (inclusive: a sample counts for every step on its stack)")
    for step, _pattern in STEPS:
        print(f"  {100 * inclusive[step] / max(busy, 1):5.1f} %  {step}")
    print(f"\nfunctions where busy samples end (self), top {top}")
    for frame, count in self_time.most_common(top):
        print(f"  {100 * count / max(busy, 1):5.1f} %  {frame[:150]}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("load", choices=["form", "minimal", "visit", "intake", "rows-only"])
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
                "250",
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
        load(args.load, server.port, time.perf_counter() + args.seconds)
        spy.wait(timeout=60)
    summarise(out)
    print(f"\nraw stacks: {out}")


if __name__ == "__main__":
    main()
