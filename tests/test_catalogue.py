"""The measures catalogue written in the tool: store verbs, votes flowing back into
priority, the session files (sheet, one file per department, report, event.json round
trip), live updates over a real socket, and the page in a real Chromium."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
import requests

from facilitation.errors import AppError
from facilitation.export import render_all, take_snapshot
from facilitation.session_import import import_session
from facilitation.store import Store
from tests.helpers import device_cookie, make_event, messages, wait_for


def cards(store, eid):
    made = {}
    for table, kind, text in [("A", "need", "Mehr Kita-Plätze mit Sprachförderung"),
                              ("A", "idea", "Sprachkurse am Abend"),
                              ("B", "problem", "Anerkennung dauert zu lange"),
                              ("B", "works_well", "Jobcenter hilft"),
                              ("B", "idea", "Jobmesse mit Dolmetschenden")]:
        made[text], _ = store.add_contribution(eid, table, kind, text, 0)
    return made


def test_rows_are_written_moved_split_joined_and_deleted(store):
    event = make_event(store)
    eid = event["id"]
    made = cards(store, eid)
    kita = made["Mehr Kita-Plätze mit Sprachförderung"]["id"]
    first = store.add_catalogue_row(eid, {"field": "Thema A", "measure": "Kita-Ausbau",
                                          "sources": [kita]})
    second = store.add_catalogue_row(eid, {"measure": "Abendkurse", "who": "VHS; Jobcenter"})
    row = store.update_catalogue_row(eid, first["id"], {
        "goal": "Jedes Kind findet einen Kita-Platz", "target_group": "Kinder", "horizon": "long",
        "status": "planned", "who": "Jugendamt"})
    assert (row["goal"], row["horizon"], row["status"], row["sources"]) == (
        "Jedes Kind findet einen Kita-Platz", "long", "planned", [kita])
    assert [r["id"] for r in store.move_catalogue_row(eid, second["id"], 0)] == [second["id"], first["id"]]
    copy = store.split_catalogue_row(eid, first["id"])
    assert [r["id"] for r in store.catalogue(eid)] == [second["id"], first["id"], copy["id"]]
    assert copy["sources"] == [kita] and copy["goal"] == row["goal"]
    store.update_catalogue_row(eid, copy["id"], {"measure": "Tagespflege ausbauen"})
    joined = store.join_catalogue_rows(eid, first["id"], copy["id"])
    assert joined["measure"] == "Kita-Ausbau\nTagespflege ausbauen"
    store.delete_catalogue_row(eid, second["id"])
    assert [r["id"] for r in store.catalogue(eid)] == [first["id"]]


@pytest.mark.parametrize("changes, code", [
    ({"status": "maybe"}, "invalid_payload"), ({"horizon": "soon"}, "invalid_payload"),
    ({"colour": "red"}, "invalid_payload"), ({"measure": "x" * 1001}, "text_too_long"),
    ({"sources": [999999]}, "unknown_contribution"), ({"sources": "1"}, "invalid_payload"),
])
def test_bad_changes_are_refused_and_change_nothing(store, changes, code):
    eid = make_event(store)["id"]
    row = store.add_catalogue_row(eid, {"measure": "Bleibt so"})
    with pytest.raises(AppError) as exc:
        store.update_catalogue_row(eid, row["id"], changes)
    assert exc.value.code == code
    assert store.catalogue_row(eid, row["id"]) == row


def test_a_vote_on_the_catalogue_flows_back_into_each_rows_priority(store):
    eid = make_event(store)["id"]
    a = store.add_catalogue_row(eid, {"field": "Thema A", "measure": "Kita-Ausbau"})
    b = store.add_catalogue_row(eid, {"field": "Thema B", "goal": "Mehr Ausbildung"})
    store.add_catalogue_row(eid, {"remarks": "leer: kein Kandidat"})
    round_id = store.create_catalogue_vote(eid, "Feedbackveranstaltung")
    rnd = store.open_voting_round(eid, round_id)
    assert [(c["label"], c["theme"]) for c in rnd["candidates"]] == [
        ("Kita-Ausbau", "Thema A"), ("Mehr Ausbildung", "Thema B")]
    for n in range(3):
        pid = store.participant(eid, device_cookie(f"cat-{n}"))["id"]
        store.place_dot(eid, round_id, rnd["candidates"][0]["id"], pid, f"cat-dot-{n}")
    assert store.catalogue_row(eid, a["id"])["dots"] == 3
    assert store.catalogue_row(eid, b["id"])["dots"] == 0
    # A priority set by hand wins over the dots.
    assert store.update_catalogue_row(eid, b["id"], {"priority": 7})["shown_priority"] == 7


def test_the_catalogue_in_the_session_files_and_its_round_trip(store, tmp_path):
    event = make_event(store)
    eid = event["id"]
    made = cards(store, eid)
    idea = made["Jobmesse mit Dolmetschenden"]["id"]
    store.add_catalogue_row(eid, {"field": "Thema B", "goal": "Mehr Menschen in Arbeit",
                                  "measure": "Jobmesse", "who": "Jobcenter; Wirtschaftsförderung",
                                  "horizon": "short", "sources": [idea]})
    store.add_catalogue_row(eid, {"field": "Thema A", "measure": "Abendkurse", "who": "VHS"})
    files = render_all(take_snapshot(store, eid, base_url="http://x"))
    book = openpyxl.load_workbook(io.BytesIO(files["ergebnisse.xlsx"]))
    sheet = book["Maßnahmenkatalog"]
    assert [c.value for c in sheet[1]] == ["Nr", "Handlungsfeld", "Ziel", "Maßnahme", "Zielgruppe", "Ort",
                                          "Wer", "Zeithorizont", "Umsetzung", "Bemerkungen", "Priorität",
                                          "Quelle"]
    first = [c.value for c in sheet[2]]
    assert first[:4] == [1, "Thema B", "Mehr Menschen in Arbeit", "Jobmesse"]
    assert first[7] == "kurzfristig" and first[8] == "nicht begonnen"
    assert "Tisch B" in first[11]
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    # One file per responsible department, each with its rows only.
    per = {name: openpyxl.load_workbook(io.BytesIO(body))["Maßnahmenkatalog"]
           for name, body in files.items() if name.startswith("massnahmen/")}
    assert sorted(per) == ["massnahmen/jobcenter.xlsx", "massnahmen/vhs.xlsx",
                           "massnahmen/wirtschaftsfoerderung.xlsx"]
    assert [r[3].value for r in per["massnahmen/vhs.xlsx"].iter_rows(min_row=2)] == ["Abendkurse"]
    report = files["bericht.html"].decode("utf-8")
    assert "Mehr Menschen in Arbeit" in report and "Thema A" in report
    doc = json.loads(files["event.json"])
    assert [r["measure"] for r in doc["catalogue"]] == ["Jobmesse", "Abendkurse"]
    number = {c["text"]: c["number"] for c in doc["contributions"]}
    assert doc["catalogue"][0]["sources"] == [number["Jobmesse mit Dolmetschenden"]]
    # Import into the same database: the copy's row names the copy's contribution.
    copy = import_session(store, files["event.json"])
    [row, _] = store.catalogue(copy["id"])
    source = store.get_contribution(copy["id"], row["sources"][0])
    assert source["text"] == "Jobmesse mit Dolmetschenden" and source["id"] != idea
    other = Store(tmp_path / "other.db")
    again = import_session(other, files["event.json"])
    assert [r["measure"] for r in other.catalogue(again["id"])] == ["Jobmesse", "Abendkurse"]
    other.close()


def test_before_a_catalogue_is_written_needs_and_ideas_are_proposed_not_problems(store):
    eid = make_event(store)["id"]
    cards(store, eid)
    files = render_all(take_snapshot(store, eid, base_url="http://x"))
    sheet = openpyxl.load_workbook(io.BytesIO(files["ergebnisse.xlsx"]))["Maßnahmenkatalog"]
    measures = [r[3].value for r in sheet.iter_rows(min_row=2)]
    assert sorted(measures) == ["Jobmesse mit Dolmetschenden", "Mehr Kita-Plätze mit Sprachförderung",
                                "Sprachkurse am Abend"]
    assert not any(name.startswith("massnahmen/") for name in files)


# -- HTTP and live --------------------------------------------------------------------------


def test_routes_need_the_key_and_every_change_reaches_the_consoles_live(server, server_store, sio):
    event = make_event(server_store)
    eid = event["id"]
    made = cards(server_store, eid)
    key = server_store.facilitator_key(eid)
    api = f"{server.url}/api/events/{eid}/catalogue"
    assert requests.get(api).status_code == 403
    console = sio({"event": eid, "role": "console", "key": key})
    outsider = sio({"event": eid, "role": "projector"})
    headers = {"X-Facilitator-Key": key}
    state = requests.get(api, headers=headers).json()
    assert [c["text"] for c in state["proposals"]] == [
        "Mehr Kita-Plätze mit Sprachförderung", "Sprachkurse am Abend", "Jobmesse mit Dolmetschenden"]
    assert {c["kind"] for c in state["context"]} == {"problem", "works_well"}
    kita = made["Mehr Kita-Plätze mit Sprachförderung"]["id"]
    row = requests.post(f"{api}/rows", json={"values": {"measure": "Kita-Ausbau", "sources": [kita]}},
                        headers=headers).json()["row"]
    got = wait_for(lambda: messages(console, "catalogue_updated"))
    assert got[-1]["rows"][0]["measure"] == "Kita-Ausbau"
    patched = requests.patch(f"{api}/rows/{row['id']}", json={"changes": {"who": "Jugendamt"}},
                             headers=headers).json()
    assert patched["row"]["who"] == "Jugendamt"
    wait_for(lambda: messages(console, "catalogue_updated")[-1]["rows"][0]["who"] == "Jugendamt")
    # The card is now in a row, so it is no longer proposed.
    state = requests.get(api, headers=headers).json()
    assert kita not in [c["id"] for c in state["proposals"]]
    bad = requests.patch(f"{api}/rows/{row['id']}", json={"changes": {"status": "x"}}, headers=headers)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_payload"
    # The projector is not a console: it never hears the catalogue (asserted after a
    # message it does hear, so nothing is still on its way).
    assert console.call("update_event", {"changes": {"title": "Neu"}}, timeout=5)["ok"]
    wait_for(lambda: messages(outsider, "event_updated"))
    assert not messages(outsider, "catalogue_updated")


@pytest.mark.browser
def test_typing_in_a_row_survives_a_colleagues_changes(server, server_store, browser, shot):
    event = make_event(server_store)
    eid = event["id"]
    cards(server_store, eid)
    key = server_store.facilitator_key(eid)
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="de-DE")
    page.goto(f"{server.url}/e/{eid}/catalogue?key={key}")
    page.locator("#cat-proposals li button").first.click()
    page.locator("#cat-rows li").first.wait_for()
    goal = page.locator("#cat-rows li textarea[data-field=goal]").first
    goal.click()
    page.keyboard.type("Jedes Kind findet")
    # A colleague adds two rows and edits this one's "who" meanwhile.
    api = f"{server.url}/api/events/{eid}/catalogue"
    row_id = server_store.catalogue(eid)[0]["id"]
    for measure in ("Abendkurse", "Jobmesse"):
        requests.post(f"{api}/rows", json={"values": {"measure": measure}},
                      headers={"X-Facilitator-Key": key})
    requests.patch(f"{api}/rows/{row_id}", json={"changes": {"who": "Jugendamt"}},
                   headers={"X-Facilitator-Key": key})
    page.locator("#cat-rows li").nth(2).wait_for()
    page.locator("#cat-rows li input[data-field=who]").first.filter(has_text="").wait_for()
    page.keyboard.type(" einen Kita-Platz")
    assert goal.input_value() == "Jedes Kind findet einen Kita-Platz"
    assert page.evaluate("document.activeElement.dataset.field") == "goal"
    wait_for(lambda: server_store.catalogue(eid)[0]["goal"] == "Jedes Kind findet einen Kita-Platz",
             timeout=10)
    assert page.locator("#cat-rows li input[data-field=who]").first.input_value() == "Jugendamt"
    shot(page, "catalogue")
    page.close()
