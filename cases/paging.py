"""The duty roster and the paging of P1 cases nobody claimed in time (the hotline's own policy).

A P1 case still waiting for a counsellor (new or triaged) at its first-response target pages the supervisors on
duty (every supervisor when nobody is on duty); if nobody acknowledges, every supervisor is paged after
settings.PAGE_ESCALATE_AFTER, and again every settings.PAGE_REPEAT_EVERY. An acknowledgement stops the repeats;
claiming the case ends the paging. Each page is a `Page` row (one per case and round, unique) and a CaseEvent,
written together; the alerts (live banner, e-mail, web push) go out after commit, through the task queue.

`page_unclaimed_cases` runs every minute in the worker (cases/tasks.py). It is idempotent: the case row is locked
while a round is decided, and the unique (case, round) refuses a second worker's copy.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases import realtime, roles
from cases.models import Case, CaseState, DutyShift, EventKind, Page, PageAudience, Priority
from cases.plumbing import NotAllowed
from cases.services import record_event

logger = logging.getLogger(__name__)

# A case in these states has not been claimed by anyone.
UNCLAIMED_STATES = [CaseState.NEW, CaseState.TRIAGED]


class ShiftNotValid(Exception):
    """The shift cannot be saved as given (shown as a clear message)."""


def supervisors():
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=roles.SUPERVISOR)
        .distinct()
        .order_by("first_name", "username")
    )


def on_duty(*, now=None):
    """The supervisors whose shift covers `now` (overlapping shifts: all of them)."""
    now = now or timezone.now()
    return supervisors().filter(duty_shifts__starts_at__lte=now, duty_shifts__ends_at__gt=now)


def add_shift(*, user, supervisor, starts_at, ends_at):
    """A supervisor puts someone with the supervisor role on duty from `starts_at` to `ends_at`."""
    if not user.has_perm("cases.assign_case"):
        raise NotAllowed("add_shift")
    if ends_at <= starts_at:
        raise ShiftNotValid("a shift ends after it starts")
    if not supervisors().filter(pk=supervisor.pk).exists():
        raise ShiftNotValid("only supervisors go on duty")
    return DutyShift.objects.create(supervisor=supervisor, starts_at=starts_at, ends_at=ends_at, created_by=user)


def remove_shift(*, user, shift):
    if not user.has_perm("cases.assign_case"):
        raise NotAllowed("remove_shift")
    shift.delete()


def _due_cases(now):
    return Case.objects.filter(
        priority=Priority.P1, state__in=UNCLAIMED_STATES, first_response_due_at__lte=now
    ).exclude(pages__acknowledged_at__isnull=False)


def _next_round(case, last, now):
    """(round, audience) of the page due now for this case, or None when none is due yet."""
    if last is None:
        return 1, PageAudience.ON_DUTY
    if last.acknowledged_at is not None:
        return None
    wait = settings.PAGE_ESCALATE_AFTER if last.round == 1 else settings.PAGE_REPEAT_EVERY
    if now - last.created_at < wait:
        return None
    return last.round + 1, PageAudience.ALL


def page_unclaimed_cases(*, now=None):
    """Page about every P1 case unclaimed past its target whose next round is due. Returns the pages created.
    Safe to run concurrently and repeatedly: a round is created once."""
    now = now or timezone.now()
    created = []
    for pk in _due_cases(now).values_list("pk", flat=True).distinct():
        page = _page_case(pk, now)
        if page is not None:
            created.append(page)
    return created


def _page_case(pk, now):
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            if case.state not in UNCLAIMED_STATES or case.priority != Priority.P1:
                return None
            last = case.pages.order_by("-round").first()
            due = _next_round(case, last, now)
            if due is None:
                return None
            round_, audience = due
            recipients = list(on_duty(now=now)) if audience == PageAudience.ON_DUTY else []
            if not recipients:
                audience = PageAudience.ALL
                recipients = list(supervisors())
            page = Page.objects.create(case=case, round=round_, audience=audience, created_at=now)
            page.recipients.set(recipients)
            record_event(
                case, EventKind.PAGED, round=round_, audience=audience, recipients=[user.pk for user in recipients]
            )
            transaction.on_commit(lambda: _send_page_alerts(page.pk), robust=True)  # logged if the queue is down
            realtime.pages_changed_on_commit([user.pk for user in recipients])
    except IntegrityError:
        # Another worker created this round a moment ago: it pages, not us.
        logger.info("page round already created by another worker")
        return None
    logger.info("paged %d supervisor(s), round %d", len(recipients), round_)
    return page


def _send_page_alerts(page_id):
    from cases import tasks  # the task module imports this one

    tasks.send_page_email(page_id)
    tasks.send_page_push(page_id)


def acknowledge_page(*, case, user):
    """A supervisor takes charge of the paging about this case: every open round is stamped, the repeats stop and
    the banners go. Acknowledging again changes nothing. Returns the number of rounds acknowledged."""
    if not user.has_perm("cases.assign_case"):
        raise NotAllowed("acknowledge_page")
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        open_pages = list(case.pages.filter(acknowledged_at__isnull=True).prefetch_related("recipients"))
        if not open_pages:
            return 0
        now = timezone.now()
        Page.objects.filter(pk__in=[page.pk for page in open_pages]).update(acknowledged_at=now, acknowledged_by=user)
        record_event(case, EventKind.PAGE_ACKNOWLEDGED, actor=user, rounds=[page.round for page in open_pages])
        realtime.pages_changed_on_commit({user.pk for page in open_pages for user in page.recipients.all()})
    return len(open_pages)


def open_pages_for(user):
    """The latest unacknowledged page per case addressed to `user`, about cases still unclaimed: what the staff
    banner shows. Newest first."""
    pages = (
        Page.objects.filter(recipients=user, acknowledged_at__isnull=True, case__state__in=UNCLAIMED_STATES)
        .select_related("case")
        .order_by("-created_at", "-round")
    )
    latest = {}
    for page in pages[:50]:
        latest.setdefault(page.case_id, page)
    return list(latest.values())


def page_frame(page):
    """A page as the staff socket sends it: what a banner needs, nothing about the child."""
    return {
        "id": page.pk,
        "reference": page.case.reference,
        "round": page.round,
        "paged_at": page.created_at.isoformat(),
    }
