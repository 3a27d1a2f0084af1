"""Pure rules of the Ziel- und Maßnahmenkatalog the organisers write in the tool: its
columns and choices (seed 004, Braunschweig; seed 003, Wetzlar's time horizons), what a
row may hold, and which contributions are proposed as measures (docs/catalogue.md)."""

from __future__ import annotations

import unicodedata

from .errors import AppError
from .rules import _strip_controls

# The Braunschweig catalogue's target groups, offered as choices (free text is allowed too).
TARGET_GROUPS = (
    "Unbegleitete minderjährige Geflüchtete", "Kinder", "Jugendliche", "Erwachsene",
    "Allgemein", "Aufnahmegesellschaft und Institutionen", "Strukturen",
)
HORIZONS = ("short", "medium", "long")
STATUSES = ("not_started", "planned", "in_progress", "done")
TEXT_FIELDS = {"field": 200, "goal": 1000, "measure": 1000, "target_group": 200, "place": 200,
               "who": 200, "remarks": 2000}
MAX_ROWS = 2000
# Needs and ideas are the stuff of measures; problems and "works well" are context.
MEASURE_KINDS = ("need", "idea")
CONTEXT_KINDS = ("problem", "works_well")


def clean_cell(value, field: str) -> str:
    """A text cell: line breaks kept (a measure may have several lines), trimmed, limited."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise AppError("invalid_payload", detail=field)
    value = _strip_controls(unicodedata.normalize("NFC", value)).strip()
    if len(value) > TEXT_FIELDS[field]:
        raise AppError("text_too_long", limit=TEXT_FIELDS[field])
    return value


def clean_changes(changes) -> dict:
    """The cleaned changes of a row: text cells, horizon, status, priority, sources."""
    if not isinstance(changes, dict) or not changes:
        raise AppError("invalid_payload", detail="changes")
    out = {}
    for key, value in changes.items():
        if key in TEXT_FIELDS:
            out[key] = clean_cell(value, key)
        elif key == "horizon":
            if value not in (*HORIZONS, None, ""):
                raise AppError("invalid_payload", detail="horizon")
            out[key] = value or None
        elif key == "status":
            if value not in STATUSES:
                raise AppError("invalid_payload", detail="status")
            out[key] = value
        elif key == "priority":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 0 <= value <= 1_000_000):
                raise AppError("invalid_payload", detail="priority")
            out[key] = value
        elif key == "sources":
            out[key] = clean_sources(value)
        else:
            raise AppError("invalid_payload", detail=key)
    return out


def clean_sources(value) -> list[int]:
    """Contribution ids a row came from: distinct positive integers, in the given order."""
    if not isinstance(value, list) or len(value) > 500 or any(
            isinstance(i, bool) or not isinstance(i, int) or i < 1 for i in value):
        raise AppError("invalid_payload", detail="sources")
    return list(dict.fromkeys(value))


def proposals(contributions: list[dict], used: set[int]) -> tuple[list[dict], list[dict]]:
    """(proposed measures, context): visible needs and ideas not yet in a row, most dots
    first; problems and "works well" as context to read beside them, per field of action.
    A duplicate merged into another card is part of that card, never proposed itself."""
    visible = [c for c in contributions if not c["hidden"] and c.get("merged_into") is None]
    proposed = sorted((c for c in visible if c["kind"] in MEASURE_KINDS and c["id"] not in used),
                      key=lambda c: (-(c.get("dots") or 0), c["id"]))
    context = [c for c in visible if c["kind"] in CONTEXT_KINDS]
    return proposed, context


def joined(a: dict, b: dict) -> dict:
    """Two rows joined into one: texts that differ are kept both (one per line), sources
    and dots added, the first row's choices kept where it has them."""
    out = {}
    for key in TEXT_FIELDS:
        x, y = a.get(key) or "", b.get(key) or ""
        out[key] = x if not y or y == x else (y if not x else f"{x}\n{y}")[:TEXT_FIELDS[key]]
    out["horizon"] = a.get("horizon") or b.get("horizon")
    out["status"] = a["status"] if a.get("status") != "not_started" else b.get("status", "not_started")
    out["sources"] = list(dict.fromkeys([*a.get("sources", []), *b.get("sources", [])]))
    if a.get("priority") is not None or b.get("priority") is not None:
        out["priority"] = (a.get("priority") or 0) + (b.get("priority") or 0)
    return out
