"""The statistics dashboard (/reports/, the current year) at 1,000,000 cases against the plain SQL aggregates it
needs, written by hand: one GROUP BY (or aggregate) per figure over the period's cases, the way one would type them
into psql, with the small catalogue look-ups done in Python. The dashboard's time is the whole page through
Django (middleware, view, ORM, template) with the test client; the SQL's is the queries' round trips and rows.
"""

import importlib.util
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from accounts.testing import verified_login

ROUNDS = 5


def available():
    if importlib.util.find_spec("cases.statistics") is None:
        return False
    try:
        reverse("reports:dashboard")
    except NoReverseMatch:
        return False
    return True


def plain_sql(period):
    """Every figure of the dashboard as plain SQL aggregates; returns how many queries it took."""
    from cases.models import OPEN_STATES, Category
    from cases.services import ADVICE_CATEGORIES

    advice = list(Category.objects.filter(code__in=ADVICE_CATEGORIES).values_list("id", flat=True)) + list(
        Category.objects.filter(parent__code__in=ADVICE_CATEGORIES).values_list("id", flat=True)
    )
    open_states = [str(state) for state in OPEN_STATES]
    params = {"start": period.start, "end": period.end, "advice": advice, "open": open_states}
    # Each figure over the period's reports; most of them leave the rejected ones out.
    statements = [
        # Summary.
        """SELECT count(*), count(*) FILTER (WHERE state = 'rejected'),
                count(*) FILTER (WHERE state = 'rejected' AND reject_reason = 'spam'),
                count(*) FILTER (WHERE state = 'rejected' AND reject_reason = 'test'),
                count(*) FILTER (WHERE state = 'rejected' AND reject_reason = 'duplicate'),
                count(*) FILTER (WHERE state <> 'rejected' AND category_id = ANY(%(advice)s)),
                count(*) FILTER (WHERE state <> 'rejected' AND in_danger),
                count(*) FILTER (WHERE state = ANY(%(open)s)),
                count(*) FILTER (WHERE state IN ('resolved', 'closed')),
                count(*) FILTER (WHERE legal_hold), count(*) FILTER (WHERE purged_at IS NOT NULL)
            FROM cases_case c
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s""",
        # Over time, by local month.
        """SELECT date_trunc('month', c.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS month, count(*)
            FROM cases_case c
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.state <> 'rejected'
            GROUP BY 1 ORDER BY 1""",
        # Breakdowns (sub-categories are folded into their parents in Python).
        """SELECT channel, count(*) FROM cases_case c
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.state <> 'rejected' GROUP BY 1""",
        """SELECT category_id, count(*) FROM cases_case c
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.state <> 'rejected' GROUP BY 1""",
        """SELECT age_band, count(*) FROM cases_case c
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.state <> 'rejected' GROUP BY 1""",
        """SELECT gender, count(*) FROM cases_case c
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.state <> 'rejected' GROUP BY 1""",
        """SELECT outcome, count(*) FROM cases_case c
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.state IN ('resolved', 'closed')
            GROUP BY 1""",
        # Communes and former districts.
        """SELECT c.commune_unit_id, u.code, u.name, count(*) FROM cases_case c
            LEFT JOIN cases_administrativeunit u ON u.id = c.commune_unit_id
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.state <> 'rejected'
            GROUP BY 1, 2, 3""",
        """SELECT d.code, d.name, count(*) FROM cases_case c
            LEFT JOIN cases_administrativeunit u ON u.id = c.commune_unit_id
            LEFT JOIN cases_administrativeunit d ON d.id = u.parent_id
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.state <> 'rejected'
            GROUP BY 1, 2""",
        # First response against its target, per priority and for all (ROLLUP), with median and p90.
        """SELECT priority, count(*), count(first_response_at),
                count(*) FILTER (WHERE first_response_at <= first_response_due_at),
                count(*) FILTER (WHERE first_response_at > first_response_due_at),
                count(*) FILTER (WHERE first_response_at IS NULL AND first_response_due_at < now()
                                 AND state = ANY(%(open)s)),
                avg(extract(epoch FROM first_response_at - created_at)),
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at)),
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - created_at))
            FROM cases_case c
            WHERE c.created_at >= %(start)s AND c.created_at < %(end)s AND c.state <> 'rejected'
            GROUP BY ROLLUP (priority)""",
        # Reporters who wrote again.
        """SELECT count(DISTINCT m.case_id), count(*) FROM cases_message m JOIN cases_case c ON c.id = m.case_id
            WHERE m.sender = 'reporter' AND c.created_at >= %(start)s AND c.created_at < %(end)s""",
    ]
    if _table_exists("escalation_escalation"):
        statements += [
            """SELECT agency_id, count(*), count(acknowledged_at),
                    count(*) FILTER (WHERE acknowledged_at <= ack_due_at),
                    count(*) FILTER (WHERE state IN ('sent', 'acknowledged', 'in_progress', 'info_requested')),
                    count(*) FILTER (WHERE state = 'completed'), count(*) FILTER (WHERE state = 'declined'),
                    count(*) FILTER (WHERE state = 'retracted')
                FROM escalation_escalation WHERE sent_at >= %(start)s AND sent_at < %(end)s GROUP BY 1""",
            """SELECT count(*), count(*) FILTER (WHERE l.outcome = 'taken_down'),
                    count(*) FILTER (WHERE l.outcome = 'taken_down' AND l.updated_at <= l.takedown_due_at),
                    count(*) FILTER (WHERE l.outcome = 'still_online'), count(*) FILTER (WHERE l.outcome = 'pending')
                FROM escalation_escalationlink l JOIN escalation_escalation e ON e.id = l.escalation_id
                WHERE e.sent_at >= %(start)s AND e.sent_at < %(end)s AND l.takedown_due_at IS NOT NULL""",
        ]
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, params)
            cursor.fetchall()
    return len(statements) + 2  # and the two catalogue look-ups


