"""Reconnect storm: the server restarts under a full hall; how soon is everyone back?

N phones and a projector are connected; the server process is stopped and started
again (as after a crash or an update). Every phone notices, reconnects with the
browser client's randomised backoff, and counts as resynchronised once it holds a
fresh snapshot. Reported: phones back, the time from the server answering again to
the last phone resynchronised, its percentiles, server CPU and RSS during the storm.

    python bench/reconnect_storm.py --phones 1000
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from harness import Projector, Workers, create_event, merge, print_report
from servers import Profiler, Sampler, facilitation_server, free_port
from stats import latency_summary, mb


async def storm(args) -> dict:
    """Connect the phones, restart the server under them, wait for them all to return."""
    work = Path(tempfile.mkdtemp(prefix="facilitation-storm-"))
    event = create_event(work / "bench.db", args.phones, args.per_table)
    server = facilitation_server(work, free_port())
    server.start()
    workers = Workers(server.url, event["phones"], args.workers, args.deflate)
    projector = Projector(server.url, event["projector"], args.deflate)
    report: dict = {"phones": args.phones, "workers": workers.count}
    try:
        connected = merge(await workers.ask_all({"cmd": "connect",
                                                 "rate": args.connect_rate / workers.count}))
        await projector.connect()
        report["connected_before"] = connected["connected"]
        deadline = time.monotonic() + args.deadline
        for pipe, share in zip(workers.pipes, workers.shares, strict=True):
            pipe.send({"cmd": "storm", "who": list(range(len(share))), "deadline": deadline})
        await workers.recv_all()  # every phone is watching its connection now

        down = time.monotonic()
        server.stop()
        server.start()
        up = time.monotonic()
        cpu_before, generator_before = server.cpu_seconds(), workers.cpu_seconds()
        system_before = server.ps.cpu_times().system
        profile = Path(args.profile) / "profile-storm.txt" if args.profile else None
        with Sampler(server) as sampler, Profiler(server, profile):
            result = merge(await workers.recv_all())
        back = sorted(result["back_at"])
        report.update({
            "restart_seconds": round(up - down, 2),
            "resynced": result["resynced"],
            "not_back": args.phones - result["resynced"],
            "attempts": result["attempts"],
            "errors": result["errors"],
            "last_resynced_after_up_s": round(back[-1] - up, 2) if back else None,
            "after_up": latency_summary(max(0.0, b - up) for b in back),
            "after_own_loss": latency_summary(
                b - lost for b, lost in zip(result["back_at"], result["lost_at"], strict=True)),
            "server_cpu_s_during_storm": round(server.cpu_seconds() - cpu_before, 2),
            # of which in the kernel (system calls: accepting, reading, writing)
            "server_system_cpu_s": round(server.ps.cpu_times().system - system_before, 2),
            # The phones share the machine's two cores with the server: their CPU too.
            "generator_cpu_s_during_storm": round(workers.cpu_seconds() - generator_before, 2),
            "peak_rss_mb": mb(sampler.peak_rss),
        })
        report["met"] = report["not_back"] == 0 and report["last_resynced_after_up_s"] < 10
        await workers.ask_all({"cmd": "close"})
    finally:
        workers.join()
        await projector.client.close()
        server.stop()
    return report


def main(argv=None) -> dict:
    """Flags, run, print the report as JSON."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--phones", type=int, default=200)
    p.add_argument("--per-table", type=int, default=8)
    p.add_argument("--connect-rate", type=float, default=200.0, help="phones per second at first")
    p.add_argument("--workers", type=int, default=2, help="load generator processes")
    p.add_argument("--deadline", type=float, default=60.0, help="give up after this many seconds")
    p.add_argument("--no-deflate", dest="deflate", action="store_false")
    p.add_argument("--profile", help="directory for a py-spy profile of the storm")
    p.add_argument("--json", help="also write the report to this file")
    args = p.parse_args(argv)
    return print_report(asyncio.run(storm(args)), args.json)


if __name__ == "__main__":
    main()
