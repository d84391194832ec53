import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import make_user
from tests.factories import totp_code

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_staff_log_in_and_land_on_the_queue(client):
    user = make_user("lan", "operator")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = login(client, "lan", "a-long-test-password")
    # Login sends everyone to /staff/, which asks for the second factor first, then sends each role to its start
    # page (liaisons: /liaison/).
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/")["Location"] == "/accounts/verify/?next=%2Fstaff%2F"
    response = client.post("/accounts/verify/", {"token": totp_code(device), "next": "/staff/"})
    assert response["Location"] == "/staff/"
    assert client.get("/staff/")["Location"] == "/cases/"
    assert client.get("/cases/").status_code == 200


def test_repeated_failures_lock_the_account_name_and_the_client(client, settings):
    settings.THROTTLE_LOGIN = (3, 900)
    make_user("lan", "operator")
    for _ in range(3):
        assert login(client, "lan", "wrong").status_code == 200
    # Even the right password is refused now, with a clear message.
    response = login(client, "lan", "a-long-test-password")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()


def test_a_name_tried_from_many_addresses_is_locked_too(settings):
    from django.test import Client

    settings.THROTTLE_LOGIN = (3, 900)
    make_user("lan", "operator")
    for i in range(3):
        login(Client(REMOTE_ADDR=f"10.0.0.{i}"), "lan", "wrong")
    fresh = Client(REMOTE_ADDR="10.0.0.99")
    login(fresh, "lan", "a-long-test-password")
    assert "_auth_user_id" not in fresh.session


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from hotline import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
