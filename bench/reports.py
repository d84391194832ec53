"""Benchmark of the statistics dashboard: seeds synthetic cases, then prints how long the dashboard's figures
take next to the same counts written as plain SQL aggregates. A script that prints figures, not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hotline_bench .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python bench/reports.py --cases 1000000 --years 5   # seeds (once), then measures
    DATABASE_URL=... .venv/bin/python bench/reports.py --measure-only

Never run it against a database with real cases: it adds synthetic ones.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cases import access, statistics  # noqa: E402
from cases.models import (  # noqa: E402
    AdministrativeUnit,
    AgeBand,
    Case,
    CaseState,
    Category,
    Channel,
    Gender,
    Message,
    Outcome,
    Sender,
)
from cases.units import UNITS_CSV, load_units  # noqa: E402

STATES = [CaseState.CLOSED] * 6 + [CaseState.RESOLVED, CaseState.IN_PROGRESS, CaseState.NEW, CaseState.REJECTED]


def seed(count, *, year, years=1, batch=5000):
    if not AdministrativeUnit.objects.exists():
        with open(UNITS_CSV, encoding="utf-8-sig", newline="") as stream:
            load_units(stream, source=UNITS_CSV.name)
    units = list(AdministrativeUnit.objects.current()) + [None]
    categories = list(Category.objects.all())
    start = statistics.Period.year(year - years + 1).start
    span = (statistics.Period.year(year).end - start).total_seconds()
    rng = random.Random(435)
    made = 0
    while made < count:
        cases = []
        for _ in range(min(batch, count - made)):
            created = start + timedelta(seconds=rng.randrange(int(span)))
            priority = rng.choice([1, 2, 2, 3, 3, 3, 3, 4])
            due = created + settings.FIRST_RESPONSE_TARGETS[priority]
            state = rng.choice(STATES)
            answered = created + (settings.FIRST_RESPONSE_TARGETS[priority] * rng.uniform(0.05, 1.6))
            done = state in (CaseState.RESOLVED, CaseState.CLOSED)
            cases.append(
                Case(
                    reference=access.new_reference() + f"{made:x}"[-2:],
                    access_code_hash="0" * 64,
                    state=state,
                    channel=rng.choice(Channel.values),
                    priority=priority,
                    category=rng.choice(categories),
                    description="synthetic",
                    age_band=rng.choice(AgeBand.values),
                    gender=rng.choice(Gender.values),
                    commune_unit=rng.choice(units),
                    created_at=created,
                    first_response_due_at=due,
                    first_response_at=None if state == CaseState.NEW else answered,
                    outcome=rng.choice(Outcome.values) if done else "",
                    resolved_at=answered + timedelta(days=1) if done else None,
                    closed_at=answered + timedelta(days=8) if state == CaseState.CLOSED else None,
                )
            )
            made += 1
        with transaction.atomic():
            created_cases = Case.objects.bulk_create(cases, batch_size=batch)
            Message.objects.bulk_create(
                [
                    Message(case=case, seq=1, client_id="bench", sender=Sender.REPORTER, text="synthetic")
                    for case in created_cases[::7]
                ],
                batch_size=batch,
            )
        print(f"  seeded {made}/{count}", end="\r", flush=True)
    print()


def timed(label, function, repeat=3):
    best, queries = None, 0
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            function()
            elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
        queries = len(context.captured_queries)
    print(f"{label:<58} {best * 1000:9.0f} ms  {queries:3d} queries")
    return best


def plain_sql(period):
    """The same GROUP BYs written by hand, as a floor for what the ORM version costs."""
    table = connection.ops.quote_name(Case._meta.db_table)
    where = "WHERE created_at >= %s AND created_at < %s AND state <> 'rejected'"
    with connection.cursor() as cursor:
        for column in ("channel", "age_band", "gender", "priority", "commune_unit_id", "outcome"):
            cursor.execute(f"SELECT {column}, COUNT(*) FROM {table} {where} GROUP BY 1", [period.start, period.end])  # noqa: S608
            cursor.fetchall()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000, help="how many synthetic cases there should be")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--years", type=int, default=1, help="spread the cases over this many years up to --year")
    parser.add_argument("--measure-only", action="store_true")
    args = parser.parse_args()
    existing = Case.objects.count()
    if not args.measure_only and existing < args.cases:
        print(f"Seeding {args.cases - existing} cases into {connection.vendor} ...")
        seed(args.cases - existing, year=args.year, years=args.years)
        if connection.vendor == "postgresql":
            # Real cases arrive in time order; the synthetic ones are put in that order too.
            with connection.cursor() as cursor:
                cursor.execute("CLUSTER cases_case USING case_created_idx")
                cursor.execute("VACUUM ANALYZE cases_case")
    period = statistics.Period.year(args.year)
    quarter = statistics.Period(period.first_day, period.first_day.replace(month=3, day=31))
    print(f"{Case.objects.count()} cases in the database ({connection.vendor}); period {period}")
    timed("dashboard figures, whole year", lambda: statistics.figures(period))
    timed("annual report figures (every unit), whole year", lambda: statistics.figures(period, all_units=True))
    timed("dashboard figures, one quarter", lambda: statistics.figures(quarter))
    timed("six plain SQL GROUP BYs, whole year (a floor)", lambda: plain_sql(period))
    timed("one summary aggregate, whole year", lambda: statistics.summary(period), repeat=3)
    timed("response times (percentiles), whole year", lambda: statistics.response_times(period))


if __name__ == "__main__":
    settings.DEBUG = True
    main()
