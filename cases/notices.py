"""Telling a reporter that something waits for them: web push, e-mail, SMS, Zalo. Content-free, every one.

A shared phone must not give a child away (README, "Reaching the reporter"): every notice says only that there is
a new message or a question, with a link to /status/ where the access code must be entered. No case text, no
reference, no name, no hotline name; the reporter picks the push title from neutral ones (NeutralTitle).

How a notice travels:
  1. a service decides there is something to tell (a counsellor's reply, the check-in) and calls
     `notice_on_commit(case, kind)`;
  2. after commit, the task `queue_reporter_notices` writes one ReporterNotice per channel the reporter allowed,
     due now or, in quiet hours (HotlineSettings, 22:00–07:00 by default) unless the case is P1, at their end;
  3. due notices are delivered at once, held ones by the periodic `deliver_held_notices` (every minute).
The case page lists every notice: channel, status and time.

SMS and Zalo go through a TextBackend chosen in settings (REPORTER_SMS_BACKEND, REPORTER_ZALO_BACKEND). The
default, ConsoleTextBackend, sends nothing: it writes the neutral text (never the number) to the log, and the
notice is recorded as "console", not "sent". README, "Plugging in a real SMS or Zalo gateway", shows the class to
write.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from pywebpush import WebPushException

from cases import push
from cases.models import (
    Case,
    HotlineSettings,
    NeutralTitle,
    NoticeChannel,
    NoticeKind,
    NoticeStatus,
    Priority,
    ReporterNotice,
    ReporterPushSubscription,
    TextNoticeChannel,
)

logger = logging.getLogger(__name__)

# The only words a notice ever carries. {link} is the site's /status/ page: no reference, no code.
NEUTRAL_SUBJECT: dict[str, Any] = {
    NoticeKind.REPLY: _("You have a new message"),
    NoticeKind.CHECK_IN: _("A short question for you"),
}
NEUTRAL_BODY: dict[str, Any] = {
    NoticeKind.REPLY: _("You have a new message. To read it, open %(link)s and enter your code."),
    NoticeKind.CHECK_IN: _("We have a short question for you. Open %(link)s and enter your code."),
}

NEUTRAL_PUSH_BODY: dict[str, Any] = {
    NoticeKind.REPLY: _("Open the page to read it."),
    NoticeKind.CHECK_IN: _("Open the page when you have a moment."),
}


class TextBackend:
    """Sends one short text to one phone number, for SMS or Zalo. Write a subclass for a real gateway:

        class MyGatewaySms(TextBackend):
            delivers = True                      # a real gateway: the notice is recorded as "sent"

            def send(self, *, to: str, text: str) -> None:
                response = requests.post(GATEWAY_URL, json={"to": to, "text": text}, timeout=10)
                response.raise_for_status()      # an exception marks the notice "failed"; never log `to`

    and name it in REPORTER_SMS_BACKEND (or REPORTER_ZALO_BACKEND) as a dotted path. `to` is in E.164 form
    (+84…). The backend must not log the number or keep the text.
    """

    delivers = True

    def __init__(self, *, channel: str) -> None:
        self.channel = channel

    def send(self, *, to: str, text: str) -> None:
        raise NotImplementedError


class ConsoleTextBackend(TextBackend):
    """The default: nothing leaves the server. The neutral text (never the number) goes to the log, and the notice
    is recorded as written to the console, so nobody takes it for a text that reached the child."""

    delivers = False

    def send(self, *, to: str, text: str) -> None:
        logger.info("%s notice (console backend, nothing sent): %s", self.channel, text)


def text_backend(channel: str) -> TextBackend:
    path = settings.REPORTER_SMS_BACKEND if channel == NoticeChannel.SMS else settings.REPORTER_ZALO_BACKEND
    backend: TextBackend = import_string(path)(channel=channel)
    return backend


def status_link() -> str:
    return str(settings.SITE_URL).rstrip("/") + reverse("status")


def neutral_text(kind: str) -> tuple[str, str]:
    """(subject, body) of a notice, in Vietnamese (the reporter's page may be in English; a phone's lock screen is
    the wrong place to guess)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(NEUTRAL_SUBJECT[kind]), str(NEUTRAL_BODY[kind]) % {"link": status_link()}


# --- quiet hours -----------------------------------------------------------------------------------------------


def in_quiet_hours(at: datetime, *, row: HotlineSettings) -> bool:
    start, end = row.quiet_hours_start, row.quiet_hours_end
    local = timezone.localtime(at).time()
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # over midnight, 22:00–07:00


