"""The tally feed's ledger cache: reading only new rows gives the same ledger as a full read."""

from __future__ import annotations

from facilitation.sockets.tally_feed import LedgerCache
from tests.helpers import make_event


def test_cached_ledger_equals_a_full_read_as_dots_and_groups_change(store):
    event = make_event(store)
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Leitbild", statements=["a", "b", "c"])
    store.open_voting_round(eid, rnd["id"])
    a, b, c = (x["id"] for x in rnd["candidates"])
    p1 = store.participant(eid, "feed-1-".ljust(43, "x"))["id"]
    p2 = store.participant(eid, "feed-2-".ljust(43, "x"))["id"]
    cache = LedgerCache()

    def both():
        with store.read():
            return cache.rows(store, eid, rnd["id"]), store.dot_ledger(eid, rnd["id"])

    cached, full = both()
    assert cached == full == []
    store.place_dot(eid, rnd["id"], a, p1, "f-0000001")
    store.place_dot(eid, rnd["id"], b, p2, "f-0000002")
    cached, full = both()
    assert cached == full and len(full) == 2
    store.set_target_group(eid, p1, "Ehrenamt")  # groups are read fresh, not cached
    store.remove_dot(eid, rnd["id"], a, p1, "f-0000003")
    store.place_dot(eid, rnd["id"], c, p1, "f-0000004")
    cached, full = both()
    assert cached == full and [r["target_group"] for r in full] == [
        "Ehrenamt", None, "Ehrenamt", "Ehrenamt"]
    # rows vanish only with their participant or event: then the round is read again
    with store.write() as db:
        db.execute("DELETE FROM dots WHERE participant_id = ?", [p2])
    cached, full = both()
    assert cached == full and len(full) == 3
