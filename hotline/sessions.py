"""Sessions in PostgreSQL (Django's database backend), with fewer round trips for a new visitor.

A young person's visit makes a session (the report, then the receipt) and the receipt changes it once. Django's
backend looked for a free key with a query before inserting, and wrapped every write in a transaction of its own
(BEGIN, the statement, COMMIT): five round trips of a visit's eight for the session. Here the primary key refuses
a clash instead (32 random characters: a clash is practically impossible, and `create()` draws again when it
happens), and a write outside a transaction is one statement, which the database commits on its own.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.db import DatabaseError, IntegrityError, router, transaction
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create: bool = False) -> None:
        using = router.db_for_write(self.model)
        if self.session_key is None or transaction.get_connection(using).in_atomic_block:
            super().save(must_create=must_create)  # inside a transaction: Django's own, with its savepoint
            return
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined] # SessionBase's, not in the stubs
        obj = self.create_model_instance(data)
        try:
            obj.save(force_insert=must_create, force_update=not must_create, using=using)
        except IntegrityError:
            if must_create:
                raise CreateError from None
            raise
        except DatabaseError:
            if not must_create:
                raise UpdateError from None
            raise
