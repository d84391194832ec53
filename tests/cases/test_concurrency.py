"""Two operators act on the same case at the same moment: exactly one wins, the other gets a clear refusal."""

import threading

import pytest
from django.db import connection, connections, transaction
from django_fsm import ConcurrentTransition

from cases import services
from cases.models import Case, CaseEvent, CaseState
from tests.conftest import make_user
from tests.factories import make_case

pytestmark = [
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent transactions need PostgreSQL"),
]


def run_in_thread(target, results, key):
    def wrapper():
        try:
            results[key] = target()
        except Exception as error:  # noqa: BLE001 - the test inspects what each side got
            results[key] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=wrapper)
    thread.start()
    return thread


def test_two_claims_at_once_exactly_one_wins():
    first_user, second_user = make_user("op-a", "operator"), make_user("op-b", "operator")
    case, _ = make_case()
    both_read = threading.Barrier(2, timeout=10)
    first_has_written = threading.Event()
    results = {}

    def first():
        mine = Case.objects.get(pk=case.pk)
        both_read.wait()
        with transaction.atomic():
            services.claim_case(case=mine, user=first_user)
            first_has_written.set()
            # Hold the row lock while the second transaction tries to write the same row.
            threading.Event().wait(0.5)
        return "won"

    def second():
        theirs = Case.objects.get(pk=case.pk)
        both_read.wait()
        first_has_written.wait(timeout=10)
        with transaction.atomic():
            services.claim_case(case=theirs, user=second_user)
        return "won"

    threads = [run_in_thread(first, results, "first"), run_in_thread(second, results, "second")]
    for thread in threads:
        thread.join(timeout=30)

    assert results["first"] == "won"
    assert isinstance(results["second"], ConcurrentTransition)
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS and case.assignee == first_user
    assert CaseEvent.objects.filter(case=case, transition="claim").count() == 1


def test_two_different_moves_at_once_leave_one_consistent_state():
    operator, supervisor = make_user("op-c", "operator"), make_user("sup-c", "supervisor")
    case, _ = make_case()
    start = threading.Barrier(2, timeout=10)
    results = {}

    def claim():
        mine = Case.objects.get(pk=case.pk)
        start.wait()
        services.claim_case(case=mine, user=operator)
        return "claim"

    def reject():
        theirs = Case.objects.get(pk=case.pk)
        start.wait()
        services.reject_case(case=theirs, user=supervisor, reason="spam")
        return "reject"

    threads = [run_in_thread(claim, results, "claim"), run_in_thread(reject, results, "reject")]
    for thread in threads:
        thread.join(timeout=30)

    winners = [value for value in results.values() if isinstance(value, str)]
    losers = [value for value in results.values() if isinstance(value, Exception)]
    assert len(winners) == 1 and len(losers) == 1 and isinstance(losers[0], ConcurrentTransition)
    case.refresh_from_db()
    assert case.state == {"claim": CaseState.IN_PROGRESS, "reject": CaseState.REJECTED}[winners[0]]
    assert CaseEvent.objects.filter(case=case, kind="transition").count() == 1
