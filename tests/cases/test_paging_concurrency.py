"""Two workers run the paging at the same moment: the case is paged once (row lock + unique case/round)."""

import threading

import pytest
from django.db import connection

from cases import paging
from cases.models import CaseEvent, EventKind, Page
from tests.cases.test_concurrency import run_in_thread
from tests.conftest import make_user
from tests.factories import make_case

pytestmark = [
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"),
]


def test_two_workers_at_once_page_once():
    make_user("sup-a", "supervisor")
    case, _code = make_case(in_danger=True)
    start = threading.Barrier(2, timeout=10)
    results = {}

    def worker():
        start.wait()
        return len(paging.page_unclaimed_cases(now=case.first_response_due_at))

    threads = [run_in_thread(worker, results, "a"), run_in_thread(worker, results, "b")]
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == [0, 1]
    assert Page.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, kind=EventKind.PAGED).count() == 1
