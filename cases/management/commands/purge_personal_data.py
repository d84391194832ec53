"""Remove personal data from cases closed longer than RETENTION_DAYS ago (not on legal hold). Run it daily."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cases.retention import purge_due, purge_personal_data, retention_cutoff


class Command(BaseCommand):
    help = (
        "Anonymise cases closed or rejected more than RETENTION_DAYS ago and not on legal hold: contact details, "
        "description, chat text, links and evidence files go; statistics stay. Safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count the cases that are due")
        parser.add_argument("--batch-size", type=int, default=500, help="cases per transaction (default 500)")

    def handle(self, *args, dry_run, batch_size, **options):
        if dry_run:
            cutoff = retention_cutoff()
            count = purge_due(cutoff=cutoff).count()
            self.stdout.write(f"{count} cases closed before {timezone.localtime(cutoff):%Y-%m-%d %H:%M} are due.")
            return
        result = purge_personal_data(batch_size=max(1, batch_size))
        self.stdout.write(
            self.style.SUCCESS(
                f"Retention ({settings.RETENTION_DAYS} days): {result.cases} cases anonymised, "
                f"{result.messages} messages, {result.links} links, {result.evidence_files} evidence files."
            )
        )
        if result.files_not_deleted:
            # Their rows already say they are gone; a non-zero exit makes the scheduler report it.
            raise CommandError(f"{result.files_not_deleted} evidence files could not be deleted (see the log).")
