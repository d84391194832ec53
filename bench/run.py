"""Run every benchmark, print a table, then one `name: value` line per headline figure (`make bench`).

    .venv/bin/python -m bench.run [--cases 1000000] [-v] [--reuse] [--only chat,intake,queue,dashboard,sockets]

Uses PostgreSQL and Redis on 127.0.0.1 with databases and keys of its own: `hotline_bench` (the large database,
--cases cases, default $BENCH_CASES or 1,000,000; another name with $BENCH_DB) and `hotline_bench_1k` (1,000
cases; $BENCH_SMALL_DB), Redis database 13 ($BENCH_REDIS_URL) under
the prefix `hotline-bench`. Both databases are made anew each run (--reuse keeps them when they already hold the
cases). It starts the Daphne processes it measures on free ports and stops them.
"""

import argparse
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
LARGE_DB = os.environ.get("BENCH_DB", "hotline_bench")  # another name for a second run side by side
SMALL_DB = os.environ.get("BENCH_SMALL_DB", "hotline_bench_1k")  # the same, for the 1,000-case database
SMALL_CASES = 1000
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")  # emptied at the start of a run
COUNSELLOR = "bench-counsellor"
SUPERVISOR = "bench-supervisor"
PASSWORD = "bench-password-not-a-secret"  # noqa: S105 - a local benchmark account
BENCHMARKS = ["queue", "dashboard", "intake", "front_door", "chat", "sockets"]

# What every process of the run sees: production-like (DEBUG off, pooled database connections), on loopback.
ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "k" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "REDIS_URL": REDIS,
    "REDIS_PREFIX": "hotline-bench",
    # The benchmark is one client sending thousands of reports: the per-client limit would stop it after 20.
    "THROTTLE_REPORT_SUBMIT_ATTEMPTS": "100000000",
    "LOG_LEVEL": "WARNING",
    "PRIVATE_MEDIA_ROOT": str(ROOT / "var" / "bench" / "private"),
}


HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def log(message):
    # Hanoi time throughout: Django sets the process's TZ once its settings load, so local time would jump mid-run.
    print(f"[bench {datetime.now(HANOI):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def manage(*args, database, capture=False):
    env = {**os.environ, **ENV, "DATABASE_URL": f"{PG}/{database}"}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    ).stdout


def has_unapplied_migrations(database):
    env = {**os.environ, **ENV, "DATABASE_URL": f"{PG}/{database}"}
    check = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "migrate", "--check", "-v0"], cwd=ROOT, env=env, check=False
    )
    return check.returncode != 0


def case_count(database):
    import psycopg

    try:
        with psycopg.connect(f"{PG}/{database}") as conn:
            return conn.execute("SELECT count(*) FROM cases_case").fetchone()[0]
    except psycopg.Error:
        return None


def prepare_database(database, cases, *, reuse):
    """A migrated database with `cases` generated cases; returns seed_demo's report line (or why it was kept)."""
    import psycopg

    existing = case_count(database) if reuse else None
    if existing is not None and existing >= cases:
        if not has_unapplied_migrations(database):
            return f"kept ({existing:,} cases)"
        log(f"{database}: migrate, then rebuild_statistics (a new migration may bring new rollup kinds)")
        manage("migrate", "--noinput", "-v0", database=database)
        manage("rebuild_statistics", database=database)
        with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")  # the rebuild rewrote every rollup row, as a fresh seed is vacuumed
        return f"kept ({existing:,} cases), migrated, statistics rebuilt"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    log(f"{database}: migrate")
    manage("migrate", "--noinput", "-v0", database=database)
    log(f"{database}: seed_demo --cases {cases:,}")
    output = manage("seed_demo", "--cases", str(cases), "-v0", database=database, capture=True)
    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return output.strip().splitlines()[-1]


def ensure_users():
    from django.contrib.auth.models import Group, User

    from cases import roles

    for username, role in ((COUNSELLOR, roles.OPERATOR), (SUPERVISOR, roles.SUPERVISOR)):
        user, _created = User.objects.get_or_create(username=username, defaults={"first_name": "Bench"})
        user.set_password(PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        # Staff sign in with a second factor: the bench types its authenticator's code (authenticator_code).
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})


def authenticator_code(username):
    """The code the bench user's authenticator shows now, or the next one if this one was used (a code works
    once; up to 30 seconds' wait)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, name="bench")
    while True:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if totp.t() > device.last_t:
            return f"{totp.token():0{device.digits}d}"
        time.sleep(0.5)


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def staff_cookie_for(username):
    from bench import client

    async def cookie(port):
        from asgiref.sync import sync_to_async

        code = await sync_to_async(authenticator_code)(username)
        return await client.staff_cookie(port, username, PASSWORD, code=code)

    return cookie


def _load():
    """Other work on the machine shows here: every figure is a ratio measured side by side, but noise remains."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg()) + " (1, 5, 15 min)"


