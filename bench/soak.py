"""Soak: 300 participants behaving like a World Café against one server, for a long time.

    .venv/bin/python bench/soak.py [--minutes 30] [--phones 300]

Starts `facilitation serve` (gevent) on 127.0.0.1 over a World Café with 8 tables. The
console runs rounds (three rounds in the first three quarters, then a dot vote in the
last); every phone sends a contribution every 20–60 s (acknowledged), sometimes drops
its connection and comes back (a venue's Wi-Fi), and places its five dots during the
vote. Once a minute the server's resident memory (RSS), open files and CPU time are
printed. At the end: growth after the first 5 minutes (must stay under 10 %), and
whether anything was lost: every acknowledged contribution and dot must be in the
database exactly once. Everything stays on loopback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import device_token  # noqa: E402
from bench.servers import facilitation_server, free_port  # noqa: E402
from bench.sioclient import SioClient  # noqa: E402
from facilitation.rules import table_codes  # noqa: E402
from facilitation.store import Store  # noqa: E402

TABLES = 8
STATEMENTS = ["Mehr Sprachkurse", "Wohnraum", "Anerkennung von Abschlüssen", "Begegnungsorte",
              "Interkulturelle Öffnung der Verwaltung"]


def prepare(db: Path) -> dict:
    store = Store(db)
    try:
        event = store.create_event(
            "Dauerlauf World Café", "2026-11-22",
            tables=[{"code": c, "theme": f"Handlungsfeld {c}",
                     "questions": ["Welche Bedarfe sehen Sie?", "Was soll bleiben?"]}
                    for c in table_codes(TABLES)])
        store.update_event(event["id"], {"status": "running"})
        return {"event": event["id"], "key": store.facilitator_key(event["id"])}
    finally:
        store.close()


class Phone:
    """One participant: contributions, reconnects, dots; remembers what was acknowledged."""

    def __init__(self, url: str, ev: dict, n: int, rng: random.Random):
        self.n, self.rng = n, rng
        self.client = SioClient(url, {"event": ev["event"], "role": "participant",
                                      "table": table_codes(TABLES)[n % TABLES],
                                      "device": device_token(n)}, deflate=False)
        self.acked: set[str] = set()
        self.dots: set[str] = set()
        self.reconnects = self.errors = 0
        self.sent = 0

    async def run(self, end: float, vote: dict) -> None:
        await self.client.connect()
        while time.monotonic() < end:
            await asyncio.sleep(self.rng.uniform(20, 60))
            if time.monotonic() >= end:
                break
            if self.rng.random() < 0.1:  # the Wi-Fi drops; the phone comes back
                await self.client.close()
                await asyncio.sleep(self.rng.uniform(1, 5))
                self.reconnects += 1
                try:
                    await self.client.connect()
                except Exception:  # noqa: BLE001 - counted; the next loop tries again
                    self.errors += 1
                    continue
            await self._contribute()
            if vote.get("round") and len(self.dots) < 5:
                await self._dot(vote)
        await self.client.close()

    async def _contribute(self) -> None:
        client_id = f"soak-{self.n}-{self.sent}"
        self.sent += 1
        text = f"Beitrag {self.sent} von Handy {self.n}: mehr Begegnung im Quartier"
        for _ in range(3):  # resent with the same client id until acknowledged, like the outbox
            try:
                ack = await self.client.call("submit_contribution", {
                    "client_id": client_id, "kind": "idea", "text": text}, timeout=20)
            except Exception:  # noqa: BLE001 - lost connection: reconnect and resend
                self.errors += 1
                if not self.client.connected:
                    try:
                        await self.client.connect()
                    except Exception:  # noqa: BLE001
                        await asyncio.sleep(2)
                continue
            if ack.get("ok"):
                self.acked.add(client_id)
            return

    async def _dot(self, vote: dict) -> None:
        client_id = f"soak-dot-{self.n}-{len(self.dots)}"
        candidate = self.rng.choice(vote["candidates"])
        try:
            ack = await self.client.call("place_dot", {"round_id": vote["round"],
                                                       "candidate_id": candidate,
                                                       "client_id": client_id}, timeout=20)
        except Exception:  # noqa: BLE001 - not acknowledged: not counted as placed
            self.errors += 1
            return
        if ack.get("ok"):
            self.dots.add(client_id)


async def console_run(url: str, ev: dict, minutes: float, vote: dict) -> None:
    """Three rounds in the first three quarters, then a dot vote until the end."""
    console = SioClient(url, {"event": ev["event"], "role": "console", "key": ev["key"]},
                        deflate=False)
    await console.connect()
    quarter = minutes * 60 / 4
    await console.call("plan_rounds", {"rounds": 3, "minutes": max(1, int(quarter // 60)),
                                       "lock_between": False, "sound": False})
    for _ in range(3):
        await console.call("start_round", {})
        await asyncio.sleep(quarter)
        await console.call("end_round", {})
    ack = await console.call("create_voting_round", {"title": "Was ist am wichtigsten?",
                                                     "statements": STATEMENTS})
    rnd = ack["round"]
    await console.call("open_voting_round", {"round_id": rnd["id"]})
    vote.update(round=rnd["id"], candidates=[c["id"] for c in rnd["candidates"]])
    await asyncio.sleep(quarter)
    await console.close()


async def sample(server, minutes: float, samples: list) -> None:
    start = time.monotonic()
    for minute in range(int(minutes) + 1):
        await asyncio.sleep(max(0.0, start + minute * 60 - time.monotonic()))
        row = {"minute": minute, "rss_mb": round(server.rss() / 2**20, 1),
               "open_files": server.ps.num_fds(), "cpu_s": round(server.cpu_seconds(), 1)}
        samples.append(row)
        print(json.dumps(row), flush=True)


def check(db: Path, ev: dict, phones: list[Phone]) -> dict:
    store = Store(db)
    try:
        with store.read():
            stored = store.rows("SELECT client_id, count(*) AS n FROM contributions"
                                " WHERE event_id = ? GROUP BY client_id", [ev["event"]])
            dots = store.rows("SELECT client_id FROM dots WHERE event_id = ?", [ev["event"]])
    finally:
        store.close()
    counts = {r["client_id"]: r["n"] for r in stored}
    acked = set().union(*(p.acked for p in phones))
    acked_dots = set().union(*(p.dots for p in phones))
    in_db_dots = {r["client_id"] for r in dots}
    return {
        "contributions_acknowledged": len(acked),
        "acknowledged_but_missing": len(acked - set(counts)),
        "stored_twice": sum(1 for n in counts.values() if n > 1),
        "dots_acknowledged": len(acked_dots),
        "dots_missing": len(acked_dots - in_db_dots),
        "reconnects": sum(p.reconnects for p in phones),
        "client_errors": sum(p.errors for p in phones),
    }


async def main_async(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = facilitation_server(Path(tmp), port)
        db = Path(tmp) / "bench.db"
        ev = prepare(db)
        server.start()
        try:
            rng = random.Random(13)
            phones = [Phone(server.url, ev, n, random.Random(rng.random()))
                      for n in range(args.phones)]
            end = time.monotonic() + args.minutes * 60
            vote: dict = {}
            samples: list = []
            await asyncio.gather(sample(server, args.minutes, samples),
                                 console_run(server.url, ev, args.minutes, vote),
                                 *(p.run(end, vote) for p in phones))
            result = check(db, ev, phones)
            base = next((s for s in samples if s["minute"] == 5), None)
            if base is not None:
                last = samples[-1]
                result["rss_growth_after_minute_5_pct"] = round(
                    100 * (last["rss_mb"] - base["rss_mb"]) / base["rss_mb"], 1)
                result["open_files_growth_after_minute_5"] = last["open_files"] - base["open_files"]
            print(json.dumps({"minutes": args.minutes, "phones": args.phones, **result}),
                  flush=True)
        finally:
            server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--phones", type=int, default=300)
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
