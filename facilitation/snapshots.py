"""What each kind of client receives on (re)connect, and the public shape of a contribution."""

from __future__ import annotations

import time

from . import urls
from .mechanics_view import mechanics_snapshot
from .voting_view import voting_snapshot

# Fields no phone or projector ever receives: the idempotency key and the target group
# of whoever wrote it (the console sees the target group; it is anonymous, but phones
# have no need for it), and the merge link (only merged, hence hidden, ones have one).
_PRIVATE = ("client_id", "target_group", "merged_into")


def public_contribution(c: dict) -> dict:
    """A contribution as phones and the projector see it."""
    return {k: v for k, v in c.items() if k not in _PRIVATE}


def console_contribution(c: dict) -> dict:
    """A contribution as the facilitator console sees it."""
    return {k: v for k, v in c.items() if k != "client_id"}


def snapshot_for(store, conn, app) -> dict:
    """The full state one client needs, read in one transaction, with the event version."""
    base = urls.base_url(app)
    with store.read():
        event = store.get_event(conn.event_id)
        tables = store.tables(conn.event_id)
        snap = {
            "role": conn.role,
            "version": event["version"],
            "server_time": time.time() * 1000,
            "event": event,
            "tables": tables,
            "join_url": urls.join_url(base, conn.event_id),
        }
        if conn.role == "participant":
            snap["table"] = conn.table
            # A phone on the voting page has no table: it gets no contributions at all.
            snap["contributions"] = [
                public_contribution(c)
                for c in store.contributions(conn.event_id, table_code=conn.table)
            ] if conn.table is not None else []
            snap["participant"] = {
                "target_group": store.participant_by_id(conn.participant_id)["target_group"]
            }
        elif conn.role == "projector":
            snap["contributions"] = [
                public_contribution(c) for c in store.contributions(conn.event_id)
            ]
        elif conn.role == "host":
            # A table host sees its table's visible harvest of every round, nothing else.
            snap["table"] = conn.table
            snap["contributions"] = [
                public_contribution(c)
                for c in store.contributions(conn.event_id, table_code=conn.table)
            ]
        else:
            snap["contributions"] = [
                console_contribution(c)
                for c in store.contributions(conn.event_id, include_hidden=True)
            ]
            snap["participants"] = store.participant_count(conn.event_id)
            snap["table_urls"] = {t["code"]: urls.table_url(base, conn.event_id, t["code"])
                                  for t in tables}
        snap["voting"] = voting_snapshot(store, conn)
        snap.update(mechanics_snapshot(store, conn, app))
    return snap
