"""Intake throughput: reports per second through the real API (POST /api/v1/reports: schema, form, throttle,
the case with its link, platform and event in one transaction, the queue notified on commit) against a minimal
Django view on the same Daphne process (same middleware), with the same JSON body. A third endpoint writes only the
report's rows in one transaction: how much of the gap the database's round trips and commit take by themselves.

Several keep-alive connections keep the server busy; rounds alternate between the two endpoints.
"""

import asyncio
import statistics
import time

from bench import client


async def _worker(port, path, expect, deadline, counts):
    http = client.Http(port)
    try:
        while time.perf_counter() < deadline:
            status, _headers, body = await http.request(
                "POST", path, body=client.REPORT_BODY, content_type="application/json"
            )
            if status != expect:
                raise client.HttpError(f"{path}: {status} {body[:200]!r}")
            counts.append(1)
    finally:
        await http.close()


async def throughput(port, path, expect, *, seconds, connections):
    counts = []
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_worker(port, path, expect, deadline, counts) for _ in range(connections)))
    return len(counts) / (time.perf_counter() - started)


async def compare(port, *, rounds=3, seconds=5.0, warmup=2.0, connections=8):
    endpoints = {
        "api": ("/api/v1/reports", 201),
        "minimal": ("/bench/minimal", 201),
        "rows_only": ("/bench/rows-only", 201),
    }
    for path, expect in endpoints.values():
        await throughput(port, path, expect, seconds=warmup, connections=connections)
    results = {name: [] for name in endpoints}
    for round_index in range(rounds):
        names = ["minimal", "rows_only", "api"]
        if round_index % 2:
            names.reverse()
        for name in names:
            path, expect = endpoints[name]
            results[name].append(await throughput(port, path, expect, seconds=seconds, connections=connections))
    return results


def run(server, **options):
    results = asyncio.run(compare(server.port, **options))
    api, minimal = statistics.median(results["api"]), statistics.median(results["minimal"])
    rows_only = statistics.median(results["rows_only"])
    rows = [
        ("intake", "minimal Django view", f"{minimal:.0f} req/s (rounds: {_rounds(results['minimal'])})"),
        ("intake", "rows only (1 transaction)", f"{rows_only:.0f} req/s (rounds: {_rounds(results['rows_only'])})"),
        ("intake", "POST /api/v1/reports", f"{api:.0f} reports/s (rounds: {_rounds(results['api'])})"),
        ("intake", "ratio API / rows only", f"{api / rows_only:.2f}"),
        ("intake", "ratio API / minimal", f"{api / minimal:.2f}"),
    ]
    return rows, api / minimal


def _rounds(values):
    return ", ".join(f"{value:.0f}" for value in values)
