"""Load benchmark: a full hall against the real server, then the same load on a bare baseline.

N phones connect over real websockets and join their tables; a projector and a console
stay connected throughout. Then a contribution burst (each of K phones sends one
contribution within W seconds) and a voting burst (V phones place D dots each within
W seconds). Reported: connections, writes sent/acknowledged/stored, send→projector
latency, server CPU per accepted write, peak RSS, errors; then the bare Flask-SocketIO
baseline (bench/baseline_server.py) under the same bursts, and the overhead ratio.

    python bench/loadgen.py --participants 200 --contributors 100 --voters 100
    python bench/loadgen.py --participants 2000 --contributors 1000 --voters 1000 \\
        --json bench/results/load.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import voting
from harness import Projector, Workers, create_event, merge, print_report
from servers import (
    PrivateRedis,
    Profiler,
    Sampler,
    baseline_server,
    facilitation_server,
    free_port,
)
from stats import latency_summary, mb

from facilitation.store import Store


async def measure(server, work, profile: Path | None = None, workers: Workers | None = None):
    """Run `work` (a coroutine); return (its result, server CPU seconds it took).

    With a profile path, py-spy samples the server meanwhile (its own CPU is not the
    server's, but it slows the server a little: profile runs are not measurement runs).
    """
    with Profiler(server, profile):
        before, began = server.cpu_seconds(), time.monotonic()
        generator = workers.cpu_seconds() if workers else 0.0
        result = await work
        cpu = server.cpu_seconds() - before
    if isinstance(result, dict):
        seconds = time.monotonic() - began
        result["phase_seconds"] = round(seconds, 2)
        result["server_cpu_percent"] = round(cpu / seconds * 100, 1)
        if workers:
            # The load generator shares the machine: how much of it did it take?
            result["generator_cpu_percent"] = round(
                (workers.cpu_seconds() - generator) / seconds * 100, 1)
    return result, cpu


async def connect_phones(workers: Workers, rate: float) -> dict:
    """Connect every phone; merge what the workers saw."""
    answers = await workers.ask_all({"cmd": "connect", "rate": rate / workers.count})
    out = merge(answers)
    out["seconds"] = round(max(a["seconds"] for a in answers), 2)
    return out


async def contribution_burst(workers, projector, who, window, settle, timeout) -> dict:
    """Each phone in `who` sends one contribution within `window` seconds."""
    start = time.monotonic() + 1.0
    parts = workers.split(who)
    answers = await workers.ask([{"cmd": "contribute", "who": p, "start": start,
                                  "window": window, "timeout": timeout} for p in parts])
    await asyncio.sleep(settle)  # broadcasts still on their way to the projector
    sends = [r for a in answers for r in a]
    ok = [r for r in sends if r["ok"]]
    seen = projector.contribution_seen if projector else {}
    latencies = [seen[r["id"]] - r["sent"] for r in ok if r.get("id") in seen]
    return {
        "sent": len(sends), "acknowledged": len(ok),
        "errors": _error_counts(sends),
        "shown_on_projector": len(latencies),
        "missing_on_projector": len(ok) - len(latencies) if projector else None,
        "ack_latency": latency_summary(r["acked"] - r["sent"] for r in ok),
        # The ack after the sender's own copy of the broadcast, sent just before it on the
        # same socket: ~0 ms, unless Nagle's algorithm holds the ack for the phone's
        # delayed TCP acknowledgement (~40 ms). Little affected by a busy machine.
        "ack_after_own_copy": latency_summary(
            r["acked"] - r["own_copy"] for r in ok if r.get("own_copy") is not None),
        "acks_20ms_after_own_copy": sum(
            1 for r in ok if r.get("own_copy") is not None and r["acked"] - r["own_copy"] > 0.02),
        "projector_latency": latency_summary(latencies),
        "ids": [r.get("id") for r in ok],
    }


def _error_counts(results: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for r in results:
        if not r["ok"]:
            counts[r["error"]] = counts.get(r["error"], 0) + 1
    return counts


async def run_server_phase(args, server, event, label: str, baseline: bool) -> dict:
    """Connect the hall to one server and run both bursts against it."""
    report: dict = {"server": label}
    phases = report["phases"] = []  # (name, wall-clock start, end): where stalls happened

    def phase(name: str) -> None:
        now = time.time()
        if phases:
            phases[-1][2] = now
        phases.append([name, now, None])

    projector = console = None
    if not baseline:
        projector = Projector(server.url, event["projector"], args.deflate)
        console = Projector(server.url, event["console"], args.deflate)
        await projector.connect()
        await console.connect()
    # The baseline has no clock to sync with: its phones only connect and vote.
    workers = Workers(server.url, event["phones"], args.workers, args.deflate,
                      clock_pings=0 if baseline else args.clock_pings)
    try:
        phase("connect")
        connected, cpu = await measure(server, connect_phones(workers, args.connect_rate))
        connected["server_cpu_ms_per_connect"] = round(
            cpu * 1000 / max(1, connected["connected"]), 2)
        report["connect"] = connected
        report["rss_after_connect_mb"] = mb(server.rss())
        await asyncio.sleep(1.0 + 0.15 * args.clock_pings)  # the phones' clock pings end
        phase("idle")
        idle_before = server.cpu_seconds()
        await asyncio.sleep(args.idle)
        report["idle_cpu_percent"] = round((server.cpu_seconds() - idle_before) / args.idle * 100, 1)

        phones = len(event["phones"])
        idle_ms_per_s = report["idle_cpu_percent"] * 10
        if args.contributors:
            who = _spread(phones, args.contributors)
            phase("contributions")
            burst, cpu = await measure(server, contribution_burst(
                workers, projector, who, args.contribution_window, args.settle, args.timeout),
                _profile_path(args, label, "contributions"), workers)
            _cpu_per_write(burst, cpu, burst["acknowledged"], idle_ms_per_s)
            report["contributions"] = burst
        if args.voters and (baseline or voting.available()):
            rnd = voting.baseline_round(args.candidates) if baseline else await voting.open_round(
                console, args.candidates, args.dots, args.cap)
            who = _spread(phones, args.voters)
            phase("dots")
            burst, cpu = await measure(server, voting.burst(args, workers, projector, who, rnd),
                                       _profile_path(args, label, "dots"), workers)
            _cpu_per_write(burst, cpu, burst["accepted"], idle_ms_per_s)
            burst["round_id"] = rnd["round_id"]
            report["dots"] = burst
        elif args.voters:
            report["dots"] = {"skipped": "dot voting (place_dot) is not in this server yet"}
        phase("all phones close at once")  # until the server stops
        closing = merge(await workers.ask_all({"cmd": "close"}))
        report["phones_still_connected_at_end"] = closing["still_connected"]
        report["phone_messages_received"] = closing["received"]
    finally:
        workers.join()
        for c in (projector, console):
            if c is not None:
                await c.client.close()
    return report


def _with_phases(stalls: dict | None, phases: list) -> dict | None:
    """Name the load phase of each of the worst stalls, and the worst one of each phase."""
    if not stalls or "started_epoch" not in stalls:
        return stalls
    def phase_of(at: float) -> str:
        moment = stalls["started_epoch"] + at
        for name, start, end in phases:
            if start <= moment and (end is None or moment < end):
                return name
        return "start-up or before the first phase"
    for stall in stalls["worst_ms"]:
        stall["phase"] = phase_of(stall["at"])
    worst: dict[str, float] = {}
    for stall in stalls["worst_ms"]:
        worst.setdefault(stall["phase"], stall["ms"])
    stalls["worst_by_phase_ms"] = worst
    stalls["worst_ms"] = stalls["worst_ms"][:8]
    return stalls


def _profile_path(args, label: str, phase: str) -> Path | None:
    return Path(args.profile) / f"profile-{label}-{phase}.txt" if args.profile else None


def _spread(total: int, count: int) -> list[int]:
    """`count` phone indices spread evenly over all phones (so over all tables)."""
    count = min(count, total)
    return sorted({int(i * total / count) for i in range(count)})


def _cpu_per_write(burst: dict, cpu_seconds: float, writes: int, idle_ms_per_s: float) -> None:
    """Server CPU per accepted write: as measured, and net of the idle heartbeat load.

    The phase lasts its window plus a second's lead and the settling time; during all of
    it the server also answers heartbeats of every connected phone, whatever the bursts.
    """
    burst["server_cpu_s"] = round(cpu_seconds, 3)
    if not writes:
        burst["server_cpu_ms_per_write"] = burst["server_cpu_ms_per_write_net"] = None
        return
    seconds = burst.get("phase_seconds", 0)
    burst["server_cpu_ms_per_write"] = round(cpu_seconds * 1000 / writes, 3)
    burst["server_cpu_ms_per_write_net"] = round(
        max(0.0, cpu_seconds * 1000 - idle_ms_per_s * seconds) / writes, 3)


async def run(args) -> dict:
    """The whole benchmark: our server, then the baseline; returns the report."""
    work = Path(tempfile.mkdtemp(prefix="facilitation-bench-"))
    event = create_event(work / "bench.db", args.participants, args.per_table)
    with contextlib.ExitStack() as stack:
        extra = {"FACILITATION_ASYNC_MODE": args.async_mode}
        if args.redis:
            # One process, but every emit through Redis: the cost of the scale-out setup.
            extra["FACILITATION_MESSAGE_QUEUE"] = stack.enter_context(PrivateRedis(work)).url
        return await _run(args, work, event, extra)


async def _run(args, work: Path, event: dict, extra_env: dict) -> dict:
    pristine = work / "pristine.db"  # the event before any phone joined, for later pairs
    with sqlite3.connect(work / "bench.db") as src, sqlite3.connect(pristine) as dst:
        src.backup(dst)
    server = facilitation_server(work, free_port(), extra_env)
    server.start()
    report: dict = {"participants": args.participants, "tables": len(event["tables"]),
                    "workers": args.workers, "deflate": args.deflate,
                    "message_queue": "FACILITATION_MESSAGE_QUEUE" in extra_env,
                    "async_mode": extra_env.get("FACILITATION_ASYNC_MODE", "gevent")}
    try:
        with Sampler(server) as sampler:
            ours = await run_server_phase(args, server, event, "facilitation", baseline=False)
        ours["peak_rss_mb"] = mb(sampler.peak_rss)
    finally:
        server.stop()
    ours["stalls"] = _with_phases(server.stalls(top=20), ours.get("phases", []))
    store = Store(work / "bench.db")
    try:
        if "contributions" in ours:
            ids = set(ours["contributions"].pop("ids"))
            stored = {c["id"] for c in store.contributions(event["event_id"], include_hidden=True)}
            ours["contributions"]["stored"] = len(ids & stored)
            ours["contributions"]["acknowledged_but_not_stored"] = len(ids - stored)
        if "accepted" in ours.get("dots", {}):
            ours["dots"].update(voting.stored(store, event, ours["dots"]["round_id"]))
    finally:
        store.close()
    report["ours"] = ours

    if args.baseline:
        base = baseline_server(work, free_port())
        base.start()
        try:
            with Sampler(base) as sampler:
                theirs = await run_server_phase(args, base, event, "baseline", baseline=True)
            theirs["peak_rss_mb"] = mb(sampler.peak_rss)
            theirs.get("contributions", {}).pop("ids", None)
        finally:
            base.stop()
        theirs["stalls"] = _with_phases(base.stalls(top=20), theirs.get("phases", []))  # bare
        report["baseline"] = theirs
        report["overhead"] = {
            kind: _ratio(ours.get(kind), theirs.get(kind)) for kind in ("contributions", "dots")
        }
        report["overhead"]["dots_gross"] = _ratio(ours.get("dots"), theirs.get("dots"),
                                                  "server_cpu_ms_per_write")
        if args.pairs > 1:
            report["cpu_pairs"] = await _cpu_pairs(args, work, event, extra_env, pristine,
                                                   ours, theirs)
    report["workdir"] = str(work)
    return report


async def _cpu_pairs(args, work: Path, event: dict, extra_env: dict, pristine: Path,
                     ours: dict, theirs: dict) -> dict:
    """More pairs of runs, voting burst only, alternately ours or the baseline first; the
    ratio's median.

    On a shared machine one server's CPU for a 10 s burst moves by ±20 % from run to run,
    and with it a single ratio. Pairs run back to back, so a slow minute of the machine
    touches both halves of a pair; the median of the pairs' ratios is the figure to quote,
    the spread says how far to trust it.
    """
    votes_only = argparse.Namespace(**{**vars(args), "contributors": 0})
    pairs = [{**_pair(ours, theirs), "first": "ours"}]
    for n in range(2, args.pairs + 1):
        folder = work / f"pair-{n}"
        folder.mkdir()
        db = folder / "bench.db"
        shutil.copy(pristine, db)
        # Every other pair runs the baseline first (ours, baseline; baseline, ours; …):
        # a machine that slows down or speeds up over a minute favours neither side.
        if n % 2:
            a = await _ours_alone(votes_only, folder, db, extra_env, event, n)
            b = await _baseline_alone(votes_only, folder, event, n)
        else:
            b = await _baseline_alone(votes_only, folder, event, n)
            a = await _ours_alone(votes_only, folder, db, extra_env, event, n)
        pairs.append({**_pair(a, b), "first": "ours" if n % 2 else "baseline"})
    net = sorted(p["ratio_net"] for p in pairs if p["ratio_net"])
    gross = sorted(p["ratio_gross"] for p in pairs if p["ratio_gross"])
    return {
        "pairs": pairs,
        "ratio_net_median": statistics.median(net) if net else None,
        "ratio_net_range": [net[0], net[-1]] if net else None,
        "ratio_gross_median": statistics.median(gross) if gross else None,
        "ratio_gross_range": [gross[0], gross[-1]] if gross else None,
    }


async def _ours_alone(args, folder: Path, db: Path, extra_env: dict, event: dict,
                      n: int) -> dict:
    server = facilitation_server(folder, free_port(), extra_env, database=db)
    server.start()
    try:
        return await run_server_phase(args, server, event, f"facilitation-{n}", False)
    finally:
        server.stop()


async def _baseline_alone(args, folder: Path, event: dict, n: int) -> dict:
    base = baseline_server(folder, free_port())
    base.start()
    try:
        return await run_server_phase(args, base, event, f"baseline-{n}", True)
    finally:
        base.stop()


def _pair(ours: dict, theirs: dict) -> dict:
    a, b = ours.get("dots", {}), theirs.get("dots", {})
    return {
        "ours_ms_net": a.get("server_cpu_ms_per_write_net"),
        "baseline_ms_net": b.get("server_cpu_ms_per_write_net"),
        "ours_ms_gross": a.get("server_cpu_ms_per_write"),
        "baseline_ms_gross": b.get("server_cpu_ms_per_write"),
        "ratio_net": _ratio(a, b), "ratio_gross": _ratio(a, b, "server_cpu_ms_per_write"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _ratio(ours: dict | None, base: dict | None,
           key: str = "server_cpu_ms_per_write_net") -> float | None:
    a = (ours or {}).get(key)
    b = (base or {}).get(key)
    return round(a / b, 2) if a and b else None


def parser() -> argparse.ArgumentParser:
    """Command-line flags; every size is one."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--participants", type=int, default=200, help="phones connected at once")
    p.add_argument("--per-table", type=int, default=8,
                   help="phones per table (tables are capped at the product's limit)")
    p.add_argument("--connect-rate", type=float, default=200.0, help="new phones per second")
    p.add_argument("--contributors", type=int, default=100,
                   help="phones that send one contribution each in the burst (0: no burst)")
    p.add_argument("--contribution-window", type=float, default=30.0, help="seconds")
    p.add_argument("--voters", type=int, default=100, help="phones that place dots (0: none)")
    p.add_argument("--dots", type=int, default=5, help="dots per voter")
    p.add_argument("--candidates", type=int, default=12, help="candidates in the voting round")
    p.add_argument("--cap", type=int, default=3, help="dots one phone may put on one candidate")
    p.add_argument("--vote-window", type=float, default=10.0, help="seconds")
    p.add_argument("--workers", type=int, default=2, help="load generator processes")
    p.add_argument("--idle", type=float, default=3.0, help="seconds of idle measurement")
    p.add_argument("--settle", type=float, default=1.5, help="seconds to wait after a burst")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for an ack")
    p.add_argument("--no-deflate", dest="deflate", action="store_false",
                   help="do not offer permessage-deflate (browsers do offer it)")
    p.add_argument("--no-baseline", dest="baseline", action="store_false",
                   help="skip the bare baseline server")
    p.add_argument("--profile", help="directory: py-spy profiles of each burst go there "
                   "(summarise with bench/profile_summary.py)")
    p.add_argument("--clock-pings", type=int, default=5,
                   help="sync_clock pings each phone sends after (re)connecting, as the page does")
    p.add_argument("--redis", action="store_true",
                   help="run our server with a private Redis as its message queue")
    p.add_argument("--async-mode", choices=("gevent", "threading"), default="gevent",
                   help="our server's Socket.IO async mode (threading: Werkzeug, for comparison;"
                   " the baseline stays gevent)")
    p.add_argument("--pairs", type=int, default=1,
                   help="runs of ours and the baseline, alternating (after the first pair:"
                   " the voting burst only); the CPU ratio's median and spread over them")
    p.add_argument("--json", help="also write the report to this file")
    return p


def main(argv=None) -> dict:
    """Run with flags, print the report as JSON, optionally save it."""
    args = parser().parse_args(argv)
    return print_report(asyncio.run(run(args)), args.json)


if __name__ == "__main__":
    main()
