"""Store side of issue 12: card numbers per event, lifecycle, table editing, mid-event plans."""

import pytest

from facilitation.errors import AppError
from facilitation.rotation_changes import plan_after_held
from tests.helpers import make_event


def test_cards_are_numbered_1_2_3_within_each_event(store):
    a, b = make_event(store, title="A"), make_event(store, title="B")
    numbers = []
    for i in range(3):
        numbers.append(store.add_contribution(a["id"], "A", "idea", f"a{i}")[0]["number"])
        store.add_contribution(b["id"], "B", "need", f"b{i}")
    assert numbers == [1, 2, 3]
    assert [c["number"] for c in store.contributions(b["id"])] == [1, 2, 3]
    # ids are shared by the server's events; numbers are not
    assert [c["id"] for c in store.contributions(b["id"])] != [1, 2, 3]


def test_export_uses_the_number_the_console_shows(store):
    from facilitation.export import take_snapshot

    other = make_event(store, title="Other")
    for i in range(4):
        store.add_contribution(other["id"], "A", "idea", f"x{i}")
    event = make_event(store)
    first, _ = store.add_contribution(event["id"], "A", "idea", "Sprachkurse")
    second, _ = store.add_contribution(event["id"], "B", "idea", "Sprachkurse!")
    store.merge_contributions(event["id"], first["id"], [second["id"]])
    snap = take_snapshot(store, event["id"], base_url="http://x")
    by_text = {c["text"]: c for c in snap.contributions}
    assert by_text["Sprachkurse"]["number"] == first["number"] == 1
    assert by_text["Sprachkurse!"]["number"] == 2
    assert by_text["Sprachkurse!"]["merged_into"] == 1


def test_event_runs_with_its_first_round_and_stays_closed(store):
    event = make_event(store)
    assert store.get_event(event["id"])["status"] == "draft"
    store.plan_rounds(event["id"], rounds=3, minutes=20, lock_between=True, sound=False)
    store.start_round(event["id"])
    assert store.begin_event(event["id"]) is True
    assert store.get_event(event["id"])["status"] == "running"
    assert store.begin_event(event["id"]) is False
    store.update_event(event["id"], {"status": "closed", "next_steps": "Der Rat berät im März."})
    assert store.begin_event(event["id"]) is False
    closed = store.get_event(event["id"])
    assert closed["status"] == "closed" and closed["next_steps"] == "Der Rat berät im März."


def test_time_zone_and_projector_language_are_checked(store):
    event = make_event(store)
    with pytest.raises(AppError):
        store.update_event(event["id"], {"time_zone": "Mars/Olympus"})
    with pytest.raises(AppError):
        store.update_event(event["id"], {"projector_language": "xx"})
    changed = store.update_event(event["id"], {"time_zone": "Europe/Vienna", "projector_language": "en"})
    assert (changed["time_zone"], changed["projector_language"]) == ("Europe/Vienna", "en")
    assert make_event(store)["time_zone"] == "Europe/Berlin"


def test_order_tables_and_copy_questions(store):
    event = make_event(store, tables=3)
    ids = [t["id"] for t in store.tables(event["id"])]
    assert [t["code"] for t in store.order_tables(event["id"], ids[::-1])] == ["C", "B", "A"]
    with pytest.raises(AppError):
        store.order_tables(event["id"], ids[:2])  # every table exactly once
    with pytest.raises(AppError):
        store.order_tables(event["id"], [ids[0], ids[0], ids[1]])
    store.save_table(event["id"], {"id": ids[0], "code": "A", "theme": "Thema A",
                                   "questions": ["Welche Bedarfe?", "Was läuft gut?"]})
    store.save_translations(event["id"], "en", {"tables": {"A": {
        "questions": ["Which needs?", "What works well?"]}}})
    tables = store.copy_questions(event["id"], ids[0])
    assert all(t["questions"] == ["Welche Bedarfe?", "Was läuft gut?"] for t in tables)
    # their translations come along, so every table shows them in the same languages
    assert all(t["questions_i18n"] == tables[0]["questions_i18n"] for t in tables)
    assert tables[0]["questions_i18n"][0]["en"] == "Which needs?"


