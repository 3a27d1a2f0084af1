"""What one dot and one tally cost on this machine, without the network.

The tally feed recomputes a round's whole tally from its ledger for every tally it sends
(at most 20 a second per round, reading only the rows that are new since the last one);
this prints how long a full and a cached tally take (CPU time of this thread, median of
20: little affected by other processes on a busy machine), and how many place_dot
transactions (BEGIN IMMEDIATE, budget and cap check, insert) one process commits per
second on a file database. Run it with 300 and 2000 participants to see whether a
tally's cost grows with the hall.

    .venv/bin/python bench/tally_cost.py [participants]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitation.sockets.tally_feed import TallyCache  # noqa: E402
from facilitation.store import Store  # noqa: E402
from facilitation.tally import summarize  # noqa: E402
from facilitation.voting_view import console_tally, projector_tally  # noqa: E402


def kept_round(store, eid, round_id):
    """The round as the feed reads it: kept between tallies (an older checkout reads it)."""
    if hasattr(store, "kept"):
        return store.kept("voting_round", eid, round_id, True)
    return store.voting_round(eid, round_id, with_hidden=True)


def kept_groups(store, eid):
    if hasattr(store, "kept"):
        return store.kept("get_event", eid)["join_options"]
    return store.get_event(eid)["join_options"]


def main(participants: int = 300) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        event = store.create_event(
            title="Bench", date="2026-11-22",
            tables=[{"code": "A", "theme": "Thema", "questions": ["Frage?"]}],
            join_options=["Ehrenamt", "Hauptamt", "Verwaltung"])
        eid = event["id"]
        rnd = store.create_voting_round(eid, "Bench", budget=5, cap=3,
                                        statements=[f"Aussage {i}" for i in range(20)])
        store.open_voting_round(eid, rnd["id"])
        ids = [c["id"] for c in rnd["candidates"]]
        pids = [store.participant(eid, f"bench-{n}-".ljust(43, "x"))["id"]
                for n in range(participants)]
        started, cpu, placed = time.perf_counter(), time.thread_time(), 0
        for k in range(5):  # round by round through the hall, as dots come in a burst
            for n, pid in enumerate(pids):
                store.place_dot(eid, rnd["id"], ids[(n + k) % len(ids)], pid, f"b-{n}-{k}-x")
                placed += 1
        elapsed, cpu = time.perf_counter() - started, time.thread_time() - cpu
        print(f"place_dot: {placed} dots by {participants} devices in {elapsed:.2f} s "
              f"= {placed / elapsed:.0f} dots/s, {cpu / placed * 1e6:.1f} µs CPU a dot "
              "(one process, file database, WAL)")
        groups = store.get_event(eid)["join_options"]
        for _ in range(3):
            started = time.perf_counter()
            rnd_full = store.voting_round(eid, rnd["id"], with_hidden=True)
            rows = store.dot_ledger(eid, rnd["id"])
            summary = summarize(rows)
            projector_tally(rnd_full, summary)
            console_tally(rnd_full, summary, groups)
            took = (time.perf_counter() - started) * 1000
        print(f"one full tick (read ledger of {len(rows)} rows, projector + console tally): "
              f"{took:.1f} ms")
        cache = TallyCache()
        with store.read():
            cache.summary(store, eid, rnd["id"])  # the feed's first tick reads everything once
        late = [store.participant(eid, f"bench-late-{k}-".ljust(43, "x"))["id"] for k in range(20)]
        took = []
        for k, pid in enumerate(late):
            store.place_dot(eid, rnd["id"], ids[k % len(ids)], pid, f"late-{k}-xxxx")  # new dot
            started = time.thread_time()
            with store.read():  # as the feed reads them (tally_feed.send_tally)
                rnd_full = kept_round(store, eid, rnd["id"])
                summary = cache.summary(store, eid, rnd["id"])
                groups = kept_groups(store, eid)
            projector_tally(rnd_full, summary)
            console_tally(rnd_full, summary, groups)
            took.append((time.thread_time() - started) * 1000)
        print(f"one cached tally (the feed: only new rows read and added), {participants} participants: "
              f"median {statistics.median(took):.2f} ms CPU (min {min(took):.2f}, "
              f"max {max(took):.2f})")
        store.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
