"""Reaching the reporter: content-free notices on every channel, quiet hours, the callback clock, the check-in."""

import datetime
import json
import logging
import zoneinfo
from datetime import timedelta

import http_ece
import pytest
from django.core.cache import cache
from django.utils import timezone

from cases import callbacks, check_ins, notices, services, statistics
from cases.models import (
    CallbackOutcome,
    Case,
    CaseEvent,
    CaseState,
    CheckIn,
    ContactPreference,
    EventKind,
    HotlineSettings,
    NoticeChannel,
    NoticeKind,
    NoticeStatus,
    Outcome,
    ReporterNotice,
    ReporterPushSubscription,
    TextNoticeChannel,
)
from cases.plumbing import NotAllowed
from tests.cases.test_paging import PushService, b64url, push_service, vapid_key_file  # noqa: F401 - fixtures
from tests.factories import make_case, verified_login

pytestmark = pytest.mark.django_db

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
REPLY = "Chào em, anh chị đã xem tin nhắn của em về tài khoản Facebook."
# What a notice must never carry, besides the case's own reference, text and contact details.
HOTLINE_WORDS = ["Tổng đài", "tổng đài", "hotline", "Hotline", "Tỉnh đoàn", "Youth", "thanh thiếu nhi", "Đoàn"]


class RecordingGateway(notices.TextBackend):
    """A gateway for the tests: what a real SMS or Zalo provider would be handed (README's example class)."""

    sent = []

    def send(self, *, to, text):
        RecordingGateway.sent.append((self.channel, to, text))


@pytest.fixture
def no_quiet_hours():
    """Quiet hours off, so that a test's outcome does not depend on the time of day it runs at."""
    HotlineSettings.objects.update_or_create(
        id=1, defaults={"quiet_hours_start": datetime.time(0, 0), "quiet_hours_end": datetime.time(0, 0)}
    )
    cache.clear()


def assert_neutral(text, case, code=""):
    private = [case.reference, case.reference.replace("-", ""), case.description, REPLY, case.commune]
    private += [case.category.name_vi, case.category.name_en, str(case.contact_phone), *HOTLINE_WORDS]
    if case.contact_email:
        private.append(case.contact_email)
    if code:
        private.append(code)
    assert case.description and case.commune  # something to look for
    for word in filter(None, private):
        assert word not in text, word


def reply_to(case, operator):
    services.claim_case(case=case, user=operator)
    services.post_staff_message(case=case, user=operator, text=REPLY)


# --- the channels and their words --------------------------------------------------------------------------------


