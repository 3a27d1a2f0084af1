"""A worker process full of simulated phones, driven by the load generator over a pipe.

Each phone is one SioClient with its own device token and table. The orchestrator
sends commands (connect, contribute, vote, storm, close) with absolute start times on
the shared monotonic clock; the worker answers with what each phone saw: send and
acknowledgement times, error codes, connection times.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from pathlib import Path

from sioclient import SioClient

from facilitation.rules import CONTRIBUTION_KINDS

CONNECT_CONCURRENCY = 64  # handshakes in flight at once, like a hall filling up


def _client_setting(name: str) -> int:
    """A reconnection setting as static/js/common.js gives it to the browser client."""
    source = (Path(__file__).resolve().parent.parent / "static/js/common.js").read_text()
    return int(re.search(rf"\b{name}: (\d+)", source).group(1))


# The browser client's reconnection settings, read from the page's own script so the
# simulated phones cannot drift from the real ones; socket.io's randomisation default.
RECONNECT_DELAY = _client_setting("reconnectionDelay")
RECONNECT_DELAY_MAX = _client_setting("reconnectionDelayMax")
RECONNECT_RANDOMIZATION = 0.5
# After a reconnect a page measures its clock again only 10–30 s later (clocksync.js).
RESYNC_AFTER_RECONNECT_MS = tuple(int(n) for n in re.search(
    r"RESYNC_AFTER_RECONNECT_MS = \[(\d+), (\d+)\]",
    (Path(__file__).resolve().parent.parent / "static/js/clocksync.js").read_text()).groups())


class Phone:
    """One simulated participant."""

    def __init__(self, index: int, url: str, auth: dict, deflate: bool, clock_pings: int = 0):
        self.index = index
        self.clock_pings = clock_pings
        self.client = SioClient(url, auth, deflate)
        self.snapshots = 0
        self.clock_measured = False  # a sync_clock ping has been answered
        self._clock_task: asyncio.Future | None = None
        self.snapshot_at: float | None = None
        self.fresh = asyncio.Event()  # set by each snapshot; cleared before a (re)connect
        self.client.on["snapshot"] = self._snapshot
        # When the table's copy of each contribution arrived: the sender gets its own
        # copy too, just before its ack (Nagle's algorithm would hold the ack back).
        self.copies: dict[int, float] = {}
        self.client.on["contribution_added"] = self._copy

    def _copy(self, data, received: float) -> None:
        cid = (data.get("contribution") or {}).get("id") if isinstance(data, dict) else None
        if cid is not None:
            self.copies[cid] = received

    def _snapshot(self, data, received: float) -> None:
        self.snapshots += 1
        self.snapshot_at = received
        self.fresh.set()

    async def join(self, timeout: float) -> None:
        """Connect and wait for the snapshot that a (re)connect brings."""
        self.fresh.clear()
        await self.client.connect(timeout=timeout)
        try:
            await asyncio.wait_for(self.fresh.wait(), timeout)
        except BaseException:
            await self.client.close()
            raise
        if self.clock_pings:
            if self._clock_task is not None:
                self._clock_task.cancel()  # as the page clears its timer
            self._clock_task = asyncio.ensure_future(self._sync_clock_on_connect())

    async def _sync_clock_on_connect(self) -> None:
        """What static/js/clocksync.js does on every connect: a few pings 120 ms apart at
        once until one has been answered; after a reconnect three, 10–30 s later."""
        if not self.clock_measured:
            return await self._sync_clock(self.clock_pings)
        least, most = RESYNC_AFTER_RECONNECT_MS
        await asyncio.sleep((least + random.random() * (most - least)) / 1000)
        if self.client.connected:
            await self._sync_clock(3)

    async def _sync_clock(self, pings: int) -> None:
        for _ in range(pings):
            try:
                await self.client.call("sync_clock", {}, 5)
            except Exception:  # the page ignores a lost ping too
                return
            self.clock_measured = True
            await asyncio.sleep(0.12)


class PhoneWorker:
    """Holds the phones of one process and carries out the orchestrator's commands."""

    def __init__(self, url: str, auths: list[dict], deflate: bool, seed: int,
                 clock_pings: int = 0):
        self.phones = [Phone(i, url, a, deflate, clock_pings) for i, a in enumerate(auths)]
        self.rng = random.Random(seed)

    async def connect(self, rate: float) -> dict:
        """Connect every phone (at most `rate` starts per second); wait for its snapshot."""
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
        start = time.monotonic()
        results = await asyncio.gather(
            *(self._connect_one(p, start + i / rate, gate) for i, p in enumerate(self.phones))
        )
        errors = [r for r in results if r is not None]
        return {"connected": len(results) - len(errors), "failed": len(errors),
                "errors": errors[:5], "seconds": time.monotonic() - start}

    async def _connect_one(self, phone: Phone, at: float, gate) -> str | None:
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        async with gate:
            try:
                await phone.join(30)
                return None
            except Exception as exc:  # every failure is counted and reported, not raised
                return f"{type(exc).__name__}: {exc}"[:200]

    async def contribute(self, who: list[int], start: float, window: float,
                         timeout: float) -> list[dict]:
        """Each phone in `who` sends one contribution at a random moment of the window."""
        async def one(index: int) -> dict:
            await asyncio.sleep(max(0.0, start + self.rng.uniform(0, window) - time.monotonic()))
            payload = {"client_id": f"bench-{index}-{self.rng.getrandbits(40):010x}",
                       "kind": self.rng.choice(CONTRIBUTION_KINDS),
                       "text": f"Beitrag {index}: mehr Sprachkurse am Abend für Berufstätige"}
            return await self._send(self.phones[index], "submit_contribution", payload, timeout)

        return list(await asyncio.gather(*(one(i) for i in who)))

    async def vote(self, who: list[int], start: float, window: float, dots: int,
                   candidates: list[int], cap: int, round_id: int, timeout: float) -> list[dict]:
        """Each phone in `who` places `dots` dots at random moments of the window.

        Candidates are picked at random (never more than `cap` on one), so every dot is
        one the server should accept: a refusal is an error, not an expected outcome.
        Each tap has its own client_id, as the phone page sends it.
        """
        async def one(index: int) -> list[dict]:
            picks: list[int] = []
            while len(picks) < dots:
                c = self.rng.choice(candidates)
                if picks.count(c) < cap:
                    picks.append(c)
            times = sorted(self.rng.uniform(0, window) for _ in picks)
            out = []
            for n, (at, candidate) in enumerate(zip(times, picks, strict=True)):
                await asyncio.sleep(max(0.0, start + at - time.monotonic()))
                payload = {"round_id": round_id, "candidate_id": candidate,
                           "client_id": f"dot-{index}-{n}-{self.rng.getrandbits(40):010x}"}
                result = await self._send(self.phones[index], "place_dot", payload, timeout)
                out.append({**result, "candidate": candidate})
            return out

        per_phone = await asyncio.gather(*(one(i) for i in who))
        return [r for rs in per_phone for r in rs]

    async def _send(self, phone: Phone, name: str, payload: dict, timeout: float) -> dict:
        sent = time.monotonic()
        try:
            ack = await phone.client.call(name, payload, timeout)
        except Exception as exc:  # timeouts and lost connections are results too
            return {"sent": sent, "acked": None, "ok": False,
                    "error": type(exc).__name__ or "error"}
        acked = time.monotonic()
        if not isinstance(ack, dict) or not ack.get("ok"):
            code = (ack or {}).get("error", {}).get("code", "bad_ack") if isinstance(ack, dict) \
                else "bad_ack"
            return {"sent": sent, "acked": acked, "ok": False, "error": code}
        contribution = ack.get("contribution") or {}
        copy = phone.copies.pop(contribution.get("id"), None)
        return {"sent": sent, "acked": acked, "ok": True, "id": contribution.get("id"),
                "duplicate": bool(ack.get("duplicate")), "own_copy": copy}

    async def storm(self, who: list[int], deadline: float, armed) -> dict:
        """After the server drops them, phones in `who` reconnect as the browser client does.

        Each retries with Socket.IO's randomised exponential backoff, as configured in
        static/js/common.js (first try after 0.25–0.75 s, then longer, at most 2 s apart).
        Reports when each phone had a fresh snapshot again.
        """
        before = {i: self.phones[i].snapshots for i in who}
        tasks = [asyncio.create_task(self._come_back(self.phones[i], deadline)) for i in who]
        armed()
        results = await asyncio.gather(*tasks)
        done = [r for r in results if isinstance(r, tuple)]
        return {
            "phones": len(who),
            "resynced": sum(1 for i in who if self.phones[i].snapshots > before[i]),
            "lost_at": [r[0] for r in done], "back_at": [r[1] for r in done],
            "attempts": sum(r[2] for r in done),
            "errors": [r for r in results if not isinstance(r, tuple)][:5],
        }

    def backoff(self, attempt: int) -> float:
        """socket.io-client's delay before reconnection attempt n (seconds)."""
        ms = RECONNECT_DELAY * 2 ** attempt
        deviation = self.rng.random() * RECONNECT_RANDOMIZATION * ms
        ms = ms - deviation if self.rng.random() < 0.5 else ms + deviation
        return min(ms, RECONNECT_DELAY_MAX) / 1000

    async def _come_back(self, phone: Phone, deadline: float):
        await phone.client.closed.wait()
        lost = time.monotonic()
        attempts = 0
        while time.monotonic() < deadline:
            await asyncio.sleep(self.backoff(attempts))
            attempts += 1
            try:
                await phone.join(10)
                return lost, phone.snapshot_at, attempts
            except Exception:  # refused or timed out: the next attempt waits longer
                continue
        return f"phone {phone.index} not back before the deadline"

    async def close(self) -> dict:
        """Disconnect every phone; report how many were still connected."""
        still = sum(1 for p in self.phones if p.client.connected)
        await asyncio.gather(*(p.client.close() for p in self.phones))
        return {"still_connected": still,
                "received": _sum_counts(p.client.counts for p in self.phones)}


def _sum_counts(counts) -> dict:
    total: dict[str, int] = {}
    for c in counts:
        for name, n in c.items():
            total[name] = total.get(name, 0) + n
    return total


def worker_main(pipe, url: str, auths: list[dict], deflate: bool, seed: int,
                clock_pings: int = 0) -> None:
    """Entry point of a worker process: answer commands from the pipe until 'close'."""
    asyncio.run(_serve(pipe, PhoneWorker(url, auths, deflate, seed, clock_pings)))


async def _serve(pipe, worker: PhoneWorker) -> None:
    loop = asyncio.get_running_loop()
    while True:
        cmd = await loop.run_in_executor(None, pipe.recv)
        name = cmd.pop("cmd")
        if name == "storm":
            result = await worker.storm(**cmd, armed=lambda: pipe.send({"armed": True}))
        else:
            result = await getattr(worker, name)(**cmd)
        pipe.send(result)
        if name == "close":
            return
