"""Dot voting over real websockets against the real (gevent) server process."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import pytest

from facilitation.sockets.tally_feed import INTERVAL
from tests.helpers import Client, close_all, make_event, messages, wait_for

REFUSALS = {"budget_exhausted", "cap_reached", "no_dot_to_remove"}


@pytest.fixture
def event(server_store):
    return make_event(server_store, tables=3)


def phone(sio, event, device, table="A"):
    auth = {"event": event["id"], "role": "participant"}
    if table is not None:
        auth["table"] = table
    return sio(auth, device=device)


def console(sio, event, server_store):
    return sio({"event": event["id"], "role": "console",
                "key": server_store.facilitator_key(event["id"])})


def open_round(con, **kw):
    """Create and open a voting round from the console; returns the round."""
    payload = {"title": "Leitbild", "statements": ["Vielfalt", "Teilhabe", "Sprache", "Arbeit"]}
    ack = con.call("create_voting_round", {**payload, **kw})
    assert ack["ok"], ack
    opened = con.call("open_voting_round", {"round_id": ack["round"]["id"]})
    assert opened["ok"], opened
    return opened["round"]


def dot(client, rnd, index, key, place=True):
    name = "place_dot" if place else "remove_dot"
    return client.call(name, {"round_id": rnd["id"], "candidate_id": rnd["candidates"][index]["id"],
                              "client_id": key}, timeout=15)


def test_phone_places_and_removes_dots_within_budget_and_cap(sio, event, server_store):
    con = console(sio, event, server_store)
    rnd = open_round(con, budget=3, cap=2)
    p = phone(sio, event, 1)
    assert dot(p, rnd, 0, "k-00000001")["mine"]["left"] == 2
    assert dot(p, rnd, 0, "k-00000002")["mine"]["dots"] == {str(rnd["candidates"][0]["id"]): 2}
    over_cap = dot(p, rnd, 0, "k-00000003")
    assert over_cap["error"]["code"] == "cap_reached"
    # the message names the cap (its German wording comes with the lead's catalogue update)
    assert "2" in over_cap["error"]["message"]
    assert dot(p, rnd, 1, "k-00000004")["mine"]["left"] == 0
    over_budget = dot(p, rnd, 2, "k-00000005")
    assert over_budget["error"]["code"] == "budget_exhausted"
    replay = dot(p, rnd, 1, "k-00000004")  # the same message again: counts nothing
    assert replay["ok"] and replay["duplicate"] and replay["mine"]["used"] == 3
    removed = dot(p, rnd, 0, "k-00000006", place=False)
    assert removed["mine"]["left"] == 1  # a removed dot returns to the budget
    assert dot(p, rnd, 2, "k-00000007")["ok"]
    ledger = server_store.dot_ledger(event["id"])
    assert [r["delta"] for r in ledger] == [1, 1, 1, -1, 1]


def test_projector_gets_coalesced_tallies_and_phones_get_no_broadcast(sio, event, server_store):
    con = console(sio, event, server_store)
    projector = sio({"event": event["id"], "role": "projector"})
    rnd = open_round(con, budget=5, cap=5)
    phones = [phone(sio, event, n) for n in range(1, 9)]
    bystander = phone(sio, event, 99)
    before = len(messages(projector, "tally"))
    start = time.monotonic()

    def vote(p, n):
        for k in range(5):
            assert dot(p, rnd, (k + n) % 4, f"d-{n:03d}-{k:04d}")["ok"]

    threads = [threading.Thread(target=vote, args=(p, n)) for n, p in enumerate(phones)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    final = wait_for(lambda: [m for m in messages(projector, "tally") if m["dots"] == 40])
    elapsed = time.monotonic() - start
    sent = len(messages(projector, "tally")) - before
    # 40 dots in `elapsed` seconds; the feed sends at most one tally per tick
    assert sent <= elapsed / INTERVAL + 2, (sent, elapsed)
    assert final[-1]["voters"] == 8
    assert [r["dots"] for r in final[-1]["ranking"]] == [10, 10, 10, 10]
    assert all(r["rank"] == 1 and r["tied"] for r in final[-1]["ranking"])  # ties are ties
    # The phones' next broadcast (the round closing) comes after every tally and dot
    # above, over the bystander's one socket: none of those reached it before.
    assert con.call("close_voting_round", {"round_id": rnd["id"]})["ok"]
    wait_for(lambda: [m for m in messages(bystander, "voting_round_updated")
                      if m["round"]["status"] == "closed"])
    assert messages(bystander, "tally") == [] and messages(bystander, "my_dots") == []


def test_counts_stay_hidden_until_the_round_closes(sio, event, server_store):
    con = console(sio, event, server_store)
    projector = sio({"event": event["id"], "role": "projector"})
    rnd = open_round(con, hide_counts=True)
    p = phone(sio, event, 1)
    assert dot(p, rnd, 2, "h-00000001")["ok"]
    hidden = wait_for(lambda: [m for m in messages(projector, "tally") if m["dots"] == 1])[-1]
    assert hidden["ranking"] is None and hidden["voters"] == 1
    wait_for(lambda: [m for m in messages(con, "tally") if m["dots"] == 1])
    assert messages(con, "tally")[-1]["ranking"][0]["dots"] == 1  # the console sees it
    assert con.call("close_voting_round", {"round_id": rnd["id"]})["ok"]
    final = wait_for(lambda: [m for m in messages(projector, "tally") if m["status"] == "closed"])
    assert final[-1]["ranking"][0] == {"candidate_id": rnd["candidates"][2]["id"], "dots": 1,
                                       "rank": 1, "tied": False}
    closed = wait_for(lambda: [m for m in messages(p, "voting_round_updated")
                               if m["round"]["status"] == "closed"])
    assert closed
    late = dot(p, rnd, 1, "h-00000002")
    assert late["error"]["code"] == "voting_closed"


def test_bad_input_gets_a_clear_error_and_changes_nothing(sio, event, server_store):
    con = console(sio, event, server_store)
    draft = con.call("create_voting_round", {"title": "Entwurf", "statements": ["x"]})["round"]
    p = phone(sio, event, 1)
    cand = draft["candidates"][0]["id"]
    base = {"round_id": draft["id"], "candidate_id": cand, "client_id": "bad-00000001"}
    cases = [
        (base, "voting_not_open"),
        ({**base, "round_id": 99999}, "unknown_voting_round"),
        ({**base, "count": -1}, "invalid_payload"),
        ({**base, "candidate_id": 1.5}, "invalid_payload"),
        ({**base, "candidate_id": -3}, "invalid_payload"),
        ({**base, "participant_id": 1}, "invalid_payload"),  # no forging another device
        ({"round_id": draft["id"], "candidate_id": cand}, "invalid_payload"),  # no key
        ("place", "invalid_payload"),
    ]
    for payload, code in cases:
        ack = p.call("place_dot", payload)
        assert ack["ok"] is False and ack["error"]["code"] == code, (payload, ack)
        assert ack["error"]["message"]
    rnd = open_round(con)
    other = con.call("create_voting_round", {"title": "Andere", "statements": ["y"]})["round"]
    ack = p.call("place_dot", {"round_id": rnd["id"], "client_id": "bad-00000002",
                               "candidate_id": other["candidates"][0]["id"]})
    assert ack["error"]["code"] == "unknown_candidate"
    assert p.call("create_voting_round", {"title": "x", "statements": ["y"]})["error"]["code"] == (
        "forbidden")
    projector = sio({"event": event["id"], "role": "projector"})
    assert projector.call("place_dot", {**base, "round_id": rnd["id"]})["error"]["code"] == (
        "forbidden")
    assert server_store.dot_ledger(event["id"]) == []


def test_forged_device_token_cannot_vote(server, event):
    import socketio as sio_lib

    client = Client(reconnection=False)
    refused = []
    client.on("connect_error", lambda data: refused.append(data))
    with pytest.raises(sio_lib.exceptions.ConnectionError):
        client.connect(server.url, auth={"event": event["id"], "role": "participant"},
                       headers={"Cookie": "fac_device=forged"}, transports=["websocket"],
                       wait_timeout=5)
    assert refused and "forbidden" in str(refused[0]), refused


def test_phone_without_table_votes_and_sees_no_contributions(sio, event, server_store):
    server_store.add_contribution(event["id"], "A", "idea", "nur für Tisch A")
    con = console(sio, event, server_store)
    rnd = open_round(con)
    p = phone(sio, event, 5, table=None)
    snap = messages(p, "snapshot")[0]
    assert snap["contributions"] == [] and snap["table"] is None
    assert snap["voting"]["round"]["id"] == rnd["id"]
    assert snap["voting"]["mine"] == {"round_id": rnd["id"], "dots": {}, "used": 0, "left": 5,
                                      "budget": 5, "unlocked": True}
    assert dot(p, rnd, 0, "nt-0000001")["ok"]
    ack = p.call("submit_contribution", {"kind": "idea", "text": "ohne Tisch"})
    assert ack["ok"] is False  # a phone without a table cannot post contributions


def test_two_sockets_of_one_device_share_one_budget(sio, event, server_store):
    con = console(sio, event, server_store)
    rnd = open_round(con, budget=3, cap=3)
    tab1, tab2 = phone(sio, event, 7), phone(sio, event, 7, table="B")
    results = []

    def hammer(client, tag):
        for k in range(6):
            results.append(dot(client, rnd, k % 2, f"{tag}-{k:06d}"))

    threads = [threading.Thread(target=hammer, args=(c, tag))
               for c, tag in ((tab1, "one"), (tab2, "two"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sum(1 for r in results if r["ok"]) == 3
    assert {r["error"]["code"] for r in results if not r["ok"]} == {"budget_exhausted"}
    # each tab hears about the other's dots
    wait_for(lambda: messages(tab1, "my_dots") or messages(tab2, "my_dots"))
    assert len(server_store.dot_ledger(event["id"])) == 3


def test_tickets_over_sockets(sio, event, server_store):
    con = console(sio, event, server_store)
    codes = con.call("generate_tickets", {"count": 2})
    assert codes["ok"] and codes["summary"] == {"total": 2, "redeemed": 0}
    rnd = open_round(con, require_ticket=True)
    p, q = phone(sio, event, 1), phone(sio, event, 2)
    assert messages(p, "snapshot")[0]["voting"]["mine"]["unlocked"] is False
    assert dot(p, rnd, 0, "tk-0000001")["error"]["code"] == "ticket_required"
    assert p.call("redeem_ticket", {"code": "ZZZZ-ZZZZ"})["error"]["code"] == "unknown_ticket"
    assert p.call("redeem_ticket", {"code": codes["tickets"][0]})["ok"]
    wait_for(lambda: {"total": 2, "redeemed": 1} in messages(con, "tickets_updated"))
    wait_for(lambda: messages(p, "my_dots") and messages(p, "my_dots")[-1]["unlocked"])
    assert dot(p, rnd, 0, "tk-0000002")["ok"]
    assert q.call("redeem_ticket", {"code": codes["tickets"][0]})["error"]["code"] == "ticket_used"
    for k in range(12):  # guessing is limited per device
        last = q.call("redeem_ticket", {"code": f"GUES-S{k:03d}"})
    assert last["error"]["code"] == "rate_limited"


def test_console_tally_per_target_group_and_withdrawn_candidate(sio, event, server_store):
    eid = event["id"]
    c, _ = server_store.add_contribution(eid, "A", "idea", "Sprachcafé")
    con = console(sio, event, server_store)
    rnd = open_round(con, contribution_ids=[c["id"]])
    voters = [(1, "Ehrenamt"), (2, "Hauptamt"), (3, "Ehrenamt"), (4, None)]
    for device, group in voters:
        p = phone(sio, event, device)
        if group:
            assert p.call("set_target_group", {"group": group})["ok"]
        assert dot(p, rnd, 0, f"g-{device:07d}")["ok"]
    first = rnd["candidates"][0]["id"]
    tallies = wait_for(lambda: [m for m in messages(con, "tally") if m["dots"] == 4])
    assert tallies[-1]["by_group"][str(first)] == {"Ehrenamt": 2, "Hauptamt": 1, "": 1}
    assert tallies[-1]["groups"] == ["Ehrenamt", "Hauptamt", "Verwaltung"]
    # the contribution is hidden: phones and projector lose the candidate at once
    projector = sio({"event": eid, "role": "projector"})
    assert con.call("hide_contribution", {"id": c["id"], "hidden": True})["ok"]
    update = wait_for(lambda: messages(projector, "voting_round_updated"))[-1]
    assert first not in [x["id"] for x in update["round"]["candidates"]]
    late = phone(sio, event, 9)
    assert dot(late, rnd, 0, "g-late-0001")["error"]["code"] == "candidate_hidden"
    # The next dot's tally (the round is kept between tallies while only dots come)
    # leaves the withdrawn item out of the projector's ranking.
    assert dot(late, rnd, 1, "g-late-0002")["ok"]
    second = rnd["candidates"][1]["id"]
    shown = wait_for(lambda: [m for m in messages(projector, "tally")
                              if {"candidate_id": second, "dots": 1} in
                              [{k: r[k] for k in ("candidate_id", "dots")} for r in m["ranking"]]])
    assert first not in [r["candidate_id"] for r in shown[-1]["ranking"]]
    assert len(server_store.dot_ledger(eid)) == 5


def test_fifty_clients_vote_concurrently_and_the_tally_matches_the_acks(sio, event, server_store):
    """50 real clients place and remove dots at once, with over-budget and over-cap
    attempts and replays mixed in; the final tally equals a recount of accepted acks."""
    con = console(sio, event, server_store)
    projector = sio({"event": event["id"], "role": "projector"})
    rnd = open_round(con, budget=3, cap=2)
    clients = [None] * 50

    def join(n):
        clients[n] = phone(sio, event, 1000 + n, table="ABC"[n % 3])

    joiners = [threading.Thread(target=join, args=(n,)) for n in range(50)]
    for t in joiners:
        t.start()
    for t in joiners:
        t.join(60)
    assert all(clients)
    acks: list[tuple[int, int, dict]] = []  # (candidate index, +1/-1, ack)
    lock = threading.Lock()
    go = threading.Barrier(50)

    def vote(n):
        rng = random.Random(n)
        go.wait()
        for k in range(9):  # 9 tries with a budget of 3: over-budget attempts for sure
            index = rng.choice([0, 0, 1, 2, 3])  # candidate 0 is popular: over-cap attempts
            place = rng.random() < 0.75
            key = f"c{n:03d}-{k:04d}"
            ack = dot(clients[n], rnd, index, key, place)
            with lock:
                acks.append((index, 1 if place else -1, ack))
            if k == 4:  # a replayed message must not count twice
                again = dot(clients[n], rnd, index, key, place)
                assert again["ok"] == ack["ok"] and (not again["ok"] or again["duplicate"])

    threads = [threading.Thread(target=vote, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(acks) == 450
    recount = Counter()
    for index, delta, ack in acks:
        if ack["ok"]:
            assert not ack["duplicate"]
            recount[rnd["candidates"][index]["id"]] += delta
        else:
            assert ack["error"]["code"] in REFUSALS and ack["error"]["message"], ack
    refused = Counter(ack["error"]["code"] for _, _, ack in acks if not ack["ok"])
    assert refused["budget_exhausted"] > 0 and refused["cap_reached"] > 0
    ledger = server_store.dot_ledger(event["id"], rnd["id"])
    tally = Counter()
    for row in ledger:
        tally[row["candidate_id"]] += row["delta"]
    assert +tally == +recount
    per_device, per_device_item = Counter(), Counter()
    for row in ledger:
        per_device[row["participant_id"]] += row["delta"]
        per_device_item[row["participant_id"], row["candidate_id"]] += row["delta"]
    assert max(per_device.values()) <= 3  # the budget
    assert max(per_device_item.values()) <= 2  # the cap
    assert min(per_device_item.values()) >= 0  # nobody took back a dot they never placed
    # the projector's last tally counts the newest ledger row (a total alone can repeat
    # on the way, as dots come and go)
    newest = max(row["id"] for row in ledger)
    final = wait_for(lambda: [m for m in messages(projector, "tally") if m["seq"] == newest],
                     timeout=10)
    assert final[-1]["dots"] == sum(recount.values())
    shown = {r["candidate_id"]: r["dots"] for r in final[-1]["ranking"] if r["dots"]}
    assert shown == dict(+recount)
    close_all(clients)


def test_a_closed_round_brings_its_result_to_phones_and_to_late_arrivals(sio, event, server_store):
    con = console(sio, event, server_store)
    rnd = open_round(con, budget=3, cap=3, hide_counts=True)
    voters = [phone(sio, event, n) for n in (1, 2)]
    assert all(dot(voters[0], rnd, 2, f"r-0000000{k}")["ok"] for k in range(3))
    assert dot(voters[1], rnd, 0, "r-00000010")["ok"] and dot(voters[1], rnd, 1, "r-00000011")["ok"]
    # while the round is open, no phone sees a count (not even with its own dots)
    assert "result" not in messages(voters[0], "snapshot")[0]["voting"]["round"]
    assert con.call("close_voting_round", {"round_id": rnd["id"]})["ok"]
    ids = [c["id"] for c in rnd["candidates"]]
    expected = [{"candidate_id": ids[2], "dots": 3, "rank": 1, "tied": False},
                {"candidate_id": ids[0], "dots": 1, "rank": 2, "tied": True},
                {"candidate_id": ids[1], "dots": 1, "rank": 2, "tied": True},
                {"candidate_id": ids[3], "dots": 0, "rank": 4, "tied": False}]
    for p in voters:
        closed = wait_for(lambda p=p: [m for m in messages(p, "voting_round_updated")
                                       if m["round"]["status"] == "closed"])
        assert closed[-1]["round"]["result"] == expected
    late = phone(sio, event, 3, table=None)  # the voting page, after the close
    assert messages(late, "snapshot")[0]["voting"]["round"]["result"] == expected
    close_all([*voters, late])
