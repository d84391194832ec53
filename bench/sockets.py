"""Many open chat sockets on one Daphne process: the real chat relay's p99 with 1,000 sockets open against 10, and
the process's memory per connection.

The idle sockets are counsellors' sockets on the conversations of existing cases (one each), authorised and
subscribed to their case's group like any other; two conversations (four sockets) carry the measured messages.
Phases: 10 sockets, then 1,000, then 10 again; the 10-socket samples of both ends are pooled.
"""

import asyncio

from bench import chat, client

WARMUP = 100
SAMPLES = 1000
ACTIVE_CONVERSATIONS = 2


async def _open_idle(port, references, cookie, count):
    semaphore = asyncio.Semaphore(25)

    async def one(reference):
        async with semaphore:
            return await client.open_socket(port, f"/ws/cases/{reference}/chat/", cookie)

    return await asyncio.gather(*(one(reference) for reference in references[:count]))


async def _close(sockets):
    await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)


async def _settle():
    await asyncio.sleep(2)


async def measure(server, staff_cookie, references, *, many=1000, few=10, rss_kib):
    cookie = await staff_cookie(server.port)
    active = await chat.real_conversations(server.port, ACTIVE_CONVERSATIONS, cookie)
    base_open = 2 * ACTIVE_CONVERSATIONS
    idle = await _open_idle(server.port, references, cookie, few - base_open)
    await chat.sample(active, WARMUP)
    await _settle()
    few_rss = rss_kib(server.pid)
    few_first = await chat.sample(active, SAMPLES)
    more = await _open_idle(server.port, references[few - base_open :], cookie, many - few)
    await chat.sample(active, WARMUP)
    await _settle()
    many_rss = rss_kib(server.pid)
    many_samples = await chat.sample(active, SAMPLES)
    await _close(more)
    await _settle()
    few_second = await chat.sample(active, SAMPLES)
    await _close(idle)
    for conversation in active:
        await conversation.close()
    return {
        "few": few_first + few_second,
        "many": many_samples,
        "few_rss": few_rss,
        "many_rss": many_rss,
        "few_p99s": (client.percentile(few_first, 0.99), client.percentile(few_second, 0.99)),
    }


def run(server, staff_cookie, references, *, rss_kib, many=1000, few=10):
    if len(references) < many:
        raise RuntimeError(f"need {many} cases for the idle sockets, have {len(references)}")
    result = asyncio.run(measure(server, staff_cookie, references, many=many, few=few, rss_kib=rss_kib))
    low, high = client.summary(result["few"]), client.summary(result["many"])
    per_connection = (result["many_rss"] - result["few_rss"]) / (many - few)
    rows = [
        ("sockets", f"{few} open: relay p50 / p99", f"{low['p50']:.2f} / {low['p99']:.2f} ms"),
        ("sockets", f"{few} open: p99 before / after", " / ".join(f"{p:.2f}" for p in result["few_p99s"])),
        ("sockets", f"{many} open: relay p50 / p99", f"{high['p50']:.2f} / {high['p99']:.2f} ms"),
        (
            "sockets",
            "Daphne RSS at few / many",
            f"{result['few_rss'] / 1024:.1f} / {result['many_rss'] / 1024:.1f} MiB",
        ),
        ("sockets", "memory per connection", f"{per_connection:.1f} KiB"),
        ("sockets", "p99 ratio", f"{high['p99'] / low['p99']:.2f}"),
    ]
    return rows, high["p99"] / low["p99"]
