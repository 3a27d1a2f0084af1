"""The tally feed: a quiet round's first dot is sent at once, busy rounds are coalesced,
and the running tally (only new rows, target groups only when changed) equals a full read."""

from __future__ import annotations

import threading
import time

import pytest

from facilitation.sockets import tally_feed
from facilitation.sockets.tally_feed import TallyCache, TallyFeed
from facilitation.tally import summarize
from tests.helpers import make_event, wait_for


def test_cached_ledger_equals_a_full_read_as_dots_and_groups_change(store, monkeypatch):
    event = make_event(store)
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Leitbild", statements=["a", "b", "c"])
    store.open_voting_round(eid, rnd["id"])
    a, b, c = (x["id"] for x in rnd["candidates"])
    p1 = store.participant(eid, "feed-1-".ljust(43, "x"))["id"]
    p2 = store.participant(eid, "feed-2-".ljust(43, "x"))["id"]
    cache = TallyCache()

    def both():
        with store.read():
            return (cache.summary(store, eid, rnd["id"]),
                    summarize(store.dot_ledger(eid, rnd["id"])))

    cached, full = both()
    assert cached == full and full.counts == {} and full.seq == 0
    store.place_dot(eid, rnd["id"], a, p1, "f-0000001")
    store.place_dot(eid, rnd["id"], b, p2, "f-0000002")
    cached, full = both()
    assert cached == full and full.counts == {a: 1, b: 1} and full.voters == 2
    store.set_target_group(eid, p1, "Ehrenamt")
    cache.groups_changed(eid)  # as the set_target_group handler says
    store.remove_dot(eid, rnd["id"], a, p1, "f-0000003")
    store.place_dot(eid, rnd["id"], c, p1, "f-0000004")
    cached, full = both()
    assert cached == full and full.by_group == {b: {None: 1}, c: {"Ehrenamt": 1}}
    # rows vanish only with their event: the next full check (with the groups, at most
    # GROUPS_MAX_AGE later) counts the round again
    with store.write() as db:
        db.execute("DELETE FROM dots WHERE participant_id = ?", [p2])
    monkeypatch.setattr(tally_feed, "GROUPS_MAX_AGE", 0.0)
    cached, full = both()
    assert cached == full and full.counts == {c: 1} and full.voters == 1


def test_target_groups_are_read_again_only_when_one_changed(store, monkeypatch):
    event = make_event(store)
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Leitbild", statements=["a", "b"])
    store.open_voting_round(eid, rnd["id"])
    a = rnd["candidates"][0]["id"]
    pids = [store.participant(eid, f"hall-{n}-".ljust(43, "x"))["id"] for n in range(30)]
    reads = []
    real = store.target_groups
    monkeypatch.setattr(store, "target_groups", lambda e: reads.append(e) or real(e))
    cache = TallyCache()

    def tally():
        with store.read():
            return (cache.summary(store, eid, rnd["id"]),
                    summarize(store.dot_ledger(eid, rnd["id"])))

    for n, pid in enumerate(pids[:10]):
        store.place_dot(eid, rnd["id"], a, pid, f"g-{n:07d}")
        cached, full = tally()
        assert cached == full
    assert len(reads) == 1, "the hall's groups were read for every tally"
    store.set_target_group(eid, pids[0], "Hauptamt")
    cache.groups_changed(eid)
    store.place_dot(eid, rnd["id"], a, pids[11], "g-0000011")
    cached, full = tally()
    assert cached == full and cached.by_group[a] == {"Hauptamt": 1, None: 10}
    assert len(reads) == 2


class Sent:
    """Stands in for send_tally: records which round's tally went out, and when."""

    def __init__(self):
        self.calls: list[tuple[str, int, float]] = []
        self.lock = threading.Lock()

    def __call__(self, event_id, round_id, cache=None):
        with self.lock:
            self.calls.append((event_id, round_id, time.monotonic()))

    def count(self, round_id=None):
        with self.lock:
            return sum(1 for _, r, _ in self.calls if round_id is None or r == round_id)


@pytest.fixture
def sent(monkeypatch):
    recorder = Sent()
    monkeypatch.setattr(tally_feed, "send_tally", recorder)
    return recorder


def test_a_quiet_rounds_first_dot_is_sent_at_once_without_waiting_for_a_tick(app, sent):
    # A long interval: a feed on a clock would send nothing for half a minute.
    feed = TallyFeed(app, interval=30.0)
    feed.mark("ev", 1)
    wait_for(lambda: sent.count(1) == 1, timeout=5)
    # Busy: more dots within the interval wait for the next frame, all in one tally.
    for _ in range(20):
        feed.mark("ev", 1)
    time.sleep(0.3)
    assert sent.count(1) == 1
    # Another round is quiet, so its first dot goes out at once too.
    feed.mark("ev", 2)
    wait_for(lambda: sent.count(2) == 1, timeout=5)
    assert sent.count(1) == 1


def test_a_busy_round_gets_one_more_tally_after_the_interval_with_every_dot(app, sent):
    feed = TallyFeed(app, interval=0.3)
    feed.mark("ev", 1)
    wait_for(lambda: sent.count(1) == 1, timeout=5)
    for _ in range(50):
        feed.mark("ev", 1)
    wait_for(lambda: sent.count(1) == 2, timeout=5)
    first, second = (t for _, _, t in sent.calls)
    assert second - first >= 0.3  # never two frames of one round closer than the interval
    time.sleep(0.6)
    assert sent.count(1) == 2  # nothing new: no further tally
