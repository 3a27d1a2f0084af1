"""Store verbs that read a whole event for export: schema-driven, so new tables come along.

Every table that belongs to an event (a column `event_id`, or a foreign key to a table
that belongs to an event, at any depth) is found from the database's own schema, read
inside ONE read transaction, renumbered (integer ids become 1, 2, 3 … per table, foreign
keys translated) and stripped of columns that identify a device or grant access. The
result is the `database` section of event.json; `importing.py` writes it back.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable

from ..errors import AppError
from .events import JSON_ID_LISTS, remap_action_detail, remap_id_list

log = logging.getLogger(__name__)

# sqlite-utils' migration ledger: server bookkeeping, not event data.
# Processes group events; an event's export carries its process in a readable section of
# its own (event.json "process"), from which import recreates it (store/processes.py).
NOT_EVENT_DATA = {"_sqlite_migrations", "processes"}

# Columns that identify a device or open a console/host view never leave the server:
# device hashes, facilitator/host keys, tokens, and the phones' idempotency keys.
_SECRET = re.compile(r"(^|_)(hash|token|secret|password|device)(_|$)|_key$|^client_id$")
# Secrets whose column name does not say so: a voting ticket's code lets one vote; the
# name or number a table host wrote for a person without a phone (issue 12) may be a
# first name, and participants stay anonymous in every file; where a device came from
# (a keyed hash of its address, issue 13) is personal data and stays too.
_SECRET_COLUMNS = {("voting_tickets", "code"), ("participants", "host_label"),
                   ("participants", "address_tag")}


def is_secret_column(table: str, column: str) -> bool:
    """True for a column whose values must never appear in an export."""
    return (table, column) in _SECRET_COLUMNS or bool(_SECRET.search(column))


@dataclasses.dataclass
class TableShape:
    """What export and import need to know about one table of the schema."""

    name: str
    columns: list[str]
    notnull_no_default: set[str]
    id_column: str | None  # the INTEGER PRIMARY KEY that is renumbered, if any
    foreign_keys: dict[str, tuple[str, str]]  # column -> (table, column)
    where: str  # SQL condition selecting the event's rows, with one ? for the event id
    parents: set[str]

    @property
    def exported_columns(self) -> list[str]:
        """The columns that go into the export (secrets left out)."""
        return [c for c in self.columns if not is_secret_column(self.name, c)]


class ExportMixin:
    """Read everything an event consists of, consistently, for the session folder."""

    def on_event_closed(self, callback: Callable[[str], None]) -> None:
        """Call callback(event_id) each time an event is closed, after the commit."""
        self.__dict__.setdefault("_closed_callbacks", []).append(callback)

    def event_closed(self, event_id: str) -> None:
        """Tell the callbacks that an event was closed; one that fails is logged, not raised.

        Closing must never fail because of what happens after it (an export to a full
        disk, say): the close is committed already and the facilitator sees it.
        """
        for callback in self.__dict__.get("_closed_callbacks", []):
            try:
                callback(event_id)
            except Exception:
                log.exception("after closing event %s", event_id)

    def schema_tables(self) -> list[str]:
        """Every table of the database except SQLite's own and FTS shadow tables."""
        rows = self.rows(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        virtual = {r["name"] for r in rows if (r["sql"] or "").upper().startswith("CREATE VIRTUAL")}
        # FTS shadow tables (x_data, x_idx, …) belong to a virtual table, not to an event.
        return [
            r["name"] for r in rows
            if r["name"] not in virtual and not any(r["name"].startswith(v + "_") for v in virtual)
        ]

    def event_table_shapes(self) -> tuple[list[TableShape], list[str]]:
        """(the event's tables parents first, the tables that are not linked to events)."""
        with self.read():
            names = [n for n in self.schema_tables() if n not in NOT_EVENT_DATA]
            info = {n: self._table_info(n) for n in names}
        linked = {n for n, (cols, *_rest) in info.items() if n == "events" or "event_id" in cols}
        changed = True
        while changed:  # linked through a foreign key to a linked table, at any depth
            changed = False
            for name, (_cols, _notnull, _pk, fks) in info.items():
                if name not in linked and any(t in linked for t, _ in fks.values()):
                    linked.add(name)
                    changed = True
        shapes: dict[str, TableShape] = {}
        for name in sorted(linked):
            cols, notnull, pk, fks = info[name]
            parents = {t for t, _ in fks.values() if t in linked and t != name}
            where = self._where(name, info, linked, ())
            shapes[name] = TableShape(name, cols, notnull, pk, fks, where, parents)
        ordered: list[TableShape] = []
        while len(ordered) < len(shapes):
            done = {s.name for s in ordered}
            ready = [s for n, s in shapes.items() if n not in done and s.parents <= done]
            # A cycle of references: take the rest as they come (import defers the checks).
            ordered.extend(ready or [s for n, s in shapes.items() if n not in done])
        unlinked = sorted(set(info) - set(shapes))
        return ordered, unlinked

    def _table_info(self, name: str):
        cols, notnull, pks = [], set(), []
        for c in self.db.execute(f'PRAGMA table_info("{name}")').fetchall():
            _, col, ctype, is_notnull, default, pk = c
            cols.append(col)
            if is_notnull and default is None:
                notnull.add(col)
            if pk:
                pks.append((col, (ctype or "").upper()))
        fks = {
            row[3]: (row[2], row[4] or "id")
            for row in self.db.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()
        }
        # Only a table's own integer id is renumbered; a primary key that is a reference
        # (one row per contribution, say) follows the row it refers to.
        pk = pks[0][0] if len(pks) == 1 and pks[0][1] == "INTEGER" else None
        if pk in fks:
            pk = None
        return cols, notnull, pk, fks

    def _where(self, name: str, info: dict, linked: set, seen: tuple) -> str:
        """The SQL condition selecting the event's rows of a table (one ? per use)."""
        cols, notnull, _pk, fks = info[name]
        if name == "events":
            return "id = ?"
        if "event_id" in cols:
            return "event_id = ?"
        links = [
            (col, t, ref) for col, (t, ref) in fks.items()
            if t in linked and t != name and t not in seen
        ]
        # A NOT NULL link finds every row; nullable ones are OR-ed together.
        links.sort(key=lambda x: (x[0] not in notnull, x[0]))
        parts = []
        for col, table, ref in links:
            inner = self._where(table, info, linked, seen + (name,))
            parts.append(f'"{col}" IN (SELECT "{ref}" FROM "{table}" WHERE {inner})')
            if col in notnull:
                break
        return "(" + " OR ".join(parts) + ")" if parts else "0"

    def applied_migrations(self) -> list[str]:
        """The names of the schema migrations this database has, in name order."""
        with self.read():
            if "_sqlite_migrations" not in self.schema_tables():
                return []
            return [
                r["name"] for r in self.rows(
                    "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY name",
                    ["facilitation"],
                )
            ]

    def export_database(self, event_id: str) -> dict:
        """The `database` section: every event table's rows, renumbered, without secrets.

        Call inside read() so it matches whatever else the caller reads.
        """
        shapes, _ = self.event_table_shapes()
        with self.read():
            if self.row("SELECT 1 FROM events WHERE id = ?", [event_id]) is None:
                raise AppError("unknown_event")
            numbering: dict[str, dict[int, int]] = {}
            tables = {}
            for shape in shapes:
                # Plain tuples of the exported columns (+ the id), straight from the
                # cursor: dicts of every column cost twice the time for 60,000 rows.
                cols = shape.exported_columns
                select = cols + ([shape.id_column] if shape.id_column
                                 and shape.id_column not in cols else [])
                listed = ", ".join(f'"{c}"' for c in select) or "rowid"
                rows = self.db.conn.execute(
                    f'SELECT {listed} FROM "{shape.name}" WHERE {shape.where} ORDER BY rowid',
                    [event_id] * shape.where.count("?"),
                ).fetchall()
                if shape.id_column:
                    at = select.index(shape.id_column)
                    numbering[shape.name] = {r[at]: i for i, r in enumerate(rows, 1)}
                tables[shape.name] = (shape, rows)
            out = {}
            for name, (shape, rows) in tables.items():
                cols = shape.exported_columns
                maps = {
                    col: numbering.get(t) for col, (t, ref) in shape.foreign_keys.items()
                    if col in cols and t in numbering and ref == tables[t][0].id_column
                }
                if shape.id_column:
                    maps[shape.id_column] = numbering[name]
                out[name] = {"columns": cols, "rows": _renumbered(rows, cols, maps)}
                if name == "actions" and {"action", "detail"} <= set(cols):
                    _renumber_action_ids(out[name], numbering)
                for (table, col), target in JSON_ID_LISTS.items():
                    if table == name and col in cols:
                        at = cols.index(col)
                        for row in out[name]["rows"]:
                            row[at] = remap_id_list(row[at], target,
                                                    lambda t, old: numbering.get(t, {}).get(old))
            migrations = self.applied_migrations()
        return {"migrations": migrations, "tables": out, "numbering": numbering}

    def export_snapshot_rows(self, event_id: str) -> dict:
        """Everything an export needs, read in ONE transaction.

        Returns the `database` section (with the internal `numbering`: database id →
        export number per table) and, where the voting store verbs exist, the voting
        rounds as they return them (database ids). The dot ledger is not read again: the
        snapshot makes it from the section's `dots` and `participants`.
        """
        with self.read():
            section = self.export_database(event_id)
            section["event"] = self.get_event(event_id)
            pid = section["event"].get("process_id")
            section["process"] = None
            if pid and self.row("SELECT 1 FROM processes WHERE id = ?", [pid]):
                process = self.get_process(pid)
                section["process"] = {k: process[k] for k in (
                    "id", "title", "town", "fields", "target_groups", "languages")}
            section["voting_rounds"] = (
                self.voting_rounds(event_id, with_hidden=True)
                if hasattr(self, "voting_rounds") else []
            )
        return section


def _renumber_action_ids(section: dict, numbering: dict[str, dict[int, int]]) -> None:
    """The ids inside the actions' details, renumbered like the rows they name."""
    action, detail = section["columns"].index("action"), section["columns"].index("detail")
    for row in section["rows"]:
        row[detail] = remap_action_detail(
            row[action], row[detail], lambda table, old: numbering.get(table, {}).get(old))


def _renumbered(rows: list[tuple], cols: list[str], maps: dict[str, dict | None]) -> list[list]:
    """Each row as a list of its exported columns, ids translated by `maps` (column → old
    id → export number; a value without a number stays as it was)."""
    width = len(cols)
    mapped = [(cols.index(c), m) for c, m in maps.items() if m is not None and c in cols]
    out = []
    for r in rows:
        row = list(r[:width])
        for i, mapping in mapped:
            value = row[i]
            if value is not None:
                row[i] = mapping.get(value, value)
        out.append(row)
    return out
