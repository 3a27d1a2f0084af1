"""The console's grouping panel and the projector's word view in headless Chromium."""

import pytest

from tests.helpers import make_event, open_in_browser, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def open_page(browser, server):
    contexts = []

    def open_(path, width, height):
        page = open_in_browser(browser, contexts, server.url + path, width, height)
        page.locator("#conn:not(.offline)", has_text="live").wait_for()
        return page

    yield open_
    for ctx in contexts:
        ctx.close()


def add(store, eid, table, text, question=0):
    return store.add_contribution(eid, table, "need", text, question=question)[0]["id"]


def test_the_facilitator_merges_one_suggestion_and_ignores_another(open_page, server_store, shot):
    event = make_event(server_store, tables=2)
    eid = event["id"]
    kita = [add(server_store, eid, "A", "Mehr Kita-Plätze mit Sprachförderung"),
            add(server_store, eid, "B", "mehr Kitaplätze mit Sprachförderung!!")]
    swim = [add(server_store, eid, "A", "Schwimmkurse nur für Frauen anbieten"),
            add(server_store, eid, "B", "Schwimmkurs für Frauen ohne Männer")]
    add(server_store, eid, "A", "Die Wohnungsbörse hilft wirklich sehr")
    console = open_page(f"/e/{eid}/console?key={server_store.facilitator_key(eid)}#live", 1440, 900)
    console.click("#groups-suggest")
    hints = console.locator("#groups-list .group-hint")
    hints.first.wait_for(timeout=30000)
    assert hints.count() == 2
    assert "Methode:" in console.inner_text("#groups-note")
    kita_box = console.locator(f".group-hint[data-ids='{kita[0]},{kita[1]}']")
    assert "2 Karten zu" in kita_box.locator("h3").inner_text()
    assert "Kita" in kita_box.locator("h3").inner_text()
    shot(console, "groups-suggested")
    # Nothing was merged by suggesting.
    assert all(not c["merged_into"] for c in server_store.contributions(eid, include_hidden=True))

    # Unticking the other card leaves nothing to merge: the panel says so, nothing changes.
    kita_box.locator(f"li[data-id='{kita[1]}'] input[type=checkbox]").uncheck()
    kita_box.locator("[data-action=merge-group]").click()
    console.locator(".toast", has_text="mindestens eine weitere Karte").wait_for()
    assert not server_store.get_contribution(eid, kita[1])["merged_into"]
    kita_box.locator(f"li[data-id='{kita[1]}'] input[type=checkbox]").check()
    kita_box.locator("[data-action=merge-group]").click()
    kita_box.wait_for(state="detached")
    merged = wait_for(lambda: server_store.get_contribution(eid, kita[1])["merged_into"])
    assert merged == kita[0]  # the first card stays, the ticked one is merged into it
    console.locator(f"#stream li[data-id='{kita[1]}']", has_text="zusammengeführt").wait_for()

    swim_box = console.locator(f".group-hint[data-ids='{swim[0]},{swim[1]}']")
    swim_box.locator("[data-action=ignore-group]").click()
    swim_box.wait_for(state="detached")
    assert not server_store.get_contribution(eid, swim[1])["merged_into"]
    # Ignored stays ignored when the facilitator asks again; the merged pair is gone.
    console.click("#groups-suggest")
    console.locator("#groups-note", has_text="Keine Gruppen").wait_for()
    assert console.locator("#groups-list .group-hint").count() == 0
    assert console.errors == []


def test_the_word_view_updates_on_projector_and_console_as_cards_arrive(open_page, server_store, sio, shot):
    event = make_event(server_store, tables=2)
    eid = event["id"]
    add(server_store, eid, "A", "Mehr Kita-Plätze in Arnstadt", question=0)
    add(server_store, eid, "A", "Kitaplätze fehlen", question=0)
    add(server_store, eid, "A", "Sprachkurse am Abend", question=1)
    projector = open_page(f"/e/{eid}/projector?table=A", 1920, 1080)
    first = projector.locator("#word-columns .word-question").nth(0)
    first.locator("li").first.wait_for()
    assert first.locator("h3").inner_text() == "1. Frage 1 A?"
    assert first.locator("li").first.inner_text().split() == ["Kitaplätze", "2"]
    console = open_page(f"/e/{eid}/console?key={server_store.facilitator_key(eid)}#live", 1440, 900)
    console.select_option("#groups-table", "A")
    console.locator("#words-console li", has_text="Kitaplätze").wait_for()

    # A phone sends a card: both lists follow without a reload.
    phone = sio({"event": eid, "role": "participant", "table": "A"}, device=1401)
    ack = phone.call("submit_contribution", {"kind": "need", "text": "Kitaplatz dringend gesucht",
                                             "question": 0, "client_id": "c-1401-0001"}, timeout=10)
    assert ack["ok"], ack
    wait_for(lambda: first.locator("li").first.inner_text().split() == ["Kitaplatz", "3"], timeout=10)
    console.locator("#words-console li", has_text="Kitaplatz").filter(has_text="3").wait_for()
    shot(projector, "projector-words")
    shot(console, "console-words")
    assert projector.errors == [] and console.errors == []
