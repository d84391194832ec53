"""One safe way in for every websocket frame: the base of every consumer (chat, queue, liaison, staff alerts).

A consumer declares the frame types it accepts, their handlers and their budgets; the base does the rest:
  - text frames only, at most MAX_FRAME_BYTES (UTF-8) per frame;
  - any parse failure (not JSON, NaN, nesting deep enough for a RecursionError, text that is not valid UTF-8 such
    as lone surrogates) becomes an `error` frame, never an exception;
  - a per-connection budget for every frame type, the refused frames included (`Budget`, `Coalesced`);
  - a handler that raises is logged (scrubbed, see hotline.monitoring) and answered with an `error` frame: the
    connection stays up, nothing a client sends can close it with 1011.
The rules are listed in SECURITY.md ("Websockets") and the chat's frames in docs/chat-protocol.md.

    class AlertConsumer(GuardedConsumer):
        frames = {"ack": "receive_ack"}          # every other type gets `unknown_type`
        budgets = {"ack": Budget(30, 60)}        # else DEFAULT_BUDGET; Coalesced(seconds) for chatty signals

        async def receive_ack(self, content):   # content: a dict whose "type" is "ack"; nothing else is checked
            alert_id = whole_number(content.get("id"))
            if alert_id is None:
                raise FrameError("bad_id", "ack needs an id.")
            ...

Subclasses authorise in connect() as usual and must not override receive(). Group-event handlers (`queue_changed`
…) and send_json() work as on channels' JSON consumer.
"""

import asyncio
import json
import logging
import time
from collections import deque
from typing import Any, ClassVar

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 16 * 1024
MAX_INT = 2**31 - 1  # the largest number a frame may carry (sequence numbers are database integers)


class Budget:
    """At most `limit` frames in any `window` seconds; the frames beyond are refused with `rate_limited`."""

    coalesced = False

    def __init__(self, limit, window):
        self.limit, self.window = limit, window

    def start(self):
        return deque(maxlen=self.limit)

    def allows(self, times):
        now = time.monotonic()
        if len(times) == self.limit and now - times[0] < self.window:
            return False
        times.append(now)
        return True


class Coalesced:
    """At most one handled frame every `interval` seconds; of the frames in between, only the latest is handled,
    once the interval is over (typing, seen: a flood costs one relay per interval, and the last word is kept)."""

    coalesced = True

    def __init__(self, interval):
        self.interval = interval


# Refused frames (bad JSON, unknown types, wrong fields) are answered with an error frame up to this budget per
# connection, then dropped silently: a flood of junk costs neither side more than this.
ERROR_BUDGET = Budget(60, 60)
DEFAULT_BUDGET = Budget(30, 60)


class FrameError(Exception):
    """A frame is refused: the client gets an `error` frame with this code and message; the connection stays."""

    def __init__(self, code, message, **fields):
        super().__init__(code)
        self.code, self.message, self.fields = code, message, fields


def parse_frame(text_data, bytes_data):
    """The frame as a dict with a string `type`, or FrameError. Never raises anything else."""
    if bytes_data is not None or text_data is None:
        raise FrameError("bad_frame", "Send JSON text frames.")
    if len(text_data) > MAX_FRAME_BYTES:  # cheap first check: a character is at least one byte
        raise FrameError("too_large", "This frame is too large.")
    try:
        if len(text_data.encode("utf-8")) > MAX_FRAME_BYTES:
            raise FrameError("too_large", "This frame is too large.")
        content = json.loads(text_data, parse_constant=_refuse_constant)
        # Escaped lone surrogates ("\ud800") parse into text that no database or client can store.
        json.dumps(content, ensure_ascii=False).encode("utf-8")
    except FrameError:
        raise
    except (ValueError, RecursionError, UnicodeError, OverflowError):
        raise FrameError("bad_json", "This frame is not valid JSON.") from None
    if not isinstance(content, dict) or not isinstance(content.get("type"), str):
        raise FrameError("bad_frame", "A frame is a JSON object with a type.")
    return content


