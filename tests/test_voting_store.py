"""VotingMixin: voting rounds, candidates, the dot ledger and ticket codes."""

from __future__ import annotations

import pytest

from facilitation.errors import AppError
from tests.helpers import make_event


def token(n) -> str:
    return f"voter-{n}-".ljust(43, "x")


@pytest.fixture
def event(store):
    return make_event(store, tables=3)


def contribute(store, eid, table, text, hidden=False):
    c, _ = store.add_contribution(eid, table, "idea", text)
    if hidden:
        store.set_hidden(eid, c["id"], True)
    return c


def test_candidates_from_contributions_tables_and_statements(store, event):
    eid = event["id"]
    a1 = contribute(store, eid, "A", "Sprachkurse am Abend")
    b1 = contribute(store, eid, "B", "Wohnungspaten")
    contribute(store, eid, "B", "versteckt", hidden=True)
    b3 = contribute(store, eid, "B", "Nachbarschaftsfeste")
    rnd = store.create_voting_round(
        eid, "Leitbild", contribution_ids=[a1["id"], b1["id"]], tables=["B"],
        statements=["  Vielfalt ist unsere Stärke "])
    labels = [(c["label"], c["table"], c["theme"]) for c in rnd["candidates"]]
    assert labels == [("Sprachkurse am Abend", "A", "Thema A"), ("Wohnungspaten", "B", "Thema B"),
                      ("Nachbarschaftsfeste", "B", "Thema B"),
                      ("Vielfalt ist unsere Stärke", None, None)]
    assert [c["position"] for c in rnd["candidates"]] == [0, 1, 2, 3]
    assert rnd["candidates"][2]["contribution_id"] == b3["id"]
    assert (rnd["status"], rnd["budget"], rnd["cap"], rnd["hide_counts"]) == ("draft", 5, 3, False)
    # the exports' shape: exactly these keys
    listed = store.voting_rounds(eid)[0]
    assert set(listed["candidates"][0]) == {"id", "label", "label_i18n", "contribution_id", "table",
                                             "theme", "theme_i18n", "position"}
    assert {"id", "title", "status", "budget", "cap", "hide_counts", "created_at", "opened_at",
            "closed_at", "candidates"} <= set(listed)


@pytest.mark.parametrize("kwargs, code", [
    ({}, "no_candidates"),
    ({"contribution_ids": [999]}, "unknown_contribution"),
    ({"tables": ["Z"]}, "unknown_table"),
    ({"statements": ["   "]}, "text_empty"),
    ({"statements": ["x"] * 201}, "too_many_candidates"),
])
def test_bad_rounds_are_refused_and_nothing_is_stored(store, event, kwargs, code):
    with pytest.raises(AppError) as exc:
        store.create_voting_round(event["id"], "Runde", **kwargs)
    assert exc.value.code == code
    assert store.voting_rounds(event["id"]) == []


def test_lifecycle_one_open_round_at_a_time(store, event):
    eid = event["id"]
    r1 = store.create_voting_round(eid, "Leitbild", statements=["a"])
    r2 = store.create_voting_round(eid, "Maßnahmen", statements=["b"])
    with pytest.raises(AppError, match="voting_not_open"):
        store.close_voting_round(eid, r1["id"])
    assert store.open_voting_round(eid, r1["id"])["status"] == "open"
    with pytest.raises(AppError, match="voting_round_open"):
        store.open_voting_round(eid, r2["id"])
    with pytest.raises(AppError, match="voting_round_not_draft"):
        store.delete_voting_round(eid, r1["id"])
    closed = store.close_voting_round(eid, r1["id"])
    assert closed["status"] == "closed" and closed["closed_at"] and closed["opened_at"]
    with pytest.raises(AppError, match="voting_closed"):
        store.open_voting_round(eid, r1["id"])  # a closed round never reopens
    store.open_voting_round(eid, r2["id"])
    other = make_event(store, tables=1)
    with pytest.raises(AppError, match="unknown_voting_round"):
        store.open_voting_round(other["id"], r1["id"])  # rounds belong to their event
    actions = [a["action"] for a in store.actions(eid)]
    assert actions.count("voting_round_opened") == 2 and "voting_round_closed" in actions


