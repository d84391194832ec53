"""The young person's front door, on real Daphne processes.

- `report_form_get_ratio`: GET / (the report form) per second against the minimal Django view (GET), same process.
- `report_visit_vs_minimal_ratio`: the whole visit of a new visitor (a new connection with no cookies: GET the form,
  read its CSRF token and one-time form token, POST it with a link and the consents as a browser posts this form:
  multipart/form-data with its hidden fields and the empty file input; follow the redirect to the receipt) per
  second, against
  pairs of requests to the minimal view (GET then POST, also on a new connection) per second. Eight clients.
- The same visit and the intake API with one process and with two (the clients spread their connections over both
  ports, as nginx's `least_conn` would over the processes of deploy/): what a second process adds on this machine.

Rounds alternate between the measured page and its baseline so that other work on the machine hits both alike.
"""

import asyncio
import statistics
import time

from bench import client

CLIENTS = 8
VISIT_FORM = {
    "category": "CBH",
    "description": "Có người lập nhóm trên Facebook để chửi bới và chế ảnh em.",
    "links": "https://www.facebook.com/groups/example",
    "platforms": "facebook",
    "ongoing": "yes",
    "reporter_role": "self",
    "age_band": "13_15",
    "gender": "female",
    "contact_preference": "none",
    # The web form's own consent boxes (child_consent, guardian_consent are the phone intake's: the form ignored them).
    "consent_share_police": "on",
    "consent_share_information": "on",
    "consent_keep_evidence": "on",
}


async def _gets(port, path, deadline, counts):
    http = client.Http(port)
    try:
        while time.perf_counter() < deadline:
            status, _headers, body = await http.request("GET", path)
            if status not in (200, 201):
                raise client.HttpError(f"GET {path}: {status} {body[:200]!r}")
            counts.append(1)
    finally:
        await http.close()


async def get_rate(port, path, *, seconds):
    counts = []
    started = time.perf_counter()
    await asyncio.gather(*(_gets(port, path, started + seconds, counts) for _ in range(CLIENTS)))
    return len(counts) / (time.perf_counter() - started)


async def one_visit(port, steps):
    """One new visitor's report; adds each step's seconds to `steps`."""
    http = client.Http(port)
    try:
        started = time.perf_counter()
        status, _headers, page = await http.request("GET", "/")
        html = page.decode()
        token, form_token = client.CSRF_FIELD.search(html), client.FORM_TOKEN_FIELD.search(html)
        if status != 200 or token is None or form_token is None:
            raise client.HttpError(f"GET /: {status}")
        got_form = time.perf_counter()
        hidden = {"csrfmiddlewaretoken": token.group(1), "form_token": form_token.group(1)}
        body, content_type = client.multipart({**VISIT_FORM, **hidden}, empty_files=["evidence"])
        status, headers, _body = await http.request(
            "POST",
            "/",
            body=body,
            content_type=content_type,
            headers={"Referer": f"http://127.0.0.1:{port}/"},
        )
        if status != 302 or headers.get("location") != "/receipt/":
            raise client.HttpError(f"POST /: {status} {_body[:300]!r}")
        posted = time.perf_counter()
        status, _headers, receipt = await http.request("GET", "/receipt/")
        if status != 200 or b"receipt-reference" not in receipt:
            raise client.HttpError(f"GET /receipt/: {status}")
        done = time.perf_counter()
    finally:
        await http.close()
    steps["get_form"].append(got_form - started)
    steps["post_form"].append(posted - got_form)
    steps["receipt"].append(done - posted)


async def minimal_pair(port, steps):
    http = client.Http(port)
    try:
        for method in ("GET", "POST"):
            status, _headers, _body = await http.request(method, "/bench/minimal")
            if status != 201:
                raise client.HttpError(f"{method} /bench/minimal: {status}")
    finally:
        await http.close()


async def _visitor(ports, index, action, deadline, steps, counts):
    port = ports[index % len(ports)]
    while time.perf_counter() < deadline:
        await action(port, steps)
        counts.append(1)


async def visit_rate(ports, action, *, seconds):
    steps = {"get_form": [], "post_form": [], "receipt": []}
    counts = []
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_visitor(ports, i, action, deadline, steps, counts) for i in range(CLIENTS)))
    return len(counts) / (time.perf_counter() - started), steps


async def _intake_worker(port, deadline, counts):
    http = client.Http(port)
    try:
        while time.perf_counter() < deadline:
            status, _headers, body = await http.request(
                "POST", "/api/v1/reports", body=client.REPORT_BODY, content_type="application/json"
            )
            if status != 201:
                raise client.HttpError(f"API: {status} {body[:200]!r}")
            counts.append(1)
    finally:
        await http.close()


