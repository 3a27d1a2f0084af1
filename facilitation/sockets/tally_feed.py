"""Coalesced `tally` messages: the first dot at once, then at most one tally per 50 ms.

A dot only marks its round as changed. When the round has been quiet (no tally in the
last INTERVAL), its tally goes out right away, as soon as the dot's handler has
answered; while dots keep coming, the next tally waits until INTERVAL after the last
one, and carries every dot that arrived meanwhile, whether one or a thousand. So a
projector gets at most 1 / INTERVAL frames per second per round, and a dot in a quiet
round is on it within a few milliseconds instead of waiting for a fixed clock.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, current_app

from ..extensions import get_store, socketio
from ..rooms import console_room, event_room
from ..store import Store
from ..tally import RunningTally, Summary, summarize
from ..voting_view import console_tally, projector_tally

log = logging.getLogger(__name__)

# Least seconds between two tallies of one round (at most 20 frames a second). Busy
# rounds' dots wait up to this long; each tally costs a few ms of CPU at a few thousand dots.
INTERVAL = 0.05
# Target groups changed by another server process (with a message queue) are not
# announced to this one: it reads them again at most this often anyway.
GROUPS_MAX_AGE = 2.0
IDLE = 30.0  # seconds without a dot after which a round's cached rows are dropped


class TallyCache:
    """Per voting round, a running tally of the ledger rows already read: a tally reads
    only the new rows and adds only them (tally.RunningTally).

    Reading and summing a few thousand rows per frame cost more than anything else a
    dot does, and under gevent that time holds up every socket. The ledger is
    append-only: should its size ever disagree with the rows counted (rows deleted with
    their event), the round is counted again from the start; that is checked when the
    groups are read. Each participant's target
    group is read per event, again only when this process changed one (groups_changed)
    or GROUPS_MAX_AGE has passed, so a tally's cost grows with neither the hall nor the
    round, only with the new dots.
    """

    def __init__(self):
        self._tallies: dict[tuple[str, int], RunningTally] = {}
        self._groups: dict[str, tuple[float, dict]] = {}  # event → (read at, groups)

    def summary(self, store: Store, event_id: str, round_id: int) -> Summary:
        """The round's summary, all dots counted (call inside store.read())."""
        running = self._tallies.get((event_id, round_id)) or RunningTally()
        read_at, groups = self._groups.get(event_id, (None, None))
        check = read_at is None or time.monotonic() - read_at > GROUPS_MAX_AGE
        if check:
            groups = store.target_groups(event_id)
            self._groups[event_id] = (time.monotonic(), groups)
            running.regroup(groups)
        running.add(store.ledger_moves(event_id, round_id, after_id=running.seq), groups)
        # Counting the round's rows costs as much as reading them: done with the groups.
        if check and running.rows != store.dot_count(event_id, round_id):
            running = RunningTally()
            running.add(store.ledger_moves(event_id, round_id), groups)
        self._tallies[(event_id, round_id)] = running
        return running.summary()

    def groups_changed(self, event_id: str) -> None:
        """A participant of the event changed their target group: read them again."""
        self._groups.pop(event_id, None)

    def forget(self, event_id: str, round_id: int) -> None:
        """Drop a round (closed: no more rows will come)."""
        self._tallies.pop((event_id, round_id), None)
        if not any(e == event_id for e, _ in self._tallies):
            self._groups.pop(event_id, None)


def send_tally(event_id: str, round_id: int, cache: TallyCache | None = None) -> None:
    """Send the round's tally now: the projector view to the event room, the full one to consoles."""
    store = get_store()
    with store.read():
        # The round and the event are kept between tallies while only dots came
        # (StoreBase.kept): reading them was 40 % of a tally's CPU at 20 tallies a second.
        rnd = store.kept("voting_round", event_id, round_id, True)
        if cache is None:
            summary = summarize(store.dot_ledger(event_id, round_id))
        else:
            summary = cache.summary(store, event_id, round_id)
            if rnd["status"] == "closed":
                cache.forget(event_id, round_id)
        groups = store.kept("get_event", event_id)["join_options"]
    if rnd["status"] != "draft":
        socketio.emit("tally", projector_tally(rnd, summary), to=event_room(event_id))
    socketio.emit("tally", console_tally(rnd, summary, groups), to=console_room(event_id))


class TallyFeed:
    """Per voting round: when its last tally went out, and whether the next one is due."""

    def __init__(self, app: Flask, interval: float = INTERVAL):
        self.app = app
        self.interval = interval
        self._cache = TallyCache()
        self._lock = threading.Lock()
        self._sending = threading.Lock()  # one tally at a time: never an older after a newer
        self._scheduled: set[tuple[str, int]] = set()
        self._last: dict[tuple[str, int], float] = {}  # round → when its last tally began

    def mark(self, event_id: str, round_id: int) -> None:
        """Note that a round's dots changed: its tally goes out now, or INTERVAL after its
        last one (then with every dot that came meanwhile)."""
        key = (event_id, round_id)
        with self._lock:
            if key in self._scheduled:
                return  # a tally is due and will read this dot too
            self._scheduled.add(key)
            delay = self._last.get(key, float("-inf")) + self.interval - time.monotonic()
        # A task even when due now: it runs once this dot's handler has sent its ack.
        socketio.start_background_task(self._send, key, max(0.0, delay))

    def groups_changed(self, event_id: str) -> None:
        """A participant changed their target group (the console's tally shows groups)."""
        with self._lock:
            self._cache.groups_changed(event_id)

    def _send(self, key: tuple[str, int], delay: float) -> None:
        if delay:
            socketio.sleep(delay)
        with self._sending:
            with self._lock:
                # From here on a new dot schedules the next tally: the rows read below
                # include every dot marked before this point.
                self._scheduled.discard(key)
                now = self._last[key] = time.monotonic()
                quiet = [k for k, t in self._last.items() if t < now - IDLE and k != key]
                for k in quiet:  # a round without dots for a while: keep none of its rows
                    del self._last[k]
                    self._cache.forget(*k)
            try:
                with self.app.app_context():
                    send_tally(*key, self._cache)
            except Exception:  # a failing round must not stop later tallies
                log.exception("tally for %s/%s failed", *key)


def feed() -> TallyFeed:
    """This process's feed for the current app (created on first use)."""
    app = current_app._get_current_object()
    existing = app.extensions.get("tally_feed")
    if existing is None:
        existing = app.extensions.setdefault("tally_feed", TallyFeed(app))
    return existing