def _table_exists(name):
    return name in connection.introspection.table_names()


def run(*, username):
    if not available():
        return [("dashboard", "status", "n/a (dashboard not built)")], None
    from cases import statistics as case_statistics

    period = case_statistics.Period.current_year()
    page_client = Client(HTTP_HOST="127.0.0.1")
    verified_login(page_client, get_user_model().objects.get(username=username))
    url = reverse("reports:dashboard")
    page_times, sql_times = [], []
    page_queries = sql_queries = 0
    for index in range(ROUNDS + 1):
        for name in ("page", "sql") if index % 2 else ("sql", "page"):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                if name == "page":
                    response = page_client.get(url)
                    if response.status_code != 200:
                        raise RuntimeError(f"{url}: {response.status_code}")
                else:
                    plain_sql(period)
                elapsed = (time.perf_counter() - started) * 1000
            if name == "page":
                page_queries = len(captured)
            else:
                sql_queries = len(captured)
            if index:  # the first round warms the caches
                (page_times if name == "page" else sql_times).append(elapsed)
    from cases.models import Case

    in_period = Case.objects.filter(created_at__gte=period.start, created_at__lt=period.end).count()
    page_ms, sql_ms = statistics.median(page_times), statistics.median(sql_times)
    rows = [
        ("dashboard", "period", f"{period} ({in_period:,} cases of {Case.objects.count():,})"),
        ("dashboard", "/reports/ page p50", f"{page_ms:.0f} ms, {page_queries} queries"),
        ("dashboard", "plain SQL aggregates p50", f"{sql_ms:.0f} ms, {sql_queries} queries"),
        ("dashboard", "ratio", f"{page_ms / sql_ms:.2f}"),
    ]
    return rows, page_ms / sql_ms


SCALE_ROUNDS = 15
SCALE_WARMUP = 3


def scale(*, large, small, username):
    """The dashboard (/reports/, the current year: the same period length on both) at `large`'s cases against
    `small`'s, sample by sample in this one process. The figures come from the daily rollup, so the page should
    cost about the same whatever the number of cases; returns (rows, ratio of the medians)."""
    from bench.queue_page import use_database
    from cases.models import Case

    if not available():
        return [("dashboard at scale", "status", "n/a (dashboard not built)")], None
    url = reverse("reports:dashboard")
    setups = {}
    for name in (small, large):
        with use_database(name):
            page_client = Client(HTTP_HOST="127.0.0.1")
            verified_login(page_client, get_user_model().objects.get(username=username))
            setups[name] = {"client": page_client, "cases": Case.objects.count(), "times": [], "queries": 0}
    for index in range(SCALE_WARMUP + SCALE_ROUNDS):
        for name in (small, large) if index % 2 else (large, small):
            setup = setups[name]
            with use_database(name), CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = setup["client"].get(url)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{url} on {name}: {response.status_code}")
            setup["queries"] = len(captured)
            if index >= SCALE_WARMUP:
                setup["times"].append(elapsed)
    small_ms = statistics.median(setups[small]["times"])
    large_ms = statistics.median(setups[large]["times"])
    rows = [
        (
            "dashboard at scale",
            f"{setups[name]['cases']:,} cases",
            f"{statistics.median(setups[name]['times']):.0f} ms p50, {setups[name]['queries']} queries",
        )
        for name in (small, large)
    ]
    rows.append(("dashboard at scale", "ratio", f"{large_ms / small_ms:.2f}"))
    return rows, large_ms / small_ms
