"""Participation processes: events grouped and inheriting their fields, results carried
forward with provenance, the process exported as one folder, on the admin page and the
carry-forward page in a real Chromium."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from facilitation.cli import cli
from facilitation.errors import AppError
from facilitation.export import render_all, take_snapshot
from facilitation.process_demo import create_process_demo
from facilitation.process_export import write_process
from facilitation.session_import import import_session
from facilitation.store import Store
from tests.helpers import ADMIN_TOKEN, device_cookie

DEFINITION = {
    "title": "Integrationskonzept Musterstadt", "town": "Musterstadt",
    "fields": [{"theme": "Sprache und Bildung", "questions": ["Welche Bedarfe sehen Sie?"]},
               {"theme": "Wohnen", "questions": ["Was fehlt?", "Was läuft gut?"]}],
    "target_groups": ["Ehrenamt", "Migrant*innen"],
    "languages": ["de", "ar", "tr"],
}


def voted_event(store, process_id, title, audience, votes):
    """An event of the process with one closed voting round; votes: {label: dots}."""
    event = store.create_event_in_process(process_id, title, "2026-09-01", audience=audience)
    eid = event["id"]
    by_theme = {"Kita-Plätze": "Sprache und Bildung", "Sprachkurse am Abend": "Sprache und Bildung",
                "Wohnungspaten": "Wohnen", "Leerer Punkt": "Wohnen"}
    made = {}
    for label in votes:
        table = "A" if by_theme[label] == "Sprache und Bildung" else "B"
        c, _ = store.add_contribution(eid, table, "idea", label, 0)
        made[label] = c["id"]
    rnd = store.create_voting_round(eid, "Was zuerst?", budget=10, cap=10,
                                    contribution_ids=list(made.values()))
    store.open_voting_round(eid, rnd["id"])
    n = 0
    for cand in rnd["candidates"]:
        for _ in range(votes[cand["label"]]):  # one dot each from many people
            pid = store.participant(eid, device_cookie(f"{eid}-voter-{n}"))["id"]
            store.place_dot(eid, rnd["id"], cand["id"], pid, f"d-{eid}-{n}")
            n += 1
    store.close_voting_round(eid, rnd["id"])
    return event


def test_an_event_created_in_a_process_inherits_fields_questions_and_groups(store):
    process = store.create_process(DEFINITION)
    event = store.create_event_in_process(process["id"], "World Café 1", "2026-09-08",
                                          audience="Ehrenamt")
    tables = store.tables(event["id"])
    assert [(t["code"], t["theme"], t["questions"]) for t in tables] == [
        ("A", "Sprache und Bildung", ["Welche Bedarfe sehen Sie?"]),
        ("B", "Wohnen", ["Was fehlt?", "Was läuft gut?"])]
    assert event["join_options"] == ["Ehrenamt", "Migrant*innen"] and event["join_question"]
    assert event["process_id"] == process["id"] and event["audience"] == "Ehrenamt"
    second = store.create_event_in_process(process["id"], "World Café 2", "2026-09-15")
    assert [e["id"] for e in store.get_process(process["id"])["events"]] == [event["id"], second["id"]]


def test_bad_process_definitions_are_refused_and_change_nothing(store):
    for bad in ({**DEFINITION, "title": ""}, {**DEFINITION, "languages": ["xx"]},
                {**DEFINITION, "fields": [{"theme": "A"}, {"theme": "A"}]},
                {**DEFINITION, "fields": [{"theme": "A", "questions": ["q"] * 6}]}):
        with pytest.raises(AppError):
            store.create_process(bad)
    assert store.list_processes() == []
    with pytest.raises(AppError) as exc:
        store.create_event_in_process("p-nothere", "X", "2026-01-01")
    assert exc.value.code == "unknown_process"


def test_top_voted_items_are_carried_forward_per_field_with_their_provenance(store):
    process = store.create_process(DEFINITION)
    one = voted_event(store, process["id"], "World Café 1", "Ehrenamt",
                      {"Kita-Plätze": 6, "Sprachkurse am Abend": 2, "Wohnungspaten": 4, "Leerer Punkt": 0})
    two = voted_event(store, process["id"], "World Café 2", "Migrant*innen",
                      {"Kita-Plätze": 9, "Sprachkurse am Abend": 1, "Wohnungspaten": 1, "Leerer Punkt": 0})
    items = store.carry_candidates([one["id"], two["id"]], "top_voted", per_field=1)
    # One per field and event, the same text once: the one with most dots keeps the
    # others' provenance beside it; an item nobody voted for is never carried.
    assert [(i["text"], i["theme"]) for i in items] == [
        ("Kita-Plätze", "Sprache und Bildung"), ("Wohnungspaten", "Wohnen")]
    kita = items[0]["provenance"]
    assert (kita["event"], kita["audience"], kita["dots"]) == ("World Café 2", "Migrant*innen", 9)
    assert kita["also"] == [{"event": "World Café 1", "audience": "Ehrenamt", "dots": 6, "merged": None}]
    conference = store.create_event_in_process(process["id"], "Akteurskonferenz", "2026-11-10",
                                               kind="akteurskonferenz")
    done = store.carry_forward(conference["id"], items, "candidates")
    rnd = store.voting_round(conference["id"], done["voting_round"], with_hidden=True)
    assert rnd["status"] == "draft"
    assert [(c["label"], c["theme"], c["provenance"]["dots"]) for c in rnd["candidates"]] == [
        ("Kita-Plätze", "Sprache und Bildung", 9), ("Wohnungspaten", "Wohnen", 4)]


def test_merged_groups_become_briefs_at_the_tables_of_their_field(store):
    process = store.create_process(DEFINITION)
    cafe = store.create_event_in_process(process["id"], "World Café 1", "2026-09-08", audience="Ehrenamt")
    keep, _ = store.add_contribution(cafe["id"], "B", "need", "Bezahlbare Wohnungen", 0)
    dups = [store.add_contribution(cafe["id"], "B", "need", f"Wohnungen bezahlbar {i}", 0)[0]["id"]
            for i in range(2)]
    store.merge_contributions(cafe["id"], keep["id"], dups)
    later = store.create_event_in_process(process["id"], "World Café 2", "2026-09-15")
    items = store.carry_candidates([cafe["id"]], "merged", per_field=3)
    done = store.carry_forward(later["id"], items, "briefs")
    assert done == {"briefs": 1, "unplaced": []}
    [brief] = store.table_briefs(later["id"], "B")
    assert brief["text"] == "Bezahlbare Wohnungen" and brief["provenance"]["merged"] == 3
    assert store.table_briefs(later["id"], "A") == []


def test_the_process_link_survives_export_and_import(store, tmp_path):
    process = store.create_process(DEFINITION)
    event = store.create_event_in_process(process["id"], "World Café 1", "2026-09-08", audience="Ehrenamt")
    raw = render_all(take_snapshot(store, event["id"], base_url="http://x"))["event.json"]
    doc = json.loads(raw)
    assert doc["process"]["title"] == DEFINITION["title"] and doc["event"]["audience"] == "Ehrenamt"
    # Into the same database: the process exists, the copy joins it.
    copy = import_session(store, raw)
    assert copy["process_id"] == process["id"]
    # Into a fresh database: the process is created from the file.
    other = Store(tmp_path / "other.db")
    imported = import_session(other, raw)
    assert imported["process_id"] == process["id"] and imported["audience"] == "Ehrenamt"
    assert other.get_process(process["id"])["fields"] == process["fields"]
    other.close()


def test_the_whole_process_is_one_folder_and_its_workbook_reads_back(tmp_path):
    store = Store(tmp_path / "demo.db")
    process = create_process_demo(store)
    assert [e["audience"] for e in process["events"]] == [
        "Ehrenamt", "Hauptamt", "Verwaltung", "Migrant*innen", None]
    folder = write_process(store, process["id"], tmp_path / "out", base_url="http://x")
    names = sorted(p.name for p in folder.iterdir())
    assert names[:5] == ["01-2026-09-08-world-cafe-1-ehrenamt", "02-2026-09-15-world-cafe-2-hauptamt",
                         "03-2026-09-22-world-cafe-3-verwaltung",
                         "04-2026-09-29-world-cafe-4-migrant-innen",
                         "05-2026-11-10-akteurskonferenz-integrationskonzept"]
    assert {"prozess.xlsx", "prozessbericht.html", "prozess.json"} <= set(names)
    assert (folder / names[3] / "umfragen.csv").exists()
    wb = openpyxl.load_workbook(folder / "prozess.xlsx", read_only=True)
    assert wb.sheetnames == ["Übersicht", "Teilnahme", "Prioritäten", "Handlungsfelder", "Punkte",
                             "Umfragen", "Beiträge"]
    overview = list(wb["Übersicht"].iter_rows(values_only=True))
    assert overview[1][0] == "World Café 1: Ehrenamt" and overview[4][3] == "Migrant*innen"
    assert overview[4][8] == 36  # the questionnaire's answers
    prios = list(wb["Prioritäten"].iter_rows(values_only=True))[1:]
    wohnen = [r for r in prios if r[0] == "Wohnen"]
    assert wohnen[0][1] == 1 and wohnen[0][3] == max(r[3] for r in wohnen)
    # Dots per target group add up to the total of each item.
    assert all(sum(r[9:13]) + r[13] == r[3] for r in prios)
    report = (folder / "prozessbericht.html").read_text("utf-8")
    assert "Integrationskonzept Ilm-Kreis (Demo)" in report and "Fragebogen: Leben im Landkreis" in report
    # Exported again: the same folder is replaced, nothing beside it.
    again = write_process(store, process["id"], tmp_path / "out", base_url="http://x")
    assert again == folder and len(list((tmp_path / "out").iterdir())) == 1
    store.close()


# -- HTTP and CLI --------------------------------------------------------------------------


def test_process_routes_need_the_admin_token_and_carry_forward_the_facilitator_key(app, client):
    assert client.post("/api/processes", json=DEFINITION).status_code == 403
    made = client.post("/api/processes", json=DEFINITION, headers={"X-Admin-Token": ADMIN_TOKEN})
    pid = made.json["process"]["id"]
    r = client.post(f"/api/processes/{pid}/events", json={"title": "WC 1", "date": "2026-09-08",
                                                           "audience": "Ehrenamt"},
                    headers={"X-Admin-Token": ADMIN_TOKEN})
    assert r.json["ok"] and "/console?key=" in r.json["console"]
    first = r.json["event"]["id"]
    second = client.post(f"/api/processes/{pid}/events", json={"title": "WC 2", "date": "2026-09-15"},
                         headers={"X-Admin-Token": ADMIN_TOKEN}).json["event"]["id"]
    store = app.extensions["store"]
    url = f"/api/events/{second}/carry-forward?source=top_voted"
    assert client.get(url).status_code == 403
    key = store.facilitator_key(second)
    preview = client.get(url, headers={"X-Facilitator-Key": key})
    assert preview.json == {"ok": True, "items": []}  # nothing voted yet
    bad = client.post(f"/api/events/{second}/carry-forward", json={"from": ["zzzzzz"]},
                      headers={"X-Facilitator-Key": key})
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_payload"
    listed = client.get("/api/processes", headers={"X-Admin-Token": ADMIN_TOKEN}).json["processes"]
    assert [e["id"] for e in listed[0]["events"]] == [first, second]


def test_cli_creates_lists_fills_and_exports_a_process(tmp_path):
    db = str(tmp_path / "cli.db")
    definition = tmp_path / "process.json"
    definition.write_text(json.dumps(DEFINITION), encoding="utf-8")
    runner = CliRunner()
    made = runner.invoke(cli, ["process", "create", str(definition), "--database", db])
    assert made.exit_code == 0, made.output
    pid = made.output.strip()
    added = runner.invoke(cli, ["process", "add-event", pid, "--title", "WC 1", "--date", "2026-09-08",
                                "--audience", "Ehrenamt", "--database", db])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(cli, ["process", "list", "--database", db])
    assert pid in listed.output and "WC 1" in listed.output and "Ehrenamt" in listed.output
    out = runner.invoke(cli, ["process", "export", pid, "--out", str(tmp_path / "s"), "--database", db,
                              "--public-url", "http://x"])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "s" / "prozess-integrationskonzept-musterstadt" / "prozess.xlsx").exists()
    wrong = runner.invoke(cli, ["process", "add-event", "p-none", "--title", "X", "--date", "2026-01-01",
                                "--database", db])
    assert wrong.exit_code != 0 and "does not exist" in wrong.output


def test_admin_zip_holds_the_whole_process(app, client):
    store = app.extensions["store"]
    process = store.create_process(DEFINITION)
    store.create_event_in_process(process["id"], "WC 1", "2026-09-08")
    r = client.get(f"/admin/processes/{process['id']}/export.zip?token={ADMIN_TOKEN}")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        names = z.namelist()
    assert "prozess-integrationskonzept-musterstadt/prozess.xlsx" in names
    assert any(n.endswith("/01-2026-09-08-wc-1/event.json") for n in names)


# -- what a person sees --------------------------------------------------------------------


@pytest.mark.browser
def test_creating_an_event_in_a_process_and_carrying_its_results_forward(server, server_store,
                                                                        browser, shot):
    process = server_store.create_process({**DEFINITION, "title": "Prozess Browser"})
    voted_event(server_store, process["id"], "World Café 1", "Ehrenamt",
                {"Kita-Plätze": 5, "Sprachkurse am Abend": 3, "Wohnungspaten": 2, "Leerer Punkt": 0})
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="de-DE")
    page.goto(f"{server.url}/admin?token={ADMIN_TOKEN}")
    section = page.locator(f"section[data-process='{process['id']}']")
    section.get_by_label("Titel").fill("Akteurskonferenz")
    section.get_by_label("Datum").fill("2026-11-10")
    section.get_by_label("Format").select_option("akteurskonferenz")
    section.get_by_role("button").click()
    page.wait_for_url("**/console?key=*")
    event_id = page.url.split("/e/")[1].split("/")[0]
    assert [t["theme"] for t in server_store.tables(event_id)] == ["Sprache und Bildung", "Wohnen"]
    with page.expect_navigation():  # loaded: the page's script listens before the click
        page.locator("#carry-link").click()
    page.locator("#carry-preview").click()
    page.locator("#carry-items li").first.wait_for()
    items = page.locator("#carry-items li").all_inner_texts()
    assert len(items) == 3 and "Kita-Plätze" in items[0] and "World Café 1" in items[0]
    page.locator("#carry-items input").nth(1).uncheck()
    shot(page, "carry")
    page.locator("#carry-go").click()
    page.locator("#carry-feedback").filter(has_text="Abstimmung").wait_for()
    [rnd] = server_store.voting_rounds(event_id, with_hidden=True)
    assert [c["label"] for c in rnd["candidates"]] == ["Kita-Plätze", "Wohnungspaten"]
    assert rnd["candidates"][0]["provenance"]["audience"] == "Ehrenamt"
    # Opened, the projector's bars say where each item comes from.
    server_store.open_voting_round(event_id, rnd["id"])
    page.goto(f"{server.url}/e/{event_id}/projector/vote")
    page.locator(".field-label", has_text="aus World Café 1, Ehrenamt, 5 Punkte").first.wait_for()
    shot(page, "projector-vote-provenance")
    page.close()


def test_an_imported_process_id_the_app_would_not_make_is_replaced(store, tmp_path):
    process = store.create_process(DEFINITION)
    event = store.create_event_in_process(process["id"], "World Café 1", "2026-09-08")
    doc = json.loads(render_all(take_snapshot(store, event["id"], base_url="http://x"))["event.json"])
    bad = "p-../../ESCAPED"
    doc["process"]["id"] = bad
    at = doc["database"]["tables"]["events"]["columns"].index("process_id")
    doc["database"]["tables"]["events"]["rows"][0][at] = bad
    other = Store(tmp_path / "other.db")
    imported = import_session(other, json.dumps(doc).encode())
    assert imported["process_id"] != bad and imported["process_id"].startswith("p-")
    assert other.get_process(imported["process_id"])["title"] == DEFINITION["title"]
    with pytest.raises(AppError):
        other.create_process(DEFINITION, process_id="p-../x")
    other.close()
