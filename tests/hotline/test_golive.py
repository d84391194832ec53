"""`manage.py golive_check`: everything missing on an empty database, nothing once the README's steps are done."""

import contextlib
import socket
import threading

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from cases import roles
from cases.hotline_settings import update_hotline_settings
from cases.retention import purge_personal_data
from escalation.models import Agency, Liaison
from hotline import golive
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


class TinySMTPServer:
    """Just enough SMTP for a connection check: a greeting, 250 to everything, 221 to QUIT."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                peer, _address = self.listener.accept()
            except OSError:  # closed: the test is over
                return
            with peer, peer.makefile("rwb") as stream:
                stream.write(b"220 localhost ESMTP\r\n")
                stream.flush()
                for line in stream:
                    quitting = line.upper().startswith(b"QUIT")
                    stream.write(b"221 bye\r\n" if quitting else b"250 localhost\r\n")
                    stream.flush()
                    if quitting:
                        break

    def close(self):
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() above
        self.listener.close()
        self.thread.join(timeout=5)


def run(capsys):
    try:
        call_command("golive_check")
        failed = False
    except CommandError:
        failed = True
    return failed, capsys.readouterr().out


def test_on_an_empty_database_it_lists_what_is_missing_and_fails(capsys):
    failed, out = run(capsys)
    assert failed
    for label in [
        "Communes and wards: none loaded",
        "Agencies: e-mail and at least one liaison",
        "Hotline settings (admin): fill in: phone, hours_vi, signer_name",
        "Supervisors: no active supervisor account",
        "E-mail (SMTP): e-mail goes to the console",
        "Scheduled jobs",
    ]:
        assert f"MISSING {label}" in out


def complete_the_readme_steps(*, user):
    call_command("load_units")
    call_command("add_commune_committees")
    for agency in Agency.objects.current().filter(kind__in=golive.RECEIVING_KINDS):
        Agency.objects.filter(pk=agency.pk).update(email=f"{agency.code}@example.org")
        Liaison.objects.create(user=make_user(f"liaison-{agency.code}", roles.LIAISON), agency=agency)
    update_hotline_settings(user=user, phone="0222 3 888 111", hours_vi="7:30–22:00", signer_name="Nguyễn Văn A")
    purge_personal_data()


def test_on_a_complete_database_nothing_is_missing(capsys, settings_override):
    supervisor = make_user("chief", roles.SUPERVISOR)
    complete_the_readme_steps(user=supervisor)
    checks = {check.__name__: check() for check in golive.CHECKS}
    not_ok = {name for name, result in checks.items() if not result.ok}
    # The database and Redis are what the test run uses: ready on the PostgreSQL + Redis run only.
    infrastructure = set()
    if connection.vendor != "postgresql":
        infrastructure.add("check_database")
    if not settings.REDIS_URL:
        infrastructure.add("check_redis")
    assert not_ok == infrastructure, {name: checks[name].detail for name in not_ok}
    failed, out = run(capsys)
    assert failed == bool(infrastructure) and ("Ready to open." in out) == (not infrastructure)


@pytest.fixture
def settings_override(settings, monkeypatch):
    """Production's values, as settings.py sets them when DEBUG is off, and an SMTP server that answers."""
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)  # set by the browser tests; never in production
    server = TinySMTPServer()
    settings.DEBUG = False
    settings.SECRET_KEY = "k7#Vq2!pZr9@Lm4$Xw8&Tn1^Hc6*Bd3(Fg5)Js0_Ye-Ua+Oi=Ek;Rl"
    settings.ALLOWED_HOSTS = ["hotline.example.vn"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield settings
    server.close()
