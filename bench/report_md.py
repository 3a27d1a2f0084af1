"""Results of run_all.py as the Markdown of docs/performance.md: one column per run.

    python bench/report_md.py bench/results/RUN1.json bench/results/RUN2.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _get(d, *path):
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _lat(d: dict | None) -> str:
    if not d or d.get("p50_ms") is None:
        return "–"
    return f"{d['p50_ms']} / {d['p95_ms']} / {d['p99_ms']} / {d['max_ms']}"


DETAILS = [
    ("phones connected / failed", lambda r: f"{_get(r, 'load', 'ours', 'connect', 'connected')}"
     f" / {_get(r, 'load', 'ours', 'connect', 'failed')}"),
    ("connect: seconds for all, server CPU per phone",
     lambda r: f"{_get(r, 'load', 'ours', 'connect', 'seconds')} s, "
     f"{_get(r, 'load', 'ours', 'connect', 'server_cpu_ms_per_connect')} ms"),
    ("server RSS after connect / peak", lambda r: f"{_get(r, 'load', 'ours', 'rss_after_connect_mb')}"
     f" / {_get(r, 'load', 'ours', 'peak_rss_mb')} MB"),
    ("server CPU of the idle hall (heartbeats)",
     lambda r: f"{_get(r, 'load', 'ours', 'idle_cpu_percent')} % of a core"),
    ("contributions sent / acked / stored / on projector",
     lambda r: " / ".join(str(_get(r, "load", "ours", "contributions", k)) for k in
                          ("sent", "acknowledged", "stored", "shown_on_projector"))),
    ("contribution send→projector p50 / p95 / p99 / max (ms)",
     lambda r: _lat(_get(r, "load", "ours", "contributions", "projector_latency"))),
    ("contribution send→ack p50 / p95 / p99 / max (ms)",
     lambda r: _lat(_get(r, "load", "ours", "contributions", "ack_latency"))),
    ("server CPU per contribution, ours / baseline (net)",
     lambda r: f"{_get(r, 'load', 'ours', 'contributions', 'server_cpu_ms_per_write_net')} / "
     f"{_get(r, 'load', 'baseline', 'contributions', 'server_cpu_ms_per_write_net')} ms "
     f"= {_get(r, 'load', 'overhead', 'contributions')}×"),
    ("dots sent / accepted / stored / final tally",
     lambda r: " / ".join(str(_get(r, "load", "ours", "dots", k)) for k in
                          ("sent", "accepted", "stored", "final_tally_dots"))),
    ("dot errors", lambda r: str(_get(r, "load", "ours", "dots", "errors"))),
    ("dot send→projector p50 / p95 / p99 / max (ms)",
     lambda r: _lat(_get(r, "load", "ours", "dots", "projector_latency"))),
    ("dot send→ack p50 / p95 / p99 / max (ms)",
     lambda r: _lat(_get(r, "load", "ours", "dots", "ack_latency"))),
    ("time between tallies p50 / p95 / p99 / max (ms)",
     lambda r: _lat(_get(r, "load", "ours", "dots", "tally_gaps"))),
    ("server CPU per dot, ours / baseline (net)",
     lambda r: f"{_get(r, 'load', 'ours', 'dots', 'server_cpu_ms_per_write_net')} / "
     f"{_get(r, 'load', 'baseline', 'dots', 'server_cpu_ms_per_write_net')} ms "
     f"= {_get(r, 'load', 'overhead', 'dots')}×"),
    ("server / load generator CPU during the voting burst",
     lambda r: f"{_get(r, 'load', 'ours', 'dots', 'server_cpu_percent')} % / "
     f"{_get(r, 'load', 'ours', 'dots', 'generator_cpu_percent')} % of one core"),
    ("baseline: dot send→ack p50 / p95 / p99 / max (ms)",
     lambda r: _lat(_get(r, "load", "baseline", "dots", "ack_latency"))),
    ("baseline: peak RSS", lambda r: f"{_get(r, 'load', 'baseline', 'peak_rss_mb')} MB"),
    ("storm: server back up after (restart)",
     lambda r: f"{_get(r, 'storm', 'restart_seconds')} s"),
    ("storm: resynced / phones, reconnect attempts",
     lambda r: f"{_get(r, 'storm', 'resynced')} / {_get(r, 'storm', 'phones')}, "
     f"{_get(r, 'storm', 'attempts')}"),
    ("storm: resynced after server up p50 / p95 / p99 / max (ms)",
     lambda r: _lat(_get(r, "storm", "after_up"))),
    ("storm: server CPU, peak RSS",
     lambda r: f"{_get(r, 'storm', 'server_cpu_s_during_storm')} s, "
     f"{_get(r, 'storm', 'peak_rss_mb')} MB"),
    ("page: transferred / uncompressed",
     lambda r: f"{_get(r, 'page_weight', 'transferred_kb')} / "
     f"{_get(r, 'page_weight', 'uncompressed_kb')} KB"),
    ("load average at start", lambda r: str(_get(r, "machine", "load_average_at_start"))),
]


def render(runs: list[dict]) -> str:
    """The summary (targets) and the details, one column per run."""
    heads = [f"run {i + 1} ({r['started']})" for i, r in enumerate(runs)]
    out = ["### Targets", "", "| target | goal | " + " | ".join(heads) + " |",
           "|---|---|" + "---|" * len(runs)]
    for i, row in enumerate(runs[0]["summary"]):
        cells = []
        for r in runs:
            s = r["summary"][i]
            cells.append(f"{s['measured']} {'✔' if s['met'] else '**✘**'}")
        out.append(f"| {row['target']} | {row['goal']} | " + " | ".join(cells) + " |")
    out += ["", "### Details", "", "| figure | " + " | ".join(heads) + " |",
            "|---|" + "---|" * len(runs)]
    for name, fn in DETAILS:
        out.append(f"| {name} | " + " | ".join(fn(r) for r in runs) + " |")
    return "\n".join(out)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("results", nargs="+", type=Path)
    args = p.parse_args(argv)
    print(render([json.loads(f.read_text()) for f in args.results]))


if __name__ == "__main__":
    main()
