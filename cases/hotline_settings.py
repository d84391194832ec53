"""The hotline's own settings (one row, edited in the admin): the only writer, audited, cache cleared on commit.

Read them with `HotlineSettings.current()`; templates get them as HOTLINE_SETTINGS through the context processor.
"""

import contextlib

from django.core.cache import cache
from django.db import transaction

from cases.audit import record_audit
from cases.models import HOTLINE_SETTINGS_CACHE_KEY, AuditAction, HotlineSettings

EDITABLE_FIELDS = [
    "phone",
    "zalo",
    "hours_vi",
    "hours_en",
    "safety_numbers",
    "report_number_pattern",
    "signer_title",
    "signer_position",
    "signer_name",
    "recipients",
    "quiet_hours_start",
    "quiet_hours_end",
    "check_in_days",
]


def _forget_cached_row():
    # Without Redis nothing is cached either; a row cached before an outage expires by itself.
    with contextlib.suppress(Exception):
        cache.delete(HOTLINE_SETTINGS_CACHE_KEY)


def _plain(value):
    """A value as the audit log's JSON can hold it (the quiet hours are times)."""
    return value.isoformat(timespec="minutes") if hasattr(value, "isoformat") else value


def update_hotline_settings(*, user, **values):
    """Change the settings row; each changed field is written to the audit log (old and new value: these are the
    hotline's public facts, never personal data), and the cached row is dropped once the change is committed.
    Returns the names of the fields that changed."""
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not a hotline setting: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        row, _created = HotlineSettings.objects.select_for_update().get_or_create(id=HotlineSettings.ROW_ID)
        changed = {name: (getattr(row, name), value) for name, value in values.items() if getattr(row, name) != value}
        if not changed:
            return []
        for name, (_old, new) in changed.items():
            setattr(row, name, new)
        row.save()
        record_audit(
            actor=user,
            action=AuditAction.SETTINGS_CHANGED,
            target=", ".join(changed),
            changes={name: {"from": _plain(old), "to": _plain(new)} for name, (old, new) in changed.items()},
        )
        transaction.on_commit(_forget_cached_row)
    return list(changed)
