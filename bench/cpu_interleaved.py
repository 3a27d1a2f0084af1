"""The CPU ratio with both servers up at once, their voting bursts taking turns.

bench/loadgen.py measures the ratio as issue 16 asks: pairs of runs, our server's voting
burst then the baseline's (or the other way round), the median of the pairs' ratios. On
this shared machine a server's CPU per dot moves by ±15 % from one run to the next, with
how much the machine slows every instruction down at the time, and each half of a pair
runs a minute apart from the other. Here both servers run at the same time, each with
its own hall of phones connected, and the dots go in bursts of two seconds: to ours, then
to the baseline (every other pair the baseline first), and so on; 5,000 dots each at
500 a second, as in the main benchmark. A slow moment of the
machine touches both; what is left is the difference between the two servers.

Reported per server: CPU per dot summed over its bursts, gross and net of its idle load
(heartbeats, measured for both at once before); the ratio of the sums; and the median
and spread of the ratios pair by pair. An extra figure beside the
target's method, not a replacement for it.

    python bench/cpu_interleaved.py --participants 2000 --voters 1000 --slices 5
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import voting
from harness import Projector, Workers, create_event, print_report
from loadgen import _spread, connect_phones
from servers import baseline_server, facilitation_server, free_port


async def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="facilitation-interleaved-"))
    event = create_event(work / "bench.db", args.participants, args.per_table)
    ours = facilitation_server(work, free_port())
    base = baseline_server(work, free_port())
    ours.start()
    base.start()
    projector = Projector(ours.url, event["projector"], False)
    console = Projector(ours.url, event["console"], False)
    halls = {"ours": Workers(ours.url, event["phones"], args.workers, False, clock_pings=0),
             "baseline": Workers(base.url, event["phones"], args.workers, False, seed=11,
                                 clock_pings=0)}
    servers = {"ours": ours, "baseline": base}
    report: dict = {"participants": args.participants, "voters": args.voters,
                    "slices": args.slices, "dots_per_voter": args.dots}
    try:
        await projector.connect()
        await console.connect()
        for name, workers in halls.items():
            report[f"{name}_connected"] = (await connect_phones(workers, args.rate))["connected"]
        rounds = {"ours": await voting.open_round(console, args.candidates, args.dots, args.cap),
                  "baseline": voting.baseline_round(args.candidates)}
        await asyncio.sleep(2.0)  # the round's announcement has reached every phone
        # Each server's CPU with its hall connected and nothing happening (heartbeats):
        # both measured at the same time, to take out of the slices' figures (net).
        idle_before = {n: s.cpu_seconds() for n, s in servers.items()}
        await asyncio.sleep(args.idle)
        idle = {n: (s.cpu_seconds() - idle_before[n]) / args.idle for n, s in servers.items()}
        report["idle_cpu_percent"] = {n: round(v * 100, 1) for n, v in idle.items()}
        voters = _spread(args.participants, args.voters)
        size = len(voters) // args.slices
        burst_args = argparse.Namespace(dots=args.dots, vote_window=args.slice_seconds,
                                        cap=args.cap, timeout=30.0, settle=0.5)
        slices = []
        for i in range(args.slices):
            who = voters[i * size:(i + 1) * size]
            order = ["ours", "baseline"] if i % 2 == 0 else ["baseline", "ours"]
            one = {"first": order[0]}
            for name in order:
                server = servers[name]
                before, began = server.cpu_seconds(), time.monotonic()
                result = await voting.burst(burst_args, halls[name], None, who, rounds[name])
                cpu = server.cpu_seconds() - before
                net = max(0.0, cpu - idle[name] * (time.monotonic() - began))
                one[name] = {"cpu_s": cpu, "net_s": net, "dots": result["accepted"],
                             "errors": result["errors"]}
            slices.append(one)
        report["slices_detail"] = [
            {"first": s["first"], **{f"{n}_ms_per_dot{suffix}": round(s[n][key] * 1000 / s[n]["dots"], 3)
                                     for n in ("ours", "baseline") if s[n]["dots"]
                                     for key, suffix in (("cpu_s", ""), ("net_s", "_net"))}}
            for s in slices]
        for name in ("ours", "baseline"):
            dots = sum(s[name]["dots"] for s in slices)
            report[f"{name}_dots"] = dots
            for key, suffix in (("cpu_s", ""), ("net_s", "_net")):
                cpu = sum(s[name][key] for s in slices)
                report[f"{name}_ms_per_dot{suffix}"] = round(cpu * 1000 / dots, 3) if dots else None
            report[f"{name}_errors"] = [s[name]["errors"] for s in slices if s[name]["errors"]]
        for suffix in ("", "_net"):
            a, b = report[f"ours_ms_per_dot{suffix}"], report[f"baseline_ms_per_dot{suffix}"]
            if a and b:
                report[f"ratio{suffix}"] = round(a / b, 3)
            ratios = sorted(d[f"ours_ms_per_dot{suffix}"] / d[f"baseline_ms_per_dot{suffix}"]
                            for d in report["slices_detail"]
                            if d.get(f"ours_ms_per_dot{suffix}")
                            and d.get(f"baseline_ms_per_dot{suffix}"))
            if ratios:
                report[f"slice_ratio{suffix}_median"] = round(statistics.median(ratios), 3)
                report[f"slice_ratio{suffix}_range"] = [round(ratios[0], 3), round(ratios[-1], 3)]
        for workers in halls.values():
            await workers.ask_all({"cmd": "close"})
    finally:
        for workers in halls.values():
            workers.join()
        for client in (projector, console):
            await client.client.close()
        ours.stop()
        base.stop()
    return report


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--participants", type=int, default=2000, help="phones in each hall")
    p.add_argument("--per-table", type=int, default=8,
                   help="phones per table (tables are capped at the product's limit), as loadgen")
    p.add_argument("--voters", type=int, default=1000, help="phones that vote, in each hall")
    p.add_argument("--dots", type=int, default=5, help="dots per voter (the round's budget)")
    p.add_argument("--cap", type=int, default=3)
    p.add_argument("--candidates", type=int, default=12)
    p.add_argument("--slices", type=int, default=5, help="bursts per server, taking turns")
    p.add_argument("--slice-seconds", type=float, default=2.0,
                   help="each burst's window (its voters place all their dots within it)")
    p.add_argument("--idle", type=float, default=5.0, help="seconds of idle measurement")
    p.add_argument("--rate", type=float, default=200.0, help="phones connecting per second")
    p.add_argument("--workers", type=int, default=1, help="phone processes per hall")
    p.add_argument("--json", help="also write the report to this file")
    args = p.parse_args(argv)
    started = time.monotonic()
    report = asyncio.run(run(args))
    report["wall_seconds"] = round(time.monotonic() - started, 1)
    return print_report(report, args.json)


if __name__ == "__main__":
    main()
