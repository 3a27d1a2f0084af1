"""What tests share besides fixtures: paths, a test event, a real server process, clients.

Import from here (`from tests.helpers import make_event`), never from `conftest.py`:
pytest loads conftest itself, and importing it a second time as a module made plain
`pytest` fail. Fixtures stay in conftest.py.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import engineio
import requests
import socketio

from facilitation.store import Store

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
# Debian's chromium-headless-shell is the same Chromium build run headless without the
# browser's window layer (Playwright's own choice for headless runs): a new context with
# a phone page costs a quarter of the CPU time of `chromium --headless`. Else the browser.
CHROMIUM = (shutil.which("chromium-headless-shell") or shutil.which("chromium")
            or shutil.which("chromium-browser"))
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
        self.tmp = tmp
        self.db_path = tmp / "server.db"
        self.env = {
            **os.environ,
            "FACILITATION_DATABASE": str(self.db_path),
            "FACILITATION_INSTANCE_DIR": str(tmp / "instance"),
            "FACILITATION_SESSIONS_DIR": str(tmp / "sessions"),
            "FACILITATION_ADMIN_TOKEN": ADMIN_TOKEN,
            **{f"FACILITATION_{k}": str(v) for k, v in ONE_ADDRESS_LIMITS.items()},
            **(extra_env or {}),
        }
        self._use_port(free_port())
        self.proc = None

    def _use_port(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.env["FACILITATION_PUBLIC_URL"] = self.url
        self.log_path = self.tmp / f"server-{port}.log"

    def start(self, timeout: float = 20.0) -> None:
        """Start and wait for /healthz. A port taken meanwhile (tests run in parallel
        processes, each picking free ports) is replaced by another, at most twice."""
        for attempt in range(3):
            try:
                return self._start(timeout)
            except RuntimeError as e:
                if attempt == 2 or "Address already in use" not in str(e):
                    raise
                self._use_port(free_port())

    def _start(self, timeout: float) -> None:
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


class _PromptEngineIO(engineio.Client):
    """engine.io's client, hanging up at once as a closing browser tab does.

    Why: its reader thread takes the server's websocket close frame itself, so
    websocket-client's `close()` then waits its whole 3 s timeout for a frame that never
    reaches it: 3 s in every test's teardown and every refused connect. Here the close
    waits only until engine.io's own `close` packet has left (the writer thread ends
    right after sending it), then closes the socket without waiting for an echo.
    """

    def disconnect(self, abort=False, reason=None):
        if self.state == "connected" and self.current_transport == "websocket" and self.ws:
            writer, close = self.write_loop_task, self.ws.close

            def close_promptly(*args, **kwargs):
                if writer is not None and writer is not threading.current_thread():
                    writer.join(2)
                close(timeout=0)

            self.ws.close = close_promptly
        super().disconnect(abort=abort, reason=reason)


class Client(socketio.Client):
    """A real python-socketio client over real sockets that disconnects without a 3 s wait."""

    def _engineio_client_class(self):
        return _PromptEngineIO


def close_all(clients) -> None:
    """Disconnect every client that is still connected (in parallel)."""
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


def wait_for(predicate, timeout: float = 5.0, interval: float = 0.02, what: str = "condition"):
    """Poll until predicate() is truthy; fail the test with a clear message (naming `what`)
    otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{what} not met within {timeout}s")


def messages(client, name: str) -> list:
    """The payloads of every message called `name` a test client has received."""
    return [data for event, data in client.received if event == name]


def open_in_browser(browser, contexts: list, url: str, width: int, height: int,
                    locale: str = "de-DE"):
    """A page at url in a fresh browser context of that viewport (appended to contexts, for
    the caller to close). page.errors collects its script errors and console errors;
    confirmation dialogs are accepted, as the person at the screen would."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    contexts.append(ctx)
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("dialog", lambda d: d.accept())
    page.goto(url)
    return page
