"""Sessions in PostgreSQL (Django's database backend), with fewer round trips for a new visitor.

A young person's visit makes a session (the report, then the receipt) and the receipt changes it once. Django's
backend looked for a free key with a query before inserting, and wrapped every write in a transaction of its own
(BEGIN, the statement, COMMIT): five round trips of a visit's eight for the session. Here the primary key refuses
a clash instead (32 random characters: a clash is practically impossible, and `create()` draws again when it
happens), and a write outside a transaction is one statement, which the database commits on its own.

The reads and those writes are plain SQL on the session table: building and compiling the ORM's query for one row
by its key was most of the Python time of a session's load and save, three times per visit.
"""

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    _reserved = False

    def _get_new_session_key(self) -> str:
        return get_random_string(32, VALID_KEY_CHARS)

    def reserve_key(self) -> str:
        """The key a session not saved yet will be saved under, drawn now (hotline.form_tokens records it with the
        report form's token: a repeated tap of "Send" whose browser never got the first answer takes this session
        over). The first save inserts it."""
        if self.session_key is None:
            self._get_session()  # type: ignore[attr-defined] # empty, and never looked up under the new key
            self._session_key = self._get_new_session_key()
            self._reserved = True
        return str(self.session_key)

    def load(self) -> dict[str, Any]:
        table = self.model._meta.db_table
        connection = connections[router.db_for_read(self.model)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 - the model's table
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])

    def save(self, must_create: bool = False) -> None:
        must_create = must_create or self._reserved
        self._reserved = False
        using = router.db_for_write(self.model)
        if self.session_key is None or transaction.get_connection(using).in_atomic_block:
            super().save(must_create=must_create)  # inside a transaction: Django's own, with its savepoint
            return
        data = self._get_session(no_load=must_create)  # type: ignore[attr-defined] # SessionBase's, not in the stubs
        table = self.model._meta.db_table
        connection = connections[using]
        expires = connection.ops.adapt_datetimefield_value(self.get_expiry_date())
        row = [self.encode(data), expires, self.session_key]
        with connection.cursor() as cursor:
            if not must_create:
                cursor.execute(
                    f"UPDATE {table} SET session_data = %s, expire_date = %s WHERE session_key = %s",  # noqa: S608
                    row,
                )
                if cursor.rowcount != 1:
                    raise UpdateError  # gone meanwhile (signed out everywhere, expired and cleared)
                return
            try:
                cursor.execute(
                    f"INSERT INTO {table} (session_data, expire_date, session_key) VALUES (%s, %s, %s)",  # noqa: S608
                    row,
                )
            except IntegrityError:
                raise CreateError from None
