"""What each audience sees of dot voting: public rounds, tallies per audience, ticket counts.

Phones never see a tally (no bandwagon from the phone in your hand), only their own
dots; the projector sees the ranking unless the round hides counts until it closes;
the console sees everything, including the dots per target group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import tally as arithmetic

if TYPE_CHECKING:  # for type hints only: no import of the store at run time
    from .store import Store


def public_round(rnd: dict, final_counts: dict[int, int] | None = None) -> dict:
    """A voting round as phones and the projector see it: no withdrawn candidates.

    Given the final counts of a closed round, it carries its `result` (the ranking of
    the visible candidates): once the dots are frozen there is no bandwagon to avoid,
    and everyone can take the room's priorities home on their phone.
    """
    out = {k: v for k, v in rnd.items() if k not in ("candidates", "created_at")}
    out["candidates"] = [
        {k: v for k, v in c.items() if k != "hidden"}
        for c in rnd["candidates"]
        if not c.get("hidden")
    ]
    if rnd["status"] == "closed" and final_counts is not None:
        out["result"] = arithmetic.ranking(final_counts, [c["id"] for c in out["candidates"]])
    return out


def phone_round(store: Store, event_id: str, rnd: dict) -> dict:
    """The public round for phones: with its result once it is closed."""
    closed = rnd["status"] == "closed"
    return public_round(rnd, store.final_counts(event_id, rnd) if closed else None)


def current_round(rounds: list[dict]) -> dict | None:
    """The round phones show: the open one, else the one closed last, else None."""
    for rnd in rounds:
        if rnd["status"] == "open":
            return rnd
    closed = [r for r in rounds if r["status"] == "closed"]
    return max(closed, key=lambda r: (r["closed_at"] or "", r["id"])) if closed else None


def _tally_head(rnd: dict, summary: arithmetic.Summary, counts: dict[int, int]) -> dict:
    """What every `tally` says: the round and its state, voters (all dots), dots shown.

    `seq` is the newest ledger row counted: with several server processes, tallies can
    arrive out of order, and a client keeps the one with the higher seq."""
    return {
        "round_id": rnd["id"],
        "status": rnd["status"],
        "hide_counts": rnd["hide_counts"],
        "seq": summary.seq,
        "voters": summary.voters,
        "dots": sum(counts.values()),
    }


def projector_tally(rnd: dict, summary: arithmetic.Summary) -> dict:
    """The `tally` message for the projector: ranking of visible candidates, or none
    while the round is open and hides its counts."""
    visible = [c["id"] for c in rnd["candidates"] if not c.get("hidden")]
    shown = set(visible)
    counts = {c: n for c, n in summary.counts.items() if c in shown}
    secret = rnd["hide_counts"] and rnd["status"] == "open"
    return {**_tally_head(rnd, summary, counts),
            "ranking": None if secret else arithmetic.ranking(counts, visible)}


def console_tally(rnd: dict, summary: arithmetic.Summary, groups: list[str]) -> dict:
    """The `tally` message for consoles: every candidate, and dots per target group."""
    ids = [c["id"] for c in rnd["candidates"]]
    return {
        **_tally_head(rnd, summary, summary.counts),
        "ranking": arithmetic.ranking(summary.counts, ids),
        "groups": list(groups),
        "by_group": {
            str(cid): {("" if g is None else g): n for g, n in per.items()}
            for cid, per in summary.by_group.items()
        },
    }


def ticket_summary(tickets: list[dict]) -> dict:
    """How many ticket codes an event has and how many are redeemed (the console's count)."""
    return {"total": len(tickets), "redeemed": sum(t["redeemed"] for t in tickets)}


def my_dots(store: Store, event_id: str, rnd: dict, participant_id: int) -> dict:
    """A device's dots in a round, and whether its budget is unlocked."""
    state = store.my_dots(event_id, rnd["id"], participant_id)
    unlocked = not rnd["require_ticket"] or store.has_ticket(event_id, participant_id)
    return {**state, "unlocked": unlocked}
