"""The console in a live room (issue 12): a correction survives arrivals; the table editor."""

import pytest

from tests.helpers import make_event, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def console(browser, server, server_store):
    event = make_event(server_store, tables=3)
    key = server_store.facilitator_key(event["id"])
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="de-DE")
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{server.url}/e/{event['id']}/console?key={key}#live")
    wait_for(lambda: page.evaluate("document.getElementById('conn').textContent") == "live", timeout=10)
    yield event, page
    ctx.close()


def send(phone, n, table_text):
    ack = phone.call("submit_contribution", {"client_id": f"c-live-{n:04d}-xx", "kind": "idea",
                                             "question": 0, "text": table_text})
    assert ack["ok"], ack


def test_a_correction_in_progress_survives_twenty_arrivals_and_is_saved(console, sio, server_store):
    event, page = console
    eid = event["id"]
    phones = [sio({"event": eid, "role": "participant", "table": t}, device=f"live-{t}")
              for t in "ABC"]
    send(phones[0], 0, "Sprachkurse am Abnd")
    first = page.locator("#stream li", has_text="Sprachkurse am Abnd")
    item = page.locator(f"#stream li[data-id='{first.get_attribute('data-id')}']")
    item.locator("[data-action=edit]").click()
    box = item.locator("textarea")
    box.wait_for()
    box.click()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    for i in range(20):
        send(phones[i % 3], i + 1, f"Neuer Beitrag Nummer {i + 1}")
        page.keyboard.type("e" if i == 0 else "")  # keep typing while cards arrive
        if i == 10:
            page.keyboard.press("End")
            page.keyboard.type(" für Berufstätige")
    page.locator("#stream li", has_text="Neuer Beitrag Nummer 20").wait_for()
    assert page.locator("#stream li").count() == 21
    # the text box is the same, still focused, with everything typed
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"
    assert box.input_value() == "Sprachkurse am Abend für Berufstätige"
    item.locator("[data-action=save-edit]").click()
    wait_for(lambda: any(c["text"] == "Sprachkurse am Abend für Berufstätige"
                         for c in server_store.contributions(eid, include_hidden=True)))
    page.locator("#stream li .text", has_text="Sprachkurse am Abend für Berufstätige").wait_for()
    assert page.errors == []


def test_table_editor_adds_fixes_deletes_copies_and_reorders_in_place(console, server_store):
    event, page = console
    eid = event["id"]
    page.click("#tab-prep")
    page.click("#add-table")
    row = page.locator("#tables .table-row").last
    row.locator("input").first.fill("D")
    row.locator("input").nth(1).fill("Wohnn")
    row.locator("textarea").fill("Was fehlt?\nWas klappt?")
    row.locator("[data-action=save-table]").click()
    wait_for(lambda: any(t["code"] == "D" for t in server_store.tables(eid)))
    # the form is now table D's editor: fixing the typo and saving again changes D
    page.locator("#tables .table-row[data-table=D]").wait_for()
    row = page.locator("#tables .table-row[data-table=D]")
    row.locator("input").nth(1).fill("Wohnen")
    row.locator("[data-action=save-table]").click()
    wait_for(lambda: [t["theme"] for t in server_store.tables(eid) if t["code"] == "D"] == ["Wohnen"])
    assert [t["code"] for t in server_store.tables(eid)] == ["A", "B", "C", "D"]
    assert page.locator("#tables .table-row").count() == 4

    # Leitfragen für alle Tische übernehmen
    row.locator("[data-action=questions-to-all]").click()
    wait_for(lambda: all(t["questions"] == ["Was fehlt?", "Was klappt?"]
                         for t in server_store.tables(eid)))
    wait_for(lambda: page.evaluate(
        "document.querySelector('.table-row[data-table=A] textarea').value") == "Was fehlt?\nWas klappt?")

    # reorder: D up once, then it is third
    row.locator("[data-action=table-up]").click()
    wait_for(lambda: [t["code"] for t in server_store.tables(eid)] == ["A", "B", "D", "C"])
    wait_for(lambda: page.evaluate(
        "[...document.querySelectorAll('#tables .table-row')].map(r => r.dataset.table).join('')") == "ABDC")

    # delete: the row is gone at once, focus or not
    page.locator("#tables .table-row[data-table=D] [data-action=delete-table]").click()
    page.locator("#tables .table-row[data-table=D]").wait_for(state="detached", timeout=2000)
    assert [t["code"] for t in server_store.tables(eid)] == ["A", "B", "C"]
    assert page.errors == []


def test_host_harvest_updates_in_place_while_cards_arrive(browser, server, server_store, sio):
    event = make_event(server_store, tables=2)
    eid = event["id"]
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    host = ctx.new_page()
    host.errors = []
    host.on("pageerror", lambda e: host.errors.append(str(e)))
    host.goto(f"{server.url}/e/{eid}/t/A/host?key={server_store.host_key(eid, 'A')}")
    wait_for(lambda: host.evaluate("document.getElementById('conn').textContent") == "live", timeout=10)
    phone = sio({"event": eid, "role": "participant", "table": "A"}, device="host-live")
    send(phone, 900, "Erster Beitrag am Tisch A")
    first = host.locator("#current li", has_text="Erster Beitrag")
    first.wait_for()
    first.locator("button.star").focus()
    host.evaluate("document.activeElement.dataset.probe = 'kept'")
    for i in range(8):
        send(phone, 901 + i, f"Weiterer Beitrag {i}")
    host.locator("#current li", has_text="Weiterer Beitrag 7").wait_for()
    assert host.locator("#current li").count() == 9
    # the same button element still has the focus: nothing was rebuilt under it
    assert host.evaluate("document.activeElement.dataset.probe") == "kept"
    assert "#1" in first.inner_text()  # the card's number in this event
    assert host.errors == []
    ctx.close()
