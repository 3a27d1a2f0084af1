"""What rounds, table hosts, the rotation plan and the conference add to each snapshot."""

from __future__ import annotations

from . import urls


def mechanics_snapshot(store, conn, app) -> dict:
    """The round, agenda, key points, seats, groups and impulses this client may see.

    Called inside the snapshot's read transaction, so it is one consistent state.
    """
    eid = conn.event_id
    out = {"round": store.round_state(eid), "phase": store.phase(eid)}
    if conn.role == "participant":
        out["seats"] = store.seat_plan(eid, conn.participant_id)
        out["groups"] = store.groups(eid)
        out["my_group"] = store.my_group(eid, conn.participant_id)
    elif conn.role == "host":
        out["key_points"] = store.key_points(eid, conn.table)
    elif conn.role == "projector":
        out["key_points"] = store.key_points(eid)
        out["groups"] = store.groups(eid)
        out["impulses"] = store.impulses(eid)
    elif conn.role == "console":
        out["key_points"] = store.key_points(eid)
        out["groups"] = store.groups(eid)
        out["impulses"] = store.impulses(eid, include_hidden=True)
        out["rotation"] = store.rotation(eid)
        base = urls.base_url(app)
        out["host_urls"] = {code: urls.host_url(base, eid, code, key)
                            for code, key in store.host_keys(eid).items()}
    return out