def test_dots_outside_an_open_round_or_on_bad_candidates(store, event):
    eid = event["id"]
    hidden = contribute(store, eid, "A", "wird zurückgezogen")
    rnd = store.create_voting_round(eid, "Leitbild", statements=["a"],
                                    contribution_ids=[hidden["id"]])
    a, h = rnd["candidates"][1]["id"], rnd["candidates"][0]["id"]
    pid = store.participant(eid, token(1))["id"]
    with pytest.raises(AppError, match="voting_not_open"):
        store.place_dot(eid, rnd["id"], a, pid, "c1-aaaaaa")
    store.open_voting_round(eid, rnd["id"])
    store.place_dot(eid, rnd["id"], h, pid, "c2-aaaaaa")
    store.set_hidden(eid, hidden["id"], True)
    with pytest.raises(AppError, match="candidate_hidden"):
        store.place_dot(eid, rnd["id"], h, pid, "c3-aaaaaa")
    # a dot on a withdrawn item can be taken back to the budget
    state, _ = store.remove_dot(eid, rnd["id"], h, pid, "c4-aaaaaa")
    assert state["used"] == 0
    other = store.create_voting_round(eid, "Andere", statements=["b"])
    with pytest.raises(AppError, match="unknown_candidate"):
        store.place_dot(eid, rnd["id"], other["candidates"][0]["id"], pid, "c5-aaaaaa")
    with pytest.raises(AppError, match="no_dot_to_remove"):
        store.remove_dot(eid, rnd["id"], a, pid, "c6-aaaaaa")
    store.close_voting_round(eid, rnd["id"])
    with pytest.raises(AppError, match="voting_closed"):
        store.place_dot(eid, rnd["id"], a, pid, "c7-aaaaaa")
    with pytest.raises(AppError, match="voting_closed"):
        store.remove_dot(eid, rnd["id"], h, pid, "c8-aaaaaa")
    with pytest.raises(AppError, match="unknown_event"):
        store.place_dot("no-such-event", rnd["id"], a, pid, "c9-aaaaaa")
    with pytest.raises(AppError, match="unknown_voting_round"):
        store.place_dot(eid, 99999, a, pid, "c10-aaaaaa")
    third = store.create_voting_round(eid, "Dritte", statements=["c"])
    store.open_voting_round(eid, third["id"])
    store.update_event(eid, {"status": "closed"})
    with pytest.raises(AppError, match="event_closed"):
        store.place_dot(eid, third["id"], third["candidates"][0]["id"], pid, "c11-aaaaaa")
    assert [r["delta"] for r in store.dot_ledger(eid)] == [1, -1]


def test_replayed_client_id_counts_once_and_cannot_be_reused_elsewhere(store, event):
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Leitbild", statements=["a", "b"])
    store.open_voting_round(eid, rnd["id"])
    a, b = (c["id"] for c in rnd["candidates"])
    pid = store.participant(eid, token(1))["id"]
    first, created = store.place_dot(eid, rnd["id"], a, pid, "same-key-1")
    again, created_again = store.place_dot(eid, rnd["id"], a, pid, "same-key-1")
    assert created and not created_again and again == first
    with pytest.raises(AppError, match="invalid_payload"):
        store.place_dot(eid, rnd["id"], b, pid, "same-key-1")
    # another device may use the same key: keys are per device
    other = store.participant(eid, token(2))["id"]
    assert store.place_dot(eid, rnd["id"], a, other, "same-key-1")[1]
    assert len(store.dot_ledger(eid)) == 2


def test_ledger_rows_and_target_group_follow_the_participant(store, event):
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Leitbild", statements=["a"])
    store.open_voting_round(eid, rnd["id"])
    pid = store.participant(eid, token(1))["id"]
    store.set_target_group(eid, pid, "Ehrenamt")
    store.place_dot(eid, rnd["id"], rnd["candidates"][0]["id"], pid, "k-00000001")
    (row,) = store.dot_ledger(eid)
    assert set(row) == {"id", "round_id", "candidate_id", "participant_id", "target_group",
                        "delta", "at", "entered_by"}
    assert row["entered_by"] == "participant"
    assert (row["target_group"], row["delta"]) == ("Ehrenamt", 1)
    store.set_target_group(eid, pid, "Hauptamt")
    assert store.dot_ledger(eid)[0]["target_group"] == "Hauptamt"


def test_tickets_unlock_one_budget_each(store, event):
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Leitbild", statements=["a"], require_ticket=True)
    store.open_voting_round(eid, rnd["id"])
    cand = rnd["candidates"][0]["id"]
    codes = store.generate_tickets(eid, 3)
    assert len(set(codes)) == 3 and all(len(c) == 9 and c[4] == "-" for c in codes)
    alice, bob = (store.participant(eid, token(n))["id"] for n in (1, 2))
    with pytest.raises(AppError, match="ticket_required"):
        store.place_dot(eid, rnd["id"], cand, alice, "t-00000001")
    with pytest.raises(AppError, match="unknown_ticket"):
        store.redeem_ticket(eid, alice, "AAAA-AAAA")
    store.redeem_ticket(eid, alice, codes[0].lower().replace("-", " "))  # as typed
    assert store.place_dot(eid, rnd["id"], cand, alice, "t-00000002")[1]
    with pytest.raises(AppError, match="ticket_used"):
        store.redeem_ticket(eid, bob, codes[0])
    # a device that has a code keeps it; a second code stays free for someone else
    store.redeem_ticket(eid, alice, codes[1])
    assert [t["redeemed"] for t in store.tickets(eid)] == [True, False, False]
    store.redeem_ticket(eid, bob, codes[1])
    assert store.has_ticket(eid, bob)
    other = make_event(store, tables=1)
    carol = store.participant(other["id"], token(3))["id"]
    with pytest.raises(AppError, match="unknown_ticket"):
        store.redeem_ticket(other["id"], carol, codes[2])  # codes belong to their event


