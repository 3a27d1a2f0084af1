"""Socket.IO over real websockets against the real (gevent) server process."""

import time

import pytest
import socketio as sio_lib

from tests.helpers import Client, device_cookie, german, make_event, messages, wait_for


@pytest.fixture
def event(server_store):
    return make_event(server_store, tables=3)


def phone(sio, event, table="A", device=1):
    return sio({"event": event["id"], "role": "participant", "table": table}, device=device)


def console(sio, event, server_store):
    key = server_store.facilitator_key(event["id"])
    return sio({"event": event["id"], "role": "console", "key": key})


def test_phone_gets_snapshot_of_its_table_only(sio, event, server_store):
    server_store.add_contribution(event["id"], "A", "idea", "an A")
    server_store.add_contribution(event["id"], "B", "idea", "an B")
    p = phone(sio, event, "A")
    snap = messages(p, "snapshot")[0]
    assert [c["text"] for c in snap["contributions"]] == ["an A"]
    assert snap["event"]["title"] == "Testcafé"
    assert "facilitator_key" not in str(snap) and "host_key" not in str(snap)


def test_contribution_reaches_projector_and_own_table_but_not_other_tables(sio, event):
    projector = sio({"event": event["id"], "role": "projector"})
    a1, a2 = phone(sio, event, "A", 1), phone(sio, event, "A", 2)
    b = phone(sio, event, "B", 3)
    sent = time.monotonic()
    ack = a1.call("submit_contribution", {"client_id": "c-aaaaaaaa", "kind": "need",
                                          "question": 0, "text": "Mehr Sprachkurse"})
    assert ack["ok"] and ack["contribution"]["text"] == "Mehr Sprachkurse"
    wait_for(lambda: messages(projector, "contribution_added"))
    assert time.monotonic() - sent < 1.0  # the projector shows it within a second
    wait_for(lambda: messages(a2, "contribution_added"))
    # Room isolation: table B hears nothing of A. B's own contribution, sent after A's,
    # reaches B over the same socket, so A's would have arrived before it.
    assert b.call("submit_contribution", {"kind": "idea", "text": "Von Tisch B"})["ok"]
    wait_for(lambda: messages(b, "contribution_added"))
    assert [m["contribution"]["text"] for m in messages(b, "contribution_added")] == [
        "Von Tisch B"]
    added = messages(projector, "contribution_added")[0]["contribution"]
    assert added["table"] == "A" and added["kind"] == "need" and added["question"] == 0
    assert "client_id" not in added and "target_group" not in added


def test_bad_payloads_get_a_clear_error_and_store_nothing(sio, event, server_store):
    p = phone(sio, event)
    cases = [
        ({"kind": "idea", "text": ""}, "text_empty"),
        ({"kind": "idea", "text": "x" * 501}, "text_too_long"),
        ({"kind": "wish", "text": "Text"}, "unknown_kind"),
        ({"kind": "idea", "text": "Text", "question": 7}, "unknown_question"),
        ({"kind": "idea", "text": 5}, "invalid_payload"),
        ({"kind": "idea", "text": "Text", "extra": 1}, "invalid_payload"),
        ({"kind": "idea", "text": "Text", "question": 1.5}, "invalid_payload"),
        ("not an object", "invalid_payload"),
        (None, "invalid_payload"),
        # The protocol is JSON only (the server never looks for binary parts when it
        # sends): bytes from a client are refused like any other wrong type.
        ({"kind": "idea", "text": b"Bytes statt Text"}, "invalid_payload"),
        (b"\x00\x01", "invalid_payload"),
    ]
    for payload, code in cases:
        ack = p.call("submit_contribution", payload)
        assert ack["ok"] is False, payload
        assert ack["error"]["code"] == code, payload
        assert ack["error"]["message"], payload
    assert server_store.contributions(event["id"], include_hidden=True) == []