def _refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def whole_number(value: Any) -> int | None:
    """`value` if it is a whole number a database can hold (0 ≤ value ≤ MAX_INT, not a bool), else None."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_INT:
        return value
    return None


class GuardedConsumer(AsyncWebsocketConsumer):
    """Subclasses set `frames` (type → name of an async method taking the frame's dict) and `budgets` (type →
    Budget or Coalesced; DEFAULT_BUDGET otherwise). A handler refuses a frame by raising FrameError."""

    frames: ClassVar[dict[str, str]] = {}
    budgets: ClassVar[dict[str, "Budget | Coalesced"]] = {}

    async def dispatch(self, message):
        """Channels' dispatch without its per-message thread hand-off: channels 4.2+ runs close_old_connections in
        a worker thread before every handler (every frame, every group event), a round trip through the executor
        that the chat's delivery paid twice per message. Our consumers reach the database only through
        database_sync_to_async, which closes old connections itself before and after each call, so that cleanup
        already happens where the database is used (tests/cases/test_sockets.py)."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def websocket_connect(self, message):
        self._spent = {}
        self._coalescing = {}
        await super().websocket_connect(message)

    async def websocket_disconnect(self, message):
        for waiting in getattr(self, "_coalescing", {}).values():
            if waiting["task"] is not None:
                waiting["task"].cancel()
        await super().websocket_disconnect(message)

    async def receive(self, text_data=None, bytes_data=None):
        try:
            content = parse_frame(text_data, bytes_data)
            frame_type = content["type"]
            if frame_type not in self.frames:
                raise FrameError("unknown_type", "Unknown frame type.")
            budget = self.budgets.get(frame_type, DEFAULT_BUDGET)
            if budget.coalesced:
                return await self._coalesce(frame_type, budget, content)
            if not budget.allows(self._spent.setdefault(frame_type, budget.start())):
                raise FrameError("rate_limited", "Too many frames; wait a moment.", **_echo_client_id(content))
            await self._handle(frame_type, content)
        except FrameError as error:
            await self._refuse(error)

    async def _handle(self, frame_type, content):
        try:
            await getattr(self, self.frames[frame_type])(content)
        except FrameError as error:
            await self._refuse(error)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a bug must not close the connection; it reaches monitoring, scrubbed
            logger.exception("websocket: the %s handler of %s failed", frame_type, type(self).__name__)
            refusal = FrameError("server_error", "Something went wrong; try again.", **_echo_client_id(content))
            await self._refuse(refusal)

    async def _refuse(self, error):
        if ERROR_BUDGET.allows(self._spent.setdefault("error frames", ERROR_BUDGET.start())):
            await self.send_json({"type": "error", "code": error.code, "message": error.message, **error.fields})

    async def _coalesce(self, frame_type, budget, content):
        waiting = self._coalescing.setdefault(frame_type, {"last": None, "content": None, "task": None})
        now = time.monotonic()
        if waiting["task"] is None and (waiting["last"] is None or now - waiting["last"] >= budget.interval):
            waiting["last"] = now
            return await self._handle(frame_type, content)
        waiting["content"] = content  # the latest one wins
        if waiting["task"] is None:
            delay = max(0.0, waiting["last"] + budget.interval - now)
            waiting["task"] = asyncio.get_running_loop().create_task(self._handle_later(frame_type, delay))

    async def _handle_later(self, frame_type, delay):
        await asyncio.sleep(delay)
        waiting = self._coalescing[frame_type]
        content, waiting["content"], waiting["task"] = waiting["content"], None, None
        waiting["last"] = time.monotonic()
        await self._handle(frame_type, content)

    async def send_json(self, content: Any, close: bool = False) -> None:
        await self.send(text_data=json.dumps(content), close=close)


def _echo_client_id(content):
    client_id = content.get("client_id")
    return {"client_id": client_id} if isinstance(client_id, str) and 1 <= len(client_id) <= 64 else {}
