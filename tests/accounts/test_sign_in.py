"""Staff sign-in with a second factor: enrolment on first sign-in, verification with the authenticator app or a
recovery code, throttling of the code step, idle timeout, sessions, the admin's reset, the demo secret."""

import datetime
import io
import time
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services
from accounts.demo import DEMO_TOTP_KEY_HEX, DEMO_TOTP_SECRET
from accounts.models import StaffSession
from cases.models import AuditAction, AuditEntry
from tests.conftest import make_user
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import POLICE
from tests.factories import totp_code, verified_login

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile "
    "Safari/537.36"
)


def password_step(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def enrolled(user):
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_it_sends_an_account_without_a_device_to_enrol_before_any_staff_page(client):
    make_user("lan", "operator")
    password_step(client, "lan")
    for url in ("/staff/", "/cases/", "/reports/", "/liaison/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/enrol/"), url


def test_it_enrols_an_authenticator_app_then_shows_recovery_codes_once(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own delay after a wrong code is not what this is about
    user = make_user("lan", "operator")
    password_step(client, "lan")
    page = client.get("/accounts/enrol/?next=/cases/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and page.context["secret"].replace(" ", "") in html.replace(" ", "")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # A wrong code: the device stays unconfirmed, the page says why.
    wrong = client.post("/accounts/enrol/", {"token": "000000" if totp_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["token"]
    response = client.post("/accounts/enrol/", {"token": totp_code(device), "next": "/cases/"})
    assert unquote(response["Location"]) == "/accounts/recovery-codes/?next=/cases/"
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == services.RECOVERY_CODE_COUNT and all(code in codes_page.content.decode() for code in codes)
    # Not ticked: the codes stay on the page.
    assert client.post("/accounts/recovery-codes/", {"next": "/cases/"}).context["form"].errors
    done = client.post("/accounts/recovery-codes/", {"saved": "on", "next": "/cases/"})
    assert done["Location"] == "/cases/"
    # Shown once: never again from the server.
    assert client.get("/accounts/recovery-codes/")["Location"] == "/accounts/security/"
    assert client.get("/cases/").status_code == 200


def test_it_asks_an_enrolled_account_for_its_code_and_refuses_a_wrong_one(client):
    user = make_user("minh", "operator")
    device = enrolled(user)
    password_step(client, "minh")
    assert client.get("/cases/")["Location"] == "/accounts/verify/?next=%2Fcases%2F"
    # An enrolled account cannot add a device before proving the one it has.
    assert client.get("/accounts/enrol/")["Location"].startswith("/accounts/verify/")
    wrong = client.post("/accounts/verify/", {"token": "12345x"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert client.get("/cases/").status_code == 302
    half_signed_in = client.cookies["sessionid"].value
    response = client.post("/accounts/verify/", {"token": totp_code(device), "next": "/cases/"})
    assert response["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200
    # A cookie copied after the password step is worth nothing: the verified session has a new key.
    assert client.cookies["sessionid"].value != half_signed_in
    stolen = Client()
    stolen.cookies["sessionid"] = half_signed_in
    assert stolen.get("/cases/")["Location"].startswith("/accounts/login/")


def test_a_code_is_accepted_once(client):
    user = make_user("minh", "operator")
    device = enrolled(user)
    code = totp_code(device)
    password_step(client, "minh")
    client.post("/accounts/verify/", {"token": code})
    other = Client()
    password_step(other, "minh")
    assert other.post("/accounts/verify/", {"token": code}).status_code == 200  # replayed: refused
    assert other.get("/cases/").status_code == 302


def test_a_recovery_code_signs_in_once(client):
    user = make_user("minh", "operator")
    enrolled(user)
    codes = services.issue_recovery_codes(user=user)
    password_step(client, "minh")
    response = client.post("/accounts/verify/", {"token": codes[0].upper().replace("-", " ")})
    assert response["Location"] == "/staff/"
    assert services.remaining_recovery_codes(user) == services.RECOVERY_CODE_COUNT - 1
    again = Client()
    password_step(again, "minh")
    assert again.post("/accounts/verify/", {"token": codes[0]}).status_code == 200
    assert again.get("/cases/").status_code == 302


def test_a_recovery_code_with_six_digits_in_it_is_still_a_recovery_code(client):
    user = make_user("minh", "operator")
    enrolled(user)
    services.issue_recovery_codes(user=user)
    device = StaticDevice.objects.get(user=user)
    device.token_set.create(token="d5737ck47g")  # six digits among its letters, as one code in thirty or so
    password_step(client, "minh")
    response = client.post("/accounts/verify/", {"token": "d5737-ck47g"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert not device.token_set.filter(token="d5737ck47g").exists()


def test_the_code_step_is_throttled_per_address_and_per_user_name_like_the_password(settings):
    settings.THROTTLE_LOGIN = (3, 900)
    user = make_user("minh", "operator")
    device = enrolled(user)
    owner = Client(REMOTE_ADDR="10.0.0.99")
    password_step(owner, "minh")
    wrong = "999999" if totp_code(device) != "999999" else "888888"
    for i in range(3):
        attacker = Client(REMOTE_ADDR=f"10.0.0.{i}")
        password_step(attacker, "minh")
        attacker.post("/accounts/verify/", {"token": wrong})
    # The right code, from another address, is refused now: the user name is locked.
    response = owner.post("/accounts/verify/", {"token": totp_code(device)})
    assert response.status_code == 429 and response.context["form"].non_field_errors()
    assert owner.get("/cases/").status_code == 302
    # And the password step of that name too: the two steps share the counters.
    assert password_step(Client(REMOTE_ADDR="10.0.0.98"), "minh").status_code == 200


def test_the_code_step_is_throttled_per_address(settings):
    settings.THROTTLE_LOGIN = (3, 900)
    lan = make_user("lan", "operator")
    device = enrolled(lan)
    at_school = Client(REMOTE_ADDR="10.0.0.7")
    password_step(at_school, "lan")
    for name in ("a1", "a2", "a3"):
        enrolled(make_user(name, "operator"))
        guesser = Client(REMOTE_ADDR="10.0.0.7")
        password_step(guesser, name)
        guesser.post("/accounts/verify/", {"token": "12345678"})
    assert at_school.post("/accounts/verify/", {"token": totp_code(device)}).status_code == 429
    assert at_school.get("/cases/").status_code == 302


def test_an_unverified_session_gets_nothing_of_the_liaison_portal_or_the_admin(client):
    liaison = make_liaison("pa05", POLICE)
    enrolled(liaison)
    admin = make_user("root", "admin", is_staff=True, is_superuser=True)
    for user, url in ((liaison, "/liaison/"), (admin, "/admin/"), (admin, "/admin/auth/user/")):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            ("/accounts/verify/", "/accounts/enrol/")
        )


def test_the_admin_signs_in_through_the_staff_sign_in(client):
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=/admin/"


def test_a_session_idle_longer_than_the_timeout_is_signed_out(client, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 30
    user = make_user("lan", "operator")
    verified_login(client, user)
    assert client.get("/cases/").status_code == 200
    session = client.session
    session[services.LAST_ACTIVITY_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/cases/")
    assert "_auth_user_id" not in client.session
    assert not StaffSession.objects.filter(user=user).exists()


def test_activity_within_the_timeout_keeps_the_session_and_background_refreshes_do_not(client, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 30
    user = make_user("lan", "operator")
    verified_login(client, user)
    session = client.session
    session[services.LAST_ACTIVITY_KEY] = int(time.time()) - 29 * 60
    session.save()
    # The queue's own refresh (a script's fetch) is not activity...
    assert client.get("/cases/?fragment=rows", headers={"X-Requested-With": "fetch"}).status_code == 200
    assert client.session[services.LAST_ACTIVITY_KEY] < time.time() - 28 * 60
    # ...a click is.
    assert client.get("/cases/").status_code == 200
    assert client.session[services.LAST_ACTIVITY_KEY] >= time.time() - 5


def test_the_idle_timeout_defaults_to_30_minutes():
    from hotline import settings as defaults

    assert defaults.STAFF_IDLE_TIMEOUT_MINUTES == 30


def test_ones_sessions_show_the_browser_family_and_a_masked_network_only():
    user = make_user("lan", "operator")
    device = enrolled(user)
    phone = Client(REMOTE_ADDR="203.113.45.67", HTTP_USER_AGENT=CHROME_ANDROID)
    password_step(phone, "lan")
    phone.post("/accounts/verify/", {"token": totp_code(device)})
    assert phone.get("/cases/").status_code == 200
    desk = Client(
        REMOTE_ADDR="2001:db8:85a3::8a2e:370:7334",
        HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
    )
    password_step(desk, "lan")
    desk.post("/accounts/verify/", {"token": services.issue_recovery_codes(user=user)[0]})
    page = desk.get("/accounts/sessions/")
    html = page.content.decode()
    assert "Chrome, Android" in html and "Firefox, Linux" in html
    assert "203.113.x.x" in html and "2001:db8::/32" in html
    assert "45.67" not in html and "8a2e" not in html and "SM-A546E" not in html
    assert len(page.context["staff_sessions"]) == 2


def test_sign_out_everywhere_ends_every_session_of_the_account_only(client):
    user = make_user("lan", "operator")
    someone_else = Client()
    verified_login(someone_else, make_user("minh", "operator"))
    phone = Client()
    verified_login(phone, user)
    phone.get("/cases/")
    verified_login(client, user)
    client.get("/cases/")
    response = client.post("/accounts/sessions/", {"everywhere": "1"})
    assert response["Location"] == "/accounts/login/"
    assert phone.get("/cases/")["Location"].startswith("/accounts/login/")
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")
    assert someone_else.get("/cases/").status_code == 200
    assert not StaffSession.objects.filter(user=user).exists()


def test_one_other_session_can_be_signed_out_but_not_someone_elses(client):
    user = make_user("lan", "operator")
    phone = Client()
    verified_login(phone, user)
    phone.get("/cases/")
    stranger = Client()
    verified_login(stranger, make_user("minh", "operator"))
    stranger.get("/cases/")
    verified_login(client, user)
    client.get("/cases/")
    theirs = StaffSession.objects.get(user__username="minh")
    client.post("/accounts/sessions/", {"session": str(theirs.pk)})
    assert stranger.get("/cases/").status_code == 200
    mine = StaffSession.objects.get(user=user, session_key=phone.session.session_key)
    client.post("/accounts/sessions/", {"session": str(mine.pk)})
    assert phone.get("/cases/")["Location"].startswith("/accounts/login/")
    assert client.get("/cases/").status_code == 200
    assert client.post("/accounts/sessions/", {"session": "x"}).status_code == 302  # nonsense: nothing happens


def test_signing_out_forgets_the_session(client):
    user = make_user("lan", "operator")
    verified_login(client, user)
    client.get("/cases/")
    assert StaffSession.objects.filter(user=user).count() == 1
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"
    assert not StaffSession.objects.filter(user=user).exists()


def test_an_admin_resets_a_persons_devices_on_the_audit_trail(client):
    admin = make_user("root", "admin", is_staff=True, is_superuser=True)
    lan = make_user("lan", "operator")
    lan_phone = Client()
    verified_login(lan_phone, lan)
    lan_phone.get("/cases/")
    services.issue_recovery_codes(user=lan)
    WebAuthnCredential.objects.create(user=lan, name="key", confirmed=True, credential_id=b"x" * 16, public_key=b"k")
    verified_login(client, admin)
    response = client.post(
        "/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [str(lan.pk)]}, follow=True
    )
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=lan).exists()
    assert not StaticDevice.objects.filter(user=lan).exists()
    assert not WebAuthnCredential.objects.filter(user=lan).exists()
    entry = AuditEntry.objects.get(action=AuditAction.SECOND_FACTOR_RESET)
    assert entry.actor == admin and entry.target == f"user:{lan.pk}" and entry.params == {"devices": 3}
    # Their sessions are over; at the next sign-in they enrol again.
    assert lan_phone.get("/cases/")["Location"].startswith("/accounts/login/")
    password_step(lan_phone, "lan")
    assert lan_phone.get("/cases/")["Location"].startswith("/accounts/enrol/")


def test_the_demo_accounts_get_the_documented_secret_in_debug(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    for username in ("operator", "supervisor", "police", "infodept", "admin"):
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.key == DEMO_TOTP_KEY_HEX
    assert services.totp_secret(device).replace(" ", "") == DEMO_TOTP_SECRET
    client = Client()
    password_step(client, "operator", "hotline-demo")
    assert client.post("/accounts/verify/", {"token": totp_code(device)})["Location"] == "/staff/"


def test_outside_debug_the_demo_secret_fails_the_system_check_and_signs_nobody_in(settings):
    user = make_user("operator", "operator")
    device = TOTPDevice.objects.create(user=user, name="demo", key=DEMO_TOTP_KEY_HEX, confirmed=True)
    settings.DEBUG = False
    errors = [error for error in run_checks(include_deployment_checks=False) if error.id == "accounts.E001"]
    assert errors and DEMO_TOTP_SECRET not in errors[0].msg
    client = Client()
    password_step(client, "operator")
    assert client.post("/accounts/verify/", {"token": totp_code(device)}).status_code == 200
    assert client.get("/cases/").status_code == 302
    settings.DEBUG = True
    assert not [error for error in run_checks() if error.id == "accounts.E001"]


def test_nothing_of_the_code_reaches_the_logs(client, caplog):
    user = make_user("minh", "operator")
    device = enrolled(user)
    password_step(client, "minh")
    code = totp_code(device)
    client.post("/accounts/verify/", {"token": "135790"})
    client.post("/accounts/verify/", {"token": code})
    assert "135790" not in caplog.text and code not in caplog.text and device.key not in caplog.text


def test_the_recovery_codes_can_be_renewed_and_the_old_ones_stop_working(client):
    user = make_user("lan", "operator")
    verified_login(client, user)
    old = services.issue_recovery_codes(user=user)
    assert client.get("/accounts/security/").context["recovery_left"] == 10
    response = client.post("/accounts/recovery-codes/new/")
    assert response["Location"] == "/accounts/recovery-codes/"
    new = client.get("/accounts/recovery-codes/").context["codes"]
    assert set(new).isdisjoint(old)
    other = Client()
    password_step(other, "lan")
    assert other.post("/accounts/verify/", {"token": old[1]}).status_code == 200


def test_last_activity_is_written_at_most_once_a_minute(client):
    user = make_user("lan", "operator")
    verified_login(client, user)
    client.get("/cases/")
    seen = StaffSession.objects.get(user=user).last_seen_at
    client.get("/cases/")
    assert StaffSession.objects.get(user=user).last_seen_at == seen
    assert seen > timezone.now() - datetime.timedelta(minutes=1)


def test_a_user_without_any_role_is_still_asked_for_a_second_factor(client):
    make_user("nobody")
    password_step(client, "nobody")
    assert client.get("/staff/")["Location"].startswith("/accounts/enrol/")
    assert User.objects.get(username="nobody").is_authenticated


def test_a_session_ended_elsewhere_leaves_the_list(client):
    user = make_user("lan", "operator")
    other = Client()
    verified_login(other, user)
    verified_login(client, user)
    assert len(client.get("/accounts/sessions/").context["staff_sessions"]) == 2
    other.session.flush()  # e.g. signed out through the admin's own link, or expired
    assert len(client.get("/accounts/sessions/").context["staff_sessions"]) == 1


def test_the_passkey_script_speaks_vietnamese(client):
    catalogue = client.get("/accounts/passkeys/jsi18n/").content.decode()
    assert (
        "X\\u00e1c minh b\\u1eb1ng kh\\u00f3a truy c\\u1eadp" in catalogue or "Xác minh bằng khóa truy cập" in catalogue
    )
    assert "Đang xác minh" in catalogue or "\\u0110ang x\\u00e1c minh" in catalogue