def test_errors_come_in_the_users_language(sio, event, server):
    """German by default; English when the browser asks for it (Accept-Language)."""
    de = phone(sio, event, device=1)
    ack_de = de.call("submit_contribution", {"kind": "idea", "text": ""})
    client = Client()
    client.connect(server.url, auth={"event": event["id"], "role": "participant", "table": "A"},
                   headers={"Cookie": f"fac_device={device_cookie(3)}", "Accept-Language": "en"},
                   transports=["websocket"])
    try:
        ack_en = client.call("submit_contribution", {"kind": "idea", "text": ""})
    finally:
        client.disconnect()
    assert ack_en["error"]["message"] == "Please write something first."
    assert ack_de["error"]["message"] == german("Please write something first.")
    assert ack_de["error"]["message"] != ack_en["error"]["message"]


def test_resend_with_the_same_client_id_is_stored_once(sio, event, server_store):
    p = phone(sio, event)
    payload = {"client_id": "resend-0001", "kind": "idea", "text": "Nur einmal"}
    first, second = p.call("submit_contribution", payload), p.call("submit_contribution", payload)
    assert first["ok"] and second["ok"] and second["duplicate"]
    assert first["contribution"]["id"] == second["contribution"]["id"]
    assert len(server_store.contributions(event["id"])) == 1


def test_hidden_contribution_disappears_from_projector_and_phones(sio, event, server_store):
    projector = sio({"event": event["id"], "role": "projector"})
    p = phone(sio, event)
    facilitator = console(sio, event, server_store)
    c = p.call("submit_contribution", {"kind": "problem", "text": "Tippfehlr"})["contribution"]
    ack = facilitator.call("hide_contribution", {"id": c["id"], "hidden": True})
    assert ack["ok"] and ack["contribution"]["hidden"] is True
    wait_for(lambda: messages(projector, "contribution_removed"))
    wait_for(lambda: messages(p, "contribution_removed"))
    assert messages(projector, "contribution_removed")[0]["id"] == c["id"]
    # the console keeps it, marked hidden; a new projector's snapshot no longer has it
    assert wait_for(lambda: [m for m in messages(facilitator, "contribution_updated")
                             if m["contribution"]["hidden"]])
    late = sio({"event": event["id"], "role": "projector"})
    assert messages(late, "snapshot")[0]["contributions"] == []
    facilitator.call("hide_contribution", {"id": c["id"], "hidden": False})
    fixed = facilitator.call("edit_contribution", {"id": c["id"], "text": "Tippfehler"})
    assert fixed["contribution"]["text"] == "Tippfehler"
    wait_for(lambda: [m for m in messages(projector, "contribution_updated")
                      if m["contribution"]["text"] == "Tippfehler"])


def test_merged_duplicates_leave_projector_phones_and_the_vote(sio, event, server_store):
    projector = sio({"event": event["id"], "role": "projector"})
    at_a, at_b = phone(sio, event, "A", 1), phone(sio, event, "B", 2)
    facilitator = console(sio, event, server_store)
    kept = at_a.call("submit_contribution", {"kind": "idea", "text": "Sprachcafé"})["contribution"]
    dup = at_b.call("submit_contribution", {"kind": "idea", "text": "Ein Sprachcafé!"})["contribution"]
    rnd = facilitator.call("create_voting_round", {"title": "Was zuerst?", "tables": ["A", "B"]})
    facilitator.call("open_voting_round", {"round_id": rnd["round"]["id"]})
    ack = facilitator.call("merge_contributions", {"target_id": kept["id"], "source_ids": [dup["id"]]})
    assert ack["ok"] and ack["target"]["id"] == kept["id"]
    assert [(c["id"], c["hidden"], c["merged_into"]) for c in ack["merged"]] == [
        (dup["id"], True, kept["id"])]
    for client in (projector, at_b):  # gone from the room and from the duplicate's table
        removed = wait_for(lambda c=client: [m for m in messages(c, "contribution_removed")
                                             if m["id"] == dup["id"]])
        assert removed[-1]["merged"] is True  # its author's phone can say where it went
    assert not messages(at_a, "contribution_removed")  # table A never had it
    assert wait_for(lambda: [m for m in messages(facilitator, "contribution_updated")
                             if m["contribution"].get("merged_into") == kept["id"]])
    # the open vote withdraws the duplicate: phones see the kept one only
    update = wait_for(lambda: [m for m in messages(at_a, "voting_round_updated")
                               if len(m["round"]["candidates"]) == 1])[-1]
    assert update["round"]["candidates"][0]["contribution_id"] == kept["id"]
    late = sio({"event": event["id"], "role": "projector"})
    (shown,) = messages(late, "snapshot")[0]["contributions"]
    assert shown["id"] == kept["id"] and "merged_into" not in shown  # console-only field
    refused = facilitator.call("merge_contributions", {"target_id": dup["id"], "source_ids": [kept["id"]]})
    assert refused["error"]["code"] == "merge_invalid" and refused["error"]["message"]
    assert at_a.call("merge_contributions", {"target_id": kept["id"], "source_ids": [dup["id"]]})[
        "error"]["code"] == "forbidden"
    # undo: showing it again brings it back everywhere
    assert facilitator.call("hide_contribution", {"id": dup["id"], "hidden": False})["ok"]
    back = wait_for(lambda: [m for m in messages(projector, "contribution_updated")
                             if m["contribution"]["id"] == dup["id"]])
    assert back[-1]["contribution"]["text"] == "Ein Sprachcafé!"


