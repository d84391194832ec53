"""The supervisors' duty roster page, the acknowledgement on the case page, the link of the alerts, web push."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cases import paging
from cases.models import CaseEvent, DutyShift, EventKind, PushSubscription
from tests.factories import make_case, make_shift, verified_login

pytestmark = pytest.mark.django_db


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_it_lists_who_is_on_duty_and_adds_a_shift(client, supervisor):
    verified_login(client, supervisor)
    response = client.get("/cases/duty/")
    assert response.status_code == 200
    assert "Không ai đang trực" in response.content.decode()  # nobody on duty: every supervisor is paged
    start = timezone.now().replace(second=0, microsecond=0)
    response = client.post(
        "/cases/duty/",
        {"supervisor": supervisor.pk, "starts_at": local(start), "ends_at": local(start + timedelta(hours=8))},
    )
    assert response.status_code == 302
    shift = DutyShift.objects.get()
    assert (shift.supervisor, shift.starts_at, shift.created_by) == (supervisor, start, supervisor)
    assert list(paging.on_duty()) == [supervisor]
    assert "sup1" in client.get("/cases/duty/").content.decode()


def test_a_shift_that_ends_before_it_starts_is_refused_with_what_was_typed_kept(client, supervisor):
    verified_login(client, supervisor)
    response = client.post(
        "/cases/duty/", {"supervisor": supervisor.pk, "starts_at": "2026-12-01T20:00", "ends_at": "2026-12-01T08:00"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ca trực phải kết thúc sau khi bắt đầu." in page
    assert 'value="2026-12-01T20:00"' in page and 'value="2026-12-01T08:00"' in page
    assert not DutyShift.objects.exists()


def test_a_supervisor_removes_a_shift_and_a_counsellor_cannot_see_the_roster(client, supervisor, operator):
    now = timezone.now()
    shift = make_shift(supervisor, starts_at=now, ends_at=now + timedelta(hours=1))
    verified_login(client, operator)
    assert client.get("/cases/duty/").status_code == 403
    assert client.post(f"/cases/duty/{shift.pk}/remove/").status_code == 403
    verified_login(client, supervisor)
    assert client.post(f"/cases/duty/{shift.pk}/remove/").status_code == 302
    assert not DutyShift.objects.exists()


def test_the_case_page_shows_the_paging_and_a_supervisor_acknowledges_it_there(client, supervisor, operator):
    case, _code = make_case(in_danger=True)
    [page] = paging.page_unclaimed_cases(now=case.first_response_due_at)
    verified_login(client, operator)
    body = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Đang nhắn các giám sát viên" in body  # counsellors see the paging, without the button
    assert f"{case.reference}/do/acknowledge_page/" not in body
    response = client.post(f"/cases/{case.reference}/do/acknowledge_page/")
    assert response.status_code == 302 and not CaseEvent.objects.filter(kind=EventKind.PAGE_ACKNOWLEDGED).exists()

    verified_login(client, supervisor)
    assert client.get(f"/cases/pages/{page.pk}/")["Location"] == f"/cases/{case.reference}/"  # the alerts' link
    response = client.post(f"/cases/{case.reference}/do/acknowledge_page/", follow=True)
    body = response.content.decode()
    assert "Đã xác nhận cảnh báo" in body  # on the timeline
    assert "Đang nhắn các giám sát viên" not in body
    assert CaseEvent.objects.get(kind=EventKind.PAGE_ACKNOWLEDGED).actor == supervisor


def test_a_staff_browser_subscribes_to_web_push(client, operator):
    verified_login(client, operator)
    subscription = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": {"p256dh": "BNc", "auth": "tB"}}
    response = client.post("/cases/push/subscribe/", json.dumps(subscription), content_type="application/json")
    assert response.status_code == 204
    assert PushSubscription.objects.get().user == operator
    for bad in ("{", json.dumps({"endpoint": "http://example.com/x", "keys": {"p256dh": "a", "auth": "b"}}), "[]"):
        response = client.post("/cases/push/subscribe/", bad, content_type="application/json")
        assert response.status_code == 400
    assert PushSubscription.objects.count() == 1


def test_the_service_worker_is_served_by_the_app(client):
    response = client.get("/cases/push/sw.js")
    assert response.status_code == 200 and response["Content-Type"] == "application/javascript"
    assert b"showNotification" in b"".join(response.streaming_content)
