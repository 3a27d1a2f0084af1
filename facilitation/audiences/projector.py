"""The projector: what the whole room sees on the wall.

Every visible contribution of every table, the key points, thematic groups and the
impulse wall; dot voting's rankings, unless a round hides its counts until it closes.
No secret of any kind: anyone may open the projector page.
"""

from __future__ import annotations

from ..rooms import event_room
from ..store import Store
from ..tally import summarize
from ..voting_view import projector_tally, public_round
from .common import Admission, Connection, public_contribution


def admit(store: Store, conn: Connection, auth: dict, device: str | None) -> Admission:
    """Anyone may watch: the projector joins the event's room."""
    return Admission(rooms=[event_room(conn.event_id)])


def snapshot(store: Store, conn: Connection, base: str, tables: list[dict]) -> dict:
    """The projector's part of its snapshot (call inside store.read())."""
    eid = conn.event_id
    rounds = [r for r in store.voting_rounds(eid, with_hidden=True) if r["status"] != "draft"]
    return {
        "contributions": [public_contribution(c) for c in store.contributions(eid)],
        "voting": {
            "rounds": [public_round(r) for r in rounds],
            "tallies": {
                str(r["id"]): projector_tally(r, summarize(store.dot_ledger(eid, r["id"]))) for r in rounds
            },
        },
        "key_points": store.key_points(eid),
        "groups": store.groups(eid),
        "impulses": store.impulses(eid),
    }
