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
