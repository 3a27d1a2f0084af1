"""Messages of the Akteurskonferenz: agenda phase, impulse wall, thematic groups."""

from __future__ import annotations

import threading

from flask import current_app

from ..errors import AppError
from ..extensions import get_store, socketio
from ..payloads import ChooseGroup, HideImpulse, SetGroupCapacity, SetPhase, SubmitImpulse
from ..ratelimit import RateLimiter
from ..rooms import console_room, event_room, everyone
from . import broadcast
from .connection import handler

GROUPS_TICK = 0.25  # seconds: many choices at once become one `groups_updated` per tick

_pending: set[str] = set()
_pending_lock = threading.Lock()


def _groups_changed(event_id: str) -> None:
    """Schedule one `groups_updated` for the event; calls within a tick share it.

    Why coalesce: when a few hundred people pick a group in the same minute, one
    message per choice to every phone would be hundreds of thousands of messages.
    """
    with _pending_lock:
        if event_id in _pending:
            return
        _pending.add(event_id)
    socketio.start_background_task(_flush_groups, current_app._get_current_object(), event_id)


def _flush_groups(app, event_id: str) -> None:
    socketio.sleep(GROUPS_TICK)
    with _pending_lock:
        _pending.discard(event_id)
    # Read after leaving the pending set: a change from now on schedules its own flush.
    groups = get_store(app).groups(event_id)
    socketio.emit("groups_updated", {"groups": groups}, to=everyone(event_id))


@socketio.on("set_phase")
@handler(SetPhase, roles=("console",))
def set_phase(conn, p):
    """Sent by the console: the agenda phase the projector and phones show."""
    phase = get_store().set_phase(conn.event_id, p.phase)
    if phase:
        broadcast.event_begun(conn.event_id)
    socketio.emit("phase_changed", {"phase": phase}, to=everyone(conn.event_id))
    return {"phase": phase}


@socketio.on("submit_impulse")
@handler(SubmitImpulse, roles=("participant",))
def submit_impulse(conn, p):
    """Sent by any phone of the event; the projector and consoles get `impulse_added`."""
    store = get_store()
    if not _impulse_limiter_allows(conn):
        raise AppError("rate_limited")
    impulse, created = store.add_impulse(conn.event_id, p.text, conn.participant_id, p.client_id)
    if created:
        socketio.emit("impulse_added", {"impulse": impulse},
                      to=[event_room(conn.event_id), console_room(conn.event_id)])
    return {"impulse": impulse, "duplicate": not created}


@socketio.on("hide_impulse")
@handler(HideImpulse, roles=("console",))
def hide_impulse(conn, p):
    """Sent by the console: take an impulse off the wall (`impulse_removed`) or back."""
    impulse = get_store().hide_impulse(conn.event_id, p.id, p.hidden)
    socketio.emit("impulse_updated", {"impulse": impulse}, to=console_room(conn.event_id))
    if impulse["hidden"]:
        socketio.emit("impulse_removed", {"id": impulse["id"]}, to=event_room(conn.event_id))
    else:
        socketio.emit("impulse_added", {"impulse": impulse}, to=event_room(conn.event_id))
    return {"impulse": impulse}


@socketio.on("set_group_capacity")
@handler(SetGroupCapacity, roles=("console",))
def set_group_capacity(conn, p):
    """Sent by the console: limit a thematic group's places (null: no limit)."""
    groups = get_store().set_group_capacity(conn.event_id, p.table, p.capacity)
    _groups_changed(conn.event_id)
    return {"groups": groups}


@socketio.on("choose_group")
@handler(ChooseGroup, roles=("participant",))
def choose_group(conn, p):
    """Sent by a phone choosing a thematic group (null leaves it); a full group refuses."""
    store = get_store()
    groups = store.choose_group(conn.event_id, conn.participant_id, p.table)
    _groups_changed(conn.event_id)
    return {"groups": groups, "my_group": p.table}



def _impulse_limiter_allows(conn) -> bool:
    """The same per-device pace as contributions (FACILITATION_CONTRIBUTIONS_PER_MINUTE)."""
    limiter = current_app.extensions.get("impulse_limiter")
    if limiter is None:
        limiter = RateLimiter(current_app.config["CONTRIBUTIONS_PER_MINUTE"], 60.0)
        current_app.extensions["impulse_limiter"] = limiter
    return limiter.allow(f"{conn.event_id}:{conn.participant_id}")
