"""Dots a table host records for people without a phone (seed 002: the Klebepunkte)."""

from __future__ import annotations

import unicodedata

from ..errors import AppError
from .participants import device_hash


def clean_person(label) -> str:
    """The host's name or number for a person: 1–40 characters, spaces tidied."""
    if not isinstance(label, str):
        raise AppError("invalid_payload", detail="person")
    text = " ".join(unicodedata.normalize("NFC", label).split())
    if not text or len(text) > 40:
        raise AppError("invalid_payload", detail="person")
    return text


class HostDotsMixin:
    """A person at a table is a participant known by the host's label, so their dots keep
    the same budget and cap as a phone's; the ledger says they were entered by the host."""

    def _host_person(self, event_id: str, table_code: str, label: str) -> int:
        """The participant for `label` at this table, created on first use (inside write())."""
        table = self.row("SELECT id FROM tables WHERE event_id = ? AND code = ?",
                         [event_id, table_code])
        if table is None:
            raise AppError("unknown_table")
        key = device_hash(f"host-entry:{table['id']}:{label.casefold()}")
        row = self.row("SELECT id FROM participants WHERE event_id = ? AND device_hash = ?",
                       [event_id, key])
        if row:
            return row["id"]
        return self.insert("participants", {"event_id": event_id, "device_hash": key,
                                            "host_label": label, "created_at": self.now()})

    def host_dot(self, event_id: str, table_code: str, person: str, round_id: int,
                 candidate_id: int, client_id: str, delta: int) -> tuple[dict, bool]:
        """Place (+1) or take back (−1) one dot for a person at the host's table."""
        label = clean_person(person)
        if delta not in (1, -1):
            raise AppError("invalid_payload", detail="delta")
        with self.write():
            pid = self._host_person(event_id, table_code, label)
            state, created = self._move_dot(event_id, round_id, candidate_id, pid,
                                            client_id, delta, entered_by="host")
        return {**state, "person": label}, created

    def host_people(self, event_id: str, table_code: str, round_id: int) -> list[dict]:
        """The people this table's host recorded dots for, with their dots in the round."""
        with self.read():
            people = self._host_labels(event_id, table_code)
            rnd = self._require_round(event_id, round_id)
            out = []
            for p in people:
                mine = self._dots_of(round_id, p["id"])
                out.append({"person": p["host_label"], "dots": {str(k): v for k, v in mine.items()},
                            "left": rnd["budget"] - sum(mine.values())})
        return out

    def _host_labels(self, event_id: str, table_code: str) -> list[dict]:
        table = self.row("SELECT id FROM tables WHERE event_id = ? AND code = ?",
                         [event_id, table_code])
        if table is None:
            raise AppError("unknown_table")
        rows = self.rows("SELECT id, host_label, device_hash FROM participants"
                         " WHERE event_id = ? AND host_label IS NOT NULL ORDER BY id", [event_id])
        return [r for r in rows
                if r["device_hash"] == device_hash(f"host-entry:{table['id']}:{r['host_label'].casefold()}")]
