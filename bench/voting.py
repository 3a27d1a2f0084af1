"""The voting burst: the console opens a round, phones stick their dots, the projector counts.

Latency of a dot is from the phone's send to the first `tally` on the projector that
shows it (tallies are coalesced: a few per second, each a whole state).
"""

from __future__ import annotations

import asyncio
import importlib.util
import time
from collections import defaultdict
from itertools import pairwise

from stats import dot_visibility, latency_summary

STATEMENTS = [
    "Mehrsprachige Beratung in allen Ämtern", "Sprachkurse mit Kinderbetreuung",
    "Anerkennung ausländischer Abschlüsse beschleunigen", "Interkulturelle Öffnung der Vereine",
    "Bezahlbarer Wohnraum für alle", "Patenschaften zwischen Alt- und Neubürgern",
    "Mehr Ausbildungsplätze für junge Geflüchtete", "Dolmetscherpool für Arztbesuche",
    "Begegnungscafé im Stadtteilzentrum", "Elternarbeit an Schulen stärken",
    "Sportangebote für Mädchen und Frauen", "Ehrenamt besser koordinieren",
]


def available() -> bool:
    """True when this server has dot voting (issue 3)."""
    return importlib.util.find_spec("facilitation.sockets.voting") is not None


async def open_round(console, candidates: int, budget: int, cap: int) -> dict:
    """Create and open a voting round through the console, as a facilitator would."""
    statements = [STATEMENTS[i % len(STATEMENTS)] + ("" if i < len(STATEMENTS) else f" ({i})")
                  for i in range(candidates)]
    ack = await console.client.call("create_voting_round", {
        "title": "Leitbild: Was ist uns am wichtigsten?", "statements": statements,
        "budget": budget, "cap": cap})
    if not ack.get("ok"):
        raise RuntimeError(f"create_voting_round refused: {ack}")
    rnd = ack["round"]
    ack = await console.client.call("open_voting_round", {"round_id": rnd["id"]})
    if not ack.get("ok"):
        raise RuntimeError(f"open_voting_round refused: {ack}")
    await asyncio.sleep(1.0)  # the opening tally and round update reach every phone first
    return {"round_id": rnd["id"], "candidates": [c["id"] for c in rnd["candidates"]]}


def baseline_round(candidates: int) -> dict:
    """The same shape of round for the baseline server, which has no rounds."""
    return {"round_id": 1, "candidates": list(range(1, candidates + 1))}


async def burst(args, workers, projector, who: list[int], rnd: dict) -> dict:
    """Each phone in `who` places args.dots dots within args.vote_window seconds."""
    start = time.monotonic() + 1.0
    parts = workers.split(who)
    answers = await workers.ask([{
        "cmd": "vote", "who": p, "start": start, "window": args.vote_window, "dots": args.dots,
        "candidates": rnd["candidates"], "cap": args.cap, "round_id": rnd["round_id"],
        "timeout": args.timeout} for p in parts])
    await asyncio.sleep(args.settle)  # the last coalesced tally is on its way
    sends = [r for a in answers for r in a]
    accepted = [r for r in sends if r["ok"] and not r.get("duplicate")]
    report = {
        "sent": len(sends), "accepted": len(accepted),
        "errors": _errors(sends),
        "ack_latency": latency_summary(r["acked"] - r["sent"] for r in accepted),
        "sends_per_second": round(len(sends) / args.vote_window, 1),
    }
    if projector is not None:
        report.update(_visibility(accepted, projector.tallies, rnd["round_id"]))
    return report


def _visibility(accepted: list[dict], tallies: list, round_id: int) -> dict:
    """Send→projector latency per dot, from the tallies the projector received."""
    per_candidate: dict[int, list] = defaultdict(list)
    for r in accepted:
        per_candidate[r["candidate"]].append((r["sent"], r["acked"]))
    seen: dict[int, list] = defaultdict(list)
    ticks = 0
    last = None
    arrivals = []
    for at, data in tallies:
        if data.get("round_id") != round_id or data.get("ranking") is None:
            continue
        ticks += 1
        last = data
        arrivals.append(at)
        for entry in data["ranking"]:
            seen[entry["candidate_id"]].append((at, entry["dots"]))
    latencies = []
    for candidate, dots in per_candidate.items():
        latencies += dot_visibility(dots, seen[candidate])
    shown = sum(last["ranking"][i]["dots"] for i in range(len(last["ranking"]))) if last else 0
    return {
        "projector_latency": latency_summary(latencies),
        "shown_on_projector": len(latencies),
        "missing_on_projector": len(accepted) - len(latencies),
        "projector_tallies": ticks,
        # Time between tallies as the projector received them: the coalescing tick plus
        # whatever delayed it (a busy server, a slow tally query).
        "tally_gaps": latency_summary(b - a for a, b in pairwise(
            t for t in arrivals if accepted and t >= min(r["sent"] for r in accepted))),
        "final_tally_dots": shown,
    }


def _errors(results: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for r in results:
        if not r["ok"]:
            counts[r["error"]] = counts.get(r["error"], 0) + 1
    return counts


def stored(store, event: dict, round_id: int) -> dict:
    """How many dots the database holds for the round after the run."""
    rows = store.dot_ledger(event["event_id"], round_id)
    return {"stored": sum(r["delta"] for r in rows)}
