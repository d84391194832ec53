"""The shared plumbing of every app: the one public home of what views, services and consumers of `cases`,
`hotline` and `escalation` all need. Import each helper by name (`from cases.plumbing import staff_required`);
nothing here imports from `hotline` or `escalation`.

- limits: MAX_LINKS, MAX_DESCRIPTION, MAX_MESSAGE
- access: staff_required, case_or_404
- refusals: NotAllowed, REFUSALS, Refusals, CASE_REFUSALS, refusal_message
- transitions: check_transition, apply_transition
- files: private_file_response
- realtime: send_to_group
- keyset cursors: encode_cursor, decode_cursor
- throttles: client_address, Throttle
- phone numbers: check_vietnamese_phone
"""

import base64
import binascii
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import IO, Any, TypeVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed, has_transition_perm

from cases.models import Case

logger = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., HttpResponse])

# --- limits (characters and items a reporter or a counsellor may send at once) ---

MAX_LINKS = 10
MAX_DESCRIPTION = 5000
MAX_MESSAGE = 4000


# --- access ---


def staff_required(permission: str) -> Callable[[View], View]:
    """Login, then the permission; a logged-in user without it (a liaison, say) gets 403, never the page."""

    def decorator(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def case_or_404(reference: str) -> Case:
    """The case with this reference, with what its page shows first, or 404."""
    return get_object_or_404(
        Case.objects.select_related("category", "category__parent", "assignee"), reference=reference
    )


# --- refusals ---


class NotAllowed(Exception):
    """The user may not take this action (shown to them as a clear message)."""


# The domain errors a view turns into a message instead of a 500.
REFUSALS: tuple[type[Exception], ...] = (TransitionNotAllowed, ConcurrentTransition, NotAllowed)


@dataclass(frozen=True)
class Refusals:
    """The words of a refusal, per kind of error, for one kind of record."""

    concurrent: str | Promise
    not_allowed: str | Promise
    not_possible: str | Promise
    # Further errors of an app, checked in order: (error class, words).
    other: tuple[tuple[type[Exception], str | Promise], ...] = field(default=())


CASE_REFUSALS = Refusals(
    concurrent=_("Someone else changed this case a moment ago. The page now shows its current state."),
    not_allowed=_("You are not allowed to do this on this case."),
    not_possible=_("This step is not possible in the case's current state."),
)


def refusal_message(error: Exception, refusals: Refusals = CASE_REFUSALS) -> str:
    """What to tell the user whose action was refused with `error`."""
    if isinstance(error, ConcurrentTransition):
        return str(refusals.concurrent)
    if isinstance(error, NotAllowed):
        return str(refusals.not_allowed)
    for error_class, words in refusals.other:
        if isinstance(error, error_class):
            return str(words)
    return str(refusals.not_possible)


# --- transitions ---


def _field_values(instance: models.Model) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def check_transition(instance: models.Model, name: str, *, user: Any) -> str:
    """Whether `user` (None: the system or the reporter, not checked) may run the transition `name` of `instance`
    now: returns the current state, or raises NotAllowed (permission) or TransitionNotAllowed (state)."""
    method = getattr(instance, name)
    state = str(getattr(instance, "state"))  # noqa: B009 - every model with a state machine calls its field `state`
    if not can_proceed(method, check_conditions=False):
        raise TransitionNotAllowed(f"{name} is not possible from {state}")
    if user is not None and not has_transition_perm(method, user):
        raise NotAllowed(name)
    return state


def apply_transition(
    instance: models.Model, name: str, *, user: Any, pending_fields: Iterable[str] = (), **kwargs: Any
) -> str:
    """Run the transition `name` of `instance` as `user` (None: the system or the reporter, not checked) and save
    it; returns the state it left. Call it inside transaction.atomic(), from a service.

    Raises NotAllowed (permission), TransitionNotAllowed (state) or ConcurrentTransition (someone changed the row
    since it was read). Saves only what the transition changed, and `pending_fields` the caller set on purpose: a
    whole-row save from an instance read earlier would undo what another request wrote meanwhile.
    """
    state = check_transition(instance, name, user=user)
    method = getattr(instance, name)
    before = _field_values(instance)
    method(**kwargs)
    changed = {attname for attname, value in _field_values(instance).items() if value != before[attname]}
    instance.save(update_fields=sorted({*changed, *pending_fields, "state", "updated_at"}))
    return state


# --- private files ---


def private_file_response(file: IO[bytes], *, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    """A private file (evidence) for the one who passed the permission check: an attachment unless `inline`,
    sandboxed and never cached."""
    response = FileResponse(file, as_attachment=not inline, filename=filename, content_type=content_type)
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store, private"
    return response


# --- realtime ---


def send_to_group(group: str, event: dict[str, Any]) -> None:
    """Send `event` to a channel-layer group and wait for it. A lost notification must never break a write that
    succeeded: a failure is logged, without the event (it may name a case) and without the group's id."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception as error:  # noqa: BLE001
        logger.error("live notification to %s failed: %s", group.split(".")[0], type(error).__name__)


# --- keyset cursors ---


def encode_cursor(*values: object) -> str:
    """An opaque cursor for a URL, holding the sort key of the last row of a page (datetimes in ISO 8601)."""
    raw = "|".join(value.isoformat() if hasattr(value, "isoformat") else str(value) for value in values)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *parsers: Callable[[str], Any]) -> tuple[Any, ...] | None:
    """The sort key in `cursor`, each part read by its parser (`cases.bounds`: None when out of range), or None
    (the first page) for anything else."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    parts = raw.split("|")
    if len(parts) != len(parsers):
        return None
    values = tuple(parse(part) for parse, part in zip(parsers, parts, strict=True))
    return None if any(value is None for value in values) else values


# --- throttles ---


def client_address(request: HttpRequest) -> str:
    """The client's address: the socket's, or the one our own trusted proxies put in X-Forwarded-For."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return str(forwarded[-proxies])
    return str(request.META.get("REMOTE_ADDR", ""))


class Throttle:
    """At most `limit` counted attempts per client in a window of `window` seconds, counted in the cache (Redis in
    production, shared by every Daphne process). `setting` names a (limit, window) setting."""

    def __init__(self, name: str, setting: str) -> None:
        self.name = name
        self.setting = setting

    def key(self, request: HttpRequest, extra: str = "") -> str:
        # Hashed: the cache holds no readable trace of who asked. `extra` counts per account instead of per
        # address (a login name tried from many addresses).
        subject = f"user:{extra}" if extra else f"addr:{client_address(request)}"
        digest = hashlib.sha256(f"{settings.SECRET_KEY}:{subject}".encode()).hexdigest()[:32]
        return f"throttle:{self.name}:{digest}"

    def blocked(self, request: HttpRequest, extra: str = "") -> bool:
        limit, _window = self.limits()
        try:
            return bool((cache.get(self.key(request, extra)) or 0) >= limit)
        except Exception:  # noqa: BLE001 - cache (Redis) down: a child's report must still go through
            logger.error("throttle %s: cache unavailable, not throttling", self.name)
            return False

    def limits(self) -> tuple[int, int]:
        """(attempts, window in seconds)."""
        limit, window = getattr(settings, self.setting)
        return int(limit), int(window)

    def hit(self, request: HttpRequest, extra: str = "") -> bool:
        """Count one attempt; True when it is over the limit (the caller may then refuse it without a `blocked`
        check first: one round trip instead of two). With the cache down nothing is counted and nothing refused."""
        limit, window = self.limits()
        key = self.key(request, extra)
        try:
            count_hit = getattr(cache, "count_hit", None)  # one round trip (hotline.cache.SharedRedisCache)
            if count_hit is not None:
                return bool(count_hit(key, window) > limit)
            cache.add(key, 0, timeout=window)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window)
                count = 1
            return bool(count > limit)
        except Exception:  # noqa: BLE001
            logger.error("throttle %s: cache unavailable, attempt not counted", self.name)
            return False


# --- phone numbers ---

VIETNAM_COUNTRY_CODE = 84


def check_vietnamese_phone(phone: Any) -> Any:
    """The phone number (a PhoneNumber, or empty) if it is Vietnamese; else a ValidationError that says how."""
    if phone and phone.country_code != VIETNAM_COUNTRY_CODE:
        raise ValidationError(_("Enter a Vietnamese phone number, for example 0912 345 678."), code="not_vietnamese")
    return phone
