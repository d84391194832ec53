"""Message numbering and counters across transitions (the services keep the locked row consistent)."""

import pytest

from cases import services
from cases.models import Case, CaseState, Sender
from tests.factories import make_case, verified_login

pytestmark = pytest.mark.django_db


def test_numbering_survives_a_transition_triggered_by_a_message(operator):
    case, _ = make_case()
    services.claim_case(case=case, user=operator)
    services.post_staff_message(case=case, user=operator, text="Chào em")
    services.wait_for_reporter(case=case, user=operator)
    services.add_reporter_information(case=case, text="Em đây")  # reopens: saves the whole row
    services.post_staff_message(case=case, user=operator, text="Em kể tiếp nhé")
    services.add_reporter_information(case=case, text="Vâng")
    case.refresh_from_db()
    assert list(case.messages.values_list("seq", "sender")) == [
        (1, Sender.STAFF),
        (2, Sender.REPORTER),
        (3, Sender.STAFF),
        (4, Sender.REPORTER),
    ]
    assert case.message_seq == 4 and case.state == CaseState.IN_PROGRESS and case.unread_by_staff == 1


def test_answering_or_opening_marks_reporter_messages_read(operator):
    case, _ = make_case()
    services.claim_case(case=case, user=operator)
    services.add_reporter_information(case=case, text="1")
    services.add_reporter_information(case=case, text="2")
    assert Case.objects.get(pk=case.pk).unread_by_staff == 2
    services.post_staff_message(case=case, user=operator, text="Chị đọc rồi")
    assert Case.objects.get(pk=case.pk).unread_by_staff == 0
    services.add_reporter_information(case=case, text="3")
    services.mark_seen_by_staff(case=case)
    assert Case.objects.get(pk=case.pk).unread_by_staff == 0


def test_message_text_is_escaped_wherever_it_is_shown(client, operator):
    case, code = make_case()
    services.claim_case(case=case, user=operator)
    services.add_reporter_information(case=case, text='<script>alert("x")</script><img src=x onerror=alert(1)>')
    client.post("/status/", {"reference": case.reference, "access_code": code})
    for page in (client.get(f"/status/{case.reference}/"),):
        html = page.content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert" in html
    verified_login(client, operator)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;script&gt;alert" in html


def test_a_reporters_message_writes_the_same_rows_on_every_database(operator, django_capture_on_commit_callbacks):
    """A message to an open case is stored, numbered, counted unread, marked for the statistics, put on the timeline
    and announced; on PostgreSQL all of it is one statement (services._ONE_STATEMENT_MESSAGE), elsewhere the ORM's
    transaction. A resend stores nothing and announces nothing; a message to a resolved case takes the transition."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases import rollup
    from cases.models import CaseEvent, EventKind, StatisticsDirtyDay

    case, _ = make_case()
    services.claim_case(case=case, user=operator)
    services.post_staff_message(case=case, user=operator, text="Chào em")
    StatisticsDirtyDay.objects.all().delete()
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = services.add_reporter_information(case=Case(pk=case.pk), text="Em \u202egửi thêm", client_id="c-1")
    if connection.vendor == "postgresql":
        assert len(queries) == 1, [query["sql"] for query in queries]
    assert len(callbacks) == 2  # the conversation's message, the queue's notice
    stored = case.messages.get(seq=2)
    assert (message.pk, message.seq, message.client_id, message.text) == (stored.pk, 2, "c-1", "Em gửi thêm")
    assert (stored.sender, stored.author_id, stored.text, stored.sent_at) == (
        Sender.REPORTER,
        None,
        "Em gửi thêm",
        message.sent_at,
    )
    case.refresh_from_db()
    assert (case.message_seq, case.unread_by_staff, case.state) == (2, 1, CaseState.IN_PROGRESS)
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.data, event.actor_id, event.text) == (EventKind.INFO_ADDED, {"seq": 2}, None, "")
    assert list(StatisticsDirtyDay.objects.values_list("day", flat=True)) == [rollup.day_of(case.created_at)]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = services.add_reporter_information(case=Case(pk=case.pk), text="lại", client_id="c-1")
    assert (again.pk, again.text, callbacks) == (stored.pk, "Em gửi thêm", [])
    case.refresh_from_db()
    assert (case.message_seq, case.unread_by_staff, case.events.filter(kind=EventKind.INFO_ADDED).count()) == (2, 1, 1)

    services.resolve_case(case=case, user=operator, outcome="advice_given", summary="Đã hướng dẫn")
    services.add_reporter_information(case=Case(pk=case.pk), text="Em lại bị nhắn tin", client_id="c-2")
    case.refresh_from_db()
    assert (case.state, case.message_seq, case.unread_by_staff) == (CaseState.IN_PROGRESS, 3, 2)
