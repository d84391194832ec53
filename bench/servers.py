"""Daphne processes started (and stopped) by the benchmarks: free ports on 127.0.0.1, the benchmark's environment."""

import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "var" / "bench"


def raise_file_limit(wanted=8192):
    """Open sockets are files: raise this process's limit (Daphne children inherit it) as far as allowed."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_kib(pid):
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


class Daphne:
    """One Daphne process serving bench.asgi (the hotline plus the baselines) with the given environment."""

    def __init__(self, env, name):
        self.env = env
        self.name = name
        self.port = free_port()
        self.process = None

    def __enter__(self):
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log_path = LOG_DIR / f"daphne-{self.name}.log"
        with open(log_path, "w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "bench.asgi:application"],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"Daphne did not start:\n{log_path.read_text()[-3000:]}") from None
                time.sleep(0.1)
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def server_env(base, **overrides):
    env = {**os.environ, **base, **{k: str(v) for k, v in overrides.items()}}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env
