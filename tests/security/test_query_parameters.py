"""Every query parameter a staff page decodes (queue cursors and filters, the audit trail's cursor and filters,
report periods, the SLA window, the liaison portal) answers any value with a page or a clear 400: never a 500,
on SQLite and on PostgreSQL. A bad cursor means the first page."""

import base64
import datetime

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import audit, queries, roles
from tests.conftest import make_user
from tests.escalation.conftest import make_liaison
from tests.escalation.factories import POLICE
from tests.factories import make_case

HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def b64(raw):
    return base64.urlsafe_b64encode(raw.encode("utf-8", "surrogatepass")).decode().rstrip("=")


numbers = st.one_of(st.integers(), st.integers(min_value=2**62, max_value=2**80), st.just(10**25))
instants = st.one_of(
    st.datetimes(timezones=st.just(datetime.UTC)).map(datetime.datetime.isoformat),
    st.datetimes().map(datetime.datetime.isoformat),  # naive
    st.sampled_from(["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "2026-01-01T00:00:00+00:00"]),
    st.text(max_size=30),
)
cursors = st.one_of(
    st.text(max_size=60),
    st.tuples(numbers, instants, numbers).map(lambda t: b64(f"{t[0]}|{t[1]}|{t[2]}")),
    st.tuples(instants, numbers, numbers).map(lambda t: b64(f"{t[0]}|{t[1]}|{t[2]}")),
    st.lists(st.text(max_size=20), max_size=5).map(lambda parts: b64("|".join(parts))),
    st.just(b64("99999999999999999999999|2026-01-01T00:00:00+00:00|1")),
)
dates = st.one_of(
    st.dates().map(datetime.date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "1900-01-01"]),
    st.text(max_size=20),
)
values = st.one_of(st.text(max_size=40), numbers.map(str))

PAGES = {
    "operator": {
        "/cases/": {
            "after": cursors,
            "state": values | st.sampled_from(["all", "new", "closed"]),
            "priority": values,
            "category": values,
            "assignee": values | st.sampled_from(["mine", "unassigned"]),
            "overdue": values,
            "awaiting_approval": values | st.just("on"),
            "q": values,
            "fragment": st.just("rows") | values,
        },
    },
    "supervisor": {
        "/cases/sla/": {"days": values},
        "/reports/": {"start": dates, "end": dates},
        "/reports/annual/": {"start": dates, "end": dates, "lang": values},
        "/reports/cases.csv": {"start": dates, "end": dates},
        "/reports/annual.docx": {"start": dates, "end": dates},
        "/reports/annual.xlsx": {"start": dates, "end": dates},
        "/reports/annual/text/": {"start": dates, "end": dates},
        "/reports/audit/": {
            "after": cursors,
            "actor": values,
            "kind": values,
            "start": dates,
            "end": dates,
            "reference": values,
        },
    },
    "liaison": {"/liaison/": {"show": values | st.just("finished"), "fragment": st.just("rows") | values}},
    # The public self-help library's search.
    "anonymous": {"/tro-giup/tim-kiem/": {"q": values | st.just("lừa đảo"), "page": values}},
}
REQUESTS = [(who, page, params) for who, pages in PAGES.items() for page, params in pages.items()]


@pytest.fixture
def clients(db):
    make_case()
    staff = {
        "operator": make_user("qp-op", roles.OPERATOR),
        "supervisor": make_user("qp-sup", roles.SUPERVISOR),
        "liaison": make_liaison("qp-pa05", POLICE),
    }
    logged_in = {}
    for who, user in staff.items():
        logged_in[who] = Client()
        logged_in[who].force_login(user)
    logged_in["anonymous"] = Client()
    return logged_in


@pytest.mark.parametrize(("who", "page", "params"), REQUESTS, ids=[page for _who, page, _params in REQUESTS])
def test_any_query_string_gives_a_page_or_a_clear_400(clients, who, page, params):
    @HYPOTHESIS
    @given(query=st.fixed_dictionaries({}, optional=params))
    def check(query):
        response = clients[who].get(page, query)
        assert response.status_code in (200, 400), (page, query, response.status_code)

    check()


@pytest.mark.parametrize(
    "raw",
    [
        "99999999999999999999999|2026-01-01T00:00:00+00:00|1",
        "1|2026-01-01T00:00:00+00:00|99999999999999999999999",
        "1|2026-01-01T00:00:00|1",
        "1|0001-01-01T00:00:00+05:00|1",
        "1|9999-12-31T23:59:59-05:00|1",
        "-5|2026-01-01T00:00:00+00:00|1",
        "1|2026-01-01T00:00:00+00:00|-1",
    ],
)
def test_it_ignores_a_queue_cursor_out_of_range(raw):
    assert queries.read_queue_cursor(b64(raw)) is None


@pytest.mark.parametrize(
    "raw",
    [
        "2026-01-01T00:00:00+00:00|1|99999999999999999999999",
        "2026-01-01T00:00:00+00:00|99999999999999999999999|1",
        "0001-01-01T00:00:00+05:00|1|1",
        "9999-12-31T23:59:59-05:00|1|1",
    ],
)
def test_it_ignores_an_audit_cursor_out_of_range(raw):
    assert audit.read_audit_cursor(b64(raw)) is None


def test_the_overflowing_cursor_of_the_scan_gives_the_first_page(clients):
    response = clients["operator"].get("/cases/", {"after": b64("99999999999999999999999|2026-01-01T00:00:00+00:00|1")})
    assert response.status_code == 200
    assert response.context["is_first_page"]


@pytest.mark.parametrize(("start", "end"), [("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")])
def test_a_period_out_of_range_is_refused_with_a_message(clients, start, end):
    response = clients["supervisor"].get("/reports/audit/", {"start": start, "end": end})
    assert response.status_code == 200
    assert response.context["form"].errors