def test_a_reply_is_announced_by_e_mail_with_a_neutral_subject_and_a_bare_status_link(
    settings, operator, mailoutbox, no_quiet_hours, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://tro-giup.example.vn"
    settings.REPORTER_NOTICE_FROM_EMAIL = "thong-bao@example.vn"
    case, code = make_case(contact_preference=ContactPreference.EMAIL, contact_email="em.hs@example.com")
    assert case.notify_by == TextNoticeChannel.EMAIL
    with django_capture_on_commit_callbacks(execute=True):
        reply_to(case, operator)
    [mail] = mailoutbox
    assert mail.to == ["em.hs@example.com"] and mail.from_email == "thong-bao@example.vn"
    assert mail.subject == "Bạn có tin nhắn mới"
    assert "https://tro-giup.example.vn/status/ " in mail.body  # the page without reference or code
    assert_neutral(mail.subject + mail.body, case, code)
    [notice] = ReporterNotice.objects.filter(case=case)
    assert (notice.kind, notice.channel, notice.status) == (NoticeKind.REPLY, NoticeChannel.EMAIL, NoticeStatus.SENT)
    assert notice.sent_at is not None


def test_sms_without_a_gateway_is_written_to_the_log_and_recorded_as_not_sent(
    operator, caplog, no_quiet_hours, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="cases.notices")
    case, code = make_case(contact_preference=ContactPreference.PHONE, contact_phone="0912345678")
    assert case.notify_by == TextNoticeChannel.SMS
    with django_capture_on_commit_callbacks(execute=True):
        reply_to(case, operator)
    [notice] = ReporterNotice.objects.filter(case=case)
    assert (notice.channel, notice.status) == (NoticeChannel.SMS, NoticeStatus.CONSOLE)  # not faked as sent
    assert "console backend, nothing sent" in caplog.text
    assert "912345678" not in caplog.text  # never the number
    assert_neutral(caplog.text, case, code)


@pytest.mark.parametrize("channel", [TextNoticeChannel.SMS, TextNoticeChannel.ZALO])
def test_a_real_gateway_class_gets_the_number_and_the_same_neutral_text(
    settings, operator, channel, no_quiet_hours, django_capture_on_commit_callbacks
):
    settings.REPORTER_SMS_BACKEND = settings.REPORTER_ZALO_BACKEND = f"{__name__}.RecordingGateway"
    RecordingGateway.sent.clear()
    case, code = make_case(contact_preference=ContactPreference.PHONE, contact_phone="0912345678")
    notices.choose_text_channel(case=case, channel=channel)
    with django_capture_on_commit_callbacks(execute=True):
        reply_to(case, operator)
    [(sent_channel, to, text)] = RecordingGateway.sent
    assert (sent_channel, to) == (channel, "+84912345678")
    assert_neutral(text, case, code)
    assert ReporterNotice.objects.get(case=case).status == NoticeStatus.SENT


def test_a_push_carries_the_chosen_neutral_title_and_no_case_and_a_dead_subscription_is_removed(
    operator,
    push_service,  # noqa: F811 - the fixture imported above
    vapid_key_file,  # noqa: F811
    no_quiet_hours,
    django_capture_on_commit_callbacks,
):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    alive, gone = push_service(201), push_service(410)
    case, code = make_case()
    key, secret = ec.generate_private_key(ec.SECP256R1()), b"0123456789abcdef"
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    notices.save_push_subscription(
        case=case, endpoint=f"{alive.url}/push/phone", p256dh=b64url(public), auth=b64url(secret), title="reminder"
    )
    notices.save_push_subscription(
        case=case, endpoint=f"{gone.url}/push/old", p256dh=b64url(public), auth=b64url(secret), title="message"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reply_to(case, operator)
    [request] = alive.received
    payload = json.loads(http_ece.decrypt(request["body"], private_key=key, auth_secret=secret, version="aes128gcm"))
    assert payload == {"title": "Nhắc việc", "body": "Mở trang để đọc.", "url": "/status/", "tag": "n"}
    assert_neutral(json.dumps(payload, ensure_ascii=False), case, code)
    assert list(ReporterPushSubscription.objects.values_list("endpoint", flat=True)) == [f"{alive.url}/push/phone"]
    assert ReporterNotice.objects.get(case=case, channel=NoticeChannel.PUSH).status == NoticeStatus.SENT


def test_nothing_is_sent_to_a_reporter_who_allowed_nothing(operator, mailoutbox, django_capture_on_commit_callbacks):
    case, _code = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        reply_to(case, operator)
    assert not ReporterNotice.objects.exists() and not mailoutbox


def test_a_second_reply_soon_after_adds_no_second_notice(
    operator, mailoutbox, no_quiet_hours, django_capture_on_commit_callbacks
):
    case, _code = make_case(contact_preference=ContactPreference.EMAIL, contact_email="em.hs@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        reply_to(case, operator)
        services.post_staff_message(case=case, user=operator, text="Em còn đó không?")
    assert len(mailoutbox) == 1 and ReporterNotice.objects.count() == 1


# --- quiet hours -----------------------------------------------------------------------------------------------


def at(hour, minute=0, day=10):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=LOCAL)


def test_quiet_hours_run_from_22_to_07_local_time():
    row = HotlineSettings.current()
    assert [notices.in_quiet_hours(at(h, m), row=row) for h, m in [(21, 59), (22, 0), (3, 0), (6, 59), (7, 0)]] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert notices.quiet_hours_over(at(23, 30), row=row) == at(7, 0, day=11)
    assert notices.quiet_hours_over(at(5, 0), row=row) == at(7, 0)


def test_a_notice_planned_at_night_waits_until_seven_unless_the_case_is_p1(mailoutbox):
    case, _code = make_case(contact_preference=ContactPreference.EMAIL, contact_email="em.hs@example.com")
    urgent, _code = make_case(
        in_danger=True, contact_preference=ContactPreference.EMAIL, contact_email="khan@example.com"
    )
    [held] = notices.plan_notices(case_id=case.pk, kind=NoticeKind.REPLY, now=at(23, 0))
    assert held.send_after == at(7, 0, day=11) and held.held
    assert notices.deliver(held.pk, now=at(23, 0)) is None and not mailoutbox
    assert notices.due_notice_ids(now=at(6, 59, day=11)) == []
    [urgent_notice] = notices.plan_notices(case_id=urgent.pk, kind=NoticeKind.REPLY, now=at(23, 0))
    assert urgent_notice.send_after == at(23, 0)
    assert notices.deliver(urgent_notice.pk, now=at(23, 0)) == NoticeStatus.SENT
    assert [mail.to for mail in mailoutbox] == [["khan@example.com"]]
    assert notices.due_notice_ids(now=at(7, 0, day=11)) == [held.pk]
    assert notices.deliver(held.pk, now=at(7, 0, day=11)) == NoticeStatus.SENT
    assert notices.deliver(held.pk, now=at(7, 1, day=11)) is None  # sent once
    assert len(mailoutbox) == 2


def test_the_province_sets_the_quiet_hours(supervisor):
    from cases.hotline_settings import update_hotline_settings

    update_hotline_settings(
        user=supervisor, quiet_hours_start=datetime.time(21, 0), quiet_hours_end=datetime.time(6, 0)
    )
    row = HotlineSettings.current()
    assert notices.in_quiet_hours(at(21, 30), row=row) and not notices.in_quiet_hours(at(6, 30), row=row)


# --- the status page: what the reporter allows -------------------------------------------------------------------


def open_status(client, case, code):
    assert client.post("/status/", {"reference": case.reference, "access_code": code}).status_code == 302


def test_the_reporter_chooses_a_channel_they_gave_details_for_and_nothing_else(client):
    case, code = make_case(contact_preference=ContactPreference.EMAIL, contact_email="em.hs@example.com")
    open_status(client, case, code)
    page = client.get(f"/status/{case.reference}/").content.decode()
    assert 'value="email"' in page and 'value="zalo"' not in page
    client.post(f"/status/{case.reference}/notices/", {"notify_by": "zalo"})
    assert Case.objects.get(pk=case.pk).notify_by == TextNoticeChannel.EMAIL
    client.post(f"/status/{case.reference}/notices/", {"notify_by": ""})
    assert Case.objects.get(pk=case.pk).notify_by == TextNoticeChannel.NONE


def test_push_subscriptions_need_the_case_access_a_known_push_service_and_a_neutral_title(client):
    case, code = make_case()
    keys = {"p256dh": "k" * 87, "auth": "a" * 22}
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": keys, "title": "update"}
    url = f"/status/{case.reference}/push/"
    assert client.post(url, body, content_type="application/json").status_code == 403
    open_status(client, case, code)
    assert client.post(url, {**body, "title": "Tổng đài"}, content_type="application/json").status_code == 400
    for elsewhere in [
        "http://fcm.googleapis.com/fcm/send/abc",
        "https://evil.example/fcm.googleapis.com/abc",
        "https://fcm.googleapis.com.evil.example/abc",
        "https://user@fcm.googleapis.com/abc",
        "https://127.0.0.1:6379/",
    ]:
        refused = client.post(url, {**body, "endpoint": elsewhere}, content_type="application/json")
        assert refused.status_code == 400, elsewhere
    edge = {**body, "endpoint": "https://wns2-by3p.notify.windows.com/w/?token=x"}
    assert client.post(url, edge, content_type="application/json").status_code == 204
    ReporterPushSubscription.objects.all().delete()
    assert client.post(url, body, content_type="application/json").status_code == 204
    assert ReporterPushSubscription.objects.get(case=case).title == "update"
    stop = f"/status/{case.reference}/push/stop/"
    assert client.post(stop, body, content_type="application/json").status_code == 204
    assert not ReporterPushSubscription.objects.exists()
    client.post(url, body, content_type="application/json")
    client.post(stop)  # the plain form: every device
    assert not ReporterPushSubscription.objects.exists()


def test_the_status_service_worker_opens_the_status_page_only(client):
    response = client.get("/status/sw.js")
    script = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "application/javascript"
    assert 'openWindow("/status/")' in script


# --- callbacks ------------------------------------------------------------------------------------------------------


def phone_case(**kwargs):
    return make_case(contact_preference=ContactPreference.PHONE, contact_phone="0912345678", **kwargs)


def test_a_reporter_who_asked_for_a_call_gets_a_callback_due_with_the_first_response():
    case, _code = phone_case()
    [callback] = case.callbacks.all()
    assert callback.due_at == case.first_response_due_at and callback.done_at is None
    anonymous, _code = make_case()
    assert not anonymous.callbacks.exists()


def test_the_callback_clock_moves_with_each_attempt_until_someone_speaks(settings, operator):
    settings.CALLBACK_RETRY_MINUTES = 60
    case, _code = phone_case()
    callback = case.callbacks.get()
    now = timezone.now()
    callbacks.log_callback_attempt(callback=callback, user=operator, outcome=CallbackOutcome.NO_ANSWER, now=now)
    assert callback.due_at == now + timedelta(minutes=60) and callback.done_at is None
    later = now + timedelta(hours=3)
    callbacks.log_callback_attempt(
        callback=callback, user=operator, outcome=CallbackOutcome.NOT_SAFE, next_attempt_at=later, now=now
    )
    assert callback.due_at == later
    with pytest.raises(callbacks.CallbackError):
        callbacks.log_callback_attempt(
            callback=callback, user=operator, outcome=CallbackOutcome.NO_ANSWER, next_attempt_at=now, now=now
        )
    callbacks.log_callback_attempt(callback=callback, user=operator, outcome=CallbackOutcome.SPOKE, now=later)
    assert callback.done_at == later
    assert [a.outcome for a in callback.attempts.all()] == ["no_answer", "not_safe", "spoke"]
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CALLBACK).count() == 3
    with pytest.raises(callbacks.CallbackError):
        callbacks.log_callback_attempt(callback=callback, user=operator, outcome=CallbackOutcome.SPOKE)


def test_a_wrong_number_ends_the_callback_and_an_outsider_cannot_log_one(operator, outsider):
    case, _code = phone_case()
    callback = case.callbacks.get()
    with pytest.raises(NotAllowed):
        callbacks.log_callback_attempt(callback=callback, user=outsider, outcome=CallbackOutcome.SPOKE)
    callbacks.log_callback_attempt(callback=callback, user=operator, outcome=CallbackOutcome.WRONG_NUMBER)
    assert callback.done_at is not None and not callbacks.overdue_callbacks().exists()


def test_overdue_callbacks_are_on_the_queue_and_the_sla_page(client, supervisor):
    case, _code = phone_case()
    on_time, _code = phone_case()
    case.callbacks.update(due_at=timezone.now() - timedelta(minutes=5))
    assert [c.case_id for c in callbacks.overdue_callbacks()] == [case.pk]
    verified_login(client, supervisor)
    for url in ("/cases/", "/cases/sla/"):
        page = client.get(url).content.decode()
        assert "Overdue callbacks" in page or "Gọi lại quá hạn" in page, url
        section = page.split('id="overdue-callbacks-heading"')[1].split("</section>")[0]
        assert case.reference in section and on_time.reference not in section


def test_the_safety_note_comes_before_the_number_and_revealing_it_is_logged(client, operator):
    case, code = phone_case()
    reporter = client.__class__()
    open_status(reporter, case, code)
    reporter.post(f"/status/{case.reference}/callback/", {"note": "Sau 17 giờ, hỏi 'bạn Lan'"})
    verified_login(client, operator)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Sau 17 giờ, hỏi &#x27;bạn Lan&#x27;" in page
    assert page.index("callback-heading") < page.index("reveal_contact")
    assert "0912 345 678" not in page
    client.post(f"/cases/{case.reference}/do/reveal_contact/")
    assert CaseEvent.objects.filter(case=case, kind=EventKind.CONTACT_REVEALED, actor=operator).exists()
    response = client.post(f"/cases/{case.reference}/do/callback/", {"outcome": "no_answer"})
    assert response.status_code == 302
    assert case.callbacks.get().attempts.get().by == operator


# --- follow-up: the check-in --------------------------------------------------------------------------------------


def resolved_case(operator, *, days_ago, **kwargs):
    case, code = make_case(**kwargs)
    services.claim_case(case=case, user=operator)
    services.resolve_case(case=case, user=operator, outcome=Outcome.ADVICE_GIVEN, summary="Đã tư vấn.")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=days_ago))
    return Case.objects.get(pk=case.pk), code


