"""Participants: a phone at one table, or on the voting or plenary page without one.

A phone sees its table's visible harvest, its own seats and group, the open (or last
closed) voting round with its own dots; never a tally while a round is open (no
bandwagon from the phone in your hand), never anyone else's target group.
"""

from __future__ import annotations

from ..errors import AppError
from ..packets import encoded_once
from ..rooms import device_room, phones_room, table_room
from ..store import Store
from ..voting_view import current_round, my_dots, phone_round
from .common import Admission, Connection, public_contribution


def admit(store: Store, conn: Connection, auth: dict, device: str | None) -> Admission:
    """A phone needs a valid device token; with a table it joins that table's room."""
    if device is None:
        raise AppError("forbidden")
    # Without a table (the voting page) a phone hears only what concerns all phones.
    table = auth.get("table")
    if table is not None and not isinstance(table, str):
        raise AppError("invalid_payload", detail="table")
    if table is not None:
        store.shared("get_table", conn.event_id, table)  # exists? (AppError if not)
    conn.table = table
    conn.device = device
    conn.participant_id = store.participant(conn.event_id, device, address_tag=conn.address_tag,
                                            admit=conn.new_device_check)["id"]
    admission = Admission()
    if table is not None:
        admission.rooms.append(table_room(conn.event_id, table))
        # Arrived after the rotation plan was made: seated where there is room (the
        # snapshot carries the seats; the console's plan grows).
        admission.rotation_grew = bool(store.seat_latecomer(conn.event_id, conn.participant_id))
    admission.rooms += [phones_room(conn.event_id), device_room(conn.event_id, conn.participant_id)]
    return admission


def snapshot(store: Store, conn: Connection, base: str, tables: list[dict]) -> dict:
    """The phone's part of its snapshot (call inside store.read())."""
    eid = conn.event_id
    return {
        "table": conn.table,
        # A phone on the voting page has no table: it gets no contributions at all.
        "contributions": [
            public_contribution(c) for c in store.contributions(eid, table_code=conn.table)
        ] if conn.table is not None else [],
        "participant": {
            "target_group": store.participant_by_id(conn.participant_id)["target_group"]
        },
        "voting": _voting(store, conn),
        "seats": store.seat_plan(eid, conn.participant_id),
        "groups": encoded_once(store.shared("groups", eid)),
        "my_group": store.my_group(eid, conn.participant_id),
    }


def _voting(store: Store, conn: Connection) -> dict:
    rnd = current_round(store.voting_rounds(conn.event_id, with_hidden=True))
    if rnd is None:
        return {"round": None, "mine": None}
    return {"round": phone_round(store, conn.event_id, rnd),
            "mine": my_dots(store, conn.event_id, rnd, conn.participant_id)}
