"""Chat relay: reporter → counsellor delivery time through the real ChatConsumer (message stored in the database,
acknowledged, broadcast after commit) against a bare Channels consumer that only relays, on the same Daphne process
and channel layer. A third consumer relays after inserting and committing one row in a worker thread: the least
any consumer that stores before it broadcasts must pay.

A sample is the time from the reporter's socket sending a `message` frame to the counsellor's socket receiving it,
one message in flight at a time (latency, not throughput). Several conversations (one case each) take turns; the
real consumer allows 20 messages a minute per connection, so a reporter's socket is reopened after 19 (outside the
timing). Rounds alternate between the two consumers, so that drift on the machine touches both alike.
"""

import asyncio
import json
import time

from bench import client

MESSAGES_PER_CONNECTION = 19  # ChatConsumer: at most 20 a minute on one connection


class Conversation:
    """A reporter's socket and a counsellor's socket on one conversation; times each delivery to the counsellor."""

    def __init__(self, port, path, reporter_cookie, staff_cookie, *, reconnect):
        self.port = port
        self.path = path
        self.reporter_cookie = reporter_cookie
        self.staff_cookie = staff_cookie
        self.reconnect = reconnect
        self.pending = {}
        self.sent = 0
        self.tasks = []

    async def open(self):
        self.counsellor = await client.open_socket(self.port, self.path, self.staff_cookie)
        self.tasks.append(asyncio.create_task(self._deliveries(self.counsellor)))
        await self._open_reporter()
        return self

    async def _open_reporter(self):
        self.reporter = await client.open_socket(self.port, self.path, self.reporter_cookie)
        self.tasks.append(asyncio.create_task(self._acknowledgements(self.reporter)))
        self.sent = 0

    async def _deliveries(self, socket):
        async for raw in socket:
            received = time.perf_counter()
            frame = json.loads(raw)
            if frame.get("type") == "message":
                future = self.pending.pop(frame.get("client_id"), None)
                if future is not None and not future.done():
                    future.set_result(received)

    async def _acknowledgements(self, socket):
        try:
            async for raw in socket:
                frame = json.loads(raw)
                if frame.get("type") == "error":
                    future = self.pending.pop(frame.get("client_id"), None)
                    if future is not None and not future.done():
                        future.set_exception(RuntimeError(f"refused: {frame}"))
        except Exception:  # noqa: BLE001, S110 - a reopened reporter socket closes its predecessor
            pass

    async def deliver(self, text):
        """Send one message from the reporter; the time until the counsellor has it, in milliseconds."""
        if self.reconnect and self.sent >= MESSAGES_PER_CONNECTION:
            await self.reporter.close()
            await self._open_reporter()
        client_id = client.new_client_id()
        future = asyncio.get_running_loop().create_future()
        self.pending[client_id] = future
        frame = json.dumps({"type": "message", "client_id": client_id, "text": text})
        started = time.perf_counter()
        await self.reporter.send(frame)
        self.sent += 1
        received = await asyncio.wait_for(future, timeout=30)
        return (received - started) * 1000

    async def close(self):
        for socket in (self.reporter, self.counsellor):
            await socket.close()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


async def real_conversations(port, count, staff_cookie):
    """Conversations on new cases made through the API, the reporter signed in with the status look-up."""
    conversations = []
    for _ in range(count):
        reference, code = await client.make_report(port)
        cookie = await client.reporter_cookie(port, reference, code)
        path = f"/ws/cases/{reference}/chat/"
        conversations.append(await Conversation(port, path, cookie, staff_cookie, reconnect=True).open())
    return conversations


async def relay_conversations(port, count, reporter_cookie, staff_cookie):
    conversations = []
    for index in range(count):
        path = f"/ws/bench/relay/room-{index}/"
        conversations.append(await Conversation(port, path, reporter_cookie, staff_cookie, reconnect=False).open())
    return conversations


async def store_relay_conversations(port, case_ids, reporter_cookie, staff_cookie):
    conversations = []
    for case_id in case_ids:
        path = f"/ws/bench/store-relay/{case_id}/"
        conversations.append(await Conversation(port, path, reporter_cookie, staff_cookie, reconnect=False).open())
    return conversations


async def sample(conversations, count):
    latencies = []
    for index in range(count):
        conversation = conversations[index % len(conversations)]
        latencies.append(await conversation.deliver(f"Em cần giúp đỡ ({index})."))
    return latencies


async def compare(port, staff_cookie, case_ids, *, conversations=8, warmup=100, rounds=4, per_round=400):
    """Samples of the real consumer, the bare relay and the relay with one stored row on one server, in ms:
    {"real": [...], "relay": [...], "store_relay": [...]}, plus each round's median for the stability check."""
    real = await real_conversations(port, conversations, staff_cookie)
    reporter_cookie = real[0].reporter_cookie
    groups = {
        "relay": await relay_conversations(port, conversations, reporter_cookie, staff_cookie),
        "store_relay": await store_relay_conversations(port, case_ids[:conversations], reporter_cookie, staff_cookie),
        "real": real,
    }
    for group in groups.values():
        await sample(group, warmup)
    results = {name: [] for name in groups}
    round_medians = {name: [] for name in groups}
    for round_index in range(rounds):
        order = list(groups.items())
        if round_index % 2:
            order.reverse()
        for name, group in order:
            latencies = await sample(group, per_round)
            results[name] += latencies
            round_medians[name].append(client.percentile(latencies, 0.5))
    for group in groups.values():
        for conversation in group:
            await conversation.close()
    return results, round_medians


def run(server, staff_cookie, case_ids, label, **options):
    """Table rows and the ratios for one server (one channel layer)."""
    results, medians = asyncio.run(_run(server.port, staff_cookie, case_ids, **options))
    figures = {name: client.summary(values) for name, values in results.items()}
    real, relay, store = figures["real"], figures["relay"], figures["store_relay"]
    table = f"chat relay ({label})"
    rows = [
        (table, "bare relay consumer p50 / p99", f"{relay['p50']:.2f} / {relay['p99']:.2f} ms"),
        (table, "relay + 1 row committed p50 / p99", f"{store['p50']:.2f} / {store['p99']:.2f} ms"),
        (table, "real ChatConsumer p50 / p99", f"{real['p50']:.2f} / {real['p99']:.2f} ms"),
        (table, "round medians real", " ".join(f"{m:.2f}" for m in medians["real"])),
        (table, "round medians relay", " ".join(f"{m:.2f}" for m in medians["relay"])),
        (table, "samples (each)", f"{real['n']}"),
        (table, "ratio relay + 1 row / relay p50", f"{store['p50'] / relay['p50']:.2f}"),
        (table, "ratio real / relay + 1 row p50", f"{real['p50'] / store['p50']:.2f}"),
    ]
    ratios = {"p50": real["p50"] / relay["p50"], "p99": real["p99"] / relay["p99"]}
    rows.append((table, "ratio real / relay p50 / p99", f"{ratios['p50']:.2f} / {ratios['p99']:.2f}"))
    return rows, ratios


async def _run(port, staff_cookie, case_ids, **options):
    cookie = await staff_cookie(port) if callable(staff_cookie) else staff_cookie
    return await compare(port, cookie, case_ids, **options)
