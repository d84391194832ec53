"""The duty roster and the paging of P1 cases nobody claimed in time (cases/paging.py)."""

import base64
import json
import os
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.utils import timezone

from cases import paging, push, roles, services
from cases.models import CaseEvent, EventKind, Page, PageAudience, PushSubscription
from tests.conftest import make_user
from tests.factories import make_case, make_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def duty_supervisor(supervisor):
    return supervisor


@pytest.fixture
def second_supervisor(db):
    return make_user("sup2", roles.SUPERVISOR, email="sup2@hotline.example.vn")


def p1_case():
    case, _code = make_case(in_danger=True, description="Em bị dọa tung ảnh, em sợ lắm.")
    assert case.priority == 1
    return case


def on_duty_now(user, now=None):
    now = now or timezone.now()
    return make_shift(user, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=7))


# --- the roster -------------------------------------------------------------------------------------------------


def test_it_knows_who_is_on_duty_now(supervisor, second_supervisor):
    now = timezone.now()
    on_duty_now(supervisor, now)
    make_shift(second_supervisor, starts_at=now + timedelta(hours=1), ends_at=now + timedelta(hours=9))
    assert list(paging.on_duty(now=now)) == [supervisor]
    assert list(paging.on_duty(now=now + timedelta(hours=2))) == [supervisor, second_supervisor]  # overlap: both
    assert list(paging.on_duty(now=now + timedelta(hours=8))) == [second_supervisor]  # the first shift has ended


def test_a_shift_ends_after_it_starts_and_only_supervisors_go_on_duty(supervisor, operator):
    now = timezone.now()
    with pytest.raises(paging.ShiftNotValid):
        paging.add_shift(user=supervisor, supervisor=supervisor, starts_at=now, ends_at=now)
    with pytest.raises(paging.ShiftNotValid):
        paging.add_shift(user=supervisor, supervisor=operator, starts_at=now, ends_at=now + timedelta(hours=1))
    with pytest.raises(services.NotAllowed):
        paging.add_shift(user=operator, supervisor=supervisor, starts_at=now, ends_at=now + timedelta(hours=1))


# --- paging -----------------------------------------------------------------------------------------------------


def test_it_pages_the_supervisor_on_duty_at_the_target_and_not_before(supervisor, second_supervisor):
    case = p1_case()
    on_duty_now(supervisor)
    due = case.first_response_due_at
    assert paging.page_unclaimed_cases(now=due - timedelta(seconds=1)) == []
    [page] = paging.page_unclaimed_cases(now=due)
    assert (page.round, page.audience) == (1, PageAudience.ON_DUTY)
    assert list(page.recipients.all()) == [supervisor]
    event = CaseEvent.objects.get(case=case, kind=EventKind.PAGED)
    assert event.data == {"round": 1, "audience": "on_duty", "recipients": [supervisor.pk]}


def test_with_nobody_on_duty_every_supervisor_is_paged(supervisor, second_supervisor, operator):
    case = p1_case()
    make_shift(supervisor, starts_at=timezone.now() - timedelta(hours=9), ends_at=timezone.now() - timedelta(hours=1))
    [page] = paging.page_unclaimed_cases(now=case.first_response_due_at)
    assert page.audience == PageAudience.ALL
    assert set(page.recipients.all()) == {supervisor, second_supervisor}  # counsellors are not paged


def test_a_p2_case_or_a_claimed_one_is_not_paged(supervisor, operator):
    p2, _code = make_case(category_code="OSE")
    assert p2.priority == 2
    claimed = p1_case()
    services.claim_case(case=claimed, user=operator)
    later = timezone.now() + timedelta(hours=2)
    assert paging.page_unclaimed_cases(now=later) == []


def test_a_rerun_or_a_second_worker_never_pages_twice(supervisor):
    case = p1_case()
    due = case.first_response_due_at
    assert len(paging.page_unclaimed_cases(now=due)) == 1
    assert paging.page_unclaimed_cases(now=due) == []
    assert paging.page_unclaimed_cases(now=due + timedelta(seconds=30)) == []
    assert Page.objects.filter(case=case).count() == 1


def test_unacknowledged_it_goes_to_every_supervisor_then_repeats_until_acknowledged(
    settings, supervisor, second_supervisor
):
    settings.PAGE_ESCALATE_AFTER = timedelta(minutes=5)
    settings.PAGE_REPEAT_EVERY = timedelta(minutes=3)
    case = p1_case()
    on_duty_now(supervisor)
    due = case.first_response_due_at
    paging.page_unclaimed_cases(now=due)
    assert paging.page_unclaimed_cases(now=due + timedelta(minutes=4)) == []
    [second] = paging.page_unclaimed_cases(now=due + timedelta(minutes=5))
    assert (second.round, second.audience) == (2, PageAudience.ALL)
    assert set(second.recipients.all()) == {supervisor, second_supervisor}
    assert paging.page_unclaimed_cases(now=due + timedelta(minutes=7)) == []
    [third] = paging.page_unclaimed_cases(now=due + timedelta(minutes=8))
    assert third.round == 3

    assert paging.acknowledge_page(case=case, user=second_supervisor) == 3
    assert paging.page_unclaimed_cases(now=due + timedelta(hours=1)) == []  # the repeats stop
    assert not Page.objects.filter(case=case, acknowledged_at__isnull=True).exists()
    event = CaseEvent.objects.get(case=case, kind=EventKind.PAGE_ACKNOWLEDGED)
    assert event.actor == second_supervisor and event.data == {"rounds": [1, 2, 3]}
    assert paging.acknowledge_page(case=case, user=supervisor) == 0  # again: nothing changes
    assert paging.open_pages_for(supervisor) == []


