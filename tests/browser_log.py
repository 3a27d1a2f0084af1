"""What each browser page of a test did, kept for the failure report of that test.

A browser test that fails on a loaded machine (CI) says only which wait timed out. With
this record the report also says what the page saw: its console errors, uncaught
exceptions, failed requests, and each websocket's opening, frames and closing, with
times since the test began, followed by the end of the test server's log.
"""

from __future__ import annotations

import time
from collections import deque

KEEP_LINES = 300  # the newest; a failing wait is near the end
FRAME_CHARS = 160


class PageLog:
    """Records pages as a test opens them (`watch_browser`), bounded."""

    def __init__(self):
        self.start = time.monotonic()
        self.lines: deque[str] = deque(maxlen=KEEP_LINES)
        self.pages = 0
        self.sockets = 0

    def add(self, where: str, text: str) -> None:
        self.lines.append(f"{time.monotonic() - self.start:8.3f} {where} {text}")

    def watch_page(self, page) -> None:
        self.pages += 1
        name = f"page{self.pages}"
        self.add(name, "opened")
        page.on("console", lambda m: m.type in ("error", "warning")
                and self.add(name, f"console.{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.add(name, f"uncaught: {e}"))
        page.on("requestfailed", lambda r: self.add(name, f"request failed: {r.url} {r.failure}"))
        page.on("framenavigated", lambda f: f == page.main_frame and self.add(name, f"at {f.url}"))
        page.on("websocket", lambda ws: self._watch_socket(name, ws))

    def _watch_socket(self, name: str, ws) -> None:
        self.sockets += 1
        tag = f"{name} ws{self.sockets}"
        self.add(tag, f"open {ws.url}")
        ws.on("framesent", lambda payload: self.add(tag, f"-> {str(payload)[:FRAME_CHARS]}"))
        ws.on("framereceived", lambda payload: self.add(tag, f"<- {str(payload)[:FRAME_CHARS]}"))
        ws.on("socketerror", lambda error: self.add(tag, f"error {error}"))
        ws.on("close", lambda _: self.add(tag, "closed"))

    def text(self) -> str:
        return "\n".join(self.lines)


def watch_browser(monkeypatch, browser, log: PageLog) -> None:
    """Every page this test opens in `browser`, directly or in a new context, is recorded."""
    new_context, new_page = browser.new_context, browser.new_page

    def context_(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.on("page", log.watch_page)
        return context

    def page_(*args, **kwargs):
        page = new_page(*args, **kwargs)
        log.watch_page(page)
        return page

    monkeypatch.setattr(browser, "new_context", context_)
    monkeypatch.setattr(browser, "new_page", page_)


def log_tail(path, lines: int = 60) -> str:
    """The end of a server's log file (the whole file when short)."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as exc:
        return f"(no log: {exc})"
