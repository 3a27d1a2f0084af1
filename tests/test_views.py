"""HTTP pages and QR codes, through Flask's test client."""

import io

import pytest
import zxingcpp
from PIL import Image

from facilitation.network import public_url
from tests.helpers import ADMIN_TOKEN, german, make_event


@pytest.fixture
def event(app):
    return make_event(app.extensions["store"], tables=3)


def decode_png(data: bytes) -> list[str]:
    image = Image.open(io.BytesIO(data))  # QR codes only, as a phone's camera reads them
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def test_health(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json["ok"] is True


def test_join_page_lists_tables_and_sets_an_anonymous_device_cookie(client, event):
    r = client.get(f"/e/{event['id']}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    for code in "ABC":
        assert f"/e/{event['id']}/t/{code}" in html
    cookie = r.headers["Set-Cookie"]
    assert "fac_device=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = cookie.split("fac_device=")[1].split(";")[0]
    assert len(token) >= 43  # 256 random bits, URL-safe base64


def test_device_cookie_is_kept_once_set(client, event):
    first = client.get(f"/e/{event['id']}/t/A")
    assert "fac_device=" in first.headers.get("Set-Cookie", "")
    again = client.get(f"/e/{event['id']}/t/A")
    assert "fac_device=" not in again.headers.get("Set-Cookie", "")


def test_table_page_shows_theme_and_questions_escaped(client, app):
    store = app.extensions["store"]
    event = store.create_event("T", "2026-11-22", tables=[
        {"code": "A", "theme": "<b>Wohnen</b>", "questions": ["<script>alert(1)</script>?"]}])
    html = client.get(f"/e/{event['id']}/t/A").get_data(as_text=True)
    assert "&lt;b&gt;Wohnen&lt;/b&gt;" in html
    assert "<script>alert(1)</script>" not in html


def test_unknown_event_and_table_are_404_pages(client, event):
    assert client.get("/e/nothere").status_code == 404
    assert client.get(f"/e/{event['id']}/t/Z").status_code == 404
    assert client.get(f"/e/{event['id']}/t/Z/qr.png").status_code == 404


def test_pages_are_german_by_default_and_english_on_request(client, event):
    de = client.get(f"/e/{event['id']}").get_data(as_text=True)
    assert german("Which table are you at?") in de
    en = client.get(f"/e/{event['id']}?lang=en")
    assert "Which table are you at?" in en.get_data(as_text=True)
    assert "lang=en" in en.headers["Set-Cookie"]  # the choice is remembered
    browser_en = client.get(f"/e/{event['id']}", headers={"Accept-Language": "en-GB,en;q=0.9"})
    # the cookie from ?lang=en wins over the header; a fresh client follows the header
    assert "Which table are you at?" in browser_en.get_data(as_text=True)


def test_browser_language_is_followed_without_a_choice(app, event):
    fresh = app.test_client()
    html = fresh.get(f"/e/{event['id']}", headers={"Accept-Language": "en-US,en;q=0.8"})
    assert "Which table are you at?" in html.get_data(as_text=True)
    html = fresh.get(f"/e/{event['id']}", headers={"Accept-Language": "fr-FR"})
    assert german("Which table are you at?") in html.get_data(as_text=True)


def test_table_qr_codes_encode_the_table_url(client, event):
    for code in "ABC":
        png = client.get(f"/e/{event['id']}/t/{code}/qr.png")
        assert png.mimetype == "image/png"
        assert decode_png(png.data) == [f"http://test.invalid:5000/e/{event['id']}/t/{code}"]
        svg = client.get(f"/e/{event['id']}/t/{code}/qr.svg")
        assert svg.mimetype == "image/svg+xml" and svg.data.lstrip().startswith(b"<?xml")
    join = client.get(f"/e/{event['id']}/qr.png")
    assert decode_png(join.data) == [f"http://test.invalid:5000/e/{event['id']}"]


def test_svg_qr_code_is_a_standalone_svg_with_the_code_as_a_path(client, event):
    import xml.etree.ElementTree as ET

    svg = client.get(f"/e/{event['id']}/t/A/qr.svg").data
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    paths = [el for el in root.iter() if el.tag.endswith("path")]
    assert paths and len(paths[0].get("d")) > 200  # the modules of the code, not a stub
    assert b"http://" not in svg.replace(b"http://www.w3.org", b"")  # no external reference


def test_public_url_never_falls_back_to_loopback_when_a_lan_address_exists(monkeypatch):
    import facilitation.network as network

    monkeypatch.setattr(network, "lan_addresses", lambda: ["192.168.10.5"])
    assert public_url("", 5000) == "http://192.168.10.5:5000"
    assert public_url("http://cafe.local:8080/", 5000) == "http://cafe.local:8080"


def test_console_needs_the_facilitator_key(client, app, event):
    store = app.extensions["store"]
    assert client.get(f"/e/{event['id']}/console").status_code == 403
    assert client.get(f"/e/{event['id']}/console?key=wrong").status_code == 403
    key = store.facilitator_key(event["id"])
    r = client.get(f"/e/{event['id']}/console?key={key}")
    assert r.status_code == 200 and "no-store" in r.headers["Cache-Control"]


def test_plan_download_and_upload(client, app, event):
    store = app.extensions["store"]
    key = store.facilitator_key(event["id"])
    assert client.get(f"/api/events/{event['id']}/plan").status_code == 403
    plan = client.get(f"/api/events/{event['id']}/plan?key={key}").json
    plan["tables"].append({"code": "D", "theme": "Wohnen", "questions": ["Was fehlt?"]})
    plan["title"] = "Zweites Café"
    other = make_event(store, tables=1)
    other_key = store.facilitator_key(other["id"])
    r = client.post(f"/api/events/{other['id']}/plan", json=plan,
                    headers={"X-Facilitator-Key": other_key})
    assert r.status_code == 200 and r.json["ok"]
    assert [t["code"] for t in store.tables(other["id"])] == ["A", "B", "C", "D"]
    assert store.get_event(other["id"])["title"] == "Zweites Café"


def test_bad_plan_upload_is_refused_and_changes_nothing(client, app, event):
    store = app.extensions["store"]
    key = store.facilitator_key(event["id"])
    before = store.tables(event["id"])
    r = client.post(f"/api/events/{event['id']}/plan", data=b"{broken",
                    headers={"X-Facilitator-Key": key, "Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["error"]["code"] == "invalid_plan"
    assert r.json["error"]["message"]
    assert store.tables(event["id"]) == before


def test_admin_lists_events_and_creates_one(client, app, event):
    assert client.get("/admin").status_code == 403
    page = client.get(f"/admin?token={ADMIN_TOKEN}").get_data(as_text=True)
    assert event["title"] in page and "/console?key=" in page
    r = client.post("/admin/events", data={"token": ADMIN_TOKEN, "title": "Neues Café",
                                           "date": "2026-12-01", "kind": "world_cafe",
                                           "ask_group": "1"})
    assert r.status_code == 303 and "/console?key=" in r.headers["Location"]
    created = [e for e in app.extensions["store"].list_events() if e["title"] == "Neues Café"]
    assert created and created[0]["join_options"]
    forged = client.post("/admin/events", data={"title": "Fremd", "date": "x", "kind": "world_cafe"})
    assert forged.status_code == 403


def test_admin_compares_the_ticked_events_in_one_workbook(client, app, event):
    import openpyxl

    store = app.extensions["store"]
    other = make_event(store, tables=2, title="World Café Hauptamt")
    store.add_contribution(other["id"], "A", "idea", "Sprachcafé")
    page = client.get(f"/admin?token={ADMIN_TOKEN}").get_data(as_text=True)
    assert f'name="event" value="{other["id"]}"' in page
    r = client.post("/admin/compare", data={"token": ADMIN_TOKEN, "event": [event["id"], other["id"]]})
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    assert 'filename="vergleich.xlsx"' in r.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(r.data))
    overview = [list(row) for row in book["Übersicht"].iter_rows(values_only=True)]
    assert [(row[0], row[4]) for row in overview[1:]] == [("Testcafé", 0), ("World Café Hauptamt", 1)]
    for chosen in ([event["id"]], [event["id"], "nope00"]):  # one, or one unknown: say so
        again = client.post("/admin/compare", data={"token": ADMIN_TOKEN, "event": chosen})
        assert again.mimetype == "text/html"
        assert german("Tick at least two events to compare them.") in again.get_data(as_text=True)
    forged = client.post("/admin/compare", data={"event": [event["id"], other["id"]]})
    assert forged.status_code == 403


def test_security_headers_on_pages(client, event):
    r = client.get(f"/e/{event['id']}/t/A")
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "same-origin"


def test_pages_load_nothing_from_elsewhere(client, app, event):
    key = app.extensions["store"].facilitator_key(event["id"])
    for path in (f"/e/{event['id']}", f"/e/{event['id']}/t/A", f"/e/{event['id']}/projector",
                 f"/e/{event['id']}/console?key={key}", "/"):
        html = client.get(path).get_data(as_text=True)
        for attr in ('src="http', "src='http", 'href="http', "@import", "//cdn"):
            assert attr not in html, (path, attr)