async def intake_rate(ports, *, seconds):
    counts = []
    started = time.perf_counter()
    deadline = started + seconds
    await asyncio.gather(*(_intake_worker(ports[i % len(ports)], deadline, counts) for i in range(CLIENTS)))
    return len(counts) / (time.perf_counter() - started)


async def compare_one(port, *, rounds, seconds):
    await get_rate(port, "/", seconds=1)
    await get_rate(port, "/bench/minimal", seconds=1)
    await visit_rate([port], one_visit, seconds=1)
    results = {"form": [], "minimal_get": [], "visit": [], "minimal_pair": []}
    steps = {"get_form": [], "post_form": [], "receipt": []}
    for round_index in range(rounds):
        order = [("form", "/"), ("minimal_get", "/bench/minimal")]
        if round_index % 2:
            order.reverse()
        for name, path in order:
            results[name].append(await get_rate(port, path, seconds=seconds))
        order = [("visit", one_visit), ("minimal_pair", minimal_pair)]
        if round_index % 2:
            order.reverse()
        for name, action in order:
            rate, round_steps = await visit_rate([port], action, seconds=seconds)
            results[name].append(rate)
            if name == "visit":
                for step, values in round_steps.items():
                    steps[step] += values
    return results, steps


async def compare_processes(one, two, *, rounds, seconds):
    """Visits and API reports with one process against two (same machine, same eight clients)."""
    results = {"visit_1": [], "visit_2": [], "intake_1": [], "intake_2": []}
    await intake_rate(two, seconds=1)
    await visit_rate(two, one_visit, seconds=1)
    for round_index in range(rounds):
        order = [("1", one), ("2", two)]
        if round_index % 2:
            order.reverse()
        for label, ports in order:
            results[f"visit_{label}"].append((await visit_rate(ports, one_visit, seconds=seconds))[0])
            results[f"intake_{label}"].append(await intake_rate(ports, seconds=seconds))
    return results


def _ms(values):
    summary = client.summary(values)
    return f"p50 {summary['p50'] * 1000:.1f} ms, p99 {summary['p99'] * 1000:.1f} ms (n={summary['n']})"


def _rounds(values):
    return ", ".join(f"{value:.0f}" for value in values)


def run(servers, *, rounds=3, seconds=4.0):
    """`servers`: two running Daphne processes. Returns (table rows, headline figures)."""
    first, second = servers
    results, steps = asyncio.run(compare_one(first.port, rounds=rounds, seconds=seconds))
    processes = asyncio.run(compare_processes([first.port], [first.port, second.port], rounds=rounds, seconds=seconds))
    median = {name: statistics.median(values) for name, values in {**results, **processes}.items()}
    form_ratio = median["form"] / median["minimal_get"]
    visit_ratio = median["visit"] / median["minimal_pair"]
    rows = [
        ("front door", "GET /bench/minimal", f"{median['minimal_get']:.0f} req/s ({_rounds(results['minimal_get'])})"),
        ("front door", "GET / (report form)", f"{median['form']:.0f} req/s ({_rounds(results['form'])})"),
        ("front door", "ratio form / minimal", f"{form_ratio:.2f}"),
        ("front door", "minimal pairs (GET+POST)", f"{median['minimal_pair']:.0f}/s"),
        ("front door", "visits (form, POST, receipt)", f"{median['visit']:.0f}/s ({_rounds(results['visit'])})"),
        ("front door", "ratio visits / minimal pairs", f"{visit_ratio:.2f}"),
        ("front door", "visit step: GET form", _ms(steps["get_form"])),
        ("front door", "visit step: POST form", _ms(steps["post_form"])),
        ("front door", "visit step: receipt", _ms(steps["receipt"])),
        ("processes", "visits, 1 process", f"{median['visit_1']:.0f}/s ({_rounds(processes['visit_1'])})"),
        ("processes", "visits, 2 processes", f"{median['visit_2']:.0f}/s ({_rounds(processes['visit_2'])})"),
        ("processes", "API reports, 1 process", f"{median['intake_1']:.0f}/s ({_rounds(processes['intake_1'])})"),
        ("processes", "API reports, 2 processes", f"{median['intake_2']:.0f}/s ({_rounds(processes['intake_2'])})"),
    ]
    headline = {
        "report_form_get_ratio": f"{form_ratio:.2f}",
        "report_visit_vs_minimal_ratio": f"{visit_ratio:.2f}",
        "visit_2proc_vs_1proc_ratio": f"{median['visit_2'] / median['visit_1']:.2f}",
        "intake_2proc_vs_1proc_ratio": f"{median['intake_2'] / median['intake_1']:.2f}",
    }
    return rows, headline
