"""The operator queue at /cases/."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import queries, services
from cases.models import Case
from tests.conftest import make_user
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def age(case, *, hours):
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def refs(response):
    return [case.reference for case in response.context["cases"]]


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_liaisons_and_people_without_a_role_are_refused(client, outsider):
    liaison = make_user("liaison1", "liaison")
    for user in (outsider, liaison):
        client.force_login(user)
        assert client.get("/cases/").status_code == 403


def test_it_sorts_by_urgency_then_age(client, operator):
    old_p3, _ = make_case()
    age(old_p3, hours=5)
    new_p3, _ = make_case()
    danger, _ = make_case(in_danger=True)
    old_p2, _ = make_case(category_code="OSE")
    age(old_p2, hours=1)
    client.force_login(operator)
    assert refs(client.get("/cases/")) == [danger.reference, old_p2.reference, old_p3.reference, new_p3.reference]


def test_filters(client, operator, other_operator):
    mine, _ = make_case()
    services.claim_case(case=mine, user=operator)
    theirs, _ = make_case(category_code="SCM")
    services.claim_case(case=theirs, user=other_operator)
    unassigned, _ = make_case(category_code="SCM", in_danger=True)
    closed, _ = make_case()
    services.claim_case(case=closed, user=operator)
    services.resolve_case(case=closed, user=operator, outcome="advice_given", summary="ok")
    overdue, _ = make_case(category_code="INF")
    Case.objects.filter(pk=overdue.pk).update(first_response_due_at=timezone.now() - timedelta(minutes=1))
    client.force_login(operator)

    assert set(refs(client.get("/cases/?assignee=mine"))) == {mine.reference}
    assert set(refs(client.get("/cases/?assignee=unassigned"))) == {unassigned.reference, overdue.reference}
    assert set(refs(client.get(f"/cases/?assignee={other_operator.pk}"))) == {theirs.reference}
    assert set(refs(client.get("/cases/?category=SCM"))) == {theirs.reference, unassigned.reference}
    assert refs(client.get("/cases/?priority=1")) == [unassigned.reference]
    assert refs(client.get("/cases/?state=resolved")) == [closed.reference]
    assert closed.reference not in refs(client.get("/cases/"))  # open cases by default
    assert closed.reference in refs(client.get("/cases/?state=all"))
    assert refs(client.get("/cases/?overdue=on")) == [overdue.reference]
    assert refs(client.get(f"/cases/?q={closed.reference.lower()}")) == [closed.reference]
    assert refs(client.get("/cases/?q=nothing")) == []


def test_overdue_cases_are_highlighted(client, operator):
    case, _ = make_case()
    Case.objects.filter(pk=case.pk).update(first_response_due_at=timezone.now() - timedelta(minutes=5))
    client.force_login(operator)
    assert "is-overdue" in client.get("/cases/").content.decode()


def test_keyset_pagination_walks_every_case_once(operator):
    made = [make_case(in_danger=i % 3 == 0)[0] for i in range(7)]
    seen, cursor = [], None
    while True:
        page, next_cursor = queries.queue_for(operator, queries.QueueFilters(), after=cursor, limit=3)
        seen += [case.pk for case in page]
        if next_cursor is None:
            break
        cursor = queries.read_queue_cursor(next_cursor)
    assert sorted(seen) == sorted(case.pk for case in made) and len(seen) == len(set(seen))
    ordered = list(Case.objects.order_by("priority", "created_at", "id").values_list("pk", flat=True))
    assert seen == ordered


def test_a_broken_cursor_is_ignored(client, operator):
    make_case()
    client.force_login(operator)
    assert client.get("/cases/?after=%%%garbage").status_code == 200


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_depend_on_the_number_of_cases(client, operator, other_operator):
    client.force_login(operator)
    first, _ = make_case()
    services.claim_case(case=first, user=operator)
    one = count_queries(client, "/cases/")
    for i in range(12):
        case, _ = make_case(category_code=["OSE", "SCM", "CBH"][i % 3], in_danger=i % 4 == 0)
        if i % 2:
            services.claim_case(case=case, user=[operator, other_operator][i % 4 == 1])
    assert Case.objects.count() == 13
    assert count_queries(client, "/cases/") == one
    assert count_queries(client, "/cases/?category=OSE") == count_queries(client, "/cases/?category=SCM")


def test_the_rows_fragment_is_what_the_live_queue_fetches(client, operator):
    case, _ = make_case()
    client.force_login(operator)
    response = client.get("/cases/?fragment=rows")
    html = response.content.decode()
    assert case.reference in html and "<html" not in html


def test_the_queue_shows_no_reporter_contact_details(client, operator):
    make_case(contact_preference="phone", contact_phone="+84912345678", description="Số của em là 0912345678")
    client.force_login(operator)
    html = client.get("/cases/").content.decode()
    assert "912345678" not in html and "0912" not in html


def test_unread_reporter_messages_show_in_the_queue(client, operator):
    case, _ = make_case()
    services.claim_case(case=case, user=operator)
    services.add_reporter_information(case=case, text="Chị ơi")
    services.add_reporter_information(case=case, text="Chị còn đó không")
    client.force_login(operator)
    assert 'data-unread="2"' in client.get("/cases/?fragment=rows").content.decode()
    client.get(f"/cases/{case.reference}/")  # opening the case reads them
    assert "data-unread" not in client.get("/cases/?fragment=rows").content.decode()
