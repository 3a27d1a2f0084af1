"""The measures catalogue, pre-filled: ideas and voted items, ranked by their dots.

Pure: a list of rows from a snapshot. The organiser completes Ziel, Zielgruppe, Ort,
Wer and Umsetzung afterwards, as in the real catalogues (DOMAIN.md, seed 004).
"""

from __future__ import annotations

from .snapshot import Snapshot
from .words import Words, _


def catalogue(snap: Snapshot, words: Words) -> list[dict]:
    """Rows with theme, measure, dots and source, most dots first.

    Every visible candidate of a voting round is a row (a contribution voted on in
    several rounds is one row with its dots added up); every visible idea that was not
    voted on follows with 0 dots. Duplicates merged into a contribution add their own
    origin to its source. Ties keep the order in which things were written.
    """
    rows: dict[tuple, dict] = {}
    for rnd in snap.voting_rounds:
        for c in rnd["candidates"]:
            if c["hidden"]:
                continue
            key = ("c", c["contribution"]) if c["contribution"] else ("s", rnd["number"], c["number"])
            row = rows.setdefault(key, {
                "theme": c["theme"] or "", "measure": c["label"], "dots": 0, "sources": [],
                "order": (0, rnd["number"], c["position"]),
            })
            row["dots"] += c["dots"]
            row["sources"].append(
                words(_("Voting “%(title)s”, rank %(rank)s"), title=rnd["title"], rank=c["rank"])
            )
    merged: dict[int, list[dict]] = {}  # duplicates merged into a contribution: its sources too
    for c in snap.contributions:
        if c["merged_into"] is not None:
            merged.setdefault(c["merged_into"], []).append(c)
    for c in snap.contributions:
        if c["hidden"]:
            continue
        key = ("c", c["number"])
        origins = [_origin(x, words) for x in (c, *merged.get(c["number"], []))]
        if key in rows:
            rows[key]["sources"].extend(origins)
        elif c["kind"] == "idea":
            rows[key] = {"theme": c["theme"], "measure": c["text"], "dots": c["dots"],
                         "sources": origins, "order": (1, c["number"], 0)}
    ordered = sorted(rows.values(), key=lambda r: (-r["dots"], r["order"]))
    return [
        {"number": i, "theme": r["theme"], "measure": r["measure"], "dots": r["dots"],
         "source": "; ".join(r["sources"])}
        for i, r in enumerate(ordered, 1)
    ]


def _origin(c: dict, words: Words) -> str:
    return words(_("Table %(table)s, round %(round)s, contribution %(number)s"),
                 table=c["table"], round=c["round"], number=c["number"])
