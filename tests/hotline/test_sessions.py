"""A visitor's session is written in one statement (hotline/sessions.py): no look-up of a free key first, no
transaction of its own around a single write; a clash of keys or a session gone meanwhile still behaves as in
Django's backend."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hotline.sessions import SessionStore

pytestmark = pytest.mark.django_db(transaction=True)  # outside a transaction, as a request's session is saved


@pytest.fixture
def atomic_blocks(monkeypatch):
    entered = []
    real_enter = transaction.Atomic.__enter__
    monkeypatch.setattr(transaction.Atomic, "__enter__", lambda self: entered.append(1) or real_enter(self))
    return entered


def test_a_new_session_and_a_change_to_it_are_one_statement_each(atomic_blocks):
    store = SessionStore()
    store["receipt"] = {"reference": "ABCD-2345"}
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert [query["sql"].split()[0] for query in queries] == ["INSERT"]
    key = store.session_key
    assert len(key) == 32

    again = SessionStore(session_key=key)
    assert again.pop("receipt") == {"reference": "ABCD-2345"}
    with CaptureQueriesContext(connection) as queries:
        again.save()
    assert [query["sql"].split()[0] for query in queries] == ["UPDATE"]
    assert atomic_blocks == []
    assert SessionStore(session_key=key).get("receipt") is None


def test_a_key_already_taken_is_drawn_again(monkeypatch):
    taken = SessionStore()
    taken["who"] = "first"
    taken.save()
    draws = iter([taken.session_key, "n" * 32])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(draws))
    second = SessionStore()
    second["who"] = "second"
    second.save()
    assert second.session_key == "n" * 32
    assert SessionStore(session_key=taken.session_key)["who"] == "first"  # untouched
    assert SessionStore(session_key="n" * 32)["who"] == "second"


def test_a_session_removed_meanwhile_is_not_written_again():
    store = SessionStore()
    store["who"] = "someone"
    store.save()
    Session.objects.filter(session_key=store.session_key).delete()  # signed out everywhere, say
    store["who"] = "changed"
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()


def test_inside_a_transaction_it_is_djangos_own_save():
    with transaction.atomic():
        store = SessionStore()
        store["who"] = "inside"
        store.save()
    assert SessionStore(session_key=store.session_key)["who"] == "inside"


def test_the_expiry_is_stored_as_djangos_own_and_an_expired_session_is_not_loaded():
    from datetime import timedelta

    from django.utils import timezone

    store = SessionStore()
    store["who"] = "someone"
    store.set_expiry(3600)
    store.save()
    stored = Session.objects.get(session_key=store.session_key)
    assert abs(stored.expire_date - (timezone.now() + timedelta(seconds=3600))) < timedelta(seconds=5)
    assert stored.get_decoded()["who"] == "someone"
    Session.objects.filter(pk=stored.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(session_key=store.session_key)
    assert expired.get("who") is None and expired.session_key is None
    Session.objects.filter(pk=stored.pk).update(expire_date=timezone.now() + timedelta(seconds=60))
    assert SessionStore(session_key=store.session_key)["who"] == "someone"


def test_a_reserved_key_is_the_key_the_new_session_is_saved_under():
    store = SessionStore()
    key = store.reserve_key()
    assert len(key) == 32 and not Session.objects.filter(session_key=key).exists()
    assert store.get("who") is None and store.session_key == key  # reading it does not look the key up and drop it
    store["who"] = "someone"
    store.save()  # as the session middleware saves it: inserted under the reserved key
    assert SessionStore(session_key=key)["who"] == "someone"
    store["who"] = "changed"
    store.save()
    assert SessionStore(session_key=key)["who"] == "changed" and Session.objects.count() == 1
    assert SessionStore(session_key=key).reserve_key() == key  # a saved session keeps its key
