"""The console's integrity panel: is one person voting many times in a voting round?"""

from __future__ import annotations

import datetime as dt

from flask import current_app

from ..extensions import get_store, socketio
from ..integrity import assess
from ..payloads import VotingRoundRef
from .connection import handler


def _epoch(moment: str | None) -> float | None:
    return dt.datetime.fromisoformat(moment).timestamp() if moment else None


def integrity_panel(event_id: str, round_id: int) -> dict:
    """The figures of one voting round, the refusals while it was open, and warnings."""
    figures = get_store().integrity_figures(event_id, round_id)
    guard = current_app.extensions["guard"]
    since = _epoch(figures["opened_at"])
    refused = ({} if since is None else
               guard.refusals.counts(event_id, since, _epoch(figures["closed_at"])))
    panel = {**figures, "refused": refused, "refused_at_door": dict(guard.refused_at_door)}
    panel["warnings"] = assess(panel)
    return panel


@socketio.on("get_integrity")
@handler(VotingRoundRef, roles=("console",))
def get_integrity(conn, p):
    """Sent by the console (every few seconds while a voting round is shown); the ack
    carries `integrity`: the round's voters, new devices, shared addresses, refusals."""
    return {"integrity": integrity_panel(conn.event_id, p.round_id)}
