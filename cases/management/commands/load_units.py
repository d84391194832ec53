"""Load the province's administrative units from a CSV file (see cases/units.py for the columns)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.units import COLUMNS, UNITS_CSV, UnitFileError, load_units


class Command(BaseCommand):
    help = (
        f"Create or update administrative units from a CSV file with the header {','.join(COLUMNS)} "
        "(kind: ward, commune or district; dates YYYY-MM-DD; parent_code: the former district; optional formed_from: "
        "the former districts, space-separated). Without a path it loads the shipped list of the province's 99 units. "
        "Idempotent: units are matched by code and never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(UNITS_CSV), help=f"CSV file (default: {UNITS_CSV.name})")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as stream:
                result = load_units(stream, source=Path(path).name)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        except UnitFileError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Units: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
            )
        )