def test_the_check_in_opens_after_the_configured_days_once_and_is_announced(
    operator, mailoutbox, no_quiet_hours, django_capture_on_commit_callbacks
):
    due, code = resolved_case(
        operator, days_ago=7, contact_preference=ContactPreference.EMAIL, contact_email="em.hs@example.com"
    )
    not_yet, _code = resolved_case(operator, days_ago=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert check_ins.send_check_ins() == 1
    assert check_ins.send_check_ins() == 0  # once
    assert CheckIn.objects.get().case_id == due.pk and not CheckIn.objects.filter(case=not_yet).exists()
    [mail] = mailoutbox
    assert mail.subject == "Có một câu hỏi ngắn dành cho bạn"
    assert_neutral(mail.subject + mail.body, due, code)
    assert ReporterNotice.objects.get(case=due).kind == NoticeKind.CHECK_IN


def test_not_ok_reopens_the_conversation_and_the_figures_count_it(client, operator):
    case, code = resolved_case(operator, days_ago=8)
    happy, happy_code = resolved_case(operator, days_ago=8)
    check_ins.send_check_ins()
    open_status(client, case, code)
    page = client.get(f"/status/{case.reference}/").content.decode()
    assert 'id="check-in"' in page
    client.post(
        f"/status/{case.reference}/check-in/",
        {"all_ok": "no", "message": "Họ lại nhắn tin cho em", "rating": "2", "comment": ""},
    )
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    assert case.messages.get().text == "Họ lại nhắn tin cho em"
    other = client.__class__()
    open_status(other, happy, happy_code)
    other.post(f"/status/{happy.reference}/check-in/", {"all_ok": "yes", "rating": "5", "comment": "Cảm ơn"})
    # Answered once: the form is gone, a second answer changes nothing.
    assert 'id="check-in"' not in other.get(f"/status/{happy.reference}/").content.decode()
    other.post(f"/status/{happy.reference}/check-in/", {"all_ok": "no", "rating": "1"})
    period = statistics.Period(timezone.localdate() - timedelta(days=30), timezone.localdate())
    figures = statistics.follow_up(period)
    assert (figures.check_ins_sent, figures.check_ins_answered, figures.all_ok, figures.not_ok) == (2, 2, 1, 1)
    assert (figures.ratings, figures.average_rating) == (2, 3.5)
    assert statistics.figures(period).follow_up == figures  # the rollup: sending and answering marked the day


def test_a_rating_outside_1_to_5_is_refused(operator):
    case, _code = resolved_case(operator, days_ago=9)
    check_ins.send_check_ins()
    with pytest.raises(check_ins.CheckInError):
        check_ins.answer_check_in(case=case, all_ok=True, rating=6)
    assert CheckIn.objects.get().answered_at is None


def test_the_purge_removes_push_addresses_and_the_reporters_words(operator):
    from cases import retention

    case, _code = resolved_case(
        operator, days_ago=20, contact_preference=ContactPreference.PHONE, contact_phone="0912345678"
    )
    callbacks.set_safety_note(case=case, note="Gọi sau 17 giờ")
    notices.save_push_subscription(case=case, endpoint="https://push.example/a", p256dh="k", auth="a", title="message")
    check_ins.send_check_ins()
    check_ins.answer_check_in(case=case, all_ok=True, rating=4, comment="Cảm ơn anh chị")
    services.close_case(case=case, user=operator)
    retention.purge_personal_data(now=timezone.now() + timedelta(days=400))
    assert not ReporterPushSubscription.objects.exists()
    assert case.callbacks.get().safety_note == ""
    check_in = CheckIn.objects.get()
    assert (check_in.comment, check_in.rating, check_in.all_ok) == ("", 4, True)  # the figures stay


def test_the_check_in_figures_are_on_the_dashboard_the_annual_page_and_the_docx(client, operator, supervisor):
    import io

    from docx import Document

    case, _code = resolved_case(operator, days_ago=8)
    check_ins.send_check_ins()
    check_ins.answer_check_in(case=case, all_ok=True, rating=4)
    today = timezone.localdate()
    query = f"start={today - timedelta(days=30):%Y-%m-%d}&end={today:%Y-%m-%d}"
    verified_login(client, supervisor)
    dashboard = client.get(f"/reports/?{query}").content.decode()
    assert "Hỏi thăm: đã trả lời / đã gửi" in dashboard and "1 / 1" in dashboard
    annual = client.get(f"/reports/annual/?{query}").content.decode()
    assert "1 người đánh giá sự giúp đỡ, trung bình 4.0 trên 5." in annual or "trung bình 4,0 trên 5" in annual
    document = Document(io.BytesIO(client.get(f"/reports/annual.docx?{query}").content))
    rows = {row.cells[0].text: row.cells[1].text for table in document.tables for row in table.rows}
    assert rows["Số lần hỏi thăm sau khi giải quyết xong"] == "1"
    assert rows["trong đó mọi việc đã ổn"] == "1" and rows["Đánh giá trung bình"] == "4.0"


def test_leaving_the_case_on_a_shared_phone_stops_its_pushes(client):
    case, code = make_case()
    other_phone, _other = make_case()
    notices.save_push_subscription(
        case=other_phone, endpoint="https://fcm.googleapis.com/fcm/send/other", p256dh="k", auth="a", title="message"
    )
    open_status(client, case, code)
    body = {"endpoint": "https://fcm.googleapis.com/fcm/send/this", "keys": {"p256dh": "k" * 87, "auth": "a" * 22}}
    client.post(f"/status/{case.reference}/push/", {**body, "title": "message"}, content_type="application/json")
    assert ReporterPushSubscription.objects.filter(case=case).exists()
    client.post("/status/leave/")
    assert list(ReporterPushSubscription.objects.values_list("case_id", flat=True)) == [other_phone.pk]