def test_console_needs_the_key(sio, event, server, server_store):
    with pytest.raises(sio_lib.exceptions.ConnectionError):
        sio({"event": event["id"], "role": "console", "key": "wrong"})
    # a phone cannot use console messages
    p = phone(sio, event)
    c = p.call("submit_contribution", {"kind": "idea", "text": "bleibt"})["contribution"]
    ack = p.call("hide_contribution", {"id": c["id"], "hidden": True})
    assert ack == {"ok": False, "error": {"code": "forbidden", "message": ack["error"]["message"]}}
    assert server_store.get_contribution(event["id"], c["id"])["hidden"] is False


def test_phone_without_device_cookie_or_unknown_table_is_refused(sio, event):
    with pytest.raises(sio_lib.exceptions.ConnectionError):
        sio({"event": event["id"], "role": "participant", "table": "A"})
    with pytest.raises(sio_lib.exceptions.ConnectionError):
        sio({"event": event["id"], "role": "participant", "table": "Q"}, device=1)
    with pytest.raises(sio_lib.exceptions.ConnectionError):
        sio({"event": "missing", "role": "projector"})


def test_plan_edits_reach_every_client(sio, event, server_store):
    p = phone(sio, event)
    projector = sio({"event": event["id"], "role": "projector"})
    facilitator = console(sio, event, server_store)
    ack = facilitator.call("save_table", {"table": {"code": "D", "theme": "Wohnen",
                                                    "questions": ["Was fehlt?"]}})
    assert ack["ok"] and ack["table"]["code"] == "D"
    for client in (p, projector):
        wait_for(lambda c=client: [m for m in messages(c, "event_updated")
                                   if "D" in [t["code"] for t in m["tables"]]])
    bad = facilitator.call("save_table", {"table": {"code": "D", "theme": "x", "questions": ["?"]}})
    assert bad["error"]["code"] == "duplicate_table"
    renamed = facilitator.call("update_event", {"changes": {"title": "Neuer Titel"}})
    assert renamed["event"]["title"] == "Neuer Titel"


def test_target_group_answer_is_recorded(sio, event, server_store):
    p = phone(sio, event)
    assert p.call("set_target_group", {"group": "Ehrenamt"})["ok"]
    bad = p.call("set_target_group", {"group": "Unbekannt"})
    assert bad["error"]["code"] == "invalid_option"
    c = p.call("submit_contribution", {"kind": "idea", "text": "mit Gruppe"})["contribution"]
    assert server_store.get_contribution(event["id"], c["id"])["target_group"] == "Ehrenamt"


def test_reconnect_gets_a_fresh_snapshot_with_what_was_missed(sio, event, server_store):
    p = phone(sio, event)
    p.disconnect()
    server_store.add_contribution(event["id"], "A", "idea", "während du weg warst")
    again = phone(sio, event)
    snap = messages(again, "snapshot")[-1]
    assert [c["text"] for c in snap["contributions"]] == ["während du weg warst"]
    assert snap["version"] > messages(p, "snapshot")[0]["version"]