def test_demo_sample_data_holds_a_closed_voting_round_with_every_target_group(store):
    from facilitation import tally
    from facilitation.demo import create_demo
    from facilitation.rules import DEFAULT_TARGET_GROUPS

    event = create_demo(store, sample_data=True)
    (rnd,) = store.voting_rounds(event["id"])
    assert rnd["status"] == "closed" and rnd["closed_at"]
    ledger = store.dot_ledger(event["id"])
    assert {r["target_group"] for r in ledger} == set(DEFAULT_TARGET_GROUPS)
    assert any(r["delta"] == -1 for r in ledger)  # people changed their minds, too
    for pid in {r["participant_id"] for r in ledger}:
        mine = tally.dots_of(ledger, pid)
        assert sum(mine.values()) <= rnd["budget"] and max(mine.values()) <= rnd["cap"]
    assert sum(tally.tally(ledger).values()) > 50


def test_a_dot_sees_every_change_to_its_round_made_since_the_last_dot(store, event, tmp_path):
    """What a dot checks is kept between dots: any other change, here, in a rolled-back
    write or by another process on the same database, is seen at the next dot."""
    from facilitation.store import Store

    eid = event["id"]
    item = contribute(store, eid, "A", "wird zurückgezogen")
    rnd = store.create_voting_round(eid, "Leitbild", statements=["a"], contribution_ids=[item["id"]])
    h, a = (c["id"] for c in rnd["candidates"])
    pid = store.participant(eid, token(1))["id"]
    # A write that opens the round and records a dot, then fails: nothing of it remains.
    with pytest.raises(RuntimeError), store.write():
        store.open_voting_round(eid, rnd["id"])
        assert store.place_dot(eid, rnd["id"], a, pid, "inside-rolled-back")[1]
        raise RuntimeError("the verb failed after the dot")
    with pytest.raises(AppError, match="voting_not_open"):
        store.place_dot(eid, rnd["id"], a, pid, "after-rollback")
    store.open_voting_round(eid, rnd["id"])
    assert store.place_dot(eid, rnd["id"], h, pid, "k-1-aaaaaa")[1]
    # Another server process (its own connection) withdraws the item, then closes the round.
    other = Store(store.path)
    try:
        other.set_hidden(eid, item["id"], True)
        with pytest.raises(AppError, match="candidate_hidden"):
            store.place_dot(eid, rnd["id"], h, pid, "k-2-aaaaaa")
        assert store.place_dot(eid, rnd["id"], a, pid, "k-3-aaaaaa")[1]
        other.close_voting_round(eid, rnd["id"])
        with pytest.raises(AppError, match="voting_closed"):
            store.place_dot(eid, rnd["id"], a, pid, "k-4-aaaaaa")
    finally:
        other.close()
    assert [(r["candidate_id"], r["delta"]) for r in store.dot_ledger(eid)] == [(h, 1), (a, 1)]


def test_a_replay_is_answered_as_before_after_the_round_closed_or_the_budget_ran_out(store, event):
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Leitbild", statements=["a", "b"], budget=2, cap=2)
    store.open_voting_round(eid, rnd["id"])
    a, b = (c["id"] for c in rnd["candidates"])
    pid = store.participant(eid, token(1))["id"]
    store.place_dot(eid, rnd["id"], a, pid, "first-key")
    last, _ = store.place_dot(eid, rnd["id"], b, pid, "last-key")
    # The budget is used up: the replay of the last dot is still "accepted before".
    again, created = store.place_dot(eid, rnd["id"], b, pid, "last-key")
    assert (again, created) == (last, False)
    with pytest.raises(AppError, match="budget_exhausted"):
        store.place_dot(eid, rnd["id"], b, pid, "new-key")
    store.close_voting_round(eid, rnd["id"])
    assert store.place_dot(eid, rnd["id"], a, pid, "first-key") == (last, False)
    with pytest.raises(AppError, match="invalid_payload"):  # the key of another dot
        store.place_dot(eid, rnd["id"], b, pid, "first-key")
    assert len(store.dot_ledger(eid)) == 2
