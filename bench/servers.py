"""Server processes under test: start, stop, restart, and read their CPU time and memory.

The load generator never runs inside the server: each server is a separate process,
started here exactly as a user starts it (`python -m facilitation serve`), and measured
from outside with psutil (CPU seconds of the process, resident memory).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
# The checkout whose server is measured: this one, or another one (e.g. an unpacked
# `git archive` of an older commit, to compare before and after a change).
SOURCE = Path(os.environ.get("FACILITATION_BENCH_SOURCE") or ROOT).resolve()


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerUnderTest:
    """One server process on 127.0.0.1:port, with its log file."""

    def __init__(self, argv: list[str], port: int, env: dict | None = None,
                 log_path: Path | None = None, health: str = "/healthz"):
        self.argv = argv
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.env = {**os.environ, **(env or {})}
        self.log_path = log_path
        self.health = health
        self.proc: subprocess.Popen | None = None
        self.ps: psutil.Process | None = None
        self.stall_report = Path(self.env["FACILITATION_STALL_REPORT"]) if (
            "FACILITATION_STALL_REPORT" in (env or {})) else None

    def start(self, timeout: float = 30.0) -> None:
        """Start the process and wait until it answers its health URL."""
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(self.argv, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT, cwd=SOURCE)
        self.ps = psutil.Process(self.proc.pid)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + self.health, timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        self.stop(kill=True)  # never leave a server behind that nobody will stop
        raise RuntimeError(f"server did not answer {self.health} within {timeout}s")

    def stop(self, kill: bool = False) -> None:
        """Terminate (or kill) the process and wait for it."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill() if kill else self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def stalls(self, top: int = 5) -> dict | None:
        """The server's own report of its longest event-loop stalls (None if it wrote none).

        Call after stop(): the server writes it every second while it runs.
        """
        if self.stall_report is None or not self.stall_report.exists():
            return None
        report = json.loads(self.stall_report.read_text())
        for key in ("worst_ms", "blocked", "gc_pauses", "quiet_collections"):
            report[key] = report.get(key, [])[:top]
        for b in report["blocked"]:  # the innermost frames name the code that held the loop
            b["stack"] = _our_frames(b["stack"])
        return report

    def cpu_seconds(self) -> float:
        """User + system CPU time the process has used so far."""
        t = self.ps.cpu_times()
        return t.user + t.system

    def rss(self) -> int:
        """Resident memory of the process in bytes."""
        return self.ps.memory_info().rss


def _our_frames(stack: list[str], keep: int = 14) -> list[str]:
    """The last `keep` 'File …' lines of a stack, shortened to package-relative paths."""
    files = [line.strip() for line in stack if line.strip().startswith("File ")] or stack
    return [line.replace(str(SOURCE) + "/", "").split("site-packages/")[-1]
            for line in files[-keep:]]


def facilitation_server(workdir: Path, port: int, extra_env: dict | None = None,
                        database: Path | None = None) -> ServerUnderTest:
    """Our server, run the way `make run` runs it (gevent), over a database in workdir."""
    env = {
        "FACILITATION_DATABASE": str(database or workdir / "bench.db"),
        "FACILITATION_INSTANCE_DIR": str(workdir / "instance"),
        "FACILITATION_SESSIONS_DIR": str(workdir / "sessions"),
        "FACILITATION_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "FACILITATION_ADMIN_TOKEN": "bench-admin-token-0123456789",
        # Thousands of simulated phones from 127.0.0.1: the per-address limits would
        # refuse them (bench/abuse.py measures those limits with their defaults).
        "FACILITATION_NEW_DEVICES_PER_MINUTE": "1000000",
        "FACILITATION_NEW_DEVICES_BURST": "1000000",
        "FACILITATION_CONNECTIONS_PER_ADDRESS": "1000000",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SOURCE), os.environ.get("PYTHONPATH")])),
        # The event loop's longest stalls and their stacks (facilitation/stalls.py).
        "FACILITATION_STALL_REPORT": str(workdir / f"stalls-{port}.json"),
        **(extra_env or {}),
    }
    argv = [sys.executable, "-m", "facilitation", "serve", "--no-demo",
            "--host", "127.0.0.1", "--port", str(port)]
    return ServerUnderTest(argv, port, env, workdir / f"server-{port}.log")


def baseline_server(workdir: Path, port: int) -> ServerUnderTest:
    """The bare Flask-SocketIO server (bench/baseline_server.py), same async mode."""
    argv = [sys.executable, str(ROOT / "bench" / "baseline_server.py"),
            "--port", str(port), "--database", str(workdir / "baseline.db")]
    # The same instrumentation as ours (the stall monitor wakes 200 times a second): the
    # CPU ratio compares the handlers' code, not one side's measuring.
    env = {"FACILITATION_STALL_REPORT": str(workdir / f"stalls-{port}.json")}
    return ServerUnderTest(argv, port, env, workdir / f"baseline-{port}.log")


class Sampler:
    """Samples a server's resident memory in the background; keeps the peak."""

    def __init__(self, server: ServerUnderTest, interval: float = 0.1):
        self.server = server
        self.interval = interval
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_rss = max(self.peak_rss, self.server.rss())
            except psutil.Error:
                pass  # between a stop and a restart there is no process to read
            self._stop.wait(self.interval)


class Profiler:
    """py-spy sampling the server during one phase; collapsed stacks written to `path`.

    Does nothing when path is None. py-spy must be installed (pip install py-spy) and
    allowed to read the process (root, or ptrace permitted).
    """

    def __init__(self, server: ServerUnderTest, path: Path | None, rate: int = 250):
        self.server, self.path, self.rate = server, path, rate
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.proc = subprocess.Popen(
                ["py-spy", "record", "--pid", str(self.server.proc.pid), "--format", "raw",
                 "--rate", str(self.rate), "--output", str(self.path), "--nonblocking"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})
            time.sleep(0.5)  # let it attach before the phase starts
        return self

    def __exit__(self, *exc):
        if self.proc is not None:
            self.proc.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class PrivateRedis:
    """A throwaway redis-server on a free loopback port (nothing persisted)."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = workdir / "redis.log"
        self.proc: subprocess.Popen | None = None

    def __enter__(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no"], stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        import redis

        for _ in range(200):
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start; see {self.log}")

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(10)
