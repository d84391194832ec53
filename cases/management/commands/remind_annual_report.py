"""Remind the supervisors that the annual report is due before 5 December (run it in mid-November)."""

from django.core.management.base import BaseCommand

from cases.annual_report import remind_supervisors


class Command(BaseCommand):
    help = (
        "E-mail every active supervisor that this year's annual report (1 December to 30 November) is due at the "
        "People's Committee before 5 December, unless it is already final."
    )

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(f"Annual report reminder: {remind_supervisors()} supervisors reminded."))
