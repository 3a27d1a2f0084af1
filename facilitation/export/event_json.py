"""event.json: the complete event, readable and re-importable (docs/export-format.md)."""

from __future__ import annotations

import io
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
        "process": snap.process,
        "tables": snap.tables,
        "participants": snap.participants,
        "contributions": snap.contributions,
        "voting_rounds": snap.voting_rounds,
        "surveys": snap.surveys,
        "catalogue": snap.catalogue,
        "actions": snap.actions,
        "database": snap.database,
        # Import compares these with what it finds: a cut-off or hand-trimmed file is refused.
        "counts": {name: len(t["rows"]) for name, t in snap.database["tables"].items()},
    }


# How event.json is laid out: "records" = one compact item per line; a dict = its keys one
# per line, laid out as it says ("*" for any key); a one-item list = each item like that.
_LAYOUT = {
    "event": {},
    "process": {},
    "tables": "records",
    "participants": "records",
    "contributions": "records",
    "voting_rounds": [{"candidates": "records", "ranking": None, "dots": "records"}],
    "surveys": [{"questions": "records", "responses": "records"}],
    "catalogue": "records",
    "actions": "records",
    "database": {"tables": {"*": {"rows": "records"}}},
    "counts": {},
}


def render(snap: Snapshot) -> bytes:
    """event.json as UTF-8 bytes: umlauts kept, one contribution, dot or row per line.

    Laid out by hand because json.dumps(indent=…) falls back to the pure-Python encoder
    and takes seconds for a large event; each line here is one call of the C encoder,
    encoded and written at once: a 23 MB file never exists as one str (which would take
    twice that as soon as one text holds a character beyond Latin-1) beside its bytes.
    """
    buf = io.BytesIO()
    _layout(document(snap), _LAYOUT, "", buf.write)
    buf.write(b"\n")
    return buf.getvalue()


# One encoder for every line: json.dumps(…, ensure_ascii=False) builds a new one per call,
# a third of the time for 100,000 short lines.
_compact = json.JSONEncoder(ensure_ascii=False).encode


def _layout(value, how, pad: str, write) -> None:
    """Write value laid out as `how` says (see _LAYOUT), as UTF-8, with write()."""
    inner = pad + " "
    if how == "records" and isinstance(value, list) and value:
        lead = ("\n" + inner).encode()
        write(b"[")
        for i, v in enumerate(value):
            write(b"," + lead if i else lead)
            write(_compact(v).encode())
        write(("\n" + pad + "]").encode())
    elif isinstance(how, list) and isinstance(value, list) and value:
        write(b"[\n")
        for i, v in enumerate(value):
            write((",\n" if i else "").encode() + inner.encode())
            _layout(v, how[0], inner, write)
        write(("\n" + pad + "]").encode())
    elif isinstance(how, dict) and isinstance(value, dict) and value:
        write(b"{\n")
        for i, (k, v) in enumerate(value.items()):
            write(f"{',' + chr(10) if i else ''}{inner}{_compact(k)}: ".encode())
            _layout(v, how.get(k, how.get("*")), inner, write)
        write(("\n" + pad + "}").encode())
    else:
        write(_compact(value).encode())


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) that every event.json we write satisfies."""
    text = resources.files(__package__).joinpath("event.schema.json").read_text("utf-8")
    return json.loads(text)