def quiet_hours_over(at: datetime, *, row: HotlineSettings) -> datetime:
    """The first moment after `at` when quiet hours are over (`at` itself when they are not on)."""
    if not in_quiet_hours(at, row=row):
        return at
    local = timezone.localtime(at)
    end = local.replace(hour=row.quiet_hours_end.hour, minute=row.quiet_hours_end.minute, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end


# --- planning and delivering -----------------------------------------------------------------------------------


def notice_on_commit(case: Case, kind: str) -> None:
    """After the caller's transaction commits, plan the notices of `kind` for this case (on the task queue)."""
    from cases import tasks  # tasks imports the services that call this

    transaction.on_commit(lambda: tasks.queue_reporter_notices(case.pk, kind))


def allowed_channels(case: Case) -> list[str]:
    """The channels this reporter allowed and gave the details for."""
    channels: list[str] = []
    if case.reporter_push_subscriptions.exists():
        channels.append(NoticeChannel.PUSH)
    if case.notify_by == TextNoticeChannel.EMAIL and case.contact_email:
        channels.append(NoticeChannel.EMAIL)
    if case.notify_by in (TextNoticeChannel.SMS, TextNoticeChannel.ZALO) and case.contact_phone:
        channels.append(case.notify_by)
    return channels


def plan_notices(*, case_id: int, kind: str, now: datetime | None = None) -> list[ReporterNotice]:
    """Write the notices of `kind` for this case, one per allowed channel; return them. A reply notice is not
    repeated within REPORTER_NOTICE_INTERVAL (one notice says there is something; ten say nothing more). Outside
    P1, a notice planned in quiet hours waits for their end."""
    now = now or timezone.now()
    case = Case.objects.filter(pk=case_id, purged_at__isnull=True).first()
    if case is None:
        return []
    channels = allowed_channels(case)
    if not channels:
        return []
    if kind == NoticeKind.REPLY:
        recent = ReporterNotice.objects.filter(
            case=case, kind=kind, created_at__gt=now - settings.REPORTER_NOTICE_INTERVAL
        ).exclude(status=NoticeStatus.FAILED)
        if recent.exists():
            return []
    send_after = now
    if case.priority != Priority.P1:
        send_after = quiet_hours_over(now, row=HotlineSettings.current())
    return ReporterNotice.objects.bulk_create(
        ReporterNotice(
            case=case, kind=kind, channel=channel, status=NoticeStatus.QUEUED, created_at=now, send_after=send_after
        )
        for channel in channels
    )


def deliver(notice_id: int, *, now: datetime | None = None) -> str | None:
    """Send one queued notice that is due; returns its new status (None when it was not this call's to send).
    Each notice is claimed in one UPDATE, so the periodic task and an on-demand one never both send it."""
    now = now or timezone.now()
    claimed = ReporterNotice.objects.filter(pk=notice_id, status=NoticeStatus.QUEUED, send_after__lte=now).update(
        status=NoticeStatus.SENDING
    )
    if not claimed:
        return None
    notice = ReporterNotice.objects.select_related("case").get(pk=notice_id)
    try:
        status = _send_notice(notice)
    except Exception:  # noqa: BLE001 - the gateway's trouble: recorded on the case page; no personal data logged
        logger.warning("reporter notice %s by %s failed", notice.pk, notice.channel)
        status = NoticeStatus.FAILED
    ReporterNotice.objects.filter(pk=notice.pk).update(status=status, sent_at=timezone.now())
    return status


def _send_notice(notice: ReporterNotice) -> str:
    case = notice.case
    subject, body = neutral_text(notice.kind)
    if notice.channel == NoticeChannel.PUSH:
        delivered = 0
        for subscription in case.reporter_push_subscriptions.all():
            with translation.override(settings.LANGUAGE_CODE):
                title, text = str(subscription.get_title_display()), str(NEUTRAL_PUSH_BODY[notice.kind])
            payload = {"title": title, "body": text, "url": reverse("status"), "tag": "n"}
            try:
                delivered += bool(push.send(subscription, payload))
            except WebPushException:
                continue
        return NoticeStatus.SENT if delivered else NoticeStatus.FAILED
    if notice.channel == NoticeChannel.EMAIL:
        if not case.contact_email:
            return NoticeStatus.FAILED
        EmailMessage(
            subject=subject, body=body, from_email=settings.REPORTER_NOTICE_FROM_EMAIL, to=[case.contact_email]
        ).send()
        return NoticeStatus.SENT
    if not case.contact_phone:
        return NoticeStatus.FAILED
    backend = text_backend(notice.channel)
    backend.send(to=case.contact_phone.as_e164, text=body)
    return NoticeStatus.SENT if backend.delivers else NoticeStatus.CONSOLE


def due_notice_ids(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        ReporterNotice.objects.filter(status=NoticeStatus.QUEUED, send_after__lte=now).values_list("pk", flat=True)
    )


# --- what the reporter allows (from the status page) -----------------------------------------------------------


def text_channels_for(case: Case) -> list[str]:
    """The text channels this reporter can choose: those they gave the details for."""
    channels: list[str] = [TextNoticeChannel.NONE]
    if case.contact_email:
        channels.append(TextNoticeChannel.EMAIL)
    if case.contact_phone:
        channels += [TextNoticeChannel.SMS, TextNoticeChannel.ZALO]
    return channels


def choose_text_channel(*, case: Case, channel: str) -> None:
    """The reporter's choice of e-mail, SMS, Zalo or nothing; a channel without its contact detail is refused."""
    if channel not in text_channels_for(case):
        raise ValueError("not a channel this reporter can use")
    Case.objects.filter(pk=case.pk).update(notify_by=channel)
    case.notify_by = channel


def save_push_subscription(*, case: Case, endpoint: str, p256dh: str, auth: str, title: str) -> None:
    """This browser allowed web push for this case, with the neutral title the reporter chose. The endpoint
    identifies the browser: subscribing again moves it to this case and this title."""
    if title not in NeutralTitle.values:
        raise ValueError("not a neutral title")
    ReporterPushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"case": case, "p256dh": p256dh, "auth": auth, "title": title}
    )


def remove_push_subscriptions(*, case: Case, endpoint: str = "") -> int:
    """Stop web push for this case: on one browser (its endpoint), or on every browser when none is given."""
    subscriptions = ReporterPushSubscription.objects.filter(case=case)
    if endpoint:
        subscriptions = subscriptions.filter(endpoint=endpoint)
    return subscriptions.delete()[0]


def forget_push_endpoints(*, endpoints: list[str]) -> int:
    """A browser forgot its cases (quick exit, "close my case on this device"): its push subscriptions go too."""
    if not endpoints:
        return 0
    return ReporterPushSubscription.objects.filter(endpoint__in=endpoints[:20]).delete()[0]
