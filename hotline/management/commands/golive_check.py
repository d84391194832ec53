"""Print what is missing before the hotline can open; exit with status 1 while anything is."""

from django.core.management.base import BaseCommand, CommandError

from hotline.golive import run_checks


class Command(BaseCommand):
    help = (
        "Check that the hotline is ready to open: units and agencies loaded, liaisons and e-mail addresses, hotline "
        "settings filled, a supervisor, SMTP, PostgreSQL and Redis in use, check --deploy clean, scheduled jobs "
        "running. Exits non-zero while anything is missing."
    )

    def handle(self, *args, **options):
        checks = run_checks()
        for check in checks:
            mark = self.style.SUCCESS("ok     ") if check.ok else self.style.ERROR("MISSING")
            self.stdout.write(f"{mark} {check.label}: {check.detail}")
        missing = sum(not check.ok for check in checks)
        if missing:
            raise CommandError(f"Not ready: {missing} of {len(checks)} checks are missing.")
        self.stdout.write(self.style.SUCCESS("Ready to open."))
