"""Recompute the statistics rollup from the cases: every day, or the days between --from and --to (local dates).

The rollup is kept up to date by the worker (the days changed, every minute) and rebuilt every night; run this after
a bulk import, a restore from backup, a new kind of rollup row (a migration), or a change to the catalogue's
structure (an advice category moved)."""

import datetime

from django.core.management.base import BaseCommand

from cases import rollup


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first_day", type=datetime.date.fromisoformat, default=None)
        parser.add_argument("--to", dest="last_day", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, first_day=None, last_day=None, **options):
        days = rollup.rebuild(first_day=first_day, last_day=last_day)
        self.stdout.write(f"statistics: {days} day(s) recomputed")
