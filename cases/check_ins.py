"""Follow-up: some days after a case is resolved, "Is everything OK now?" and "Did the hotline help you?" (1–5).

The periodic task `send_check_ins` (hourly) opens one CheckIn per case resolved at least
HotlineSettings.check_in_days ago (resolved or closed since, never purged, never rejected) and sends a content-free
notice on the channels the reporter allowed (cases.notices). The status page asks the questions; "No" reopens the
conversation: the reporter's words reach a counsellor as a message (services.add_reporter_information brings a
resolved or closed case back to in progress). The figures go to the dashboard and the annual report
(cases.statistics.follow_up).
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from cases import notices, rollup, services
from cases.models import Case, CaseState, CheckIn, EventKind, HotlineSettings, NoticeKind


class CheckInError(Exception):
    """The answer cannot be taken (already answered, a rating out of range)."""


def cases_due_for_check_in(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    cutoff = now - timedelta(days=HotlineSettings.current().check_in_days)
    return list(
        Case.objects.filter(
            state__in=[CaseState.RESOLVED, CaseState.CLOSED],
            resolved_at__isnull=False,
            resolved_at__lte=cutoff,
            purged_at__isnull=True,
            check_in__isnull=True,
        ).values_list("pk", flat=True)
    )


def send_check_ins(*, now: datetime | None = None) -> int:
    """Open the check-in of every case that is due, and notify each reporter after commit. Returns how many."""
    now = now or timezone.now()
    opened = 0
    for pk in cases_due_for_check_in(now=now):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=pk)
            _check_in, created = CheckIn.objects.get_or_create(case=case, defaults={"sent_at": now})
            if created:
                opened += 1
                rollup.mark_changed(case.created_at)  # the check-ins sent, in the statistics
                notices.notice_on_commit(case, NoticeKind.CHECK_IN)
    return opened


def open_check_in(case: Case) -> CheckIn | None:
    """The check-in waiting for this reporter's answer, if any."""
    return CheckIn.objects.filter(case=case, answered_at__isnull=True).first()


def answer_check_in(
    *, case: Case, all_ok: bool, rating: int | None = None, comment: str = "", message: str = ""
) -> CheckIn:
    """The reporter's answer, once. With all_ok False and a message, the message goes to the conversation, which
    brings the case back to a counsellor. The answer itself is on the timeline as facts (ok or not, the rating),
    never the comment's words."""
    if rating is not None and not 1 <= rating <= 5:
        raise CheckInError("rating")
    with transaction.atomic():
        check_in = CheckIn.objects.select_for_update().filter(case=case).first()
        if check_in is None or check_in.answered_at is not None:
            raise CheckInError("no open check-in")
        check_in.answered_at = timezone.now()
        check_in.all_ok = all_ok
        check_in.rating = rating
        check_in.comment = comment.strip()[:2000]
        check_in.save()
        services.record_event(case, EventKind.CHECK_IN, all_ok=all_ok, rating=rating)
        if not all_ok and message.strip():
            services.add_reporter_information(case=case, text=message.strip())
    return check_in
