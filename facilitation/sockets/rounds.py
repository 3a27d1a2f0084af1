"""Messages about rounds on the server's one clock, clock sync, and the rotation plan."""

from __future__ import annotations

from flask import current_app

from ..extensions import get_store, socketio
from ..offload import off_the_loop
from ..payloads import Empty, MakeRotation, PlanRounds
from ..rooms import console_room, device_room, everyone
from . import broadcast
from .connection import handler


def _announce(event_id: str, state: dict) -> dict:
    """`round_changed` to every client of the event: projector, consoles, phones, hosts."""
    socketio.emit("round_changed", {"round": state}, to=everyone(event_id))
    return {"round": state}


@socketio.on("sync_clock")
@handler(Empty)
def sync_clock(conn, p):
    """Sent by any client a few times after connecting; acked with the server's clock.

    The client notes when it sent and when the ack came back and takes the server time
    as read halfway (NTP-style), keeping the sample with the shortest round trip.
    """
    return {"server_time": get_store().now_ms()}


@socketio.on("plan_rounds")
@handler(PlanRounds, roles=("console",))
def plan_rounds(conn, p):
    """Sent by the console: number and length of rounds, lock between rounds, end sound."""
    state = get_store().plan_rounds(conn.event_id, p.rounds, p.minutes, p.lock_between, p.sound)
    return _announce(conn.event_id, state)


@socketio.on("start_round")
@handler(Empty, roles=("console",))
def start_round(conn, p):
    """Sent by the console: start round 1, or the next round after one has ended."""
    state = get_store().start_round(conn.event_id)
    broadcast.event_begun(conn.event_id)
    return _announce(conn.event_id, state)


@socketio.on("pause_round")
@handler(Empty, roles=("console",))
def pause_round(conn, p):
    """Sent by the console: halt the countdown (input stays open)."""
    return _announce(conn.event_id, get_store().pause_round(conn.event_id))


@socketio.on("resume_round")
@handler(Empty, roles=("console",))
def resume_round(conn, p):
    """Sent by the console: continue a paused round."""
    return _announce(conn.event_id, get_store().resume_round(conn.event_id))


@socketio.on("extend_round")
@handler(Empty, roles=("console",))
def extend_round(conn, p):
    """Sent by the console: five more minutes for the running or paused round."""
    return _announce(conn.event_id, get_store().extend_round(conn.event_id))


@socketio.on("end_round")
@handler(Empty, roles=("console",))
def end_round(conn, p):
    """Sent by the console: end the round now."""
    return _announce(conn.event_id, get_store().end_round(conn.event_id))


@socketio.on("make_rotation")
@handler(MakeRotation, roles=("console",))
def make_rotation(conn, p):
    """Sent by the console: compute the rotation plan; each phone hears its own seats."""
    store = get_store()
    # Up to a second or two for hundreds of people: computed in a thread, so phones and
    # projector keep being served meanwhile.
    plan = store.make_rotation(conn.event_id, p.seed,
                               run=lambda compute: off_the_loop(current_app, compute))
    socketio.emit("rotation_planned", {"rotation": plan}, to=console_room(conn.event_id))
    for pid, seats in store.seat_plans(conn.event_id).items():
        socketio.emit("seats_assigned", {"seats": seats}, to=device_room(conn.event_id, pid))
    return {"rotation": plan}
