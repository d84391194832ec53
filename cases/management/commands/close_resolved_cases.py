"""Daily: close resolved cases whose grace period (RESOLVED_GRACE_DAYS) has passed (resolved → closed)."""

from django.core.management.base import BaseCommand

from cases.services import close_resolved_cases


class Command(BaseCommand):
    help = "Close cases resolved longer ago than RESOLVED_GRACE_DAYS (safe to run daily)."

    def handle(self, *args, **options):
        closed = close_resolved_cases()
        self.stdout.write(f"closed {closed} resolved case(s)")
