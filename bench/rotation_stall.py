"""Does computing the rotation plan stall everyone else? Measured on the real server.

    .venv/bin/python bench/rotation_stall.py [--people 500] [--tables 8] [--rounds 4]

Starts `facilitation serve` (gevent) over a World Café with `people` participants, then a
console asks for the rotation plan while a projector keeps sending `sync_clock` (a
message with an acknowledgement) every 10 ms. Prints how long the plan took and the
projector's round-trip times meanwhile: their maximum is how long the server was deaf
to everyone while it computed. Set FACILITATION_BENCH_SOURCE to another checkout to
measure that one instead (before/after a change).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import device_token  # noqa: E402
from bench.servers import facilitation_server, free_port  # noqa: E402
from facilitation.rules import table_codes  # noqa: E402
from facilitation.store import Store  # noqa: E402

GROUPS = ["Ehrenamt", "Hauptamt", "Verwaltung", "Migrant*innen-Organisation", "Bürger*in"]


def prepare(db: Path, people: int, tables: int, rounds: int) -> tuple[str, str]:
    store = Store(db)
    try:
        event = store.create_event(
            "Wechselplan-Messung", "2026-11-22", join_question="Bereich?", join_options=GROUPS,
            tables=[{"code": c, "theme": f"Handlungsfeld {c}", "questions": ["Was brauchen wir?"]}
                    for c in table_codes(tables)])
        eid = event["id"]
        store.plan_rounds(eid, rounds=rounds, minutes=20, lock_between=True, sound=False)
        rng = random.Random(1)
        for n in range(people):
            p = store.participant(eid, device_token(n))
            store.set_target_group(eid, p["id"], rng.choice(GROUPS))
        return eid, store.facilitator_key(eid)
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=500)
    ap.add_argument("--tables", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        eid, key = prepare(work / "bench.db", args.people, args.tables, args.rounds)
        server = facilitation_server(work, free_port())
        server.start()
        console, projector = socketio.Client(), socketio.Client()
        try:
            console.connect(server.url, auth={"event": eid, "role": "console", "key": key},
                            transports=["websocket"])
            projector.connect(server.url, auth={"event": eid, "role": "projector"},
                              transports=["websocket"])
            rtts: list[float] = []
            done = threading.Event()

            def ping():
                while not done.is_set():
                    sent = time.perf_counter()
                    projector.call("sync_clock", {}, timeout=30)
                    rtts.append((time.perf_counter() - sent) * 1000)
                    time.sleep(0.01)

            pinger = threading.Thread(target=ping)
            pinger.start()
            time.sleep(0.5)  # a few quiet round trips first
            quiet = list(rtts)
            started = time.perf_counter()
            ack = console.call("make_rotation", {"seed": 7}, timeout=120)
            took = time.perf_counter() - started
            deadline = time.monotonic() + 30  # a tiny plan: wait for the round trip in flight
            while len(rtts) <= len(quiet) and time.monotonic() < deadline:
                time.sleep(0.005)
            during = rtts[len(quiet):]
            done.set()
            pinger.join()
            assert ack.get("ok"), ack
            figures = ack["rotation"]["figures"]["plan"]
            print(f"rotation plan for {args.people} people, {args.tables} tables, "
                  f"{args.rounds} rounds: {took:.2f} s (repeat visits {figures['repeat_visits']})")
            print(f"projector round trips before: median {statistics.median(quiet):.1f} ms, "
                  f"max {max(quiet):.1f} ms")
            print(f"projector round trips while the plan was computed ({len(during)}): "
                  f"median {statistics.median(during):.1f} ms, max {max(during):.1f} ms")
        finally:
            # Both at once: each disconnect waits up to 3 s for a close frame that the
            # engine.io client's reader thread has already taken (after the figures).
            hangups = [threading.Thread(target=c.disconnect) for c in (console, projector)]
            for t in hangups:
                t.start()
            for t in hangups:
                t.join()
            server.stop()


if __name__ == "__main__":
    main()
