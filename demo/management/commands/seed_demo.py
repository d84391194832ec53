"""`manage.py seed_demo --cases N`: realistic cases in bulk, for the benchmarks (bench/) and for trying the hotline
at scale. The rows are made by demo.seed."""

import gc
import os
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from cases import rollup
from cases.models import COMMUNE_LEVEL_KINDS, AdministrativeUnit, Case, Category, Platform
from demo import seed as seeding


class Command(BaseCommand):
    help = "Generate N realistic cases (with links, conversations, timelines, escalations) in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="how many cases to add")
        parser.add_argument("--batch", type=int, default=20_000, help="cases per batch (one transaction each)")
        parser.add_argument("--seed", type=int, default=435, help="random seed (same seed, same data)")
        parser.add_argument("--jobs", type=int, default=0, help="processes making rows (PostgreSQL; 0: cores - 1)")
        parser.add_argument(
            "--max-escalations", type=int, default=20_000, help="at most this many escalations (0: none)"
        )

    def handle(self, *args, cases, batch, seed, jobs, max_escalations, verbosity=1, **options):
        self.verbosity = verbosity
        if cases < 0 or batch < 1:
            raise CommandError("--cases must be ≥ 0 and --batch ≥ 1")
        if not Category.objects.filter(active=True).exists() or not Platform.objects.exists():
            raise CommandError("the catalogue is empty: run migrate first")
        rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        started = time.perf_counter()
        staff_ids = seeding.seed_counsellors()
        generator = seeding.Generator(
            seed=seed,
            now=timezone.now(),
            total=cases,
            staff_ids=staff_ids,
            platform_ids=list(Platform.objects.order_by("id").values_list("id", flat=True)),
            unit_ids=list(
                AdministrativeUnit.objects.filter(kind__in=COMMUNE_LEVEL_KINDS, valid_until__isnull=True)
                .order_by("id")
                .values_list("id", flat=True)
            ),
            existing_references=set(Case.objects.values_list("reference", flat=True)),
            first_id=(Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1,
        )
        postgres = connection.vendor == "postgresql"
        specs = [(index, start, min(batch, cases - start)) for index, start in enumerate(range(0, cases, batch))]
        jobs = jobs or max(1, (os.cpu_count() or 2) - 1)
        if postgres and len(specs) > 1:
            # Workers make the COPY text of the next batches while this process streams the current one and the
            # database indexes it: on two cores, generating and writing overlap.
            connection.close()  # the workers must not inherit an open connection
            results = seeding.batches_in_workers(generator, specs, jobs)
        else:
            results = (seeding.rows_and_counts(generator.batch(*spec), postgres) for spec in specs)
        counts = dict.fromkeys(seeding.TABLES, 0)
        escalated = []
        done = 0
        gc_was_enabled = gc.isenabled()
        gc.disable()  # millions of short-lived tuples: the cycle collector would only slow their making down
        try:
            for (_index, _start, n), (data, batch_counts, batch_escalated) in zip(specs, results, strict=True):
                with transaction.atomic():
                    if postgres:
                        seeding.skip_row_triggers()
                        seeding.write_copy(data)
                    else:
                        seeding.write_bulk(data)
                for key in seeding.TABLES:
                    counts[key] += batch_counts[key]
                escalated += batch_escalated
                done += n
                if self.verbosity >= 2 or (self.verbosity >= 1 and cases >= 100_000):
                    elapsed = time.perf_counter() - started
                    self.stdout.write(f"  {done:>10,} cases  {done / elapsed:>9,.0f} cases/s")
        finally:
            if gc_was_enabled:
                gc.enable()
        with transaction.atomic():
            escalations = 0
            if max_escalations:
                escalations = seeding.seed_escalations(
                    escalated, now=generator.now, rng=rng, staff_ids=staff_ids, limit=max_escalations
                )
            self._reset_sequences()
            if postgres:
                with connection.cursor() as cursor:
                    for model, _columns in seeding.TABLES.values():
                        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        rollup.rebuild()  # the cases were written in bulk, past the services: count every day
        elapsed = time.perf_counter() - started
        total = sum(counts.values()) + escalations
        self.stdout.write(
            f"seed_demo: {cases:,} cases, {counts['link']:,} links, {counts['platforms']:,} platform rows, "
            f"{counts['message']:,} messages, {counts['event']:,} events, {escalations:,} escalations "
            f"in {elapsed:.1f} s: {total / elapsed:,.0f} rows/s ({cases / elapsed:,.0f} cases/s)"
        )

    def _reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(no_style(), [Case])
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
