"""Coalesced `tally` messages: many dots → a few tallies per second per voting round.

A dot only marks its round as changed; one background task per process wakes every
INTERVAL seconds and sends each changed round's tally once, whether one dot or a
thousand arrived meanwhile. The task ends after a quiet half minute and starts again with
the next dot, so idle servers (and test apps) keep no thread busy.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app

from ..extensions import get_store, socketio
from ..rooms import console_room, event_room
from ..voting_view import console_tally, projector_tally

log = logging.getLogger(__name__)

# Seconds between tallies of a round (at most ~10 per second). A dot waits for the next
# tick, so this is most of its way to the projector: 0.3 s gave a p95 of ~300 ms under
# load, over the 200 ms budget (docs/performance.md); each tick costs ~10-20 ms of CPU
# at a few thousand dots.
INTERVAL = 0.1
IDLE_TICKS = round(30 / INTERVAL)  # quiet ticks (half a minute) before the task ends


class LedgerCache:
    """Per voting round, the ledger rows already read, so a tick reads only new ones.

    Reading a few thousand rows costs more than the arithmetic on them, and under gevent
    that time holds up every socket. The ledger is append-only: should its size ever
    disagree with the cache (rows deleted with their event), the round is read in full.
    Target groups are read fresh every tick, as a participant may change theirs.
    """

    def __init__(self):
        self._rows: dict[tuple[str, int], list[dict]] = {}

    def rows(self, store, event_id: str, round_id: int) -> list[dict]:
        """The round's whole ledger with current target groups (call inside store.read())."""
        have = self._rows.get((event_id, round_id), [])
        rows = have + store.dot_ledger(event_id, round_id, after_id=have[-1]["id"] if have else 0)
        if len(rows) != store.dot_count(event_id, round_id):
            rows = store.dot_ledger(event_id, round_id)
        self._rows[(event_id, round_id)] = rows
        groups = store.target_groups(event_id)
        # Set in place on the cached rows (they are this cache's own, re-set every tick):
        # copying thousands of dicts ten times a second was a quarter of a tick.
        for r in rows:
            r["target_group"] = groups.get(r["participant_id"])
        return rows

    def forget(self, event_id: str, round_id: int) -> None:
        """Drop a round (closed: no more rows will come)."""
        self._rows.pop((event_id, round_id), None)


def send_tally(event_id: str, round_id: int, cache: LedgerCache | None = None) -> None:
    """Send the round's tally now: the projector view to the event room, the full one to consoles."""
    store = get_store()
    with store.read():
        rnd = store.voting_round(event_id, round_id, with_hidden=True)
        if cache is None:
            rows = store.dot_ledger(event_id, round_id)
        else:
            rows = cache.rows(store, event_id, round_id)
            if rnd["status"] == "closed":
                cache.forget(event_id, round_id)
        groups = store.get_event(event_id)["join_options"]
    if rnd["status"] != "draft":
        socketio.emit("tally", projector_tally(rnd, rows), to=event_room(event_id))
    socketio.emit("tally", console_tally(rnd, rows, groups), to=console_room(event_id))


class TallyFeed:
    """The rounds whose dots changed since the last tick, and the task that sends them."""

    def __init__(self, app: Flask, interval: float = INTERVAL):
        self.app = app
        self.interval = interval
        self._dirty: set[tuple[str, int]] = set()
        self._cache = LedgerCache()
        self._lock = threading.Lock()
        self._running = False

    def mark(self, event_id: str, round_id: int) -> None:
        """Note that a round's dots changed; its tally goes out at the next tick."""
        with self._lock:
            self._dirty.add((event_id, round_id))
            if self._running:
                return
            self._running = True
        socketio.start_background_task(self._run)

    def _run(self) -> None:
        idle = 0
        due = time.monotonic()
        while True:
            # Ticks at a fixed rate: the time a tick spends sending is not added to the
            # wait for the next one (a busy tick is followed by a shorter sleep).
            due += self.interval
            socketio.sleep(max(0.0, due - time.monotonic()))
            due = max(due, time.monotonic() - self.interval)  # after a stall, no catch-up burst
            with self._lock:
                batch, self._dirty = self._dirty, set()
                if not batch:
                    idle += 1
                    if idle >= IDLE_TICKS:
                        self._running = False
                        self._cache = LedgerCache()  # idle: keep no rows in memory
                        return
                    continue
            idle = 0
            for event_id, round_id in sorted(batch):
                try:
                    with self.app.app_context():
                        send_tally(event_id, round_id, self._cache)
                except Exception:  # one failing round must not stop the others' tallies
                    log.exception("tally for %s/%s failed", event_id, round_id)


def feed() -> TallyFeed:
    """This process's feed for the current app (created on first use)."""
    app = current_app._get_current_object()
    existing = app.extensions.get("tally_feed")
    if existing is None:
        existing = app.extensions.setdefault("tally_feed", TallyFeed(app))
    return existing
