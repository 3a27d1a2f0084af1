"""Set-up in minutes (issue 12): from the admin page to printable table cards by template."""

import subprocess

import pytest
import requests

from tests.helpers import ADMIN_TOKEN, wait_for

pytestmark = pytest.mark.browser


def test_ilm_kreis_world_cafe_from_the_template_to_table_cards_in_few_clicks(
        browser, server, server_store, shot, tmp_path):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="de-DE")
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    clicks, fields = 0, 0
    page.goto(f"{server.url}/admin?token={ADMIN_TOKEN}")
    page.select_option("#template", "ilm_kreis_world_cafe")
    clicks += 1  # choosing the template
    page.get_by_role("button", name="Veranstaltung anlegen", exact=True).click()
    clicks += 1
    page.wait_for_url("**/console?key=*")
    wait_for(lambda: page.evaluate("document.getElementById('conn').textContent") == "live", timeout=10)
    assert page.locator("#phase-prep").is_visible()  # a new event opens in Vorbereitung
    eid = page.url.split("/e/")[1].split("/")[0]
    page.locator("#tables .table-row[data-table=F]").wait_for()
    shot(page, "console-from-template")
    with ctx.expect_page() as opened:
        page.click("#prep-cards-link")
    clicks += 1
    href = page.get_attribute("#prep-cards-link", "href")
    print(f"\nIlm-Kreis World Café: {clicks} clicks and {fields} typed fields from the admin page "
          "to printable table cards")
    assert clicks <= 5 and fields == 0
    opened.value.close()

    event = server_store.get_event(eid)
    tables = server_store.tables(eid)
    assert event["kind"] == "world_cafe" and event["status"] == "draft"
    assert len(tables) == 6 and all(len(t["questions"]) == 5 for t in tables)
    assert event["join_options"] == ["Ehrenamt", "Hauptamt", "Verwaltung", "Migrant*innen"]
    rounds = server_store.round_state(eid)
    assert (rounds["rounds"], rounds["duration_ms"]) == (3, 20 * 60_000)
    pdf = requests.get(server.url + href, timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    path = tmp_path / "cards.pdf"
    path.write_bytes(pdf.content)
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 6  # a card for every table
    assert page.errors == []
    ctx.close()


def test_akteurskonferenz_template(server, server_store):
    r = requests.post(f"{server.url}/admin/events", data={"token": ADMIN_TOKEN,
                      "template": "akteurskonferenz"}, allow_redirects=False, timeout=10,
                      headers={"Origin": server.url})
    assert r.status_code == 303
    eid = r.headers["Location"].split("/e/")[1].split("/")[0]
    event = server_store.get_event(eid)
    assert event["kind"] == "akteurskonferenz"
    assert len(server_store.tables(eid)) == 4
    before = len(server_store.list_events())
    bad = requests.post(f"{server.url}/admin/events", data={"token": ADMIN_TOKEN, "template": "nope"},
                        allow_redirects=False, timeout=10, headers={"Origin": server.url})
    assert bad.status_code == 400
    assert len(server_store.list_events()) == before  # nothing created


def test_admin_page_and_report_fit_a_phone(browser, server, server_store, shot, tmp_path):
    import io
    import zipfile

    from tests.helpers import make_event

    event = make_event(server_store, title="World Café Ehrenamt und Verwaltung im Ilm-Kreis 2026")
    for i in range(8):
        server_store.add_contribution(event["id"], "ABC"[i % 3], "idea", f"Beitrag {i}")
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    page = ctx.new_page()
    page.goto(f"{server.url}/admin?token={ADMIN_TOKEN}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "admin-360")
    key = server_store.facilitator_key(event["id"])
    z = requests.get(f"{server.url}/e/{event['id']}/export.zip", params={"key": key}, timeout=60)
    with zipfile.ZipFile(io.BytesIO(z.content)) as folder:
        name = next(n for n in folder.namelist() if n.endswith("/bericht.html"))
        (tmp_path / "bericht.html").write_bytes(folder.read(name))
    page.goto((tmp_path / "bericht.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    meta = page.inner_text(".meta")  # German dates and local time, no ISO, no "UTC"
    assert "22.11.2026" in meta and " Uhr" in meta and "UTC" not in meta and "2026-11-22" not in meta
    shot(page, "bericht-360")
    ctx.close()
