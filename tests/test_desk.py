"""The translation desk: German renderings typed by bilingual helpers, kept beside the
originals; the optional machine translator (a real local HTTP server speaking
LibreTranslate's API); live updates; the files; the desk page in a real Chromium."""

from __future__ import annotations

import csv
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from facilitation.app import create_app
from facilitation.errors import AppError
from facilitation.export import render_all, take_snapshot
from facilitation.session_import import import_session
from tests.helpers import ADMIN_TOKEN, make_event, messages, wait_for


def arabic_card(store, eid, text="نحتاج دورات لغة في المساء", table="A"):
    card, _ = store.add_contribution(eid, table, "need", text, 0, language="ar")
    return card


def test_a_rendering_is_kept_beside_the_original_with_who_and_when(store):
    eid = make_event(store)["id"]
    card = arabic_card(store, eid)
    german, _ = store.add_contribution(eid, "A", "idea", "Mehr Kita-Plätze", 0, language="de")
    desk = store.create_desk(eid, "Amal (Arabisch)")
    assert [c["id"] for c in store.desk_cards(eid)] == [card["id"]]  # German cards need none
    store.translate(eid, card["id"], "Wir brauchen Sprachkurse am Abend", desk)
    saved = store.get_contribution(eid, card["id"])
    assert saved["text"] == "نحتاج دورات لغة في المساء"  # the original never changes
    assert saved["translation"]["text"] == "Wir brauchen Sprachkurse am Abend"
    assert saved["translation"]["by"] == "Amal (Arabisch)" and saved["translation"]["machine"] is False
    store.translate(eid, card["id"], "Wir brauchen abends Sprachkurse", desk, machine=True)
    assert store.get_contribution(eid, card["id"])["translation"]["text"] == "Wir brauchen abends Sprachkurse"
    assert store.get_contribution(eid, german["id"])["translation"] is None
    for bad in ("", "x" * 1001):
        with pytest.raises(AppError):
            store.translate(eid, card["id"], bad, desk)
    with pytest.raises(AppError) as exc:
        store.check_desk_key(eid, "wrong")
    assert exc.value.code == "forbidden"