def test_a_plan_computed_after_round_one_keeps_where_people_sat(store):
    event = make_event(store, tables=4)
    eid = event["id"]
    store.plan_rounds(eid, rounds=3, minutes=20, lock_between=True, sound=False)
    store.start_round(eid)
    people = [store.participant(eid, f"device-{i}".ljust(43, "x"))["id"] for i in range(12)]
    sat = {}
    for i, pid in enumerate(people):
        code = "ABCD"[i % 4]
        sat[pid] = code
        store.add_contribution(eid, code, "idea", f"Beitrag {i}", participant_id=pid)
    store.end_round(eid)
    store.make_rotation(eid, seed=5)
    plans = store.seat_plans(eid)
    for pid in people:
        seats = {s["round"]: s["table"] for s in plans[pid]["seats"]}
        assert seats[1] == sat[pid]  # round 1 as it actually was
        assert set(seats) == {1, 2, 3}
        assert len(set(seats.values())) == 3  # nobody comes back to a table


def test_plan_after_held_avoids_tables_already_visited():
    people = [(i, None) for i in range(20)]
    held = {i: [i % 5, (i + 1) % 5] for i in range(20)}
    plan = plan_after_held(people, 5, 4, held, seed=1)
    for pid, seats in plan.items():
        assert seats[:2] == held[pid]
        assert len(seats) == 4 and len(set(seats)) == 4
    for r in (2, 3):  # tables stay equal in size
        sizes = [sum(1 for s in plan.values() if s[r] == t) for t in range(5)]
        assert max(sizes) - min(sizes) <= 1


def test_connect_refusals_speak_the_pages_language(server, server_store):
    import socketio as sio_lib

    from tests.helpers import Client, german

    event = make_event(server_store)
    reasons = {}
    for lang in ("en", "de"):
        client = Client(reconnection=False)
        client.on("connect_error", lambda data, lang=lang: reasons.setdefault(lang, data))
        with pytest.raises(sio_lib.exceptions.ConnectionError):
            # the browser says German; the page (and so the handshake) says `lang`
            client.connect(f"{server.url}?lang={lang}", headers={"Accept-Language": "de"},
                           auth={"event": event["id"], "role": "console", "key": "wrong"},
                           transports=["websocket"], wait_timeout=5)
    assert reasons["en"]["message"] == "You are not allowed to do this."
    assert reasons["en"]["data"] == {"code": "forbidden", "message": "You are not allowed to do this."}
    assert reasons["de"]["message"] == german("You are not allowed to do this.")


def test_host_entered_dots_have_their_own_budget_and_cap_and_are_marked(store):
    from facilitation.export import take_snapshot

    event = make_event(store)
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Prioritäten", budget=2, cap=1,
                                    statements=["Mehr Kitaplätze", "Lotsen", "Sprachcafé"])
    store.open_voting_round(eid, rnd["id"])
    a, b, c = (x["id"] for x in rnd["candidates"])
    store.host_dot(eid, "A", "Frau K.", rnd["id"], a, "hd-00000001", 1)
    with pytest.raises(AppError):  # cap 1 per item
        store.host_dot(eid, "A", "Frau K.", rnd["id"], a, "hd-00000002", 1)
    state, _ = store.host_dot(eid, "A", " frau  k. ", rnd["id"], b, "hd-00000003", 1)  # same person
    assert state["left"] == 0
    with pytest.raises(AppError):  # budget 2
        store.host_dot(eid, "A", "Frau K.", rnd["id"], c, "hd-00000004", 1)
    store.host_dot(eid, "A", "Person 2", rnd["id"], c, "hd-00000005", 1)  # another person
    # a replay counts once
    store.host_dot(eid, "A", "Person 2", rnd["id"], c, "hd-00000005", 1)
    people = {p["person"]: p for p in store.host_people(eid, "A", rnd["id"])}
    assert people["Frau K."]["left"] == 0 and people["Person 2"]["left"] == 1
    assert store.host_people(eid, "B", rnd["id"]) == []  # another table's host sees nobody
    with pytest.raises(AppError):
        store.host_dot(eid, "A", "   ", rnd["id"], a, "hd-00000006", 1)
    ledger = take_snapshot(store, eid, base_url="http://x").voting_rounds[0]["dots"]
    assert len(ledger) == 3 and all(d["entered_by"] == "host" for d in ledger)


def test_a_hosts_label_for_a_person_never_leaves_the_server(store):
    import json

    from facilitation.export import take_snapshot

    event = make_event(store)
    rnd = store.create_voting_round(event["id"], "Prioritäten", statements=["a", "b"])
    store.open_voting_round(event["id"], rnd["id"])
    store.host_dot(event["id"], "A", "Frau Yılmaz", rnd["id"], rnd["candidates"][0]["id"],
                   "hd-00000009", 1)
    snap = take_snapshot(store, event["id"], base_url="http://x")
    assert "Yılmaz" not in json.dumps(snap.database, ensure_ascii=False)
    assert "Yılmaz" not in json.dumps(snap.voting_rounds, ensure_ascii=False)
