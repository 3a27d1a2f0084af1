"""Store verb that recreates an event from the `database` section of an event.json.

One write transaction: either the whole event is there afterwards, or nothing is.
Ids are remapped (each renumbered table's ids are shifted past the ones in use), the
event keeps its id unless that is taken, and the secrets that were never exported
(device hashes, console and host keys) are made up anew, so no device of the original
event is recognised and the old console links do not open the copy.
"""

from __future__ import annotations

import secrets

from ..errors import AppError
from ..rules import new_event_id
from .events import JSON_ID_LISTS, remap_action_detail, remap_id_list
from .export import is_secret_column


def _bad(detail: str) -> AppError:
    return AppError("invalid_session_file", detail=detail)


class ImportMixin:
    """Recreate an exported event in this database."""

    def import_database(self, database: dict) -> str:
        """Insert every row of an exported event; returns the new event's id.

        `database` is event.json's `database` section, already checked for shape by
        `session_import.read_session_file`. Raises AppError and changes nothing when a
        table, a column or a reference does not fit this database.
        """
        shapes, _ = self.event_table_shapes()
        by_name = {s.name: s for s in shapes}
        tables = database["tables"]
        unknown = sorted(set(tables) - set(by_name))
        if unknown:
            raise AppError("session_file_too_new", detail="tables " + ", ".join(unknown))
        for name, data in tables.items():
            extra = [c for c in data["columns"] if c not in by_name[name].columns]
            if extra:
                raise AppError("session_file_too_new", detail=f"{name}: " + ", ".join(extra))
        event_rows = tables.get("events", {}).get("rows", [])
        if len(event_rows) != 1:
            raise _bad("exactly one event is expected")
        old_id = dict(zip(tables["events"]["columns"], event_rows[0], strict=False)).get("id")
        if not isinstance(old_id, str) or not old_id:
            raise _bad("the event has no id")
        with self.write() as db:
            conn = db.conn
            # References may point forwards (a row merged into a later one); checked below.
            conn.execute("PRAGMA defer_foreign_keys = ON")
            new_id = old_id
            while self.row("SELECT 1 FROM events WHERE id = ?", [new_id]):
                new_id = new_event_id()
            offsets = {
                s.name: self.row(f'SELECT coalesce(max("{s.id_column}"), 0) AS m FROM "{s.name}"')["m"]
                for s in shapes if s.id_column
            }
            for shape in shapes:
                data = tables.get(shape.name)
                if data:
                    self._insert_rows(shape, data, offsets, by_name, old_id, new_id)
            # Files from before card numbers (issue 12): number the cards in arrival order.
            conn.execute(
                "UPDATE contributions SET number = r.n FROM (SELECT id, row_number() OVER"
                " (ORDER BY id) AS n FROM contributions WHERE event_id = ?) AS r"
                " WHERE r.id = contributions.id AND contributions.number IS NULL", [new_id])
            for shape in shapes:
                broken = conn.execute(f'PRAGMA foreign_key_check("{shape.name}")').fetchone()
                if broken:
                    raise _bad(f"{shape.name} refers to a row that is not in the file")
        return new_id

    def _insert_rows(self, shape, data, offsets, by_name, old_id, new_id) -> None:
        columns = list(data["columns"])
        filled = [c for c in shape.notnull_no_default if is_secret_column(shape.name, c) and c not in columns]
        id_shift = offsets.get(shape.name) if shape.id_column else None
        fk_shift = {}
        for col, (table, ref) in shape.foreign_keys.items():
            if col not in columns:
                continue
            if table == "events":
                fk_shift[col] = "event"
            elif table in offsets and ref == by_name[table].id_column:
                fk_shift[col] = offsets[table]
        if shape.name == "events":
            fk_shift["id"] = "event"
        elif "event_id" in columns and "event_id" not in fk_shift:
            fk_shift["event_id"] = "event"
        positions = [(i, c) for i, c in enumerate(columns)]
        names = ", ".join(f'"{c}"' for c in columns + filled)
        marks = ", ".join("?" for _ in columns + filled)
        sql = f'INSERT INTO "{shape.name}" ({names}) VALUES ({marks})'
        batch = []
        for n, row in enumerate(data["rows"]):
            if not isinstance(row, list) or len(row) != len(columns):
                raise _bad(f"{shape.name} row {n + 1} does not match its columns")
            values = []
            for i, col in positions:
                value = row[i]
                if value is not None and not isinstance(value, (str, int, float)):
                    raise _bad(f"{shape.name}.{col} row {n + 1}")
                if col == shape.id_column:
                    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                        raise _bad(f"{shape.name}.{col} row {n + 1}")
                    value += id_shift
                elif col in fk_shift and value is not None:
                    shift = fk_shift[col]
                    if shift == "event":
                        if value != old_id:
                            raise _bad(f"{shape.name} row {n + 1} belongs to another event")
                        value = new_id
                    elif isinstance(value, int) and not isinstance(value, bool):
                        value += shift
                    else:
                        raise _bad(f"{shape.name}.{col} row {n + 1}")
                values.append(value)
            for (table, col), target in JSON_ID_LISTS.items():
                if table == shape.name and col in columns:
                    at = columns.index(col)
                    values[at] = remap_id_list(values[at], target, lambda t, old: old + offsets.get(t, 0))
            if shape.name == "actions" and "action" in columns and "detail" in columns:
                at = columns.index("detail")
                values[at] = remap_action_detail(
                    values[columns.index("action")], values[at],
                    lambda table, old: old + offsets[table] if table in offsets else old)
            # Never exported, so made up anew: no device of the original event matches.
            values.extend(secrets.token_urlsafe(24) for _ in filled)
            batch.append(values)
        try:
            self.db.conn.executemany(sql, batch)
        except Exception as exc:  # a CHECK or UNIQUE constraint: the file does not fit
            raise _bad(f"{shape.name}: {exc}") from None
