"""The four audiences, one module each: which rooms a socket joins, which snapshot it gets.

- participant: a phone at a table (or on the voting / plenary page without one)
- host: a table host, through that table's secret link
- projector: the wall the whole room sees
- console: the facilitator, with the event's key

Each module has `admit(store, conn, auth, device) -> Admission` (refuses with an
AppError, or names the rooms) and `snapshot(store, conn, base, tables) -> dict` (its
part of the snapshot). `snapshot_for` adds what every audience gets.
"""

from __future__ import annotations

import time

from flask import Flask

from .. import urls
from ..packets import encoded_once
from ..store import Store
from . import console, host, participant, projector
from .common import Admission, Connection, console_contribution, public_contribution

AUDIENCES = {
    "participant": participant,
    "projector": projector,
    "console": console,
    "host": host,
}
ROLES = tuple(AUDIENCES)

__all__ = ["AUDIENCES", "ROLES", "Admission", "Connection", "console_contribution",
           "public_contribution", "snapshot_for"]


def snapshot_for(store: Store, conn: Connection, app: Flask) -> dict:
    """The full state one client needs, read in one transaction, with the event version."""
    base = urls.base_url(app)
    with store.read():
        # The same for everyone in the event: read once while nothing changes.
        event = store.shared("get_event", conn.event_id)
        tables = store.shared("tables", conn.event_id)
        snap = {
            "role": conn.role,
            "version": event["version"],
            "server_time": time.time() * 1000,
            "event": encoded_once(event),  # the same for every phone: encoded once
            "tables": encoded_once(tables),
            "join_url": urls.join_url(base, conn.event_id),
            "round": store.round_state(conn.event_id),
            "phase": store.phase(conn.event_id),
        }
        snap.update(AUDIENCES[conn.role].snapshot(store, conn, base, tables))
    return snap
