"""The CPU ratio without the machine's noise: instructions per dot, ours and the baseline.

The target (issue 16) is CPU *time* per dot against the bare handler, and on this
shared machine a server's CPU time per dot moves by ±15 % from run to run, as much as
the difference our own code makes (docs/performance.md). Instructions do not move with
the machine: both servers run under valgrind's callgrind, each with the same phones
connected over real websockets, and each phone places the same dots. Callgrind is told
to write its counts once the hall is connected and once the dots are in; the second
file is the burst's instructions. Run again, the same command gives the same figures
to within a few tenths of a per cent (the order in which frames arrive varies a little).

What it does not say: how long an instruction takes (memory stalls grow with a full
hall, and differ between SQLite's C and the interpreter), so it is a figure beside the
target's, not the target. Under valgrind a server runs about fifty times slower, so the
hall is small (50 phones) and the dots come as fast as the server takes them; the
tally feed then coalesces about as many dots per tally as at 500 dots a second in the
full benchmark (reported: dots per tally).

    python bench/cpu_instructions.py                # 50 phones, 10 dots each
    python bench/cpu_instructions.py --phones 100 --dots 5

Needs valgrind (Debian's package `valgrind`); without it, says so and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import voting
from harness import create_event
from servers import ServerUnderTest, baseline_server, facilitation_server, free_port
from sioclient import SioClient


def under_callgrind(server: ServerUnderTest, out: Path) -> ServerUnderTest:
    """The same server, started under callgrind; counts go to out.<pid>[.<dump>]."""
    server.argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}.%p",
                   *server.argv]
    # The stall monitor wakes 200 times a second of wall time: under valgrind's
    # slowdown that would be a hundred times its share of a real run. Neither runs it.
    server.env.pop("FACILITATION_STALL_REPORT", None)
    server.stall_report = None
    return server


def dump(server: ServerUnderTest, tag: str) -> None:
    """Have callgrind write what it counted since the last dump (and start again)."""
    subprocess.run(["callgrind_control", "--dump=" + tag, str(server.proc.pid)],
                   check=True, capture_output=True, timeout=600)


def instructions(path: Path) -> int:
    """The instruction total of one callgrind dump file."""
    with open(path) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise ValueError(f"no total in {path}")


async def measure(name: str, server: ServerUnderTest, event: dict, args) -> dict:
    """Connect the hall to one server, dump, place every dot, dump; the burst's counts."""
    phones = [SioClient(server.url, auth, deflate=False) for auth in event["phones"]]
    for phone in phones:
        await phone.connect(timeout=600)
    projector = None
    if name == "ours":
        console = SioClient(server.url, event["console"], deflate=False)
        projector = SioClient(server.url, event["projector"], deflate=False)
        await console.connect(600)
        await projector.connect(600)
        rnd = await voting.open_round(type("Console", (), {"client": console})(),
                                      args.candidates, args.dots, args.dots)
    else:
        rnd = voting.baseline_round(args.candidates)
    await asyncio.sleep(2.0)
    if projector is not None:
        projector.counts.clear()
    dump(server, "connected")
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
    dump(server, "burst")
    wall = time.monotonic() - began
    tallies = projector.counts.get("tally", 0) if projector is not None else None
    for phone in phones:
        await phone.close()
    dots = len(phones) * args.dots - refused
    return {"dots": dots, "refused": refused, "tallies": tallies, "wall_s": round(wall, 1)}


async def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="facilitation-instructions-"))
    event = create_event(work / "bench.db", args.phones, args.per_table)
    servers = {
        "ours": under_callgrind(facilitation_server(work, free_port()), work / "ours"),
        "baseline": under_callgrind(baseline_server(work, free_port()), work / "baseline"),
    }
    for server in servers.values():
        server.start(timeout=900)
    try:
        # Both at once: instructions do not care that they share the two cores.
        results = dict(zip(servers, await asyncio.gather(
            *(measure(n, s, event, args) for n, s in servers.items())), strict=True))
    finally:
        for server in servers.values():
            server.stop()
    report: dict = {"phones": args.phones, "dots_per_phone": args.dots,
                    "valgrind": subprocess.run(["valgrind", "--version"], capture_output=True,
                                               text=True).stdout.strip()}
    for name, server in servers.items():
        burst = sorted(work.glob(f"{name}.{server.proc.pid}.*"))
        # callgrind numbers its dumps: .1 up to the hall connected, .2 the burst
        count = instructions(next(p for p in burst if p.name.endswith(".2")))
        result = results[name]
        result["instructions_per_dot"] = round(count / result["dots"]) if result["dots"] else None
        if result["tallies"]:
            result["dots_per_tally"] = round(result["dots"] / result["tallies"], 1)
        report[name] = result
    a, b = report["ours"]["instructions_per_dot"], report["baseline"]["instructions_per_dot"]
    report["ratio"] = round(a / b, 3) if a and b else None
    report["workdir"] = str(work)
    return report


def main(argv=None) -> dict | None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--phones", type=int, default=50)
    p.add_argument("--per-table", type=int, default=8)
    p.add_argument("--dots", type=int, default=10, help="dots per phone (the round's budget)")
    p.add_argument("--candidates", type=int, default=12)
    p.add_argument("--json", help="also write the report to this file")
    args = p.parse_args(argv)
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        print("valgrind is not installed (Debian: apt-get install valgrind): "
              "no instruction counts.")
        return None
    started = time.monotonic()
    report = asyncio.run(run(args))
    report["wall_seconds"] = round(time.monotonic() - started, 1)
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    return report


if __name__ == "__main__":
    main()
