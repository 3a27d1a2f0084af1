"""Do the grouping hints stall everyone else? Measured on the real server, as rotation_stall.py.

    .venv/bin/python bench/grouping_stall.py [--cards 1000] [--method lexical|semantic]

Starts `facilitation serve` (gevent) over an event with `cards` cards (the labelled set,
repeated with small changes), then the console asks GET /api/events/<id>/groups while a
projector keeps sending `sync_clock` every 10 ms. Prints how long the suggestions took
and the projector's round trips meanwhile: their maximum is how long the server was deaf
to everyone while it computed. With the semantic extra, a first request with more than
150 new cards answers from the lexical method at once and embeds in the background; the
bench then asks again until the semantic answer comes, and reports that time too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.grouping import DATA, many_cards  # noqa: E402
from bench.servers import facilitation_server, free_port  # noqa: E402
from facilitation.grouping_quality import load_cards  # noqa: E402
from facilitation.store import Store  # noqa: E402


def prepare(db: Path, n: int) -> tuple[str, str]:
    store = Store(db)
    try:
        codes = ["A", "B", "C", "D", "E", "F"]
        event = store.create_event("Gruppierung-Messung", "2026-11-30", tables=[
            {"code": c, "theme": f"Handlungsfeld {c}", "questions": ["Was brauchen wir?"]} for c in codes])
        for card in many_cards(load_cards(DATA), n):
            store.add_contribution(event["id"], card["table"], card["kind"], card["text"], question=0)
        return event["id"], store.facilitator_key(event["id"])
    finally:
        store.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--method", choices=["lexical", "semantic"], default="lexical")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        eid, key = prepare(work / "bench.db", args.cards)
        server = facilitation_server(work, free_port())
        server.start()
        projector = socketio.Client()
        try:
            projector.connect(server.url, auth={"event": eid, "role": "projector"}, transports=["websocket"])
            rtts: list[float] = []
            stamps: list[float] = []
            done = threading.Event()

            def ping():
                while not done.is_set():
                    sent = time.perf_counter()
                    projector.call("sync_clock", {}, timeout=60)
                    rtts.append((time.perf_counter() - sent) * 1000)
                    stamps.append(sent)
                    time.sleep(0.01)

            pinger = threading.Thread(target=ping)
            pinger.start()
            time.sleep(0.5)
            quiet = list(rtts)
            url = f"{server.url}/api/events/{eid}/groups"
            params = {"key": key, **({"method": "lexical"} if args.method == "lexical" else {})}
            started = time.perf_counter()
            body = requests.get(url, params=params, timeout=300).json()
            took = time.perf_counter() - started
            first = body
            while body.get("preparing"):
                time.sleep(2)
                body = requests.get(url, params=params, timeout=300).json()
            ready = time.perf_counter() - started
            during = rtts[len(quiet):]
            done.set()
            pinger.join()
            assert body.get("ok"), body
            print(f"{args.cards} cards, asked for {args.method}: first answer ({first['method']}) in "
                  f"{took:.2f} s with {len(first['groups'])} groups")
            if first is not body:
                print(f"semantic answer ready after {ready:.1f} s ({len(body['groups'])} groups)")
            print(f"projector round trips before: median {statistics.median(quiet):.1f} ms, "
                  f"max {max(quiet):.1f} ms")
            print(f"projector round trips meanwhile ({len(during)}): "
                  f"median {statistics.median(during):.1f} ms, max {max(during):.1f} ms")
            worst = sorted(range(len(quiet), len(rtts)), key=lambda i: -rtts[i])[:3]
            print("longest, at seconds after the first request: " + ", ".join(
                f"{rtts[i]:.0f} ms at {stamps[i] - started:.1f} s" for i in worst))
        finally:
            projector.disconnect()
            server.stop()


if __name__ == "__main__":
    main()
