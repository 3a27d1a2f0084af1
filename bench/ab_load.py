"""Before/after on a noisy machine: the load benchmark against two checkouts, alternating.

    python bench/ab_load.py --before /tmp/old-checkout --runs 3 -- --participants 500 \\
        --contributors 300 --contribution-window 10 --voters 500 --vote-window 8 --no-baseline

Runs bench/loadgen.py (with the flags after `--`) against the `--before` checkout
(FACILITATION_BENCH_SOURCE, e.g. an unpacked `git archive` of the older commit) and
against this one (or `--after`), A B A B …, so a busy minute of a shared machine touches both; prints
each figure per run and its median per side, with the load average at each start.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
FIGURES = {
    "contribution ack p95": ("contributions", "ack_latency", "p95_ms"),
    "contribution ack p99": ("contributions", "ack_latency", "p99_ms"),
    "contribution ack max": ("contributions", "ack_latency", "max_ms"),
    "ack after own copy p99": ("contributions", "ack_after_own_copy", "p99_ms"),
    "acks > 20 ms after own copy": ("contributions", "acks_20ms_after_own_copy"),
    "dot ack p99": ("dots", "ack_latency", "p99_ms"),
    "dot→projector p50": ("dots", "projector_latency", "p50_ms"),
    "dot→projector p95": ("dots", "projector_latency", "p95_ms"),
    "dot→projector p99": ("dots", "projector_latency", "p99_ms"),
    "ms CPU per dot (gross)": ("dots", "server_cpu_ms_per_write"),
    "peak RSS MB": ("peak_rss_mb",),
    "ms CPU per join": ("connect", "server_cpu_ms_per_connect"),
    "longest stall while joining": ("stalls", "worst_by_phase_ms", "connect"),
}


def figure(ours: dict, path: tuple) -> float | None:
    for key in path:
        if not isinstance(ours, dict):
            return None
        ours = ours.get(key)
    return ours


def main() -> None:
    argv = sys.argv[1:]
    rest = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[:argv.index("--")] if "--" in argv else argv
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", required=True, help="the older checkout to compare with")
    p.add_argument("--after", default=str(ROOT), help="the newer checkout (default: this one)")
    p.add_argument("--runs", type=int, default=3, help="runs of each side")
    p.add_argument("--json", help="also write every run's figures here")
    args = p.parse_args(own)
    sides = {"before": str(Path(args.before).resolve()), "after": str(Path(args.after).resolve())}
    results: dict[str, list[dict]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.runs):
            for side, source in sides.items():
                out = Path(tmp) / f"{side}-{n}.json"
                load = [round(x, 2) for x in os.getloadavg()]
                subprocess.run([sys.executable, str(BENCH / "loadgen.py"), *rest, "--json", str(out)],
                               env={**os.environ, "FACILITATION_BENCH_SOURCE": source},
                               stdout=subprocess.DEVNULL, check=True)
                ours = json.loads(out.read_text())["ours"]
                row = {name: figure(ours, path) for name, path in FIGURES.items()}
                row["load average at start"] = load
                results[side].append(row)
                print(f"{side} run {n + 1}: " + ", ".join(f"{k} {v}" for k, v in row.items()),
                      flush=True)
    print("\nmedian of the runs | before | after")
    for name in FIGURES:
        med = {}
        for side in sides:
            values = [r[name] for r in results[side] if r[name] is not None]
            med[side] = round(statistics.median(values), 2) if values else None
        print(f"{name} | {med['before']} | {med['after']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
