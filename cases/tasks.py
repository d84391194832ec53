"""Work that runs later, in the huey worker (`manage.py run_huey`, beside Daphne).

Periodic: the paging of unclaimed P1 cases and the recount of the statistics of changed days (every minute), the
closing of resolved cases and the retention purge (daily, local time), the annual report's reminder to supervisors
(15 and 25 November). On demand: the alerts of a page (e-mail, web push), with retries where sending can fail.
The management commands call the same service functions.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from cases import annual_report, check_ins, notices, paging, push, retention, rollup, services
from cases.models import Page, PushSubscription

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def page_unclaimed_cases():
    paging.page_unclaimed_cases()


@db_periodic_task(crontab(hour="1", minute="30"))
def close_resolved_cases():
    closed = services.close_resolved_cases()
    logger.info("closed %d resolved case(s)", closed)


@db_periodic_task(crontab(hour="2", minute="0"))
def purge_personal_data():
    result = retention.purge_personal_data()
    logger.info("retention: %d case(s) anonymised", result.cases)


# Every minute rather than one task per change: a report or a message costs no round trip to the task queue.
@db_periodic_task(crontab(minute="*"))
def refresh_statistics():
    """Recount the statistics rollup of the days marked dirty by the changes committed since the last run."""
    rollup.refresh_dirty()


# After the purge: anything written outside the services (imports, the admin) is counted again every night.
@db_periodic_task(crontab(hour="3", minute="0"))
def rebuild_statistics():
    days = rollup.rebuild()
    logger.info("statistics: %d day(s) recomputed", days)


# The annual report is due at the People's Committee before 5 December: supervisors are reminded in mid-November
# and once more ten days later, unless the year's report is already final.
@db_periodic_task(crontab(month="11", day="15,25", hour="8", minute="0"))
def remind_annual_report():
    reminded = annual_report.remind_supervisors()
    logger.info("annual report: %d supervisor(s) reminded", reminded)


def page_url(page):
    return settings.SITE_URL.rstrip("/") + reverse("cases:page", args=[page.pk])


@db_task(retries=3, retry_delay=60)
def send_page_email(page_id):
    """E-mail the page's recipients: that an urgent case waits, and a link. No reference, no case text."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or page.acknowledged_at is not None:
        return
    recipients = sorted({user.email for user in page.recipients.all() if user.email})
    if not recipients:
        logger.warning("page %s: no recipient has an e-mail address", page_id)
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"page": page, "url": page_url(page)}
        subject = render_to_string("cases/email_page_subject.txt", context).strip()
        body = render_to_string("cases/email_page.txt", context)
    # One message per recipient: nobody learns who else was paged.
    for address in recipients:
        EmailMessage(subject=subject, body=body, to=[address]).send()


@db_task()
def send_page_push(page_id):
    """One push task per subscription of each recipient, so that a retry resends only what failed."""
    for subscription_id in PushSubscription.objects.filter(user__pages_received=page_id).values_list("pk", flat=True):
        send_push(subscription_id, page_id)


@db_task(retries=3, retry_delay=30)
def send_push(subscription_id, page_id):
    subscription = PushSubscription.objects.filter(pk=subscription_id).first()
    page = Page.objects.filter(pk=page_id).first()
    if subscription is None or page is None or page.acknowledged_at is not None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        payload = {
            "title": translation.gettext("Urgent: a case is waiting"),
            "body": translation.gettext("An urgent case has not been claimed. Open the hotline."),
            "url": reverse("cases:page", args=[page.pk]),
            "tag": f"page-{page.case_id}",
        }
    push.send(subscription, payload)  # WebPushException (other than gone): huey retries


# --- notices to the reporter (cases.notices) --------------------------------------------------------------------


@db_task()
def queue_reporter_notices(case_id, kind):
    """Plan the notices of `kind` for a case, and deliver at once those that are not held by quiet hours."""
    now = timezone.now()
    for notice in notices.plan_notices(case_id=case_id, kind=kind, now=now):
        if notice.send_after <= now:
            deliver_reporter_notice(notice.pk)


@db_task()
def deliver_reporter_notice(notice_id):
    notices.deliver(notice_id)


@db_periodic_task(crontab(minute="*"))
def deliver_held_notices():
    for notice_id in notices.due_notice_ids():
        notices.deliver(notice_id)


@db_periodic_task(crontab(minute="15"))
def send_check_ins():
    opened = check_ins.send_check_ins()
    logger.info("check-ins: %d opened", opened)
