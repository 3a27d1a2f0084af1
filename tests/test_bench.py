"""The benchmark scripts still work and count correctly (tiny sizes; no timing asserted).

The figures themselves come from `make bench` (docs/performance.md); this only keeps the
load generator honest: what it reports as sent, acknowledged and stored must match the
database, and the page weight must find every file a phone loads.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.helpers import ROOT

# The benchmarks run as scripts for seconds each, most against their own server processes.
pytestmark = [pytest.mark.server, pytest.mark.slow]


def run_bench(script: str, *args: str, tmp_path) -> dict:
    out = tmp_path / f"{script}.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / script), *args, "--json", str(out)],
                   check=True, capture_output=True, timeout=240, cwd=ROOT)
    return json.loads(out.read_text())


def test_load_generator_counts_match_the_database(tmp_path):
    report = run_bench(
        "loadgen.py", "--participants", "24", "--contributors", "12", "--contribution-window",
        "1", "--voters", "10", "--dots", "3", "--vote-window", "1", "--idle", "0.5",
        "--settle", "1", "--workers", "2", "--pairs", "2", tmp_path=tmp_path)
    ours = report["ours"]
    assert ours["connect"] == {**ours["connect"], "connected": 24, "failed": 0}
    c = ours["contributions"]
    assert c["sent"] == c["acknowledged"] == c["stored"] == c["shown_on_projector"] == 12
    assert c["errors"] == {} and c["projector_latency"]["count"] == 12
    d = ours["dots"]
    assert d["sent"] == d["accepted"] == d["stored"] == d["final_tally_dots"] == 30
    assert d["errors"] == {} and d["projector_latency"]["count"] == 30
    assert ours["peak_rss_mb"] > 0 and d["server_cpu_ms_per_write"] > 0
    base = report["baseline"]
    assert base["connect"]["connected"] == 24 and base["dots"]["accepted"] == 30
    # Gross CPU per dot is always measurable; net of idle heartbeats it can be None in a
    # run this small (the burst used no more CPU than the idle estimate says it would).
    assert report["overhead"]["dots_gross"] > 0
    assert report["overhead"]["dots"] is None or report["overhead"]["dots"] > 0
    pairs = report["cpu_pairs"]  # a second pair, voting only, the baseline first this time
    assert len(pairs["pairs"]) == 2 and all(p["ratio_gross"] > 0 for p in pairs["pairs"])
    assert [p["first"] for p in pairs["pairs"]] == ["ours", "baseline"]
    low, high = pairs["ratio_gross_range"]
    assert low <= pairs["ratio_gross_median"] <= high
    assert ours["stalls"]["samples"] > 0  # the server measured its own loop
    # each of the worst stalls is placed in the load phase it happened in
    names = {name for name, _, _ in ours["phases"]}
    assert {"connect", "idle", "contributions", "dots"} <= names
    assert all(s["phase"] in names | {"start-up or before the first phase"}
               for s in ours["stalls"]["worst_ms"])


def test_reconnect_storm_brings_every_phone_back(tmp_path):
    report = run_bench("reconnect_storm.py", "--phones", "20", "--workers", "1",
                       tmp_path=tmp_path)
    assert report["connected_before"] == 20
    assert report["resynced"] == 20 and report["not_back"] == 0


def test_interleaved_ratio_gives_both_servers_every_dot(tmp_path):
    """Both halls connect; each server gets every dot of its bursts (the same number),
    and the ratio is computed from them."""
    report = run_bench("cpu_interleaved.py", "--participants", "40", "--voters", "20",
                       "--slices", "2", "--slice-seconds", "1", "--idle", "1",
                       tmp_path=tmp_path)
    assert report["ours_connected"] == report["baseline_connected"] == 40
    assert report["ours_dots"] == report["baseline_dots"] == 20 * 5
    assert report["ours_errors"] == [] and report["baseline_errors"] == []
    assert report["ratio"] > 0 and len(report["slices_detail"]) == 2


def test_page_weight_follows_every_script_and_module(tmp_path):
    report = run_bench("page_weight.py", tmp_path=tmp_path)
    urls = [r["url"] for r in report["resources"]]
    assert report["all_ok"]
    assert any(u.endswith("/t/A") for u in urls)
    for needed in ("socket.io.min.js", "phone.js", "common.js", "app.css"):
        assert any(u.endswith(needed) for u in urls), needed
    page = next(r for r in report["resources"] if r["url"].endswith("/t/A"))
    assert page["encoding"] == "gzip"


def test_export_benchmark_runs_and_writes_every_file():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "export_bench.py"),
                           "--contributions", "60", "--dots", "200"],
                          check=True, capture_output=True, text=True, timeout=240, cwd=ROOT)
    for name in ("event.json", "beitraege.csv", "punkte.csv", "ergebnisse.xlsx", "bericht.html",
                 "tischkarten.pdf"):
        assert name in done.stdout
    assert "exported 60 contributions, 200 dots" in done.stdout and "TOTAL export time" in done.stdout


def test_rotation_stall_benchmark_plans_on_the_real_server():
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "rotation_stall.py"),
                           "--people", "40", "--tables", "5", "--rounds", "3"],
                          check=True, capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert "rotation plan for 40 people, 5 tables, 3 rounds" in done.stdout
    assert "(repeat visits 0)" in done.stdout and "while the plan was computed" in done.stdout


def test_the_load_generator_spreads_every_tables_phones_over_its_workers(monkeypatch):
    """A worker that holds a whole table takes all fifty copies of each of its cards at
    once, and the acknowledgements it measures wait behind them (see harness.deal)."""
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from harness import deal, tables_for

    phones, workers = 2000, 2
    tables = tables_for(phones, 50)  # 40, as in the full-size run: even, like the workers
    where = deal(phones, workers, seed=7)
    # every phone once, each worker's indices 0, 1, 2 … without gaps
    for w in range(workers):
        assert sorted(local for worker, local in where if worker == w) == list(range(phones // 2))
    for t in range(tables):
        at_table = [where[i][0] for i in range(t, phones, tables)]  # phone i sits at i % tables
        assert 15 <= at_table.count(0) <= len(at_table) - 15, (t, at_table.count(0))


@pytest.mark.skipif(not (shutil.which("valgrind") and shutil.which("callgrind_control")),
                    reason="valgrind (with callgrind_control) is not installed")
def test_instruction_counts_come_from_every_dot_of_both_servers(tmp_path):
    """Under callgrind both servers take every dot, the burst's instructions are counted
    per dot (net of what runs by the clock), and ours, which checks and tallies, does
    more a dot than the bare handler."""
    report = run_bench("cpu_instructions.py", "--phones", "6", "--dots", "3", "--idle", "1",
                       tmp_path=tmp_path)
    for name in ("ours", "baseline"):
        side = report[name]
        assert side["dots"] == 6 * 3 and side["refused"] == 0
        # a real dot is about a million instructions; an empty burst of 18 "dots" would
        # still count the collector's and heartbeats' few million, which net takes out
        assert 300_000 < side["instructions_per_dot"] < 50_000_000
        assert 0 < side["instructions_per_dot_net"] < side["instructions_per_dot"]
        assert side["idle_instructions_per_s"] > 0
    assert report["ours"]["tallies"] >= 1 and report["baseline"]["tallies"] is None
    assert report["ratio"] > 1 and report["ratio_net"] > 1
