"""What every benchmark script shares: the event under test, phone workers, the projector.

Scripts in bench/ run as `python bench/NAME.py`; this module is imported from there.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import random
import time
from pathlib import Path

import psutil
from phones import worker_main
from sioclient import SioClient

from facilitation.rules import MAX_TABLES, table_codes
from facilitation.store import Store


def device_token(n: int) -> str:
    """A valid, distinct device token for simulated phone n (43 URL-safe characters)."""
    return f"bench-device-{n:06d}-".ljust(43, "x")


def tables_for(participants: int, per_table: int) -> int:
    """How many tables a hall of this size uses (at most the product's table limit)."""
    return max(1, min(MAX_TABLES, -(-participants // per_table)))


def create_event(db_path, participants: int, per_table: int) -> dict:
    """A running World Café with enough tables, and the auth of every phone, projector, console."""
    store = Store(db_path)
    try:
        codes = table_codes(tables_for(participants, per_table))
        event = store.create_event(
            title="Lasttest Akteurskonferenz", date="2026-11-22",
            tables=[{"code": c, "theme": f"Handlungsfeld {c}",
                     "questions": ["Welche Bedarfe sehen Sie?", "Was soll bleiben?"]}
                    for c in codes],
        )
        store.update_event(event["id"], {"status": "running"})
        key = store.facilitator_key(event["id"])
    finally:
        store.close()
    eid = event["id"]
    return {
        "event_id": eid,
        "tables": codes,
        "phones": [{"event": eid, "role": "participant", "table": codes[i % len(codes)],
                    "device": device_token(i)} for i in range(participants)],
        "projector": {"event": eid, "role": "projector"},
        "console": {"event": eid, "role": "console", "key": key},
    }


def deal(phones: int, count: int, seed: int) -> list[tuple[int, int]]:
    """Phone i → (its worker, its index there): the phones dealt in a shuffled order.

    Dealt in index order, phone i went to worker i % count and sat at table i % tables:
    with two workers and an even number of tables, all fifty phones of a table lived in
    one worker, which took the fifty copies of each card in one burst (≈ 5 ms of its
    CPU) while the sender's acknowledgement, and every other phone's, waited in its
    queue. Real phones do not share a processor: shuffled (with a fixed seed), every
    table's phones are spread over all workers, which keeps the generator's own
    queueing out of the latencies it measures as far as one process per core allows.
    """
    order = list(range(phones))
    random.Random(seed).shuffle(order)
    where: list[tuple[int, int]] = [(0, 0)] * phones
    for n, i in enumerate(order):
        where[i] = (n % count, n // count)
    return where


class Workers:
    """Phone worker processes; each gets an equal share of the phones."""

    def __init__(self, url: str, auths: list[dict], count: int, deflate: bool, seed: int = 7,
                 clock_pings: int = 5):
        ctx = multiprocessing.get_context("spawn")
        self.count = max(1, min(count, len(auths) or 1))
        self.where = deal(len(auths), self.count, seed)  # phone → (worker, index there)
        self.shares: list[list[dict]] = [[] for _ in range(self.count)]
        for i, (worker, _) in sorted(enumerate(self.where), key=lambda e: e[1]):
            self.shares[worker].append(auths[i])
        self.pipes, self.procs = [], []
        for w, share in enumerate(self.shares):
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker_main,
                               args=(child, url, share, deflate, seed + w, clock_pings),
                               daemon=True)
            proc.start()
            self.pipes.append(parent)
            self.procs.append(proc)

    def cpu_seconds(self) -> float:
        """CPU time used so far by the load generator: these workers and this process."""
        total = 0.0
        for proc in [psutil.Process(), *(psutil.Process(p.pid) for p in self.procs)]:
            try:
                t = proc.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                pass  # a worker that has ended
        return total

    def split(self, indices: list[int]) -> list[list[int]]:
        """Global phone indices → the local indices in each worker."""
        out: list[list[int]] = [[] for _ in range(self.count)]
        for i in indices:
            worker, local = self.where[i]
            out[worker].append(local)
        return out

    async def ask(self, commands: list[dict]) -> list:
        """Send one command to each worker and wait for every answer."""
        loop = asyncio.get_running_loop()
        for pipe, cmd in zip(self.pipes, commands, strict=True):
            pipe.send(cmd)
        return list(await asyncio.gather(
            *(loop.run_in_executor(None, pipe.recv) for pipe in self.pipes)))

    async def ask_all(self, cmd: dict) -> list:
        """The same command to every worker."""
        return await self.ask([dict(cmd) for _ in self.pipes])

    async def recv_all(self) -> list:
        """Wait for one more message from every worker."""
        loop = asyncio.get_running_loop()
        return list(await asyncio.gather(
            *(loop.run_in_executor(None, pipe.recv) for pipe in self.pipes)))

    def join(self) -> None:
        """Wait for the worker processes to end (kill any that hang)."""
        for proc in self.procs:
            proc.join(15)
            if proc.is_alive():
                proc.kill()


class Projector:
    """The projector (and, alongside, the console): records when each update arrives."""

    def __init__(self, url: str, auth: dict, deflate: bool):
        self.client = SioClient(url, auth, deflate)
        self.contribution_seen: dict[int, float] = {}
        self.tallies: list[tuple[float, object]] = []
        self.snapshots = 0
        self.client.on["snapshot"] = self._snapshot
        self.client.on["contribution_added"] = self._added
        self.client.on["tally"] = lambda data, at: self.tallies.append((at, data))

    def _snapshot(self, data, at: float) -> None:
        self.snapshots += 1

    def _added(self, data, at: float) -> None:
        cid = data["contribution"]["id"]
        self.contribution_seen.setdefault(cid, at)

    async def connect(self) -> None:
        """Connect and wait for the first snapshot."""
        await self.client.connect()
        deadline = time.monotonic() + 30
        while self.snapshots == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)


def print_report(report: dict, path: str | None = None) -> dict:
    """Print a benchmark's report as JSON, and write it to `path` too when one is given."""
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text + "\n")
    return report


def merge(dicts: list[dict]) -> dict:
    """Add up the numeric fields and concatenate the list fields of worker answers."""
    out: dict = {}
    for d in dicts:
        for k, v in d.items():
            if isinstance(v, list):
                out.setdefault(k, []).extend(v)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                out[k] = out.get(k, 0) + v
            elif isinstance(v, dict):
                out[k] = merge([out.get(k, {}), v])
            else:
                out[k] = v
    return out
