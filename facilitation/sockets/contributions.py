"""Messages about contributions: phones send them, facilitators curate them."""

from __future__ import annotations

from flask import current_app

from ..audiences import public_contribution, snapshot_for
from ..errors import AppError
from ..extensions import get_store, socketio
from ..payloads import (
    EditContribution,
    Empty,
    HideContribution,
    MergeContributions,
    SetTargetGroup,
    SubmitContribution,
)
from ..ratelimit import RateLimiter
from ..text_language import written_language
from . import broadcast, voting
from .connection import handler
from .tally_feed import feed


def _limiter() -> RateLimiter:
    limiter = current_app.extensions.get("contribution_limiter")
    if limiter is None:
        limiter = RateLimiter(current_app.config["CONTRIBUTIONS_PER_MINUTE"], 60.0)
        current_app.extensions["contribution_limiter"] = limiter
    return limiter


@socketio.on("submit_contribution")
@handler(SubmitContribution, roles=("participant",))
def submit_contribution(conn, p):
    """Sent by a phone; acked after the commit; broadcast to its table, projector and console."""
    store = get_store()
    key = f"{conn.event_id}:{conn.participant_id}"
    if p.client_id is not None:
        # A resend of something already stored is answered, not limited or stored twice.
        stored = store.resent_contribution(conn.event_id, conn.participant_id, p.client_id)
        if stored is not None:
            return {"contribution": public_contribution(stored), "duplicate": True}
    if not _limiter().allow(key):
        raise AppError("rate_limited")
    contribution, created = store.add_contribution(
        conn.event_id, conn.table, p.kind, p.text, p.question,
        participant_id=conn.participant_id, client_id=p.client_id,
        per_table_limit=current_app.config["CONTRIBUTIONS_PER_TABLE"],
        language=written_language(p.text, p.language), ui_language=p.language,
    )
    if created:
        broadcast.contributions_stored(conn.event_id, [contribution], created=True,
                                       after_ack=True)
    return {"contribution": public_contribution(contribution), "duplicate": not created}


@socketio.on("set_target_group")
@handler(SetTargetGroup, roles=("participant",))
def set_target_group(conn, p):
    """Sent by a phone with the answer to the event's join question (or null to clear it)."""
    participant = get_store().set_target_group(conn.event_id, conn.participant_id, p.group)
    feed().groups_changed(conn.event_id)  # the console's tallies count dots per group
    return {"participant": participant}


@socketio.on("request_snapshot")
@handler(Empty)
def request_snapshot(conn, p):
    """Sent by any client that suspects it missed something; acked with a fresh snapshot."""
    return {"snapshot": snapshot_for(get_store(), conn, current_app)}


@socketio.on("hide_contribution")
@handler(HideContribution, roles=("console",))
def hide_contribution(conn, p):
    """Sent by the console; a hidden contribution disappears from projector and phones."""
    contribution = get_store().set_hidden(conn.event_id, p.id, p.hidden)
    broadcast.contributions_stored(conn.event_id, [contribution])
    voting.contribution_visibility_changed(conn.event_id, p.id)  # a candidate withdrawn or back
    return {"contribution": contribution}


@socketio.on("merge_contributions")
@handler(MergeContributions, roles=("console",))
def merge_contributions(conn, p):
    """Sent by the console to merge duplicates into the one that stays (`target_id`);
    the merged ones disappear from projector and phones like hidden ones."""
    changed = get_store().merge_contributions(conn.event_id, p.target_id, p.source_ids)
    broadcast.contributions_stored(conn.event_id, changed[1:])
    voting.contribution_visibility_changed(conn.event_id, *(c["id"] for c in changed[1:]))
    return {"target": changed[0], "merged": changed[1:]}


@socketio.on("edit_contribution")
@handler(EditContribution, roles=("console",))
def edit_contribution(conn, p):
    """Sent by the console to correct a text; the old text stays in the history."""
    contribution = get_store().edit_contribution(conn.event_id, p.id, p.text)
    broadcast.contributions_stored(conn.event_id, [contribution])
    return {"contribution": contribution}
