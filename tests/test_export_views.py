"""The console's Export button and table cards, and the session folder written on close."""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile

import pytest

from tests.helpers import make_event, wait_for
from tests.session_data import fill_event

NAMES = ["event.json", "beitraege.csv", "punkte.csv", "umfragen.csv", "ergebnisse.xlsx",
         "bericht.html", "tischkarten.pdf"]


def test_export_zip_is_a_snapshot_of_the_running_event(app, client):
    store = app.extensions["store"]
    data = fill_event(store)
    eid = data["event"]["id"]
    key = store.facilitator_key(eid)
    response = client.get(f"/e/{eid}/export.zip?key={key}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="2026-11-22-weltcafe-integration-ehrenamt-verwaltung.zip"')
    with zipfile.ZipFile(io.BytesIO(response.data)) as z:
        names = z.namelist()
        folder = names[0].split("/")[0]
        assert names == [f"{folder}/{n}" for n in NAMES]
        doc = json.loads(z.read(f"{folder}/event.json"))
        report = z.read(f"{folder}/bericht.html").decode("utf-8")
    assert doc["event"]["status"] == "running"
    assert len(doc["contributions"]) == len(data["contributions"])
    # The addresses point where phones reach this server (the configured public URL).
    assert f"http://test.invalid:5000/e/{eid}" in report
    assert client.get(f"/e/{eid}/export.zip").status_code == 403
    assert client.get(f"/e/{eid}/export.zip?key=wrong").status_code == 403
    assert client.get(f"/e/nope42/export.zip?key={key}").status_code == 404


def test_table_cards_download_before_the_event_starts(app, client):
    store = app.extensions["store"]
    event = make_event(store, tables=2)
    assert event["status"] == "draft"
    key = store.facilitator_key(event["id"])
    response = client.get(f"/e/{event['id']}/tischkarten.pdf?key={key}")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", response.data)) == 3  # join page + 2 tables
    assert client.get(f"/e/{event['id']}/tischkarten.pdf").status_code == 403
    page = client.get(f"/e/{event['id']}/console?key={key}").get_data(as_text=True)
    assert f"/e/{event['id']}/export.zip?key={key}" in page
    assert f"/e/{event['id']}/tischkarten.pdf?key={key}" in page


def test_table_cards_with_the_hosts_cards_need_the_facilitator_key(app, client):
    store = app.extensions["store"]
    event = make_event(store, tables=3)
    key = store.facilitator_key(event["id"])
    pdf = client.get(f"/e/{event['id']}/tischkarten.pdf?key={key}&hosts=1")
    assert pdf.status_code == 200
    # join page + 3 tent cards + 2 pages of host cards (two to a page)
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.data)) == 6
    assert client.get(f"/e/{event['id']}/tischkarten.pdf?hosts=1").status_code == 403
    host_key = store.host_keys(event["id"])["A"]
    assert client.get(f"/e/{event['id']}/tischkarten.pdf?key={host_key}&hosts=1").status_code == 403
    page = client.get(f"/e/{event['id']}/console?key={key}").get_data(as_text=True)
    assert f"/e/{event['id']}/tischkarten.pdf?key={key}&amp;hosts=1" in page


def test_closing_an_event_writes_its_session_folder(app, tmp_path):
    store = app.extensions["store"]
    data = fill_event(store)
    eid = data["event"]["id"]
    sessions = tmp_path / "sessions"
    closed = store.update_event(eid, {"status": "closed"})
    assert closed["status"] == "closed"
    folder = wait_for(lambda: next(iter(sessions.glob("????-??-??-weltcafe-integration-*")), None),
                      timeout=20)
    wait_for(lambda: (folder / "tischkarten.pdf").exists(), timeout=20)
    assert sorted(p.name for p in folder.iterdir()) == sorted(NAMES)
    doc = json.loads((folder / "event.json").read_text(encoding="utf-8"))
    assert doc["event"]["status"] == "closed" and doc["event"]["closed_at"]


def test_a_failing_export_never_breaks_the_close(app, tmp_path, caplog):
    store = app.extensions["store"]
    event = make_event(store)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the sessions folder should be")
    app.config["SESSIONS_DIR"] = str(blocker / "sessions")
    with caplog.at_level(logging.ERROR):
        closed = store.update_event(event["id"], {"status": "closed"})
        assert closed["status"] == "closed"
        wait_for(lambda: "was not written" in caplog.text, timeout=20)
    assert store.get_event(event["id"])["status"] == "closed"


def test_closing_from_the_console_over_the_real_server(sio, server, server_store):
    event = make_event(server_store, tables=2)
    server_store.add_contribution(event["id"], "A", "idea", "Sprachcafé im Stadtteil", 0)
    key = server_store.facilitator_key(event["id"])
    console = sio({"event": event["id"], "role": "console", "key": key})
    ack = console.call("update_event", {"changes": {"status": "closed"}})
    assert ack["ok"] and ack["event"]["status"] == "closed"
    sessions = server.db_path.parent / "sessions"
    folder = wait_for(lambda: next(iter(sessions.glob("2026-11-22-testcafe")), None), timeout=30)
    beitraege = wait_for(lambda: (folder / "beitraege.csv").exists() and folder / "beitraege.csv",
                         timeout=30)
    assert "Sprachcafé im Stadtteil" in beitraege.read_text(encoding="utf-8-sig")


@pytest.mark.browser
def test_export_button_downloads_the_zip(browser, app, server, server_store, shot, tmp_path):
    data = fill_event(server_store)
    eid = data["event"]["id"]
    key = server_store.facilitator_key(eid)
    page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    try:
        page.goto(f"{server.url}/e/{eid}/console?key={key}#results")
        page.wait_for_selector("#export-link")
        shot(page, "console-export-button")
        with page.expect_download() as info:
            page.click("#export-link")
        download = info.value
        assert download.suggested_filename == "2026-11-22-weltcafe-integration-ehrenamt-verwaltung.zip"
        path = tmp_path / "export.zip"
        download.save_as(path)
        with zipfile.ZipFile(path) as z:
            assert [n.split("/")[1] for n in z.namelist()] == NAMES
    finally:
        page.close()


@pytest.mark.browser
def test_report_prints_on_a4_without_overflow(browser, app, tmp_path, shot):
    from facilitation.export import report, take_snapshot

    store = app.extensions["store"]
    data = fill_event(store)
    snap = take_snapshot(store, data["event"]["id"], base_url="http://192.168.1.20:5000")
    path = tmp_path / "bericht.html"
    path.write_bytes(report.render(snap))
    page = browser.new_page(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    try:
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        shot(page, "report-print")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, "the report is wider than an A4 page"
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2
    finally:
        page.close()

