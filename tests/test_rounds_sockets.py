"""Rounds, table hosts, rotation and the conference over real websockets (gevent server)."""

import threading
import time

import pytest
import socketio as sio_lib

from facilitation import timing
from tests.helpers import Client, german, make_event, messages, wait_for


@pytest.fixture
def event(server_store):
    return make_event(server_store, tables=4)


def console(sio, event, store):
    return sio({"event": event["id"], "role": "console", "key": store.facilitator_key(event["id"])})


def phone(sio, event, table="A", device=1):
    return sio({"event": event["id"], "role": "participant", "table": table}, device=device)


def host(sio, event, store, table="A"):
    return sio({"event": event["id"], "role": "host", "table": table,
                "key": store.host_key(event["id"], table)})


def ok(ack):
    assert ack["ok"], ack
    return ack


class SkewedClock:
    """A device whose own clock is `skew_ms` off the server's (same machine, so we know)."""

    def __init__(self, skew_ms: float):
        self.skew_ms = skew_ms

    def now(self) -> float:
        return time.time() * 1000 + self.skew_ms


def measure_offset(client, clock: SkewedClock, pings: int = 5) -> float:
    """What static/js/clocksync.js does: NTP-style pings, shortest round trip wins."""
    samples = []
    for _ in range(pings):
        sent = clock.now()
        ack = ok(client.call("sync_clock", {}))
        samples.append((sent, ack["server_time"], clock.now()))
    return timing.estimate_offset(samples)


def test_phones_with_clocks_minutes_off_show_the_same_remaining_time(sio, event, server_store):
    cons = console(sio, event, server_store)
    ok(cons.call("plan_rounds", {"rounds": 3, "minutes": 20, "lock_between": True, "sound": True}))
    skews = [5 * 60_000, -3 * 60_000, 47 * 60_000 + 123, 0]
    phones = [phone(sio, event, "AB"[i % 2], device=i) for i in range(len(skews))]
    clocks = [SkewedClock(s) for s in skews]
    offsets = [measure_offset(p, c) for p, c in zip(phones, clocks, strict=True)]
    ok(cons.call("start_round", {}))
    for p in phones:
        wait_for(lambda p=p: messages(p, "round_changed"))
    time.sleep(0.7)  # let the countdown run a little
    for p, clock, offset, skew in zip(phones, clocks, offsets, skews, strict=True):
        rnd = messages(p, "round_changed")[-1]["round"]
        assert rnd["state"] == "running" and rnd["number"] == 1
        shown = rnd["ends_at"] - (clock.now() + offset)  # what the phone displays
        truth = rnd["ends_at"] - time.time() * 1000  # the server's own remaining time
        assert abs(shown - truth) < 1000, (skew, shown, truth)
        assert 19 * 60_000 < shown <= 20 * 60_000
        if skew:
            # Without the correction the phone would be off by its whole skew.
            assert abs((rnd["ends_at"] - clock.now()) - truth) > 60_000


def test_round_transitions_reach_everyone_and_a_late_contribution_is_refused(
        sio, event, server_store):
    cons = console(sio, event, server_store)
    projector = sio({"event": event["id"], "role": "projector"})
    p = phone(sio, event, "A", device=11)
    assert messages(p, "snapshot")[0]["round"]["planned"] is False
    ok(cons.call("plan_rounds", {"rounds": 2, "minutes": 20, "lock_between": True, "sound": False}))
    started = ok(cons.call("start_round", {}))["round"]
    assert started["state"] == "running" and started["number"] == 1
    first = ok(p.call("submit_contribution", {"kind": "need", "text": "Sprachcafé"}))
    assert first["contribution"]["round"] == 1
    assert ok(cons.call("pause_round", {}))["round"]["state"] == "paused"
    extended = ok(cons.call("extend_round", {}))["round"]
    assert extended["remaining_ms"] > 24 * 60_000
    ok(cons.call("resume_round", {}))
    ended = ok(cons.call("end_round", {}))["round"]
    assert ended["state"] == "ended" and ended["locked"] is True
    wait_for(lambda: [m for m in messages(p, "round_changed") if m["round"]["locked"]])
    wait_for(lambda: [m for m in messages(projector, "round_changed") if m["round"]["locked"]])
    states = [m["round"]["state"] for m in messages(projector, "round_changed")]
    assert states == ["idle", "running", "paused", "paused", "running", "ended"]

    late = p.call("submit_contribution", {"client_id": "late-0001", "kind": "idea", "text": "Zu spät"})
    assert late["ok"] is False and late["error"]["code"] == "round_locked"
    # The server speaks the UI's default language, German, to a client that asked for none.
    assert late["error"]["message"] == german(
        "This round is over. You can write again when the next round starts; your text stays in the field."
    )
    texts = [c["text"] for c in server_store.contributions(event["id"])]
    assert "Zu spät" not in texts

    # The table host may still type up the paper notes between rounds.
    h = host(sio, event, server_store)
    typed = ok(h.call("enter_contribution", {"kind": "works_well", "question": 1,
                                             "text": "Vom Papier abgetippt"}))
    assert typed["contribution"]["entered_by"] == "host"
    wait_for(lambda: [m for m in messages(projector, "contribution_added")
                      if m["contribution"]["text"] == "Vom Papier abgetippt"])

    assert ok(cons.call("start_round", {}))["round"]["number"] == 2
    again = ok(p.call("submit_contribution", {"client_id": "late-0001", "kind": "idea",
                                              "text": "Zu spät"}))
    assert again["contribution"]["round"] == 2 and again["duplicate"] is False
    ok(cons.call("end_round", {}))
    done = cons.call("start_round", {})
    assert done["error"]["code"] == "no_more_rounds"


