"""Reading an event.json back: `facilitation import FILE` recreates the event.

`read_session_file` checks, without touching the database, that the file is ours, not
from a newer version and complete; `import_session` then hands its `database` section to
the store, which writes it in one transaction. Any refusal is an AppError with a
message that says what is wrong, and leaves the database as it was.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .errors import AppError
from .export.snapshot import FORMAT, SCHEMA_VERSION

if TYPE_CHECKING:  # for type hints only: no import of the store at run time
    from .store import Store

MAX_FILE_BYTES = 512 * 1024 * 1024  # a session file of 100,000 contributions is ~100 MB


def _bad(detail: str) -> AppError:
    return AppError("invalid_session_file", detail=detail)


def read_session_file(raw: bytes) -> dict:
    """The parsed event.json, or AppError saying why it cannot be imported."""
    if len(raw) > MAX_FILE_BYTES:
        raise _bad("the file is too large")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _bad("it is not a text file (not UTF-8); choose the event.json of a session folder"
                   ) from None
    if not text.strip():
        raise _bad("the file is empty")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        # Our files name their format first: one that does and still does not parse was
        # cut off (an interrupted copy or download) or damaged.
        if f'"format": "{FORMAT}"' in text[:200]:
            raise _bad(f"the file is incomplete or damaged (it ends after {len(raw)} bytes); "
                       "export the event again") from None
        raise _bad(f"it is not a session file (not JSON: line {exc.lineno})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(f'it is not a session file of facilitation (no "format": "{FORMAT}")')
    version = doc.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad('"schema_version" is missing')
    if version > SCHEMA_VERSION:
        raise AppError("session_file_too_new",
                       detail=f"schema_version {version}; this version reads {SCHEMA_VERSION}")
    database = doc.get("database")
    if not isinstance(database, dict) or not isinstance(database.get("tables"), dict):
        raise _bad('the "database" section is missing')
    counts = doc.get("counts")
    if not isinstance(counts, dict):
        raise _bad('the "counts" section is missing')
    for name, data in database["tables"].items():
        if (not isinstance(data, dict) or not isinstance(data.get("columns"), list)
                or not isinstance(data.get("rows"), list)
                or not all(isinstance(c, str) for c in data["columns"])):
            raise _bad(f"database table {name} is malformed")
        if counts.get(name) != len(data["rows"]):
            raise _bad(f"the file is incomplete: {name} has {len(data['rows'])} of "
                       f"{counts.get(name)} rows")
    missing = sorted(set(counts) - set(database["tables"]))
    if missing:
        raise _bad("the file is incomplete: " + ", ".join(missing) + " missing")
    return doc


def check_migrations(doc: dict, known: list[str]) -> None:
    """Refuse a file whose database had migrations this version does not know."""
    newer = sorted(set(doc["database"].get("migrations") or []) - set(known))
    if newer:
        raise AppError("session_file_too_new", detail="database " + ", ".join(newer))


def import_session(store: Store, raw: bytes) -> dict:
    """Recreate the event of an event.json in store; returns the new event."""
    doc = read_session_file(raw)
    check_migrations(doc, store.applied_migrations())
    event_id = store.import_database(doc["database"])
    store.link_imported_process(event_id, doc.get("process"))
    return store.get_event(event_id)
