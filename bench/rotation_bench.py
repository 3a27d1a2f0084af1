"""Rotation plan benchmark: 500 participants, 8 tables, 4 rounds, against random assignment.

    .venv/bin/python bench/rotation_bench.py [--people 500] [--tables 8] [--rounds 4] [--seeds 5]

For each seed: the plan (facilitation.rotation.plan_rotation) and a random assignment of
equal-sized tables over the same people (five target groups drawn at random), each
measured with facilitation.rotation.measure. Prints the mean of every figure, the time
to compute one plan, and — for the pairings — the lower bound that any plan without
repeat visits must pay: in each pair of rounds the people of one table must spread
over the other T-1 tables, so some pairs meet twice however the plan is made.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitation.rotation import measure, plan_rotation, random_plan  # noqa: E402

GROUPS = ["Ehrenamt", "Hauptamt", "Verwaltung", "Migrant*innen-Organisation", "Bürger*in"]


def co_seatings(plan: dict[int, list[int]]) -> int:
    """Pairs × pairs of rounds in which they share a table (Σ over pairs of C(m, 2))."""
    n_rounds = len(next(iter(plan.values())))
    total = 0
    for r, q in combinations(range(n_rounds), 2):
        cells: dict[tuple[int, int], int] = {}
        for seq in plan.values():
            cells[(seq[r], seq[q])] = cells.get((seq[r], seq[q]), 0) + 1
        total += sum(c * (c - 1) // 2 for c in cells.values())
    return total


def lower_bound(n: int, tables: int, rounds: int) -> float:
    """The fewest co-seatings without repeat visits: n spread evenly over T(T-1) cells."""
    cells = tables * (tables - 1)
    per = n / cells
    return rounds * (rounds - 1) / 2 * cells * per * (per - 1) / 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=500)
    ap.add_argument("--tables", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    n, t, r = args.people, args.tables, args.rounds

    rows = {"plan": [], "random": []}
    pairs = {"plan": [], "random": []}
    times = []
    for seed in range(args.seeds):
        rng = random.Random(1000 + seed)
        people = [(i + 1, rng.choice(GROUPS)) for i in range(n)]
        start = time.perf_counter()
        plan = plan_rotation(people, t, r, seed)
        times.append(time.perf_counter() - start)
        baseline = random_plan(people, t, r, seed)
        rows["plan"].append(measure(plan, people, t))
        rows["random"].append(measure(baseline, people, t))
        pairs["plan"].append(co_seatings(plan))
        pairs["random"].append(co_seatings(baseline))

    def mean(kind: str, key: str) -> float:
        return statistics.mean(row[key] for row in rows[kind])

    print(f"rotation plan: {n} participants, {t} tables, {r} rounds, {args.seeds} seeds"
          f" (5 target groups at random)")
    print(f"{'figure (mean over seeds)':<52}{'plan':>12}{'random':>12}")
    for key, label, fmt in (
        ("repeat_visits", "repeat visits (a person back at a table)", "{:.0f}"),
        ("repeat_pairings", "repeat pairings (meetings beyond the first)", "{:.0f}"),
        ("distinct_contacts", "different people met per person", "{:.1f}"),
        ("imbalance", "target-group imbalance (people per table)", "{:.2f}"),
        ("size_spread", "largest minus smallest table", "{:.0f}"),
    ):
        print(f"{label:<52}{fmt.format(mean('plan', key)):>12}{fmt.format(mean('random', key)):>12}")
    print(f"{'pair co-seatings Σ C(m,2)':<52}{statistics.mean(pairs['plan']):>12.0f}"
          f"{statistics.mean(pairs['random']):>12.0f}")
    if t >= r:
        print(f"{'  lower bound without repeat visits':<52}{lower_bound(n, t, r):>12.0f}")
    print(f"time to compute one plan: median {statistics.median(times):.2f} s,"
          f" max {max(times):.2f} s")


if __name__ == "__main__":
    main()
