"""What a query string may carry into a query: values checked against the ranges the database and Python hold.

A cursor or a date from a URL is a guess until checked. Out of range, it is ignored (a cursor: the first page) or
refused with a message (a date in a form): never an OverflowError or a database error, on SQLite or PostgreSQL.
"""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = datetime.date(2000, 1, 1)  # before the hotline, and far from datetime.min in any time zone
LATEST_DATE = datetime.date(2099, 12, 31)
MAX_ID = 2**63 - 1  # a BigAutoField


def whole_number(text: object, low: int, high: int) -> int | None:
    """int(text) if it is a whole number from low to high, else None."""
    try:
        number = int(text)  # type: ignore[call-overload]  # whatever a URL or a frame holds
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def instant(text: str) -> datetime.datetime | None:
    """The aware datetime written in `text` (ISO 8601, with an offset) between EARLIEST_DATE and LATEST_DATE,
    else None."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None or not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        return None
    return moment


class DateField(forms.DateField):
    """A date a query can use: between EARLIEST_DATE and LATEST_DATE, or a clear message."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(EARLIEST_DATE, message=_("Choose a date from 2000 on.")),
            MaxValueValidator(LATEST_DATE, message=_("Choose a date before 2100.")),
        ]
