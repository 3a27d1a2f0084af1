"""Reading an event.json back: `facilitation import FILE` recreates the event.

`read_session_file` checks, without touching the database, that the file is ours, not
from a newer version and complete; `import_session` then hands its `database` section to
the store, which writes it in one transaction. Any refusal is an AppError with a
message that says what is wrong, and leaves the database as it was.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from . import rules
from .errors import AppError
from .export.snapshot import FORMAT, SCHEMA_VERSION

if TYPE_CHECKING:  # for type hints only: no import of the store at run time
    from .store import Store

MAX_FILE_BYTES = 512 * 1024 * 1024  # a session file of 100,000 contributions is ~100 MB

# What the app itself would accept, per column; any other text is bounded by MAX_OTHER.
# A file may hold texts stored before a limit was lowered: the margin allows for that,
# not for a 1 MB contribution.
TEXT_LIMITS = {
    ("events", "title"): 200, ("events", "date"): 40, ("events", "join_question"): 200,
    ("tables", "theme"): 200, ("tables", "questions"): 4000,
    ("contributions", "text"): rules.MAX_TEXT, ("impulses", "text"): rules.MAX_TEXT,
    ("voting_rounds", "title"): 200, ("voting_candidates", "label"): rules.MAX_TEXT,
    ("voting_candidates", "theme"): 200, ("participants", "target_group"): 200,
}
MAX_OTHER = 200_000  # a survey definition in seven languages stays far below it
# Event ids as the app makes them (rules.new_event_id, the demo's) and as URLs and folder
# names can carry them: no slash, no dot, nothing a path could climb out with.
EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


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
    except RecursionError:
        raise _bad("it is nested too deeply to be a session file") from None
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
    check_contents(database)
    return doc


def _limit(table: str, column: str) -> int:
    return TEXT_LIMITS.get((table, column), MAX_OTHER)


def check_contents(database: dict) -> None:
    """Refuse what the app would never have stored: an event id or table code outside
    its rules, a text far beyond its limit. Then apply the input rule to every text
    (characters no export can carry are removed), in place."""
    for name, data in database["tables"].items():
        columns = data["columns"]
        for n, row in enumerate(data["rows"]):
            if not isinstance(row, list) or len(row) != len(columns):
                raise _bad(f"{name} row {n + 1} does not match its columns")
            for i, column in enumerate(columns):
                value = row[i]
                if isinstance(value, str):
                    if len(value) > _limit(name, column):
                        raise _bad(f"{name}.{column} row {n + 1} is longer than "
                                   f"{_limit(name, column)} characters")
                    row[i] = rules.printable(value)
                elif isinstance(value, float) and value != value:  # NaN
                    raise _bad(f"{name}.{column} row {n + 1}")
            record = dict(zip(columns, row, strict=True))
            if name == "events" and not (isinstance(record.get("id"), str)
                                         and EVENT_ID.match(record["id"])):
                raise _bad("the event id may hold only letters, digits, '-' and '_'")
            if name == "tables":
                try:
                    if rules.clean_code(record.get("code")) != record.get("code"):
                        raise AppError("invalid_payload", detail="code")
                except AppError:
                    raise _bad(f"table row {n + 1} has a short name the app does not allow"
                               ) from None


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
