"""Store verbs for anonymous participants: a device in an event, and its target group."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from ..errors import AppError


def device_hash(token: str) -> str:
    """What the database keeps of a device token: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class ParticipantsMixin:
    """Participants join anonymously: a device token's hash, an optional target group."""

    def participant(self, event_id: str, token: str, address_tag: str | None = None,
                    admit: Callable[[], None] | None = None) -> dict:
        """The participant of this device in this event, created on first sight.

        A new device is created only after `admit()` returned (it raises AppError to
        refuse one: the limit of new devices per address); `address_tag` is kept with it.
        """
        h = device_hash(token)
        find = ("SELECT id, target_group FROM participants WHERE event_id = ? AND device_hash = ?",
                [event_id, h])
        with self.read():  # a device seen before (every reconnect): no write transaction
            row = self.row(*find)
        if row is None:
            with self.write():
                self._require_event(event_id)
                row = self.row(*find)  # again under the write lock: two tabs, one new device
                if row is None:
                    if admit is not None:
                        admit()
                    before = self._state()
                    # Plain SQL (Store.insert): a hall joining inserts 200 rows a second.
                    new_id = self.insert("participants", {
                        "event_id": event_id, "device_hash": h, "created_at": self.now(),
                        "address_tag": address_tag})
                    self.participant_recorded(before)
                    row = {"id": new_id, "target_group": None}
        return {"id": row["id"], "target_group": row["target_group"]}

    def participant_by_id(self, participant_id: int) -> dict:
        """A participant by id (its target group); no device data."""
        with self.read():
            row = self.row("SELECT id, target_group FROM participants WHERE id = ?", [participant_id])
        return row or {"id": participant_id, "target_group": None}

    def set_target_group(self, event_id: str, participant_id: int, group: str | None) -> dict:
        """Record the participant's answer to the join question (None clears it)."""
        with self.write() as db:
            event = self._require_event(event_id)
            options = json.loads(event["join_options"])
            if group is not None and group not in options:
                raise AppError("invalid_option")
            db["participants"].update(participant_id, {"target_group": group})
        return {"id": participant_id, "target_group": group}

    def participant_count(self, event_id: str) -> int:
        """How many devices have contributed to the event."""
        with self.read():
            return self.row(
                "SELECT count(DISTINCT participant_id) AS n FROM contributions"
                " WHERE event_id = ? AND participant_id IS NOT NULL",
                [event_id],
            )["n"]
