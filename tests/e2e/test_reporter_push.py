"""Two browsers: a young person allows notifications on the status page and closes it; a counsellor answers at the
desk; the young person's service worker receives a content-free push and opening it lands on /status/, where the
access code must be entered again.

How the push travels here (headless Chromium has no push service: `pushManager.subscribe()` fails with
"Registration failed - permission denied"):
  1. the status page's own script runs; only `PushManager.prototype.subscribe` is replaced, by an init script, with
     one that returns what a browser would: an endpoint (a local push endpoint this test stands up, the PushService
     of tests/cases/test_paging.py) and P-256/auth keys the test holds, so the page posts a real subscription to
     the server;
  2. the counsellor's reply makes the server send the notice with pywebpush (VAPID, aes128gcm) to that endpoint;
     the test decrypts what arrived;
  3. the test hands exactly those bytes to the reporter's real service worker (static/js/status-sw.js) with
     DevTools' `ServiceWorker.deliverPushMessage` over a Playwright CDP session; the worker shows the notification,
     read back through `registration.getNotifications()`;
  4. headless Chromium cannot tap a notification: the test opens the notification's own URL, which is what the
     worker's `notificationclick` handler opens (`/status/`), and checks that the code is asked for.
"""

import base64
import json
import re

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.utils import translation
from playwright.sync_api import expect

from cases.models import ContactPreference, HotlineSettings, ReporterNotice, ReporterPushSubscription
from tests.cases.test_paging import PushService
from tests.e2e.staff import sign_in
from tests.factories import make_case

PASSWORD = "a-long-operator-password"


def vi(message):
    with translation.override("vi"):
        return str(translation.gettext(message))


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def push_endpoint():
    service = PushService(201)
    yield service
    service.close()


def test_the_reporter_gets_a_neutral_push_and_opening_it_asks_for_the_code(
    site, new_phone, desk, push_endpoint, settings, tmp_path
):
    import datetime

    settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_KEY_FILE = tmp_path / "vapid.pem"
    settings.REPORTER_PUSH_SERVICES = [push_endpoint.url]
    # Quiet hours off: the test must not depend on the hour it runs at (they have their own tests).
    HotlineSettings.objects.update_or_create(
        id=1, defaults={"quiet_hours_start": datetime.time(0, 0), "quiet_hours_end": datetime.time(0, 0)}
    )
    cache.clear()
    operator = User.objects.create_user("hoa", password=PASSWORD, first_name="Hoa")  # the live server is in-process
    operator.groups.add(Group.objects.get(name="operator"))
    case, code = make_case(description="Có người dọa tung ảnh của em.", contact_preference=ContactPreference.NONE)

    # The browser's keys, as PushManager.subscribe() would make them.
    key = ec.generate_private_key(ec.SECP256R1())
    secret = b"sixteen byte sec"
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    subscription = {
        "endpoint": f"{push_endpoint.url}/push/phone-1",
        "keys": {"p256dh": b64url(public), "auth": b64url(secret)},
    }

    context = new_phone()
    context.grant_permissions(["notifications"], origin=site)
    context.add_init_script(
        "PushManager.prototype.subscribe = function () {"
        f"  var json = {json.dumps(subscription)};"
        "  return Promise.resolve({ endpoint: json.endpoint, toJSON: function () { return json; } });"
        "};"
    )
    phone = context.new_page()
    errors = []
    phone.on("pageerror", lambda error: errors.append(error))

    # The young person opens their case and turns notifications on, with a title of their choosing.
    phone.goto(f"{site}/status/")
    phone.fill("#id_reference", case.reference)
    phone.fill("#id_access_code", code)
    with phone.expect_navigation():
        phone.locator("form:has(#id_access_code) button[type=submit]").click()
    expect(phone).to_have_url(re.compile(rf"/status/{case.reference}/$"))
    push_box = phone.locator("#reporter-push")
    expect(push_box).to_be_visible()
    phone.select_option("#push-title", "reminder")
    phone.locator("#push-on").click()
    expect(phone.locator("#push-state")).to_have_text(vi("Notifications are on for this device."))
    stored = ReporterPushSubscription.objects.get(case=case)
    assert (stored.endpoint, stored.title) == (subscription["endpoint"], "reminder")
    phone.evaluate("navigator.serviceWorker.ready.then(function () { return true; })")
    phone.close()  # the young person closes the page

    # The counsellor answers from the desk.
    sign_in(desk, "hoa", PASSWORD, at=f"{site}/accounts/login/")
    desk.goto(f"{site}/cases/{case.reference}/")
    desk.locator("button[data-transition=claim]").click()
    desk.fill("#chat-form textarea[name=text]", "Em đừng trả lời người đó, chị sẽ giúp em.")
    desk.locator("#chat-form button[type=submit]").click()
    expect(desk.locator("#messages")).to_contain_text("chị sẽ giúp em")

    # The server's push reached the local push endpoint, encrypted, with nothing of the case in it.
    assert len(push_endpoint.received) == 1
    request = push_endpoint.received[0]
    assert request["path"] == "/push/phone-1" and request["headers"]["authorization"].startswith("vapid t=")
    plain = http_ece.decrypt(request["body"], private_key=key, auth_secret=secret, version="aes128gcm").decode()
    payload = json.loads(plain)
    assert payload == {"title": vi("Reminder"), "body": vi("Open the page to read it."), "url": "/status/", "tag": "n"}
    for private in (case.reference, code, case.description, "chị sẽ giúp em", "Tổng đài", "Đoàn"):
        assert private not in plain
    assert ReporterNotice.objects.get(case=case).status == "sent"

    # The same bytes, delivered to the reporter's service worker: it shows the notification.
    reader = context.new_page()
    reader.goto(f"{site}/status/")
    cdp = context.new_cdp_session(reader)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    reader.wait_for_timeout(300)  # the registrations are announced right after enable
    live = [r for r in registrations if not r.get("isDeleted") and r["scopeURL"].endswith("/status/")]
    assert live, registrations
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": site, "registrationId": live[-1]["registrationId"], "data": plain},
    )
    shown = reader.wait_for_function(
        "navigator.serviceWorker.ready.then(function (r) { return r.getNotifications(); })"
        ".then(function (list) { return list.length ? list.map(function (n) {"
        "  return {title: n.title, body: n.body, url: n.data && n.data.url}; }) : null; })"
    ).json_value()
    assert shown == [{"title": vi("Reminder"), "body": vi("Open the page to read it."), "url": "/status/"}]

    # Opening it lands on /status/: the code must be entered again; nothing of the case shows until it is.
    reader.goto(f"{site}{shown[0]['url']}")
    expect(reader).to_have_url(re.compile(r"/status/$"))
    expect(reader.locator("#id_access_code")).to_have_value("")
    expect(reader.locator("body")).not_to_contain_text("chị sẽ giúp em")
    reader.fill("#id_reference", case.reference)
    reader.fill("#id_access_code", code)
    with reader.expect_navigation():
        reader.locator("form:has(#id_access_code) button[type=submit]").click()
    expect(reader.locator("#messages")).to_contain_text("chị sẽ giúp em")
    assert errors == []
