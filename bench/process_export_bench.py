"""Process export benchmark: 4 events × 2,500 contributions, 50,000 dots in all and 1,000
survey answers → prozess.xlsx and prozessbericht.html (aim: under 5 s), then the whole
process folder with every event's session files.

    .venv/bin/python bench/process_export_bench.py [--events 4] [--contributions 2500]
        [--dots 50000] [--answers 1000]

Builds through the store's own verbs (one outer transaction per event), then exports in a
fresh child process, as the CLI would, and prints each step and the peak memory (RSS).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.export_bench import GROUPS, WORDS  # noqa: E402


def build(path: Path, events: int, contributions: int, dots: int, answers: int, seed: int = 15) -> str:
    """Create the benchmark process in a new database at path; returns its id."""
    from facilitation.demo import LEITFRAGEN, STATIONS
    from facilitation.rules import CONTRIBUTION_KINDS
    from facilitation.store import Store
    from facilitation.survey_templates import template_definition

    rng = random.Random(seed)
    store = Store(path)
    process = store.create_process({
        "title": "Benchmark-Prozess", "town": "Benchstadt",
        "fields": [{"theme": t, "questions": LEITFRAGEN} for _, t in STATIONS],
        "target_groups": GROUPS})
    budget = 5
    per_event_dots = dots // events
    for e in range(events):
        event = store.create_event_in_process(process["id"], f"World Café {e + 1}", f"2026-09-0{e + 1}",
                                              audience=GROUPS[e % len(GROUPS)])
        eid = event["id"]
        with store.write():
            people = max(1, per_event_dots // budget)
            pids = []
            for i in range(people):
                pid = store.participant(eid, f"pb-{e}-{i:06d}-".ljust(43, "x"))["id"]
                store.set_target_group(eid, pid, GROUPS[i % len(GROUPS)])
                pids.append(pid)
            codes = [t["code"] for t in store.tables(eid)]
            made = []
            for i in range(contributions):
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30)))
                c, _ = store.add_contribution(eid, rng.choice(codes), rng.choice(CONTRIBUTION_KINDS),
                                              text, rng.randint(0, 4), participant_id=rng.choice(pids),
                                              round=1 + i % 3)
                made.append(c["id"])
            rnd = store.create_voting_round(eid, "Prioritäten", budget=budget, cap=3,
                                            contribution_ids=made[:195])
            store.open_voting_round(eid, rnd["id"])
            cands = [c["id"] for c in rnd["candidates"]]
            for pid in pids:
                for k in range(budget):
                    store.place_dot(eid, rnd["id"], cands[(pid * 7 + k * 13) % len(cands)], pid,
                                    f"p{e}-{k}-{pid}".ljust(12, "x"))
            store.close_voting_round(eid, rnd["id"])
            if e == events - 1:
                survey = store.create_survey(eid, template_definition("migrants"))
                store.set_survey_status(eid, survey["id"], "open")
                for n in range(answers):
                    store.add_survey_response(eid, survey["id"], [
                        rng.randrange(3), rng.randrange(5), rng.randrange(6), rng.randint(1, 5),
                        " ".join(rng.choice(WORDS) for _ in range(6)), None, None],
                        source="paper", sheet=str(n))
    store.close()
    return process["id"]


def measure(db: str, process_id: str, out: str) -> dict:
    """Export in this (fresh) process; time per step and peak RSS."""
    from facilitation.export.process import render_report, render_workbook
    from facilitation.process_export import process_snapshots, write_process
    from facilitation.store import Store

    store = Store(db)
    steps = {}
    t = start = time.perf_counter()
    process, snaps = process_snapshots(store, process_id, base_url="http://192.168.1.20:5000")
    steps["snapshots (one read per event)"] = time.perf_counter() - t
    t = time.perf_counter()
    workbook = render_workbook(process, snaps)
    steps["prozess.xlsx"] = time.perf_counter() - t
    t = time.perf_counter()
    report = render_report(process, snaps)
    steps["prozessbericht.html"] = time.perf_counter() - t
    process_only = time.perf_counter() - start
    t = time.perf_counter()
    write_process(store, process_id, out, base_url="http://192.168.1.20:5000")
    steps["whole folder (every event's files too)"] = time.perf_counter() - t
    return {"steps": steps, "process_only": process_only,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "sizes_kb": {"prozess.xlsx": len(workbook) / 1024, "prozessbericht.html": len(report) / 1024},
            "contributions": sum(len(s.contributions) for s in snaps),
            "dots": sum(len(r["dots"]) for s in snaps for r in s.voting_rounds),
            "answers": sum(len(sv["responses"]) for s in snaps for sv in s.surveys)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=4)
    parser.add_argument("--contributions", type=int, default=2500, help="per event")
    parser.add_argument("--dots", type=int, default=50_000, help="over all events")
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--measure", nargs=3, metavar=("DB", "PROCESS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        pid = build(db, args.events, args.contributions, args.dots, args.answers)
        print(f"built {args.events} events × {args.contributions} contributions, {args.dots} dots, "
              f"{args.answers} survey answers in {time.perf_counter() - t:.1f} s")
        child = subprocess.run([sys.executable, __file__, "--measure", str(db), pid, str(Path(tmp) / "out")],
                               capture_output=True, text=True, check=True)
        r = json.loads(child.stdout)
    print(f"exported {r['contributions']} contributions, {r['dots']} dots, {r['answers']} answers")
    for name, seconds in r["steps"].items():
        size = r["sizes_kb"].get(name)
        print(f"  {name:40s} {seconds:6.2f} s" + (f"   {size:8.0f} KB" if size else ""))
    print(f"TOTAL process report and workbook: {r['process_only']:.2f} s (aim: under 5 s)")
    print(f"PEAK memory (RSS of the exporting process): {r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
