"""Fixtures in the flaskr manner, plus a real server process and real clients.

- app / client / store: the Flask app in threading mode over a temporary database.
- server: the real `facilitation serve` (gevent) as a process on a random port, over a
  database file the tests also open, so they create events and check rows directly.
- sio: a factory of real python-socketio clients over real websockets to `server`.
- browser: Debian's headless Chromium through Playwright (skipped with a reason if absent).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import socketio as sio_lib

from facilitation.app import create_app
from facilitation.store import Store

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ADMIN_TOKEN = "test-admin-token-0123456789abcdef"
# Every simulated phone of the suite comes from 127.0.0.1, like a hall behind one NAT
# that is bigger than the defaults allow for: the per-address limits are raised for the
# shared fixtures and tested with their defaults in tests/test_integrity_*.py.
ONE_ADDRESS_LIMITS = {
    "NEW_DEVICES_PER_MINUTE": 100_000, "NEW_DEVICES_BURST": 100_000,
    "CONNECTIONS_PER_ADDRESS": 100_000, "TICKET_ATTEMPTS_PER_MINUTE": 100_000,
}


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def device_cookie(n: int | str) -> str:
    """A valid, distinct device token for simulated phone number n."""
    return f"test-device-{n}-".ljust(43, "x")[:43]


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "DATABASE": str(tmp_path / "test.db"),
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "SESSIONS_DIR": str(tmp_path / "sessions"),
            "ASYNC_MODE": "threading",
            "PUBLIC_URL": "http://test.invalid:5000",
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "TESTING": True,
            **ONE_ADDRESS_LIMITS,
        }
    )
    yield app
    app.extensions["store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "store.db")
    yield s
    s.close()


def make_event(store: Store, tables: int = 3, **kw) -> dict:
    """An event with `tables` tables A, B, C… each with two guiding questions."""
    from facilitation.rules import table_codes

    return store.create_event(
        title=kw.pop("title", "Testcafé"),
        date=kw.pop("date", "2026-11-22"),
        tables=[
            {"code": c, "theme": f"Thema {c}", "questions": [f"Frage 1 {c}?", f"Frage 2 {c}?"]}
            for c in table_codes(tables)
        ],
        join_question=kw.pop("join_question", "Aus welchem Bereich kommen Sie?"),
        join_options=kw.pop("join_options", ["Ehrenamt", "Hauptamt", "Verwaltung"]),
        **kw,
    )


class ServerProcess:
    """A real server process: start, stop (gracefully or with SIGKILL), restart."""

    def __init__(self, tmp: Path, extra_env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_path = tmp / "server.db"
        self.env = {
            **os.environ,
            "FACILITATION_DATABASE": str(self.db_path),
            "FACILITATION_INSTANCE_DIR": str(tmp / "instance"),
            "FACILITATION_SESSIONS_DIR": str(tmp / "sessions"),
            "FACILITATION_ADMIN_TOKEN": ADMIN_TOKEN,
            "FACILITATION_PUBLIC_URL": self.url,
            **{f"FACILITATION_{k}": str(v) for k, v in ONE_ADDRESS_LIMITS.items()},
            **(extra_env or {}),
        }
        self.log_path = tmp / f"server-{self.port}.log"
        self.proc = None

    def start(self, timeout: float = 20.0) -> None:
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "facilitation", "serve", "--no-demo",
             "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self, kill: bool = False) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill() if kill else self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One real gevent server for the whole session; each test makes its own event."""
    proc = ServerProcess(tmp_path_factory.mktemp("server"))
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def server_store(server):
    """A store over the running server's database file (WAL: both can use it at once)."""
    s = Store(server.db_path)
    yield s
    s.close()


@pytest.fixture
def sio(server):
    """Factory of connected python-socketio clients: sio(auth, device=…) → client."""
    clients = []

    def connect(auth: dict, device: int | str | None = None, url: str | None = None,
                wait: bool = True, **kw):
        client = sio_lib.Client(reconnection=kw.pop("reconnection", False))
        client.received = []
        client.on("*", lambda event, data: client.received.append((event, data)))
        headers = {"Cookie": f"fac_device={device_cookie(device)}"} if device is not None else {}
        client.connect(url or server.url, auth=auth, headers=headers, transports=["websocket"],
                       wait_timeout=10)
        clients.append(client)
        if wait:
            wait_for(lambda: any(e == "snapshot" for e, _ in client.received))
        return client

    yield connect
    close_all(clients)


def close_all(clients) -> None:
    """Disconnect clients in parallel: each websocket close waits up to 3 s for its frame."""
    import threading

    threads = [threading.Thread(target=c.disconnect) for c in clients if c.connected]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)


def german(msgid: str) -> str:
    """The German catalogue's translation of msgid (fails if it has none)."""
    from babel.messages.pofile import read_po

    path = ROOT / "facilitation" / "translations" / "de" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        message = read_po(f).get(msgid)
    assert message is not None and message.string, f"no German translation for {msgid!r}"
    return message.string


def wait_for(predicate, timeout: float = 5.0, interval: float = 0.02):
    """Poll until predicate() is truthy; fail the test with a clear message otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def messages(client, name: str) -> list:
    """The payloads of every message called `name` a test client has received."""
    return [data for event, data in client.received if event == name]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright; skipped when not installed."""
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def shot(request):
    """Save a page's screenshot under test-artifacts/ (ignored by git) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=False)

    return take
