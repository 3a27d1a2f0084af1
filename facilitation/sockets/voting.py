"""Messages of dot voting: phones place and remove dots, the console runs voting rounds.

Phones get their own dots in the acknowledgement (and their other tabs in `my_dots`);
nobody gets a message per dot: the projector and consoles get coalesced `tally`
messages from the tally feed.
"""

from __future__ import annotations

from flask import current_app, request

from ..audiences import Connection
from ..errors import AppError
from ..extensions import get_store, socketio
from ..payloads import (
    CreateVotingRound,
    GenerateTickets,
    PlaceDot,
    RedeemTicket,
    RemoveDot,
    VotingRoundRef,
)
from ..ratelimit import RateLimiter
from ..rooms import console_room, device_room, event_room, phones_room
from ..voting_view import current_round, my_dots, phone_round, ticket_summary
from . import broadcast
from .connection import handler
from .tally_feed import feed, send_tally

TICKET_ATTEMPTS_PER_MINUTE = 10  # a person mistypes a few times; a guesser needs millions


# Refusals the console's integrity panel counts (see integrity.py).
_WATCHED = {"ticket_required", "device_too_new", "unknown_ticket", "ticket_used"}


def _watched(conn: Connection, exc: AppError) -> None:
    if exc.code in _WATCHED:
        current_app.extensions["guard"].refusals.record(conn.event_id, exc.code)


def _moved(conn: Connection, p: PlaceDot | RemoveDot, state: dict, created: bool) -> dict:
    """After a dot was placed or removed: the device's other tabs hear `my_dots`, the
    tally feed marks the round; the phone's acknowledgement carries its dots."""
    # Accepted (or accepted before): the round needs no code, or this device has one.
    mine = {**state, "unlocked": True}
    if created:
        broadcast.to_other_tabs("my_dots", mine, device_room(conn.event_id, conn.participant_id),
                                request.sid)
        feed().mark(conn.event_id, p.round_id)
    return {"duplicate": not created, "mine": mine}


@socketio.on("place_dot")
@handler(PlaceDot, roles=("participant",))
def place_dot(conn, p):
    """Sent by a phone to stick one dot; budget and cap are checked atomically."""
    try:
        state, created = get_store().place_dot(conn.event_id, p.round_id, p.candidate_id,
                                               conn.participant_id, p.client_id)
    except AppError as exc:
        _watched(conn, exc)
        raise
    return _moved(conn, p, state, created)


@socketio.on("remove_dot")
@handler(RemoveDot, roles=("participant",))
def remove_dot(conn, p):
    """Sent by a phone to take one of its dots back to its budget."""
    state, created = get_store().remove_dot(conn.event_id, p.round_id, p.candidate_id,
                                            conn.participant_id, p.client_id)
    return _moved(conn, p, state, created)


def _ticket_limiter() -> RateLimiter:
    limiter = current_app.extensions.get("ticket_limiter")
    if limiter is None:
        limiter = current_app.extensions.setdefault(
            "ticket_limiter", RateLimiter(TICKET_ATTEMPTS_PER_MINUTE, 60.0))
    return limiter


@socketio.on("redeem_ticket")
@handler(RedeemTicket, roles=("participant",))
def redeem_ticket(conn, p):
    """Sent by a phone with the code from its card; unlocks this device's budget."""
    # Per device, and per address: made-up devices must not make guessing free.
    if not (_ticket_limiter().allow(f"{conn.event_id}:{conn.participant_id}")
            and current_app.extensions["guard"].tickets.allow(conn.address)):
        raise AppError("rate_limited")
    store = get_store()
    try:
        result = store.redeem_ticket(conn.event_id, conn.participant_id, p.code)
    except AppError as exc:
        _watched(conn, exc)
        raise
    socketio.emit("tickets_updated", ticket_summary(store.tickets(conn.event_id)),
                  to=console_room(conn.event_id))
    rnd = current_round(store.voting_rounds(conn.event_id, with_hidden=True))
    if rnd is not None:
        socketio.emit("my_dots", my_dots(store, conn.event_id, rnd, conn.participant_id),
                      to=device_room(conn.event_id, conn.participant_id))
    return result


# -- console ----------------------------------------------------------------------


def announce_round(event_id: str, rnd: dict) -> None:
    """`voting_round_updated` to consoles; to phones and projector unless still a draft."""
    socketio.emit("voting_round_updated", {"round": rnd}, to=console_room(event_id))
    if rnd["status"] != "draft":
        socketio.emit("voting_round_updated", {"round": phone_round(get_store(), event_id, rnd)},
                      to=[event_room(event_id), phones_room(event_id)])


def _round_changed(event_id: str, rnd: dict) -> dict:
    """After the console changed a voting round: announce it, send its tally, ack it."""
    announce_round(event_id, rnd)
    send_tally(event_id, rnd["id"])
    return {"round": rnd}


@socketio.on("create_voting_round")
@handler(CreateVotingRound, roles=("console",))
def create_voting_round(conn, p):
    """Sent by the console to prepare a voting round (a draft nobody else sees yet)."""
    rnd = get_store().create_voting_round(conn.event_id, **p.model_dump())
    return _round_changed(conn.event_id, rnd)


@socketio.on("open_voting_round")
@handler(VotingRoundRef, roles=("console",))
def open_voting_round(conn, p):
    """Sent by the console to start a voting round: phones show it at once."""
    rnd = get_store().open_voting_round(conn.event_id, p.round_id)
    broadcast.event_begun(conn.event_id)
    return _round_changed(conn.event_id, rnd)


@socketio.on("close_voting_round")
@handler(VotingRoundRef, roles=("console",))
def close_voting_round(conn, p):
    """Sent by the console to end a voting round: dots freeze, the final tally goes out."""
    rnd = get_store().close_voting_round(conn.event_id, p.round_id)
    return _round_changed(conn.event_id, rnd)


@socketio.on("delete_voting_round")
@handler(VotingRoundRef, roles=("console",))
def delete_voting_round(conn, p):
    """Sent by the console to drop a voting round that never started."""
    get_store().delete_voting_round(conn.event_id, p.round_id)
    socketio.emit("voting_round_deleted", {"round_id": p.round_id}, to=console_room(conn.event_id))
    return {}


@socketio.on("generate_tickets")
@handler(GenerateTickets, roles=("console",))
def generate_tickets(conn, p):
    """Sent by the console to make ticket codes; the printable sheet lists them all."""
    store = get_store()
    codes = store.generate_tickets(conn.event_id, p.count)
    summary = ticket_summary(store.tickets(conn.event_id))
    socketio.emit("tickets_updated", summary, to=console_room(conn.event_id))
    return {"tickets": codes, "summary": summary}


def contribution_visibility_changed(event_id: str, *contribution_ids: int) -> None:
    """Re-announce every started round that has one of these contributions as a candidate."""
    store = get_store()
    changed = set(contribution_ids)
    for rnd in store.voting_rounds(event_id, with_hidden=True):
        if rnd["status"] == "draft":
            continue
        if any(c["contribution_id"] in changed for c in rnd["candidates"]):
            announce_round(event_id, rnd)
            feed().mark(event_id, rnd["id"])
