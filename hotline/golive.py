"""What must be in place before the hotline opens: `manage.py golive_check` runs these checks in order.

Each check returns a Check (ok or not, what was looked at, what to do). The README's "Going live" lists the same
steps in the same order.
"""

import datetime
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.mail import get_connection
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.utils import timezone

from cases import roles
from cases.models import AdministrativeUnit, AuditAction, AuditEntry, HotlineSettings
from escalation.models import Agency, AgencyKind

# The agencies escalations and referrals go to: each needs an e-mail address and someone to answer.
RECEIVING_KINDS = [AgencyKind.POLICE, AgencyKind.INFORMATION, AgencyKind.CHILD_PROTECTION]
# The daily purge proves the scheduled jobs run: it writes an audit entry each time.
SCHEDULED_JOB_MAX_AGE = datetime.timedelta(hours=26)
SMTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Check:
    ok: bool
    label: str
    detail: str = ""


def check_units():
    current = AdministrativeUnit.objects.current()
    count = current.count()
    if not count:
        return Check(False, "Communes and wards", "none loaded: run `manage.py load_units`")
    return Check(True, "Communes and wards", f"{count} in force")


def check_commune_committees():
    units = AdministrativeUnit.objects.current()
    without = units.exclude(agencies__kind=AgencyKind.LOCAL_GOVERNMENT).count()
    if without:
        return Check(
            False,
            "People's Committees in the agency directory",
            f"{without} communes or wards have none: run `manage.py add_commune_committees`",
        )
    return Check(True, "People's Committees in the agency directory", f"{units.count()} listed")


def check_agencies():
    agencies = (
        Agency.objects.current()
        .filter(kind__in=RECEIVING_KINDS, receives_escalations=True)
        .prefetch_related("liaisons__user")
    )
    problems = []
    for agency in agencies:
        missing = []
        if not agency.email:
            missing.append("an e-mail address")
        if not any(liaison.user.is_active for liaison in agency.liaisons.all()):
            missing.append("an active liaison")
        if missing:
            problems.append(f"{agency.short_name} ({agency.code}) needs {' and '.join(missing)}")
    if not agencies:
        problems.append("no police, information or child-protection agency is in force")
    label = "Agencies: e-mail and at least one liaison"
    return Check(not problems, label, "; ".join(problems) or f"{len(agencies)} ready")


def check_hotline_settings():
    missing = HotlineSettings.current().missing()
    if missing:
        return Check(False, "Hotline settings (admin)", f"fill in: {', '.join(missing)}")
    return Check(True, "Hotline settings (admin)", "phone, hours, safety numbers, report signer and recipients")


def check_supervisors():
    supervisors = User.objects.filter(is_active=True, groups__name=roles.SUPERVISOR).distinct().count()
    # A second factor for staff does not exist yet; when it does, this check asks for it too.
    if not supervisors:
        return Check(False, "Supervisors", "no active supervisor account")
    return Check(True, "Supervisors", f"{supervisors} active")


def check_email():
    if settings.EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
        return Check(False, "E-mail (SMTP)", "e-mail goes to the console: set EMAIL_HOST and its variables")
    try:
        smtp = get_connection(timeout=SMTP_TIMEOUT_SECONDS)
        smtp.open()
        smtp.close()
    except Exception as error:  # noqa: BLE001 - any failure means mail will not leave
        return Check(False, "E-mail (SMTP)", f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT} unreachable: {error}")
    return Check(True, "E-mail (SMTP)", f"{settings.EMAIL_HOST}:{settings.EMAIL_PORT} answers")


def check_database():
    if connection.vendor != "postgresql":
        return Check(False, "Database", f"{connection.vendor}: set DATABASE_URL to PostgreSQL")
    return Check(True, "Database", "PostgreSQL")


def check_redis():
    if not settings.REDIS_URL:
        return Check(False, "Redis", "not configured: set REDIS_URL (channel layer and cache)")
    try:
        cache.set("golive-check", "ok", timeout=10)
        answered = cache.get("golive-check") == "ok"
    except Exception as error:  # noqa: BLE001
        return Check(False, "Redis", f"unreachable: {error}")
    return Check(answered, "Redis", "answers" if answered else "does not keep what it is given")


def check_deploy():
    out = io.StringIO()
    try:
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    except SystemCheckError as error:
        codes = re.findall(r"\(([a-z_]+\.[EW]\d+)\)", str(error))
        return Check(False, "`manage.py check --deploy`", f"not clean: {', '.join(codes) or error}")
    return Check(True, "`manage.py check --deploy`", "clean")


def check_scheduled_jobs(now=None):
    since = (now or timezone.now()) - SCHEDULED_JOB_MAX_AGE
    if not AuditEntry.objects.filter(action=AuditAction.PURGE_RUN, created_at__gte=since).exists():
        return Check(
            False,
            "Scheduled jobs",
            "the daily purge has not run in the last 26 hours: schedule `purge_personal_data` and "
            "`close_resolved_cases` (cron or systemd timer) and run them once",
        )
    return Check(True, "Scheduled jobs", "the daily purge ran in the last 26 hours")


CHECKS = [
    check_units,
    check_commune_committees,
    check_agencies,
    check_hotline_settings,
    check_supervisors,
    check_email,
    check_database,
    check_redis,
    check_deploy,
    check_scheduled_jobs,
]


def run_checks():
    return [check() for check in CHECKS]
