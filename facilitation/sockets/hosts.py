"""Messages of table hosts (Tischgastgeber): key points and contributions typed for others."""

from __future__ import annotations

from ..audiences import public_contribution
from ..extensions import get_store, socketio
from ..payloads import HostDot, MarkKeyPoint, SubmitContribution
from ..rooms import console_room, event_room, table_room
from ..text_language import written_language
from . import broadcast
from .connection import handler


@socketio.on("mark_key_point")
@handler(MarkKeyPoint, roles=("host", "console"))
def mark_key_point(conn, p):
    """Sent by a table's host (own table only) or the console; broadcast `key_point_marked`."""
    table = conn.table if conn.role == "host" else None
    mark = get_store().mark_key_point(conn.event_id, p.id, p.key_point, table_code=table,
                                      actor=conn.role if conn.role == "host" else "facilitator")
    socketio.emit("key_point_marked", mark, to=[table_room(conn.event_id, mark["table"]),
                                                event_room(conn.event_id),
                                                console_room(conn.event_id)])
    return mark


@socketio.on("enter_contribution")
@handler(SubmitContribution, roles=("host",))
def enter_contribution(conn, p):
    """Sent by a host typing for someone without a phone: stored as entered by the host.

    Not subject to the lock between rounds: hosts may type up paper notes any time.
    """
    store = get_store()
    contribution, created = store.add_contribution(
        conn.event_id, conn.table, p.kind, p.text, p.question, participant_id=None,
        client_id=p.client_id, entered_by="host",
        language=written_language(p.text, p.language), ui_language=p.language,
    )
    if created:
        broadcast.contributions_stored(conn.event_id, [contribution], created=True,
                                       after_ack=True)
    return {"contribution": public_contribution(contribution), "duplicate": not created}


@socketio.on("enter_dot")
@handler(HostDot, roles=("host",))
def enter_dot(conn, p):
    """Sent by a table host recording a dot (+1) or taking one back (−1) for a person
    without a phone, named or numbered by the host; that person has their own budget and
    cap. The ledger marks it host-entered; the tally updates as for any dot."""
    from .tally_feed import feed

    store = get_store()
    state, created = store.host_dot(conn.event_id, conn.table, p.person, p.round_id,
                                    p.candidate_id, p.client_id, p.delta)
    if created:
        feed().mark(conn.event_id, p.round_id)
    return {"duplicate": not created, "mine": state,
            "people": store.host_people(conn.event_id, conn.table, p.round_id)}
