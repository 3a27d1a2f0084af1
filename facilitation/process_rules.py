"""Pure rules of a participation process (Beteiligungsprozess): what a process holds, what
an event created inside it inherits, and which earlier results a later event carries
forward, with their provenance. No database, no Flask (docs/processes.md)."""

from __future__ import annotations

import re

from .errors import AppError
from .rules import MAX_TABLES, clean_join_options, clean_questions, clean_short_text, table_codes

LANGUAGE_CODES = ("de", "de-simple", "en", "tr", "ar", "fa", "uk", "ru")
MAX_CARRY_PER_FIELD = 20
CARRY_SOURCES = ("top_voted", "merged")
CARRY_TARGETS = ("candidates", "briefs")
JOIN_QUESTION = "Zu welcher Gruppe gehören Sie?"
# "p-" and an event-style id (rules.new_event_id): safe in URLs and folder names.
_PROCESS_ID = re.compile(r"^p-[abcdefghjkmnpqrstuvwxyz23456789]{6,8}$")


def valid_process_id(value) -> bool:
    """True for an id this app makes for a process (so an imported one is safe to keep)."""
    return isinstance(value, str) and bool(_PROCESS_ID.match(value))


def clean_fields(fields) -> list[dict]:
    """The process's Handlungsfelder: [{"theme", "questions": [1–5 Leitfragen]}], at most 40."""
    if not isinstance(fields, list) or len(fields) > MAX_TABLES:
        raise AppError("invalid_payload", detail="fields")
    out = []
    for f in fields:
        if isinstance(f, str):
            f = {"theme": f, "questions": []}
        if not isinstance(f, dict):
            raise AppError("invalid_payload", detail="fields")
        questions = f.get("questions") or []
        out.append({
            "theme": clean_short_text(f.get("theme"), "fields: theme", 200),
            "questions": clean_questions(questions) if questions else [],
        })
    if len({f["theme"] for f in out}) != len(out):
        raise AppError("invalid_payload", detail="fields: a theme twice")
    return out


def clean_process(data) -> dict:
    """A process's definition: title, town, fields, target groups, languages."""
    if not isinstance(data, dict):
        raise AppError("invalid_payload", detail="process")
    languages = data.get("languages") or ["de"]
    if not isinstance(languages, list) or any(lang not in LANGUAGE_CODES for lang in languages):
        raise AppError("invalid_payload", detail="languages")
    town = data.get("town")
    return {
        "title": clean_short_text(data.get("title"), "title", 200),
        "town": clean_short_text(town, "town", 120) if town else None,
        "fields": clean_fields(data.get("fields") or []),
        "target_groups": clean_join_options(data.get("target_groups") or []),
        "languages": ["de"] + [lang for lang in dict.fromkeys(languages) if lang != "de"],
    }


def inherited_plan(process: dict, fields: list[str] | None = None) -> dict:
    """What an event created inside the process starts with: one table per Handlungsfeld
    (all, or the chosen `fields` in process order) with its Leitfragen, and the join
    question asking for the process's target groups."""
    chosen = process["fields"]
    if fields is not None:
        unknown = set(fields) - {f["theme"] for f in chosen}
        if unknown:
            raise AppError("invalid_payload", detail="fields: " + ", ".join(sorted(unknown)))
        chosen = [f for f in chosen if f["theme"] in fields]
    codes = table_codes(len(chosen))
    tables = [
        {"code": code, "theme": f["theme"],
         "questions": f["questions"] or ["Was brauchen wir in diesem Handlungsfeld?"]}
        for code, f in zip(codes, chosen, strict=True)
    ]
    groups = process["target_groups"]
    return {
        "tables": tables,
        "join_question": JOIN_QUESTION if groups else None,
        "join_options": list(groups),
    }


def provenance(source_title: str, audience: str | None, dots: int | None,
               merged: int | None = None) -> dict:
    """Where a carried item comes from, as data (the label is made where it is shown)."""
    return {"event": source_title, "audience": audience, "dots": dots, "merged": merged}


def pick_top_voted(candidates: list[dict], per_field: int) -> list[dict]:
    """The best `per_field` candidates per Handlungsfeld (theme; None = no field), by dots,
    ties by earlier position; candidates without dots are never carried.

    candidates: [{"label", "theme", "dots", "position", "event", "audience"}].
    """
    if not 1 <= per_field <= MAX_CARRY_PER_FIELD:
        raise AppError("invalid_payload", detail="per_field (1–20)")
    by_field: dict = {}
    for c in sorted(candidates, key=lambda c: (-c["dots"], c["position"])):
        if c["dots"] <= 0:
            continue
        bucket = by_field.setdefault(c["theme"], [])
        if len(bucket) < per_field:
            bucket.append(c)
    return [c for bucket in by_field.values() for c in bucket]


def dedupe(items: list[dict]) -> list[dict]:
    """Items with the same text (case and spaces ignored) and field once: the one with the
    most dots stays; the others' provenance is kept in its provenance (`also`)."""
    seen: dict = {}
    out = []
    for item in sorted(items, key=lambda i: -(i["provenance"].get("dots") or 0)):
        key = (" ".join(item["text"].casefold().split()), item["theme"])
        if key in seen:
            seen[key]["provenance"].setdefault("also", []).append(item["provenance"])
            continue
        seen[key] = item
        out.append(item)
    return out
