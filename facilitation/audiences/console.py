"""The facilitator console: everything, including what nobody else sees.

Hidden contributions and impulses, target groups, tallies per target group and of
withdrawn candidates, draft voting rounds, ticket counts, the rotation plan and every
table's links, the hosts' secret ones included. Needs the event's facilitator key.
"""

from __future__ import annotations

from .. import urls
from ..access import check_facilitator
from ..rooms import console_room
from ..store import Store
from ..tally import summarize
from ..voting_view import console_tally, ticket_summary
from .common import Admission, Connection, console_contribution


def admit(store: Store, conn: Connection, auth: dict, device: str | None) -> Admission:
    """Only with the event's facilitator key."""
    check_facilitator(store, conn.event_id, auth.get("key"))
    return Admission(rooms=[console_room(conn.event_id)])


def snapshot(store: Store, conn: Connection, base: str, tables: list[dict]) -> dict:
    """The console's part of its snapshot (call inside store.read())."""
    eid = conn.event_id
    rounds = store.voting_rounds(eid, with_hidden=True)
    groups = store.get_event(eid)["join_options"]
    return {
        "contributions": [
            console_contribution(c) for c in store.contributions(eid, include_hidden=True)
        ],
        "participants": store.participant_count(eid),
        "table_urls": {t["code"]: urls.table_url(base, eid, t["code"]) for t in tables},
        "voting": {
            "rounds": rounds,
            "tallies": {
                str(r["id"]): console_tally(r, summarize(store.dot_ledger(eid, r["id"])), groups)
                for r in rounds
            },
            "tickets": ticket_summary(store.tickets(eid)),
        },
        "key_points": store.key_points(eid),
        "groups": store.groups(eid),
        "impulses": store.impulses(eid, include_hidden=True),
        "rotation": store.rotation(eid),
        "host_urls": {code: urls.host_url(base, eid, code, key)
                      for code, key in store.host_keys(eid).items()},
    }