def test_round_actions_need_the_console(sio, event, server_store):
    p = phone(sio, event, "A", device=21)
    h = host(sio, event, server_store)
    for client in (p, h):
        for name in ("plan_rounds", "start_round", "end_round", "make_rotation", "set_phase"):
            ack = client.call(name, {})
            assert ack["error"]["code"] == "forbidden", (name, ack)
    assert ok(p.call("sync_clock", {}))["server_time"] > 0


def test_host_sees_its_table_marks_key_points_and_types_for_others(
        sio, server, event, server_store):
    eid = event["id"]
    a, _ = server_store.add_contribution(eid, "A", "need", "Kinderbetreuung während Kursen",
                                         question=0)
    b, _ = server_store.add_contribution(eid, "B", "idea", "Anderer Tisch")
    hidden, _ = server_store.add_contribution(eid, "A", "idea", "Verborgen")
    server_store.set_hidden(eid, hidden["id"], True)
    # Table A's host key does not open table B, and no key opens nothing.
    for auth in ({"event": eid, "role": "host", "table": "B", "key": server_store.host_key(eid, "A")},
                 {"event": eid, "role": "host", "table": "A"}):
        refused = Client()
        with pytest.raises(sio_lib.exceptions.ConnectionError):
            refused.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=5)
    h = host(sio, event, server_store)
    snap = messages(h, "snapshot")[0]
    assert [c["text"] for c in snap["contributions"]] == ["Kinderbetreuung während Kursen"]
    assert snap["key_points"] == [] and "host_urls" not in snap
    cons = console(sio, event, server_store)
    assert set(messages(cons, "snapshot")[0]["host_urls"]) == {"A", "B", "C", "D"}
    table_phone = phone(sio, event, "A", device=31)
    other_phone = phone(sio, event, "B", device=32)
    mark = ok(h.call("mark_key_point", {"id": a["id"], "key_point": True}))
    assert mark == {"ok": True, "id": a["id"], "table": "A", "key_point": True}
    for client in (cons, table_phone):
        wait_for(lambda c=client: messages(c, "key_point_marked"))
    assert h.call("mark_key_point", {"id": b["id"], "key_point": True})["error"]["code"] == (
        "unknown_contribution")
    # Table B's phone hears nothing of A's key point: its own contribution, sent after the
    # mark, reaches it over the same socket, so the mark would have arrived first.
    assert other_phone.call("submit_contribution", {"kind": "idea", "text": "Von Tisch B"})["ok"]
    wait_for(lambda: messages(other_phone, "contribution_added"))
    assert messages(other_phone, "key_point_marked") == []
    assert server_store.key_points(eid) == [a["id"]]
    # The plenary dot vote reuses dot voting: the key points become its candidates.
    vote = ok(cons.call("create_voting_round", {"title": "Kernpunkte der Gruppen",
                                                "contribution_ids": server_store.key_points(eid)}))
    assert [c["contribution_id"] for c in vote["round"]["candidates"]] == [a["id"]]
    assert h.call("submit_contribution", {"kind": "idea", "text": "x"})["error"]["code"] == (
        "forbidden")


