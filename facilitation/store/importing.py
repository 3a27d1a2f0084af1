"""Store verb that recreates an event from the `database` section of an event.json.

An imported file is untrusted input (anyone can write one). One write transaction:
either the whole event is there afterwards, or nothing is. Ids are renumbered into this
database's own range (1, 2, 3 … past the ones in use, whatever the file says, so no id
from a file can push later ones past what a browser can count); the event keeps its id
unless that is taken; every secret column is made up anew whether or not the file has
one (device hashes, console and host keys, ticket codes), so no device of the original
event is recognised and whoever wrote the file holds no key of the copy; and the dot
ledger is checked against each voting round's budget and cap.
"""

from __future__ import annotations

import secrets

from .. import tally
from ..errors import AppError
from ..rules import new_event_id
from .actions import JSON_ID_LISTS, remap_action_detail, remap_id_list
from .export import is_secret_column
from .tickets import TICKET_ALPHABET, TICKET_LENGTH


def _bad(detail: str) -> AppError:
    return AppError("invalid_session_file", detail=detail)


def _new_secret(table: str, column: str) -> str:
    if (table, column) == ("voting_tickets", "code"):  # printed and typed: the ticket alphabet
        return "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_LENGTH))
    return secrets.token_urlsafe(24)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class ImportMixin:
    """Recreate an exported event in this database."""

    def import_database(self, database: dict) -> str:
        """Insert every row of an exported event; returns the new event's id.

        `database` is event.json's `database` section, already checked for shape and
        contents by `session_import`. Raises AppError and changes nothing when a table,
        a column, a reference or the dot ledger does not fit this database.
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
            numbering = {}
            for s in shapes:
                if s.id_column and tables.get(s.name):
                    start = self.row(f'SELECT coalesce(max("{s.id_column}"), 0) AS m FROM "{s.name}"')["m"]
                    numbering[s.name] = self._numbering(s, tables[s.name], start)
            for shape in shapes:
                data = tables.get(shape.name)
                if data:
                    self._insert_rows(shape, data, numbering, by_name, old_id, new_id)
            # Files from before card numbers (issue 12): number the cards in arrival order.
            conn.execute(
                "UPDATE contributions SET number = r.n FROM (SELECT id, row_number() OVER"
                " (ORDER BY id) AS n FROM contributions WHERE event_id = ?) AS r"
                " WHERE r.id = contributions.id AND contributions.number IS NULL", [new_id])
            for shape in shapes:
                broken = conn.execute(f'PRAGMA foreign_key_check("{shape.name}")').fetchone()
                if broken:
                    raise _bad(f"{shape.name} refers to a row that is not in the file")
            self._check_ledger(new_id)
        return new_id

    @staticmethod
    def _numbering(shape, data, start: int) -> dict[int, int]:
        """The file's ids of one table → this database's: start+1, start+2 … in file order."""
        at = data["columns"].index(shape.id_column) if shape.id_column in data["columns"] else None
        if at is None:
            raise _bad(f"{shape.name} has no {shape.id_column} column")
        mapping: dict[int, int] = {}
        for n, row in enumerate(data["rows"]):
            value = row[at] if isinstance(row, list) and len(row) > at else None
            if not _is_int(value) or value < 1 or value in mapping:
                raise _bad(f"{shape.name}.{shape.id_column} row {n + 1}")
            mapping[value] = start + len(mapping) + 1
        return mapping

    def _insert_rows(self, shape, data, numbering, by_name, old_id, new_id) -> None:
        file_columns = list(data["columns"])
        # A secret in the file is never taken over: dropped here, made up anew below.
        kept = [(i, c) for i, c in enumerate(file_columns) if not is_secret_column(shape.name, c)]
        columns = [c for _, c in kept]
        filled = [c for c in shape.notnull_no_default if is_secret_column(shape.name, c)]
        maps = {}
        for col, (table, ref) in shape.foreign_keys.items():
            if col not in columns:
                continue
            if table == "events":
                maps[col] = "event"
            elif table in by_name and ref == by_name[table].id_column:
                maps[col] = numbering.get(table, {})
        if shape.name == "events":
            maps["id"] = "event"
        elif "event_id" in columns and "event_id" not in maps:
            maps["event_id"] = "event"
        if shape.id_column:
            maps[shape.id_column] = numbering[shape.name]
        names = ", ".join(f'"{c}"' for c in columns + filled)
        marks = ", ".join("?" for _ in columns + filled)
        sql = f'INSERT INTO "{shape.name}" ({names}) VALUES ({marks})'
        batch = []
        for n, row in enumerate(data["rows"]):
            if not isinstance(row, list) or len(row) != len(file_columns):
                raise _bad(f"{shape.name} row {n + 1} does not match its columns")
            values = []
            for i, col in kept:
                value = row[i]
                if value is not None and not isinstance(value, (str, int, float)):
                    raise _bad(f"{shape.name}.{col} row {n + 1}")
                mapping = maps.get(col)
                if mapping == "event" and value is not None:
                    if value != old_id:
                        raise _bad(f"{shape.name} row {n + 1} belongs to another event")
                    value = new_id
                elif mapping is not None and value is not None:
                    if not _is_int(value) or value not in mapping:
                        raise _bad(f"{shape.name}.{col} row {n + 1} refers to a row that is"
                                   " not in the file")
                    value = mapping[value]
                values.append(value)
            for (table, col), target in JSON_ID_LISTS.items():
                if table == shape.name and col in columns:
                    at = columns.index(col)
                    values[at] = remap_id_list(values[at], target,
                                               lambda t, old: numbering.get(t, {}).get(old))
            if shape.name == "actions" and "action" in columns and "detail" in columns:
                at = columns.index("detail")
                values[at] = remap_action_detail(
                    values[columns.index("action")], values[at],
                    lambda table, old: numbering.get(table, {}).get(old))
            values.extend(_new_secret(shape.name, c) for c in filled)
            batch.append(values)
        try:
            self.db.conn.executemany(sql, batch)
        except Exception as exc:  # a CHECK or UNIQUE constraint: the file does not fit
            raise _bad(f"{shape.name}: {exc}") from None

    def _check_ledger(self, event_id: str) -> None:
        """Replay the imported dot ledger: no count below zero, none past cap or budget."""
        rounds = {r["id"]: r for r in self.rows(
            "SELECT id, budget, cap FROM voting_rounds WHERE event_id = ?", [event_id])}
        mine: dict[tuple[int, int], dict[int, int]] = {}
        for d in self.rows("SELECT round_id, candidate_id, participant_id, delta FROM dots"
                           " WHERE event_id = ? ORDER BY id", [event_id]):
            rnd = rounds.get(d["round_id"])
            if rnd is None:
                raise _bad("a dot belongs to a voting round that is not in the file")
            dots = mine.setdefault((d["round_id"], d["participant_id"]), {})
            try:
                if d["delta"] > 0:
                    tally.check_place(dots, d["candidate_id"], rnd["budget"], rnd["cap"])
                else:
                    tally.check_remove(dots, d["candidate_id"])
            except AppError:
                raise _bad("the dot ledger holds more dots than budget and cap allow, or"
                           " takes back dots that were never placed") from None
            dots[d["candidate_id"]] = dots.get(d["candidate_id"], 0) + d["delta"]
