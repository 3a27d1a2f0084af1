"""event.json: the complete event, readable and re-importable (docs/export-format.md)."""

from __future__ import annotations

import json
from importlib import resources

from .snapshot import FORMAT, SCHEMA_VERSION, Snapshot


def document(snap: Snapshot) -> dict:
    """The event.json document as a dict (readable parts first, then `database`)."""
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": snap.exported_at,
        "generator": snap.generator,
        "event": snap.event,
        "tables": snap.tables,
        "participants": snap.participants,
        "contributions": snap.contributions,
        "voting_rounds": snap.voting_rounds,
        "actions": snap.actions,
        "database": snap.database,
        # Import compares these with what it finds: a cut-off or hand-trimmed file is refused.
        "counts": {name: len(t["rows"]) for name, t in snap.database["tables"].items()},
    }


def render(snap: Snapshot) -> bytes:
    """event.json as UTF-8 bytes (umlauts kept readable, one field per line)."""
    return json.dumps(document(snap), ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) that every event.json we write satisfies."""
    text = resources.files(__package__).joinpath("event.schema.json").read_text("utf-8")
    return json.loads(text)
