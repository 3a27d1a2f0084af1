"""Table hosts (Tischgastgeber): the secret link of one table.

A host sees that table's visible harvest of every round and its key points; it hears
what that table's phones hear, and nothing of dot voting.
"""

from __future__ import annotations

from ..access import check_host
from ..rooms import phones_room, table_room
from ..store import Store
from .common import Admission, Connection, public_contribution


def admit(store: Store, conn: Connection, auth: dict, device: str | None) -> Admission:
    """A host holds the secret key of that one table (the host link)."""
    table = auth.get("table")
    check_host(store, conn.event_id, table, auth.get("key"))
    conn.table = table
    return Admission(rooms=[table_room(conn.event_id, table), phones_room(conn.event_id)])


def snapshot(store: Store, conn: Connection, base: str, tables: list[dict]) -> dict:
    """The host's part of its snapshot (call inside store.read())."""
    return {
        "table": conn.table,
        "contributions": [
            public_contribution(c)
            for c in store.contributions(conn.event_id, table_code=conn.table)
        ],
        "voting": None,
        "key_points": store.key_points(conn.event_id, conn.table),
    }
