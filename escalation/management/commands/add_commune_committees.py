"""Add a People's Committee to the agency directory for every commune or ward that has none (run after load_units)."""

from django.core.management.base import BaseCommand

from cases.models import AdministrativeUnit
from escalation.catalog import seed_commune_committees
from escalation.models import Agency


class Command(BaseCommand):
    help = (
        "Add one agency (kind: commune or ward People's Committee) per administrative unit that has none, with the "
        "unit's dates; contact fields are left for the operator to fill in the admin. Idempotent."
    )

    def handle(self, *args, **options):
        created = seed_commune_committees(Agency, AdministrativeUnit)
        self.stdout.write(self.style.SUCCESS(f"People's Committees: {created} added."))
