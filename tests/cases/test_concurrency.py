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


def test_messages_from_many_senders_at_once_are_numbered_without_gaps_and_stored_once():
    """The chat's guarantees under concurrent writers: every message of a conversation gets the next number (no
    gap, no repeat), and a message sent again with the same client_id (a reconnecting phone) is stored once."""
    operator = make_user("op-chat", "operator")
    case, _ = make_case()
    services.claim_case(case=case, user=operator)
    senders, each = 6, 8
    start = threading.Barrier(senders, timeout=10)
    results, threads = {}, []

    def send(index):
        def run():
            start.wait()
            stored = []
            for n in range(each):
                client_id = f"s{index}-m{n}"
                if index % 2:
                    message = services.post_staff_message(
                        case=Case(pk=case.pk), user=operator, text=f"{index}/{n}", client_id=client_id
                    )
                else:
                    message = services.add_reporter_information(
                        case=Case(pk=case.pk), text=f"{index}/{n}", client_id=client_id
                    )
                again = services.add_reporter_information(case=Case(pk=case.pk), text="again", client_id=client_id)
                assert again.pk == message.pk and again.text == f"{index}/{n}"
                stored.append(message.seq)
            return stored

        return run

    for index in range(senders):
        threads.append(run_in_thread(send(index), results, index))
    for thread in threads:
        thread.join(timeout=60)
    failures = [result for result in results.values() if isinstance(result, Exception)]
    assert not failures, failures
    seqs = sorted(seq for stored in results.values() for seq in stored)
    assert seqs == list(range(1, senders * each + 1))
    stored = list(case.messages.order_by("seq").values_list("seq", "client_id"))
    assert [seq for seq, _client in stored] == seqs
    assert len({client for _seq, client in stored}) == senders * each
    case.refresh_from_db()
    assert case.message_seq == senders * each
    reporter_messages = sum(1 for index in range(senders) if index % 2 == 0) * each
    assert CaseEvent.objects.filter(case=case, kind="info_added").count() == reporter_messages  # resends: none
