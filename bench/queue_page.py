"""The operator queue page (/cases/) at 1,000,000 cases against 1,000 (PostgreSQL): the whole page through Django
(middleware, view, queries, template) with the test client, in this one process, switching between the two
databases sample by sample so that both see the same process, caches and machine load.

Pages: the first page with the default filters (open cases, most urgent first) and a deep keyset page of every
case (state=all, entered at 90 % of the ordering). Query counts are recorded for each; `-v` prints the EXPLAIN
ANALYZE of the page's main query on the large database.
"""

import contextlib
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.testing import verified_login
from cases import queries
from cases.models import Case

SAMPLES = 200
WARMUP = 20


@contextlib.contextmanager
def use_database(name):
    """Point the default connection at another database of the same server (same settings otherwise). With
    pooled connections the pool is closed too: it would hand back connections to the previous database."""
    previous = connection.settings_dict["NAME"]
    _leave()
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        _leave()
        connection.settings_dict["NAME"] = previous
        ContentType.objects.clear_cache()


def _leave():
    connection.close()
    if getattr(connection, "pool", None) is not None:
        connection.close_pool()


def deep_cursor(fraction):
    """The keyset cursor of the case at `fraction` of the whole ordering (state=all)."""
    offset = int(Case.objects.count() * fraction)
    case = Case.objects.order_by("priority", "created_at", "id").only("priority", "created_at", "id")[offset]
    return queries.queue_cursor(case)


def _page_client(username):
    page_client = Client(HTTP_HOST="127.0.0.1")
    verified_login(page_client, get_user_model().objects.get(username=username))
    return page_client


def _get(page_client, url):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = page_client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code}")
    rows = response.content.count(b'class="queue-row')
    return elapsed, len(captured), captured.captured_queries, rows


def _main_query(captured):
    return next(q["sql"] for q in captured if 'FROM "cases_case"' in q["sql"] and "ORDER BY" in q["sql"])


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def run(*, large, small, username, verbose=False):
    """Rows for the table, the headline ratio (the worse of the two pages) and the plans."""
    setups = {}
    for name in (small, large):
        with use_database(name):
            setups[name] = {
                "client": _page_client(username),
                "urls": {"first page": "/cases/", "deep page": f"/cases/?state=all&after={deep_cursor(0.9)}"},
                "cases": Case.objects.count(),
            }
    pages = list(setups[small]["urls"])
    times = {(name, page): [] for name in setups for page in pages}
    counts, row_counts, plans = {}, {}, {}
    for index in range(WARMUP + SAMPLES):
        for page in pages:
            for name in (small, large) if index % 2 else (large, small):
                setup = setups[name]
                with use_database(name):
                    elapsed, count, captured, rows = _get(setup["client"], setup["urls"][page])
                    if index == 0:
                        counts[name, page], row_counts[name, page] = count, rows
                        plans[name, page] = explain(_main_query(captured))
                if index >= WARMUP:
                    times[name, page].append(elapsed)
    out, ratios = [], []
    for page in pages:
        small_ms = statistics.median(times[small, page])
        large_ms = statistics.median(times[large, page])
        ratios.append(large_ms / small_ms)
        out += [
            (
                f"queue {page}",
                f"{setups[small]['cases']:,} cases",
                f"{small_ms:.2f} ms p50, {counts[small, page]} queries, {row_counts[small, page]} rows",
            ),
            (
                f"queue {page}",
                f"{setups[large]['cases']:,} cases",
                f"{large_ms:.2f} ms p50, {counts[large, page]} queries, {row_counts[large, page]} rows",
            ),
            (f"queue {page}", "ratio", f"{large_ms / small_ms:.2f}"),
            (f"queue {page}", "index of the main query (large)", _index_used(plans[large, page])),
        ]
        if counts[small, page] != counts[large, page]:
            out.append((f"queue {page}", "WARNING", "query counts differ"))
    verbose_plans = [f"-- {page} at {setups[name]['cases']:,} cases\n{plans[name, page]}" for name, page in plans]
    return out, max(ratios), all(counts[small, p] == counts[large, p] for p in pages), verbose_plans


def _index_used(plan):
    names = [word for word in plan.replace("(", " ").split() if word.endswith("_idx") or word.endswith("_pkey")]
    seq = "Seq Scan on cases_case" in plan
    return (", ".join(dict.fromkeys(names)) or "none") + (" + SEQ SCAN on cases_case" if seq else "")
