"""The Ziel- und Maßnahmenkatalog in the session files (DOMAIN.md, seed 004; docs/catalogue.md).

Pure: rows from a snapshot. When the organisers have written the catalogue in the tool
(catalogue page), those rows are the catalogue. Before that, a proposal: the visible needs
and ideas, most dots first, with their origin — problems and "works well" are context, not
measures, and typed statements without a field of action (Leitbild sentences) are not
measures either. The sheet, the per-department files and the report all read `rows()`.
"""

from __future__ import annotations

from ..catalogue_rules import MEASURE_KINDS
from .folder import slug
from .snapshot import Snapshot
from .words import Words, _

COLUMNS = ["Nr", "Handlungsfeld", "Ziel", "Maßnahme", "Zielgruppe", "Ort", "Wer", "Zeithorizont",
           "Umsetzung", "Bemerkungen", "Priorität", "Quelle"]
HORIZONS = {"short": _("short-term"), "medium": _("medium-term"), "long": _("long-term")}
STATUSES = {"not_started": _("not started"), "planned": _("planned"),
            "in_progress": _("in progress"), "done": _("done")}


def rows(snap: Snapshot, words: Words) -> list[dict]:
    """The catalogue's rows in order: {number, theme, goal, measure, target_group, place,
    who, horizon, status, remarks, dots, source}; written rows, else the proposal."""
    if snap.catalogue:
        return _written(snap, words)
    return catalogue(snap, words)


def _written(snap: Snapshot, words: Words) -> list[dict]:
    by_number = {c["number"]: c for c in snap.contributions}
    out = []
    for i, r in enumerate(snap.catalogue, 1):
        origins = [_origin(by_number[n], words) for n in r["sources"] if n in by_number]
        out.append({
            "number": i, "theme": r["field"], "goal": r["goal"], "measure": r["measure"],
            "target_group": r["target_group"], "place": r["place"], "who": r["who"],
            "horizon": words(HORIZONS[r["horizon"]]) if r["horizon"] in HORIZONS else "",
            "status": words(STATUSES.get(r["status"], STATUSES["not_started"])),
            "remarks": r["remarks"], "dots": r["priority"], "source": "; ".join(origins),
        })
    return out


def catalogue(snap: Snapshot, words: Words) -> list[dict]:
    """The proposal before a catalogue is written: visible needs and ideas, most dots
    first (a contribution voted on in several rounds counts all its dots), each with its
    origin; duplicates merged into a card add their own origin to its source."""
    merged: dict[int, list[dict]] = {}
    for c in snap.contributions:
        if c["merged_into"] is not None:
            merged.setdefault(c["merged_into"], []).append(c)
    votes: dict[int, list[str]] = {}
    for rnd in snap.voting_rounds:
        for c in rnd["candidates"]:
            if c["contribution"] and not c["hidden"]:
                votes.setdefault(c["contribution"], []).append(
                    words(_("Voting “%(title)s”, rank %(rank)s"), title=rnd["title"], rank=c["rank"]))
    picked = [c for c in snap.contributions
              if not c["hidden"] and c["merged_into"] is None and c["kind"] in MEASURE_KINDS]
    picked.sort(key=lambda c: (-c["dots"], c["number"]))
    status = words(STATUSES["not_started"])
    return [
        {"number": i, "theme": c["theme"], "goal": "", "measure": c["text"], "target_group": "",
         "place": "", "who": "", "horizon": "", "status": status, "remarks": "", "dots": c["dots"],
         "source": "; ".join(votes.get(c["number"], []) + [
             _origin(x, words) for x in (c, *merged.get(c["number"], []))])}
        for i, c in enumerate(picked, 1)
    ]


def values(r: dict) -> list:
    """A row as the cells of COLUMNS."""
    return [r["number"], r["theme"], r["goal"], r["measure"], r["target_group"], r["place"],
            r["who"], r["horizon"], r["status"], r["remarks"], r["dots"], r["source"]]


def departments(catalogue_rows: list[dict]) -> dict[str, list[dict]]:
    """Rows per responsible department ("Wer"): a row naming several (separated by ";"
    or ",") is in each of their excerpts; rows without one are not handed to anyone."""
    out: dict[str, list[dict]] = {}
    for r in catalogue_rows:
        for who in (w.strip() for w in r["who"].replace(",", ";").split(";")):
            if who:
                out.setdefault(who, []).append(r)
    return out


def department_file(who: str, taken: set[str]) -> str:
    """massnahmen/<slug of the department>.xlsx, unique within the folder."""
    name = slug(who) or "zustaendig"
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}-{n}", n + 1
    taken.add(candidate)
    return f"massnahmen/{candidate}.xlsx"


def _origin(c: dict, words: Words) -> str:
    return words(_("Table %(table)s, round %(round)s, contribution %(number)s"),
                 table=c["table"], round=c["round"], number=c["number"])