def print_table(rows):
    widths = [max(len(str(row[i])) for row in rows) for i in range(2)]
    line = f"+-{'-' * widths[0]}-+-{'-' * widths[1]}-+-{'-' * 40}"
    print(line)
    for benchmark, figure, value in rows:
        print(f"| {benchmark:<{widths[0]}} | {figure:<{widths[1]}} | {value}")
    print(line)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES") or 1_000_000))
    parser.add_argument("--reuse", action="store_true", help="keep the databases when they hold enough cases")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: " + ",".join(BENCHMARKS))
    parser.add_argument("-v", "--verbose", action="store_true", help="also print the query plans")
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    started = time.perf_counter()

    from bench import servers

    file_limit = servers.raise_file_limit()
    os.environ.update(ENV)
    os.environ["DATABASE_URL"] = f"{PG}/{LARGE_DB}"
    rows = [("setup", "machine", f"{os.cpu_count()} CPUs, open-file limit {file_limit}")]
    rows.append(("setup", "load average at start", _load()))

    seeded = prepare_database(LARGE_DB, args.cases, reuse=args.reuse)
    rows.append(("setup", f"seed {LARGE_DB}", seeded))
    if "queue" in only or "dashboard" in only:
        rows.append(("setup", f"seed {SMALL_DB}", prepare_database(SMALL_DB, SMALL_CASES, reuse=args.reuse)))
    manage("collectstatic", "--noinput", "-v0", database=LARGE_DB)
    flush_redis()

    import django

    django.setup()
    from bench import chat, dashboard, front_door, intake, queue_page, sockets

    ensure_users()
    if "queue" in only or "dashboard" in only:
        with queue_page.use_database(SMALL_DB):
            ensure_users()

    from bench import probes

    rows += probes.run(f"{PG}/{LARGE_DB}", REDIS)
    headline = {}
    plans = []
    if "queue" in only:
        log("queue page")
        queue_rows, ratio, equal_counts, plans = queue_page.run(
            large=LARGE_DB, small=SMALL_DB, username=COUNSELLOR, verbose=args.verbose
        )
        rows += queue_rows
        headline["queue_1m_vs_1k_ratio"] = f"{ratio:.2f}" + ("" if equal_counts else " (query counts differ)")
    if "dashboard" in only:
        log("dashboard")
        dashboard_rows, ratio = dashboard.run(username=SUPERVISOR)
        rows += dashboard_rows
        headline["dashboard_vs_sql_ratio"] = "n/a (dashboard not built)" if ratio is None else f"{ratio:.2f}"
        scale_rows, ratio = dashboard.scale(large=LARGE_DB, small=SMALL_DB, username=SUPERVISOR)
        rows += scale_rows
        headline["dashboard_1m_vs_1k_ratio"] = "n/a (dashboard not built)" if ratio is None else f"{ratio:.2f}"

    from django.db import connection

    from cases.models import Case

    references = list(Case.objects.order_by("-id").values_list("reference", flat=True)[:1100])
    case_ids = list(Case.objects.order_by("id").values_list("id", flat=True)[:20])
    connection.close()

    redis_env = servers.server_env({"DATABASE_URL": f"{PG}/{LARGE_DB}"})
    memory_env = servers.server_env({"DATABASE_URL": f"{PG}/{LARGE_DB}"}, REDIS_URL="")
    counsellor = staff_cookie_for(COUNSELLOR)
    if "intake" in only:
        log("intake")
        with servers.Daphne(redis_env, "intake") as server:
            intake_rows, ratio = intake.run(server)
        rows += intake_rows
        headline["intake_throughput_ratio"] = f"{ratio:.2f}"
    if "front_door" in only:
        log("front door: the report form and a whole visit; one process and two")
        with servers.Daphne(redis_env, "front-1") as first, servers.Daphne(redis_env, "front-2") as second:
            door_rows, door_headline = front_door.run([first, second])
        rows += door_rows
        headline.update(door_headline)
    if "chat" in only:
        log("chat relay (Redis)")
        with servers.Daphne(redis_env, "chat-redis") as server:
            chat_rows, ratios = chat.run(server, counsellor, case_ids, "Redis")
        rows += chat_rows
        headline["chat_relay_p50_ratio"] = f"{ratios['p50']:.2f}"
        headline["chat_relay_p99_ratio"] = f"{ratios['p99']:.2f}"
        log("chat relay (in-memory)")
        with servers.Daphne(memory_env, "chat-memory") as server:
            chat_rows, _ratios = chat.run(server, counsellor, case_ids, "in-memory")
        rows += chat_rows
    if "sockets" in only:
        log("sockets")
        with servers.Daphne(redis_env, "sockets") as server:
            socket_rows, ratio = sockets.run(server, counsellor, references, rss_kib=servers.rss_kib)
        rows += socket_rows
        headline["sockets_1000_vs_10_p99_ratio"] = f"{ratio:.2f}"

    rows.append(("setup", "load average at end", _load()))
    rows.append(("setup", "whole run", f"{time.perf_counter() - started:.0f} s"))
    print_table(rows)
    if args.verbose:
        print("\n".join(plans))
    for name in (
        "chat_relay_p50_ratio",
        "chat_relay_p99_ratio",
        "intake_throughput_ratio",
        "intake_2proc_vs_1proc_ratio",
        "report_form_get_ratio",
        "report_visit_vs_minimal_ratio",
        "visit_2proc_vs_1proc_ratio",
        "queue_1m_vs_1k_ratio",
        "dashboard_vs_sql_ratio",
        "dashboard_1m_vs_1k_ratio",
        "sockets_1000_vs_10_p99_ratio",
    ):
        if name in headline:
            print(f"{name}: {headline[name]}")


if __name__ == "__main__":
    main()