def test_rotation_tells_each_phone_its_own_tables(sio, event, server_store):
    cons = console(sio, event, server_store)
    ok(cons.call("plan_rounds", {"rounds": 3, "minutes": 20, "lock_between": True, "sound": False}))
    groups = ["Ehrenamt", "Hauptamt", "Verwaltung"]
    phones = []
    for i in range(12):
        p = phone(sio, event, "ABCD"[i % 4], device=100 + i)
        ok(p.call("set_target_group", {"group": groups[i % 3]}))
        phones.append(p)
    plan = ok(cons.call("make_rotation", {"seed": 7}))["rotation"]
    assert plan["people"] == 12 and plan["figures"]["plan"]["repeat_visits"] == 0
    for rnd in plan["plan"]:
        sizes = [len(t["numbers"]) for t in rnd["tables"]]
        assert sorted(sizes) == [3, 3, 3, 3]
        for t in rnd["tables"]:  # three groups, three seats: one of each at every table
            assert sorted(t["groups"].values()) == [1, 1, 1]
    seen_numbers = set()
    for p in phones:
        seats = wait_for(lambda p=p: messages(p, "seats_assigned"))[0]["seats"]
        assert [s["round"] for s in seats["seats"]] == [1, 2, 3]
        assert len({s["table"] for s in seats["seats"]}) == 3
        seen_numbers.add(seats["number"])
        for s in seats["seats"]:  # the phone's seats agree with the printed plan
            rnd = plan["plan"][s["round"] - 1]
            table = next(t for t in rnd["tables"] if t["table"] == s["table"])
            assert seats["number"] in table["numbers"] and table["theme"] == s["theme"]
    assert seen_numbers == set(range(1, 13))
    # A phone that reconnects finds its seats in the snapshot.
    again = phone(sio, event, "A", device=100)
    assert messages(again, "snapshot")[0]["seats"] == messages(phones[0], "seats_assigned")[0]["seats"]
    # Someone arrives after the plan was made: seated at once, the console's plan grows.
    late = phone(sio, event, "B", device=999)
    seats = messages(late, "snapshot")[0]["seats"]
    assert seats["number"] == 13 and len({s["table"] for s in seats["seats"]}) == 3
    grown = wait_for(lambda: [m for m in messages(cons, "rotation_planned")
                              if m["rotation"]["people"] == 13])[0]["rotation"]
    for rnd in grown["plan"]:
        assert sorted(len(t["numbers"]) for t in rnd["tables"]) == [3, 3, 3, 4]


def test_groups_fill_up_live_and_a_full_group_refuses_politely(sio, server_store):
    event = make_event(server_store, tables=2, kind="akteurskonferenz")
    eid = event["id"]
    cons = console(sio, event, server_store)
    projector = sio({"event": eid, "role": "projector"})
    ok(cons.call("set_group_capacity", {"table": "A", "capacity": 2}))
    phones = [sio({"event": eid, "role": "participant"}, device=200 + i) for i in range(5)]
    acks = [None] * 5

    def choose(i):
        acks[i] = phones[i].call("choose_group", {"table": "A"})

    threads = [threading.Thread(target=choose, args=(i,)) for i in range(5)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    winners = [a for a in acks if a["ok"]]
    losers = [a for a in acks if not a["ok"]]
    assert len(winners) == 2 and len(losers) == 3  # never more than the capacity
    assert {a["error"]["code"] for a in losers} == {"group_full"}
    assert "Thema A" in losers[0]["error"]["message"]

    def latest_a(client):
        updates = messages(client, "groups_updated")
        return updates and next(g for g in updates[-1]["groups"] if g["table"] == "A")

    wait_for(lambda: latest_a(projector) and latest_a(projector)["remaining"] == 0)
    wait_for(lambda: latest_a(phones[4]) and latest_a(phones[4])["members"] == 2)
    # Coalesced: five choices and a capacity change are far fewer than 6 × 7 messages.
    assert len(messages(projector, "groups_updated")) <= 3


def test_impulse_wall_and_agenda_phase(sio, server_store):
    event = make_event(server_store, tables=2, kind="akteurskonferenz")
    eid = event["id"]
    cons = console(sio, event, server_store)
    projector = sio({"event": eid, "role": "projector"})
    plenary_phone = sio({"event": eid, "role": "participant"}, device=300)
    ok(cons.call("set_phase", {"phase": "plenary_input"}))
    wait_for(lambda: messages(plenary_phone, "phase_changed"))
    wait_for(lambda: messages(projector, "phase_changed") == [{"phase": "plenary_input"}])
    sent = ok(plenary_phone.call("submit_impulse", {"client_id": "impulse-001",
                                                    "text": "Mehrsprachige Elternabende"}))
    wait_for(lambda: messages(projector, "impulse_added"))
    assert messages(projector, "impulse_added")[0]["impulse"]["text"] == "Mehrsprachige Elternabende"
    repeat = ok(plenary_phone.call("submit_impulse", {"client_id": "impulse-001",
                                                      "text": "Mehrsprachige Elternabende"}))
    assert repeat["duplicate"] is True and repeat["impulse"]["id"] == sent["impulse"]["id"]
    assert plenary_phone.call("submit_impulse", {"text": ""})["error"]["code"] == "text_empty"
    ok(cons.call("hide_impulse", {"id": sent["impulse"]["id"], "hidden": True}))
    wait_for(lambda: messages(projector, "impulse_removed"))
    assert messages(projector, "impulse_removed")[0] == {"id": sent["impulse"]["id"]}
    # A phone without a table cannot send table contributions.
    ack = plenary_phone.call("submit_contribution", {"kind": "idea", "text": "x"})
    assert ack["ok"] is False
