"""Store verbs for the Akteurskonferenz: agenda phase, impulse wall, thematic groups.

A thematic group is one of the event's tables (its theme is the group's topic, its
harvest the group's result); this mixin adds an optional capacity and who chose it.
"""

from __future__ import annotations

import json

from ..errors import AppError
from ..rules import clean_text

PHASES = ("plenary_input", "thematic_groups", "plenary_result")
MAX_CAPACITY = 10_000


class ConferenceMixin:
    """The plenary and its groups."""

    # -- agenda ---------------------------------------------------------------------

    def phase(self, event_id: str) -> str | None:
        """The agenda phase shown on the projector, or None before the first."""
        with self.read():
            row = self.row("SELECT phase FROM agenda WHERE event_id = ?", [event_id])
        return row["phase"] if row else None

    def set_phase(self, event_id: str, phase: str | None, actor: str = "facilitator") -> str | None:
        """Move the agenda to `phase` (one of PHASES, or None to show none)."""
        if phase is not None and phase not in PHASES:
            raise AppError("invalid_payload", detail="phase")
        with self.write() as db:
            self._require_event(event_id)
            db["agenda"].upsert({"event_id": event_id, "phase": phase, "changed_at": self.now()},
                                pk="event_id")
            self.bump(event_id)
            self.log(event_id, actor, "phase_changed", {"phase": phase})
        return phase

    # -- impulse wall ------------------------------------------------------------------

    def add_impulse(self, event_id: str, text: str, participant_id: int | None = None,
                    client_id: str | None = None) -> tuple[dict, bool]:
        """Store an impulse for the plenary wall; returns (impulse, created).

        client_id is the idempotency key of a resend, as for contributions.
        """
        text = clean_text(text)
        with self.write() as db:
            event = self._require_event(event_id)
            if client_id is not None:
                old = self.row("SELECT * FROM impulses WHERE event_id = ? AND client_id = ?",
                               [event_id, client_id])
                if old is not None:
                    if old["participant_id"] != participant_id:
                        raise AppError("invalid_payload", detail="client_id")
                    return _impulse_out(old), False
            if event["status"] == "closed":
                raise AppError("event_closed")
            iid = db["impulses"].insert({
                "event_id": event_id, "participant_id": participant_id, "client_id": client_id,
                "text": text, "hidden": 0, "created_at": self.now(),
            }).last_pk
            self.bump(event_id)
            row = self.row("SELECT * FROM impulses WHERE id = ?", [iid])
        return _impulse_out(row), True

    def impulses(self, event_id: str, include_hidden: bool = False) -> list[dict]:
        """The wall, oldest first."""
        sql = "SELECT * FROM impulses WHERE event_id = ?"
        if not include_hidden:
            sql += " AND hidden = 0"
        with self.read():
            return [_impulse_out(r) for r in self.rows(sql + " ORDER BY id", [event_id])]

    def hide_impulse(self, event_id: str, impulse_id: int, hidden: bool,
                     actor: str = "facilitator") -> dict:
        """Take an impulse off the wall (or put it back)."""
        with self.write() as db:
            row = self.row("SELECT * FROM impulses WHERE id = ? AND event_id = ?",
                           [impulse_id, event_id])
            if row is None:
                raise AppError("unknown_impulse")
            if bool(row["hidden"]) != hidden:
                db["impulses"].update(impulse_id, {"hidden": int(hidden)})
                self.bump(event_id)
                self.log(event_id, actor, "impulse_hidden" if hidden else "impulse_shown",
                         {"id": impulse_id})
            row = self.row("SELECT * FROM impulses WHERE id = ?", [impulse_id])
        return _impulse_out(row)

    # -- thematic groups -------------------------------------------------------------

    def groups(self, event_id: str) -> list[dict]:
        """Every table as a thematic group: capacity (None = open), members, places left."""
        with self.read():
            rows = self.rows(
                "SELECT t.code, t.theme, t.theme_i18n, g.capacity,"
                " (SELECT count(*) FROM group_members m WHERE m.table_id = t.id) AS members"
                " FROM tables t LEFT JOIN group_capacities g ON g.table_id = t.id"
                " WHERE t.event_id = ? ORDER BY t.position, t.id",
                [event_id],
            )
        return [_group_out(r) for r in rows]

    def set_group_capacity(self, event_id: str, code: str, capacity: int | None,
                           actor: str = "facilitator") -> list[dict]:
        """Limit a group to `capacity` people (None: no limit). Members already in stay."""
        if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
            raise AppError("invalid_payload", detail="capacity")
        with self.write() as db:
            table = self._table_row(event_id, code)
            db["group_capacities"].upsert({"table_id": table["id"], "capacity": capacity},
                                          pk="table_id")
            self.bump(event_id)
            self.log(event_id, actor, "group_capacity_set", {"table": code, "capacity": capacity})
        return self.groups(event_id)

    def my_group(self, event_id: str, participant_id: int) -> str | None:
        """The code of the group this participant chose, or None."""
        with self.read():
            row = self.row(
                "SELECT t.code FROM group_members m JOIN tables t ON t.id = m.table_id"
                " WHERE m.event_id = ? AND m.participant_id = ?", [event_id, participant_id])
        return row["code"] if row else None

    def choose_group(self, event_id: str, participant_id: int, code: str | None) -> list[dict]:
        """Join group `code` (leaving any other), or leave with None; returns the groups.

        Capacity is checked and the place taken in one BEGIN IMMEDIATE transaction, so
        two phones racing for the last place cannot both get it.
        """
        with self.write() as db:
            self._require_event(event_id)
            db.execute("DELETE FROM group_members WHERE event_id = ? AND participant_id = ?",
                       [event_id, participant_id])
            if code is not None:
                table = self._table_row(event_id, code)
                group = _group_out(self.row(
                    "SELECT t.code, t.theme, t.theme_i18n, g.capacity,"
                    " (SELECT count(*) FROM group_members m WHERE m.table_id = t.id) AS members"
                    " FROM tables t LEFT JOIN group_capacities g ON g.table_id = t.id"
                    " WHERE t.id = ?", [table["id"]]))
                if group["remaining"] == 0:
                    raise AppError("group_full", theme=group["theme"])  # rolls back the leave
                db["group_members"].insert({"event_id": event_id, "participant_id": participant_id,
                                            "table_id": table["id"], "joined_at": self.now()})
            self.bump(event_id)
        return self.groups(event_id)

    def _table_row(self, event_id: str, code: str) -> dict:
        self._require_event(event_id)
        row = self.row("SELECT id FROM tables WHERE event_id = ? AND code = ?", [event_id, code])
        if row is None:
            raise AppError("unknown_table")
        return row


def _impulse_out(row: dict) -> dict:
    return {"id": row["id"], "text": row["text"], "hidden": bool(row["hidden"]),
            "created_at": row["created_at"]}


def _group_out(row: dict) -> dict:
    capacity = row["capacity"]
    return {
        "table": row["code"], "theme": row["theme"], "theme_i18n": json.loads(row["theme_i18n"]),
        "capacity": capacity,
        "members": row["members"],
        "remaining": None if capacity is None else max(0, capacity - row["members"]),
    }
