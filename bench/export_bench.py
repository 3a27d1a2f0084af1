"""Export benchmark: an event with 10,000 contributions and 50,000 dots, every file written.

    .venv/bin/python bench/export_bench.py [--contributions 10000] [--dots 50000]

Builds the event through the store's own verbs (in one outer transaction, so building
takes seconds, not minutes), then exports it in a fresh child process — as the CLI
does, the workbook in a second process meanwhile — and prints the time of each step and
the peak memory (RSS) of that process and of its child. The aim of issue 16 is under 2 s
and 250 MB on the 2-core project machine. --serial renders the files one after the
other and times each; --keep DB builds the event once and reuses it (for A/B runs);
--pss samples what both processes use together (a separate run: sampling slows them).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GROUPS = ["Ehrenamt", "Hauptamt", "Verwaltung", "Migrant*innen-Organisation", "Bürger*in"]
WORDS = ("Sprachkurs Kita Wohnung Arbeit Anerkennung Beratung Verein Sport Schule Eltern "
         "Nachbarschaft Begegnung Dolmetschen Ausbildung Gesundheit Teilhabe Ämter Fest").split()


def build(path: Path, contributions: int, dots: int, seed: int = 4) -> str:
    """Create the benchmark event in a new database at path; returns its id."""
    from facilitation.demo import demo_event_fields
    from facilitation.rules import CONTRIBUTION_KINDS
    from facilitation.store import Store

    rng = random.Random(seed)
    store = Store(path)
    event = store.create_event(**demo_event_fields(title="Benchmark: Akteurskonferenz Integration"))
    eid = event["id"]
    budget, rounds = 5, 5
    people = max(1, dots // (budget * rounds))
    with store.write():
        pids = []
        for i in range(people):
            pid = store.participant(eid, f"bench-device-{i:06d}-".ljust(43, "x"))["id"]
            store.set_target_group(eid, pid, GROUPS[i % len(GROUPS)])
            pids.append(pid)
        codes = [t["code"] for t in store.tables(eid)]
        made = []
        for i in range(contributions):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30)))
            if i % 97 == 0:
                text = "=" + text + "\nzweite Zeile; mit Semikolon"
            c, _ = store.add_contribution(
                eid, rng.choice(codes), rng.choice(CONTRIBUTION_KINDS), text, rng.randint(0, 4),
                participant_id=rng.choice(pids), round=1 + i % 3)
            made.append(c["id"])
        for cid in made[::50]:
            store.set_hidden(eid, cid, True)
        placed = 0
        for r in range(rounds):
            chosen = made[r * 200:(r + 1) * 200]
            rnd = store.create_voting_round(eid, f"Abstimmung {r + 1}", budget=budget, cap=3,
                                            contribution_ids=chosen[:195],
                                            statements=[f"Maßnahme {r}-{k}" for k in range(5)])
            store.open_voting_round(eid, rnd["id"])
            cands = [c["id"] for c in rnd["candidates"] if not c["hidden"]]
            for pid in pids:
                for k in range(budget):
                    if placed >= dots:
                        break
                    store.place_dot(eid, rnd["id"], cands[(pid * 7 + k * 13 + r) % len(cands)],
                                    pid, f"b{r}-{k}-{pid}".ljust(12, "x"))
                    placed += 1
            store.close_voting_round(eid, rnd["id"])
    store.close()
    return eid


def measure(db: str, event_id: str, out: str, serial: bool = False) -> dict:
    """Export in this (fresh) process; time per step and peak RSS."""
    import psutil

    from facilitation.export import FILES, gc_paused, render_all, take_snapshot
    from facilitation.export.folder import folder_name, write_folder
    from facilitation.store import Store

    store = Store(db)
    rss_before = psutil.Process().memory_info().rss
    steps, cpu_steps = {}, {}
    clock = [time.perf_counter(), time.process_time()]

    def lap(name):  # wall and CPU time since the last lap
        now = [time.perf_counter(), time.process_time()]
        steps[name], cpu_steps[name] = now[0] - clock[0], now[1] - clock[1]
        clock[:] = now

    paused = gc_paused()  # as `facilitation export` does
    paused.__enter__()
    cpu = time.process_time()
    start = time.perf_counter()
    clock[:] = [start, cpu]
    snap = take_snapshot(store, event_id, base_url="http://192.168.1.20:5000")
    lap("snapshot (one read transaction)")
    files = {}
    if serial:  # each file's own time, one after the other (to see where the time goes)
        for name, render in FILES.items():
            body = render(snap)
            lap(name)
            if isinstance(body, dict):  # several files in a sub-folder (massnahmen/…)
                files.update(body)
            elif body is not None:  # None: a part the event does not use (umfragen.csv)
                files[name] = body
    else:  # as `facilitation export` does: the workbooks in a second process meanwhile
        files = render_all(snap, parallel=True)
        lap("every file (workbooks in a child process)")
    folder = write_folder(files, out, folder_name(snap), snap.event["id"])
    lap("write folder")
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    paused.__exit__(None, None, None)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    child_peak = children.ru_maxrss * 1024
    return {
        "steps": steps, "cpu_steps": cpu_steps, "total": total, "peak_rss_mb": peak / 2**20,
        "cpu_s": cpu, "child_cpu_s": children.ru_utime + children.ru_stime,
        "child_peak_rss_mb": child_peak / 2**20,
        "rss_before_mb": rss_before / 2**20, "folder": str(folder),
        "sizes_kb": {n: len(b) / 1024 for n, b in files.items()},
        "contributions": len(snap.contributions),
        "dots": sum(len(r["dots"]) for r in snap.voting_rounds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributions", type=int, default=10_000)
    parser.add_argument("--dots", type=int, default=50_000)
    parser.add_argument("--serial", action="store_true",
                        help="render the files one after the other and time each")
    parser.add_argument("--pss", action="store_true",
                        help="also sample the memory of both processes together (PSS, from "
                             "/proc/…/smaps: slows the export down, so time without it)")
    parser.add_argument("--keep", metavar="DB", help="build the event into DB once and reuse it")
    parser.add_argument("--measure", nargs=3, metavar=("DB", "EVENT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*args.measure, serial=args.serial)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.keep) if args.keep else Path(tmp) / "bench.db"
        marker = db.with_suffix(".event")
        if args.keep and marker.exists():
            eid = marker.read_text()
        else:
            t = time.perf_counter()
            eid = build(db, args.contributions, args.dots)
            marker.write_text(eid)
            print(f"built {args.contributions} contributions and {args.dots} dots "
                  f"in {time.perf_counter() - t:.1f} s")
        proc = subprocess.Popen(
            [sys.executable, __file__, "--measure", str(db), eid, str(Path(tmp) / "sessions"),
             *(["--serial"] if args.serial else [])],
            stdout=subprocess.PIPE, text=True)
        memory = _sample_memory(proc) if args.pss else None
        out, _ = proc.communicate()
        if proc.returncode:
            sys.exit(f"the export failed (exit code {proc.returncode})")
        r = json.loads(out)
    print(f"exported {r['contributions']} contributions, {r['dots']} dots (ledger rows)")
    print(f"  {'':42s} {'wall':>6s}   {'CPU':>6s}")
    for name, seconds in r["steps"].items():
        size = r["sizes_kb"].get(name)
        print(f"  {name:42s} {seconds:6.2f} s {r['cpu_steps'][name]:6.2f} s"
              + (f"   {size:8.0f} KB" if size else ""))
    for name, size in r["sizes_kb"].items():
        if name not in r["steps"]:  # rendered together: each file's size only
            print(f"  {name:42s} {'':17s}   {size:8.0f} KB")
    print(f"TOTAL export time: {r['total']:.2f} s (aim: under 2 s)")
    print(f"PEAK memory (RSS of the exporting process): {r['peak_rss_mb']:.0f} MB "
          f"({r['rss_before_mb']:.0f} MB before the export began); of its child process: "
          f"{r['child_peak_rss_mb']:.0f} MB (aim: both under 250 MB)")
    if memory:
        print(f"PEAK memory of both processes at the same moment (sampled every 20 ms; the "
              f"times above are slowed down by the sampling): RSS {memory['rss']:.0f} MB "
              f"(pages they share counted twice), PSS {memory['pss']:.0f} MB "
              f"(each shared page counted once)")
    print(f"CPU time: exporting process {r['cpu_s']:.2f} s, its child {r['child_cpu_s']:.2f} s; "
          f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _sample_memory(proc) -> dict:
    """Until proc ends: the largest sum of RSS and of PSS over proc and its children."""
    import psutil

    top = {"rss": 0.0, "pss": 0.0}
    try:
        root = psutil.Process(proc.pid)
    except psutil.NoSuchProcess:
        return top
    while proc.poll() is None:
        rss = pss = 0
        try:
            for p in [root, *root.children()]:
                try:
                    info = p.memory_full_info()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                rss, pss = rss + info.rss, pss + info.pss
        except psutil.NoSuchProcess:
            break
        top = {"rss": max(top["rss"], rss / 2**20), "pss": max(top["pss"], pss / 2**20)}
        time.sleep(0.02)
    return top


if __name__ == "__main__":
    main()