def test_a_counsellor_cannot_acknowledge_a_page(supervisor, operator):
    case = p1_case()
    paging.page_unclaimed_cases(now=case.first_response_due_at)
    with pytest.raises(services.NotAllowed):
        paging.acknowledge_page(case=case, user=operator)
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.PAGE_ACKNOWLEDGED).exists()


def test_claiming_the_case_ends_the_paging(supervisor, operator):
    case = p1_case()
    due = case.first_response_due_at
    paging.page_unclaimed_cases(now=due)
    assert [page.case for page in paging.open_pages_for(supervisor)] == [case]
    services.claim_case(case=case, user=operator)
    assert paging.open_pages_for(supervisor) == []
    assert paging.page_unclaimed_cases(now=due + timedelta(hours=1)) == []


# --- the alerts: e-mail and web push -----------------------------------------------------------------------------


def test_the_e_mail_says_nothing_about_the_case(
    settings, supervisor, second_supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://hotline.example.vn"
    supervisor.email = "sup1@hotline.example.vn"
    supervisor.save()
    case = p1_case()
    with django_capture_on_commit_callbacks(execute=True):
        [page] = paging.page_unclaimed_cases(now=case.first_response_due_at)
    assert sorted(mail.to[0] for mail in mailoutbox) == ["sup1@hotline.example.vn", "sup2@hotline.example.vn"]
    assert all(len(mail.to) == 1 for mail in mailoutbox)  # nobody learns who else was paged
    mail = mailoutbox[0]
    assert case.reference not in mail.subject and case.reference.replace("-", "") not in mail.subject
    assert f"https://hotline.example.vn/cases/pages/{page.pk}/" in mail.body
    for private in (case.reference, case.description, "dọa tung ảnh", case.commune, case.category.name_vi):
        assert private not in mail.subject + mail.body


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class PushService:
    """A real HTTP endpoint standing in for a browser vendor's push service: records each POST, answers `status`."""

    def __init__(self, status=201):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                received.append({"path": self.path, "headers": headers, "body": body})
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service():
    services_started = []

    def start(status=201):
        service = PushService(status)
        services_started.append(service)
        return service

    yield start
    for service in services_started:
        service.close()


@pytest.fixture
def vapid_key_file(settings, tmp_path):
    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_KEY_FILE = tmp_path / "vapid.pem"
    return settings.VAPID_KEY_FILE


def browser_subscription(user, endpoint):
    """What a browser's PushManager.subscribe() produces: its own P-256 key pair and a 16-byte secret."""
    key = ec.generate_private_key(ec.SECP256R1())
    secret = os.urandom(16)
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    subscription = push.save_subscription(user=user, endpoint=endpoint, p256dh=b64url(public), auth=b64url(secret))
    return subscription, key, secret


def test_a_page_is_pushed_encrypted_and_content_free_to_the_browsers_that_allowed_it(
    supervisor, operator, push_service, vapid_key_file, django_capture_on_commit_callbacks
):
    service = push_service(201)
    _subscription, key, secret = browser_subscription(supervisor, f"{service.url}/push/abc")
    browser_subscription(operator, f"{service.url}/push/not-paged")  # a counsellor: not paged
    case = p1_case()
    with django_capture_on_commit_callbacks(execute=True):
        [page] = paging.page_unclaimed_cases(now=case.first_response_due_at)
    [request] = service.received
    assert request["path"] == "/push/abc"
    assert request["headers"]["content-encoding"] == "aes128gcm"
    assert request["headers"]["authorization"].startswith("vapid t=")
    assert push.application_server_key() in request["headers"]["authorization"]
    payload = json.loads(http_ece.decrypt(request["body"], private_key=key, auth_secret=secret, version="aes128gcm"))
    assert payload["url"] == f"/cases/pages/{page.pk}/"
    for private in (case.reference, case.description):
        assert private not in json.dumps(payload, ensure_ascii=False)
    assert vapid_key_file.stat().st_mode & 0o077 == 0  # the generated key is the hotline's user's alone


def test_a_subscription_the_push_service_no_longer_knows_is_removed(
    supervisor, push_service, vapid_key_file, django_capture_on_commit_callbacks
):
    gone = push_service(410)
    alive = push_service(201)
    browser_subscription(supervisor, f"{gone.url}/push/old-phone")
    browser_subscription(supervisor, f"{alive.url}/push/laptop")
    case = p1_case()
    with django_capture_on_commit_callbacks(execute=True):
        paging.page_unclaimed_cases(now=case.first_response_due_at)
    assert len(gone.received) == 1 and len(alive.received) == 1
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [f"{alive.url}/push/laptop"]


def closed_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


def test_an_e_mail_the_mail_server_refuses_is_retried_later(
    settings, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    from huey.contrib.djhuey import HUEY

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", closed_port(), False
    supervisor.email = "sup1@hotline.example.vn"
    supervisor.save()
    case = p1_case()
    with django_capture_on_commit_callbacks(execute=True):
        [page] = paging.page_unclaimed_cases(now=case.first_response_due_at)  # the paging itself is not undone
    [retry] = [task for task in HUEY.scheduled() if task.name == "send_page_email"]
    assert retry.args == (page.pk,) and retry.retries == 2
    assert Page.objects.filter(pk=page.pk).exists()
