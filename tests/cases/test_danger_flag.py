"""The "someone is in danger right now" flag: raised by a counsellor (at triage or at any time), cleared only by a
supervisor with a reason; each change on the timeline and announced to the open pages."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils import translation
from django.utils.translation import gettext

from cases import realtime, services
from cases.models import Case, CaseEvent, CaseState, EventKind
from cases.plumbing import NotAllowed
from tests.cases.test_chat import connected, new_case, staff_cookie
from tests.factories import make_case


def act(client, case, action, **data):
    return client.post(f"/cases/{case.reference}/do/{action}/", data)


def danger_events(case):
    return list(CaseEvent.objects.filter(case=case, kind=EventKind.DANGER_FLAG).order_by("id"))


@pytest.mark.django_db
def test_it_raises_the_flag_from_the_case_page_with_a_timeline_entry(client, operator):
    case, _ = make_case()
    client.force_login(operator)
    assert act(client, case, "flag_danger").status_code == 302
    case.refresh_from_db()
    assert case.in_danger
    [event] = danger_events(case)
    assert event.actor == operator and event.data == {"in_danger": True}
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'id="danger-flag"' in html
    # Raising it again changes nothing and writes nothing.
    act(client, case, "flag_danger")
    assert len(danger_events(case)) == 1


@pytest.mark.django_db
def test_triage_raises_the_flag_through_the_service(client, operator):
    case, _ = make_case()
    client.force_login(operator)
    response = act(client, case, "triage", category=case.category.pk, priority=2, in_danger="on")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.TRIAGED and case.in_danger
    assert [event.data for event in danger_events(case)] == [{"in_danger": True}]


@pytest.mark.django_db
def test_triage_without_the_box_leaves_the_flag_alone(client, operator):
    case, _ = make_case(in_danger=True)
    client.force_login(operator)
    act(client, case, "triage", category=case.category.pk, priority=2)
    case.refresh_from_db()
    assert case.in_danger and danger_events(case) == []


@pytest.mark.django_db
def test_a_supervisor_clears_the_flag_with_a_reason(client, supervisor):
    case, _ = make_case(in_danger=True)
    client.force_login(supervisor)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert "clear_danger" in html
    assert act(client, case, "clear_danger", reason="Called back: the friend is safe at home.").status_code == 302
    case.refresh_from_db()
    assert not case.in_danger
    [event] = danger_events(case)
    assert event.actor == supervisor and event.data == {"in_danger": False}
    assert event.text == "Called back: the friend is safe at home."


@pytest.mark.django_db
def test_clearing_needs_a_reason_and_keeps_the_flag_without_one(client, supervisor):
    case, _ = make_case(in_danger=True)
    client.force_login(supervisor)
    assert act(client, case, "clear_danger", reason="   ").status_code == 400
    case.refresh_from_db()
    assert case.in_danger and danger_events(case) == []


@pytest.mark.django_db
def test_a_counsellor_cannot_clear_the_flag(client, operator):
    case, _ = make_case(in_danger=True)
    client.force_login(operator)
    assert "clear_danger" not in client.get(f"/cases/{case.reference}/").content.decode()
    response = act(client, case, "clear_danger", reason="I think it is fine")
    assert response.status_code == 302  # a clear message on the page, in the page's language, never a 500
    with translation.override("vi"):
        refusal = gettext("You are not allowed to do this on this case.")
    assert refusal != "You are not allowed to do this on this case."
    assert refusal in client.get(response["Location"]).content.decode()
    case.refresh_from_db()
    assert case.in_danger and danger_events(case) == []
    with pytest.raises(NotAllowed):
        services.clear_in_danger(case=case, user=operator, reason="I think it is fine")


@pytest.mark.django_db
def test_people_without_a_role_cannot_raise_it(outsider):
    case, _ = make_case()
    with pytest.raises(NotAllowed):
        services.flag_in_danger(case=case, user=outsider)
    assert not Case.objects.get(pk=case.pk).in_danger


@pytest.mark.django_db
def test_the_queue_hears_of_each_change_after_commit(operator, supervisor, django_capture_on_commit_callbacks):
    layer = get_channel_layer()
    case, _ = make_case()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(realtime.QUEUE_GROUP, channel)
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_in_danger(case=case, user=operator)
    event = async_to_sync(layer.receive)(channel)
    assert event["type"] == realtime.QUEUE_CHANGED and event["change"] == "updated"
    assert event["reference"] == case.reference
    with django_capture_on_commit_callbacks(execute=True):
        services.clear_in_danger(case=case, user=supervisor, reason="safe now")
    assert async_to_sync(layer.receive)(channel)["change"] == "updated"


@pytest.mark.usefixtures("reference_data")
@pytest.mark.asyncio
async def test_the_counsellors_open_case_page_hears_of_the_flag():
    case, _code = await new_case()
    operator, cookie = await staff_cookie("op-danger")
    page = await connected(case.reference, cookie)
    await database_sync_to_async(services.flag_in_danger)(case=case, user=operator)
    while (frame := await page.receive_json_from(timeout=5))["type"] != "case":
        pass
    assert frame == {"type": "case"}
    await page.disconnect()
