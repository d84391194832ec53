"""The load generator's side: a small keep-alive HTTP/1.1 client, the sign-ins a browser would do, websockets,
and percentiles. Everything runs on asyncio in the benchmark process, on the loopback interface only."""

import asyncio
import contextlib
import json
import re
import statistics
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from websockets.asyncio.client import connect

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN_FIELD = re.compile(r'name="form_token" value="([^"]+)"')  # the report form's one-time token


class HttpError(Exception):
    pass


def multipart(fields, *, empty_files=()):
    """(body, content type) of a form posted as a browser posts a form with a file input (multipart/form-data),
    with an empty part for each file input left empty, as browsers send them."""
    boundary = f"----hotline-bench-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts += [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
        for name in empty_files
    ]
    body = ("".join(parts) + f"--{boundary}--\r\n").encode()
    return body, f"multipart/form-data; boundary={boundary}"


class Http:
    """One keep-alive connection to a server; cookies kept like a browser would (per connection)."""

    def __init__(self, port, host="127.0.0.1"):
        self.port = port
        self.host = host
        self.cookies = {}
        self.reader = self.writer = None

    async def _open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
            self.writer = None

    async def request(self, method, path, *, body=b"", content_type=None, headers=None):
        """Returns (status, headers dict with lower-case names, body bytes)."""
        if self.writer is None:
            await self._open()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: keep-alive"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readline()
        if not status_line:
            raise HttpError("connection closed")
        status = int(status_line.split()[1])
        response_headers, cookies = {}, []
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookies.append(value)
            response_headers[name] = value
        if "content-length" in response_headers:
            payload = await self.reader.readexactly(int(response_headers["content-length"]))
        elif response_headers.get("transfer-encoding") == "chunked":
            chunks = []
            while size := int((await self.reader.readline()).strip(), 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()
            payload = b"".join(chunks)
        else:
            payload = await self.reader.read()
            await self.close()
        for header in cookies:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response_headers.get("connection", "").lower() == "close":
            await self.close()
        return status, response_headers, payload

    async def form(self, path, fields):
        """GET the page for its CSRF token, then POST the form like a browser."""
        status, _headers, page = await self.request("GET", path)
        if status != 200:
            raise HttpError(f"GET {path}: {status}")
        token = CSRF_FIELD.search(page.decode())
        data = {**fields, "csrfmiddlewaretoken": token.group(1) if token else ""}
        return await self.request(
            "POST",
            path,
            body=urlencode(data).encode(),
            content_type="application/x-www-form-urlencoded",
            headers={"Referer": f"http://{self.host}:{self.port}{path}"},
        )

    def cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


REPORT = {
    "category": "CBH",
    "description": "Có người lập nhóm trên Facebook để chửi bới và chế ảnh em.",
    "links": ["https://www.facebook.com/groups/example"],
    "platforms": ["facebook"],
    "age_band": "13_15",
    "gender": "female",
}
REPORT_BODY = json.dumps(REPORT).encode()


async def make_report(port):
    """A report through the real API: (reference, access code)."""
    http = Http(port)
    try:
        status, _headers, body = await http.request(
            "POST", "/api/v1/reports", body=REPORT_BODY, content_type="application/json"
        )
    finally:
        await http.close()
    if status != 201:
        raise HttpError(f"report: {status} {body[:200]!r}")
    answer = json.loads(body)
    return answer["reference"], answer["access_code"]


async def reporter_cookie(port, reference, code):
    """The session cookie of a reporter who proved their access with the status look-up."""
    http = Http(port)
    try:
        status, headers, _body = await http.form("/status/", {"reference": reference, "access_code": code})
    finally:
        await http.close()
    if status != 302 or "/status/" not in headers.get("location", ""):
        raise HttpError(f"status look-up: {status}")
    return http.cookie_header()


async def staff_cookie(port, username, password, *, code):
    """The session cookie of a counsellor signed in with the password and the authenticator's code."""
    http = Http(port)
    try:
        status, _headers, _body = await http.form("/accounts/login/", {"username": username, "password": password})
        if status != 302 or "sessionid" not in http.cookies:
            raise HttpError(f"login: {status}")
        status, headers, _body = await http.form("/accounts/verify/", {"token": code})
        if status != 302 or "/accounts/" in headers.get("location", ""):
            raise HttpError(f"second factor: {status}")
    finally:
        await http.close()
    return http.cookie_header()


async def open_socket(port, path, cookie):
    return await connect(
        f"ws://127.0.0.1:{port}{path}",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": cookie},
        compression=None,
        max_queue=None,
        open_timeout=30,
        ping_interval=None,
    )


def new_client_id():
    return uuid.uuid4().hex


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * fraction
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(values):
    return {
        "n": len(values),
        "p50": percentile(values, 0.5),
        "p99": percentile(values, 0.99),
        "mean": statistics.fmean(values) if values else float("nan"),
    }