def test_the_files_show_original_and_german_and_the_round_trip_keeps_both(store, tmp_path):
    eid = make_event(store)["id"]
    card = arabic_card(store, eid)
    store.translate(eid, card["id"], "Wir brauchen Sprachkurse am Abend", store.create_desk(eid, "Amal"))
    files = render_all(take_snapshot(store, eid, base_url="http://x"))
    rows = list(csv.reader(io.StringIO(files["beitraege.csv"].decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    assert row[header.index("Text")] == "نحتاج دورات لغة في المساء"
    assert row[header.index("Deutsch (Übersetzung)")] == "Wir brauchen Sprachkurse am Abend"
    assert row[header.index("Übersetzt von")] == "Amal"
    report = files["bericht.html"].decode("utf-8")
    assert "Wir brauchen Sprachkurse am Abend" in report and "نحتاج دورات لغة في المساء" in report
    doc = json.loads(files["event.json"])
    assert doc["contributions"][0]["translation"]["text"] == "Wir brauchen Sprachkurse am Abend"
    assert "desk_key" not in json.dumps(doc["database"]["tables"].get("translation_desks", {}))
    copy = import_session(store, files["event.json"])
    [again] = store.contributions(copy["id"])
    assert again["translation"]["text"] == "Wir brauchen Sprachkurse am Abend"


class _Translator(BaseHTTPRequestHandler):
    """A tiny LibreTranslate stand-in: POST /translate answers a fixed rendering."""

    seen: list = []

    def do_POST(self):  # noqa: N802 (the http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Translator.seen.append(body)
        answer = json.dumps({"translatedText": f"[MT {body['source']}→{body['target']}] Sprachkurse"})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def translator():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Translator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _app(tmp_path, **extra):
    return create_app({"DATABASE": str(tmp_path / "t.db"), "INSTANCE_DIR": str(tmp_path / "i"),
                       "SESSIONS_DIR": str(tmp_path / "s"), "ASYNC_MODE": "threading",
                       "PUBLIC_URL": "http://test.invalid:5000", "ADMIN_TOKEN": ADMIN_TOKEN,
                       "TESTING": True, **extra})


def test_machine_suggestions_come_from_the_configured_translator_only(tmp_path, translator):
    app = _app(tmp_path, TRANSLATE_URL=translator)
    store = app.extensions["store"]
    eid = make_event(store)["id"]
    card = arabic_card(store, eid)
    key = store.facilitator_key(eid)
    client = app.test_client()
    made = client.post(f"/api/events/{eid}/desks", json={"name": "Amal"},
                       headers={"X-Facilitator-Key": key}).json["desk"]
    desk_key = made["url"].split("key=")[1]
    assert client.get(f"/api/events/{eid}/desk").status_code == 403
    hint = client.get(f"/api/events/{eid}/desk/suggestion?contribution={card['id']}",
                      headers={"X-Desk-Key": desk_key}).json
    assert hint == {"ok": True, "contribution": card["id"], "machine": True,
                    "text": "[MT ar→de] Sprachkurse"}
    assert _Translator.seen[-1]["q"] == "نحتاج دورات لغة في المساء"
    saved = client.post(f"/api/events/{eid}/desk/translations", headers={"X-Desk-Key": desk_key},
                        json={"contribution": card["id"], "text": hint["text"], "machine": True}).json
    assert saved["translation"]["machine"] is True and saved["translation"]["by"] == "Amal"
    app.extensions["store"].close()
    # Without FACILITATION_TRANSLATE_URL there is no suggestion, and it says why.
    off = _app(tmp_path / "off")
    s2 = off.extensions["store"]
    eid2 = make_event(s2)["id"]
    card2 = arabic_card(s2, eid2)
    key2 = s2.create_desk(eid2, "Amal")["key"]
    r = off.test_client().get(f"/api/events/{eid2}/desk/suggestion?contribution={card2['id']}",
                              headers={"X-Desk-Key": key2})
    assert r.status_code == 400 and r.json["error"]["code"] == "translator_unavailable"
    s2.close()


def test_an_unreachable_translator_is_a_clear_error(tmp_path):
    app = _app(tmp_path, TRANSLATE_URL="http://127.0.0.1:9")  # nothing listens on port 9
    store = app.extensions["store"]
    eid = make_event(store)["id"]
    card = arabic_card(store, eid)
    key = store.create_desk(eid, "Amal")["key"]
    r = app.test_client().get(f"/api/events/{eid}/desk/suggestion?contribution={card['id']}",
                              headers={"X-Desk-Key": key})
    assert r.status_code == 400 and r.json["error"]["code"] == "translator_unavailable"
    store.close()


def test_a_rendering_reaches_console_projector_and_host_live(server, server_store, sio):
    eid = make_event(server_store)["id"]
    card = arabic_card(server_store, eid)
    key = server_store.facilitator_key(eid)
    console = sio({"event": eid, "role": "console", "key": key})
    host = sio({"event": eid, "role": "host", "table": "A", "key": server_store.host_key(eid, "A")})
    desk = server_store.create_desk(eid, "Amal")
    r = requests.post(f"{server.url}/api/events/{eid}/desk/translations", headers={"X-Desk-Key": desk["key"]},
                      json={"contribution": card["id"], "text": "Sprachkurse am Abend"})
    assert r.json()["ok"]
    for client in (console, host):
        got = wait_for(lambda c=client: messages(c, "contribution_translated"))
        assert got[-1] == {"contribution": card["id"], "translation": r.json()["translation"]}


@pytest.mark.browser
def test_the_desk_page_lists_foreign_cards_and_saves_the_german_text(server, server_store, browser, shot,
                                                                     sio):
    eid = make_event(server_store)["id"]
    card = arabic_card(server_store, eid)
    server_store.add_contribution(eid, "B", "idea", "Mehr Kita-Plätze", 0, language="de")
    desk = server_store.create_desk(eid, "Amal")
    page = browser.new_page(viewport={"width": 1024, "height": 768}, locale="de-DE")
    page.goto(f"{server.url}/e/{eid}/desk?key={desk['key']}")
    page.locator(".desk-card").first.wait_for()
    assert page.locator(".desk-card").count() == 1
    original = page.locator(".desk-original")
    assert original.get_attribute("lang") == "ar"
    assert original.evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.locator(".desk-card textarea").fill("Wir brauchen Sprachkurse am Abend")
    page.locator(".desk-card button").first.click()
    page.locator(".desk-by").filter(has_text="Amal").wait_for()
    shot(page, "desk")
    assert server_store.get_contribution(eid, card["id"])["translation"]["text"] == \
        "Wir brauchen Sprachkurse am Abend"
    # A new Arabic card arrives from a phone while the helper works: it appears by itself.
    phone = sio({"event": eid, "role": "participant", "table": "A"}, device="desk-phone")
    ack = phone.call("submit_contribution", {"kind": "idea", "text": "نريد ملعبًا للأطفال قرب المدرسة",
                                             "language": "ar"}, timeout=5)
    assert ack["ok"] and ack["contribution"]["language"] == "ar"
    page.locator(".desk-original").filter(has_text="ملعب").wait_for()
    # The card just saved stays in view (nothing jumps away under the helper's hands).
    assert page.locator(".desk-card").first.locator("textarea").input_value() == \
        "Wir brauchen Sprachkurse am Abend"
    page.close()


@pytest.mark.browser
def test_the_console_shows_the_german_text_under_the_original_live(server, server_store, browser):
    eid = make_event(server_store)["id"]
    card = arabic_card(server_store, eid)
    desk = server_store.create_desk(eid, "Amal")
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="de-DE")
    page.goto(f"{server.url}/e/{eid}/console?key={server_store.facilitator_key(eid)}#live")
    page.locator(f"#stream li[data-id='{card['id']}']").wait_for()
    requests.post(f"{server.url}/api/events/{eid}/desk/translations", headers={"X-Desk-Key": desk["key"]},
                  json={"contribution": card["id"], "text": "Sprachkurse am Abend"})
    item = page.locator(f"#stream li[data-id='{card['id']}']")
    item.locator(".translation", has_text="Auf Deutsch: Sprachkurse am Abend").wait_for()
    assert "نحتاج دورات لغة في المساء" in item.inner_text()  # the original stays
    page.close()
