"""Table hosts (Tischgastgeber): the secret link of one table.

A host sees that table's visible harvest of every round and its key points; it hears
what that table's phones hear; of dot voting only the open round, so it can record the
dots of people without a phone (issue 12), with the people it recorded so far.
"""

from __future__ import annotations

from ..access import check_host
from ..rooms import phones_room, table_room
from ..store import Store
from ..voting_view import current_round, phone_round
from .common import Admission, Connection, public_contribution


def admit(store: Store, conn: Connection, auth: dict, device: str | None) -> Admission:
    """A host holds the secret key of that one table (the host link)."""
    table = auth.get("table")
    check_host(store, conn.event_id, table, auth.get("key"))
    conn.table = table
    conn.key = auth.get("key")
    return Admission(rooms=[table_room(conn.event_id, table), phones_room(conn.event_id)])


def snapshot(store: Store, conn: Connection, base: str, tables: list[dict]) -> dict:
    """The host's part of its snapshot (call inside store.read())."""
    return {
        "table": conn.table,
        "contributions": [
            public_contribution(c)
            for c in store.contributions(conn.event_id, table_code=conn.table)
        ],
        "voting": _voting(store, conn),
        "key_points": store.key_points(conn.event_id, conn.table),
    }


def _voting(store: Store, conn: Connection) -> dict:
    """The open voting round and this table's host-entered people, or no round."""
    rnd = current_round(store.voting_rounds(conn.event_id, with_hidden=True))
    if rnd is None or rnd["status"] != "open":
        return {"round": None, "people": []}
    return {"round": phone_round(store, conn.event_id, rnd),
            "people": store.host_people(conn.event_id, conn.table, rnd["id"])}
