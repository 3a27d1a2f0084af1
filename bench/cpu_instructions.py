"""The CPU ratio counted in instructions: per dot, ours and the baseline, under callgrind.

The target (issue 16) is CPU *time* per dot against the bare handler, and on this
shared machine a server's CPU time per dot moves by ±15 % from run to run, as much as
the difference our own code makes (docs/performance.md). Instructions hardly move with
the machine: both servers run under valgrind's callgrind, each with the same phones
connected over real websockets, and each phone places the same dots. Callgrind writes
its counts three times: once the hall is connected, after a few idle seconds, and once
the dots are in. The last file is the burst's instructions (gross), the idle one the
instructions a second of what runs by the clock (heartbeats, the collector's ticks);
net takes the idle rate over the burst's duration out.

What still moves: the tally feed coalesces dots by the clock (at most one tally per
50 ms), so how many dots share a tally depends on how fast valgrind runs the server,
and so does the cost of a dot (reported: dots per tally), and how many frames the
server reads in one turn of its loop depends on how fast it runs against the phones:
runs a few minutes apart agree to about ±1 %, runs an hour apart to a few per cent, so
compare two checkouts by alternating them (FACILITATION_BENCH_SOURCE). And
instructions are not time: memory stalls grow with a full hall, so this is a figure
beside the target's, not the target. Under valgrind a server runs about fifty times
slower, so the hall is small (50 phones) and the dots come as fast as the server takes
them; the feed then puts about as many dots in a tally as at 500 dots a second in the
full benchmark (25). Both servers run as `make bench` runs them, but under valgrind and
without the stall monitor (it wakes 200 times a second of wall time, a hundred times
its share of a real run under valgrind's slowdown).

    python bench/cpu_instructions.py                # 50 phones, 10 dots each
    python bench/cpu_instructions.py --phones 100 --dots 5

Needs valgrind with callgrind_control (Debian's package `valgrind`); without it, says
so and exits with status 2.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import voting
from harness import create_event, print_report
from servers import ServerUnderTest, baseline_server, facilitation_server, free_port
from sioclient import SioClient

PHASES = ("connected", "idle", "burst")  # callgrind numbers its dumps .1, .2, .3


def under_callgrind(server: ServerUnderTest, out: Path) -> ServerUnderTest:
    """The same server, started under callgrind; counts go to out.<pid>.<dump number>."""
    server.argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}.%p",
                   *server.argv]
    server.env.pop("FACILITATION_STALL_REPORT", None)  # see the module's docstring
    server.stall_report = None
    return server


async def dump(server: ServerUnderTest, tag: str) -> None:
    """Have callgrind write what it counted since the last dump (and start again).

    Awaited, not blocking: the other server's phones go on meanwhile."""
    proc = await asyncio.create_subprocess_exec(
        "callgrind_control", f"--dump={tag}", str(server.proc.pid),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    if await asyncio.wait_for(proc.wait(), 600) != 0:
        raise RuntimeError(f"callgrind_control could not dump {server.url}")


def instructions(path: Path) -> int:
    """The instruction total of one callgrind dump file (what it counted since the last)."""
    if not path.exists():
        raise RuntimeError(f"callgrind wrote no {path.name}; see the server's log")
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError(f"no instruction total in {path}")


async def measure(name: str, server: ServerUnderTest, event: dict, args) -> dict:
    """Connect the hall to one server; dump; stay idle; dump; place every dot; dump."""
    clients = [SioClient(server.url, auth, deflate=False) for auth in event["phones"]]
    phones = list(clients)
    projector = None
    try:
        for phone in phones:
            await phone.connect(timeout=600)
        if name == "ours":
            console = SioClient(server.url, event["console"], deflate=False)
            projector = SioClient(server.url, event["projector"], deflate=False)
            clients += [console, projector]
            await console.connect(600)
            await projector.connect(600)
            rnd = await voting.open_round(type("Console", (), {"client": console})(),
                                          args.candidates, args.dots, args.dots)
        else:
            rnd = voting.baseline_round(args.candidates)
        await asyncio.sleep(2.0)
        await dump(server, PHASES[0])
        began = time.monotonic()
        await asyncio.sleep(args.idle)
        await dump(server, PHASES[1])
        idle_s = time.monotonic() - began
        if projector is not None:
            projector.counts.clear()
        began = time.monotonic()

        async def vote(i: int, phone: SioClient) -> int:
            refused = 0
            for d in range(args.dots):
                ack = await phone.call("place_dot", {
                    "round_id": rnd["round_id"],
                    "candidate_id": rnd["candidates"][(i + d) % len(rnd["candidates"])],
                    "client_id": f"instructions-{i}-{d}"}, timeout=600)
                refused += not ack.get("ok")
            return refused

        refused = sum(await asyncio.gather(*(vote(i, p) for i, p in enumerate(phones))))
        await asyncio.sleep(1.0)  # the last tally
        await dump(server, PHASES[2])
        burst_s = time.monotonic() - began
    finally:
        for client in clients:
            await client.close()
    return {"dots": len(phones) * args.dots - refused, "refused": refused,
            "tallies": projector.counts.get("tally", 0) if projector is not None else None,
            "idle_s": round(idle_s, 1), "burst_s": round(burst_s, 1)}


def per_dot(result: dict, counts: dict) -> None:
    """Instructions per dot, gross and net of the idle rate over the burst's duration."""
    result["instructions"] = counts
    idle_rate = counts["idle"] / result["idle_s"] if result["idle_s"] else 0.0
    result["idle_instructions_per_s"] = round(idle_rate)
    if result["dots"]:
        result["instructions_per_dot"] = round(counts["burst"] / result["dots"])
        net = counts["burst"] - idle_rate * result["burst_s"]
        result["instructions_per_dot_net"] = round(max(0.0, net) / result["dots"])
    if result["tallies"]:
        result["dots_per_tally"] = round(result["dots"] / result["tallies"], 1)


async def run(args, work: Path) -> dict:
    event = create_event(work / "bench.db", args.phones, args.per_table)
    servers = {
        "ours": under_callgrind(facilitation_server(work, free_port()), work / "ours"),
        "baseline": under_callgrind(baseline_server(work, free_port()), work / "baseline"),
    }
    try:
        for server in servers.values():
            server.start(timeout=900)
        # Both at once: instructions do not care that they share the two cores.
        async with asyncio.TaskGroup() as group:
            tasks = {n: group.create_task(measure(n, s, event, args))
                     for n, s in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
    report: dict = {"phones": args.phones, "dots_per_phone": args.dots,
                    "valgrind": subprocess.run(["valgrind", "--version"], capture_output=True,
                                               text=True).stdout.strip()}
    for name, server in servers.items():
        result = tasks[name].result()
        per_dot(result, {phase: instructions(work / f"{name}.{server.proc.pid}.{i}")
                         for i, phase in enumerate(PHASES, 1)})
        report[name] = result
    for suffix in ("", "_net"):
        a = report["ours"].get(f"instructions_per_dot{suffix}")
        b = report["baseline"].get(f"instructions_per_dot{suffix}")
        report[f"ratio{suffix}"] = round(a / b, 3) if a and b else None
    return report


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--phones", type=int, default=50)
    p.add_argument("--per-table", type=int, default=8)
    p.add_argument("--dots", type=int, default=10, help="dots per phone (the round's budget)")
    p.add_argument("--candidates", type=int, default=12)
    p.add_argument("--idle", type=float, default=3.0, help="seconds of idle measurement")
    p.add_argument("--keep", action="store_true",
                   help="keep the work folder (callgrind's files, servers' logs)")
    p.add_argument("--json", help="also write the report to this file")
    args = p.parse_args(argv)
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        print("valgrind with callgrind_control is not installed (Debian: apt-get install "
              "valgrind): no instruction counts.", file=sys.stderr)
        sys.exit(2)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="facilitation-instructions-"))
    try:
        report = asyncio.run(run(args, work))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report["workdir"] = str(work) if args.keep else None
    report["wall_seconds"] = round(time.monotonic() - started, 1)
    return print_report(report, args.json)


if __name__ == "__main__":
    main()
