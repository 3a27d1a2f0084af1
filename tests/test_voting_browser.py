"""Dot voting end to end in headless Chromium: console opens, phone sticks dots, the
projector's bar grows, the console closes, the phone can no longer change anything."""

from __future__ import annotations

import time

import pytest

from tests.helpers import make_event, open_in_browser, wait_for
from tests.pages import settle

pytestmark = pytest.mark.browser


@pytest.fixture
def voting(browser, server, server_store):
    event = make_event(server_store, tables=3)
    eid = event["id"]
    server_store.add_contribution(eid, "A", "idea", "Sprachcafé im Stadtteiltreff")
    server_store.add_contribution(eid, "B", "need", "Kinderbetreuung während der Kurse")
    rnd = server_store.create_voting_round(eid, "Leitbild", tables=["A", "B"],
                                           statements=["Vielfalt ist unsere Stärke"])
    key = server_store.facilitator_key(eid)
    contexts = []

    def open_page(path, width, height):
        page = open_in_browser(browser, contexts, server.url + path, width, height)
        page.wait_for_selector("#conn:not(.offline)")
        return page

    console = open_page(f"/e/{eid}/console?key={key}#vote", 1440, 900)
    projector = open_page(f"/e/{eid}/projector/vote", 1920, 1080)
    phone = open_page(f"/e/{eid}/t/A", 360, 740)
    room = open_page(f"/e/{eid}/projector", 1280, 720)  # the main view, showing tables
    yield eid, rnd, console, projector, phone, room
    for ctx in contexts:
        ctx.close()


def test_phone_votes_projector_bar_grows_close_freezes_the_phone(voting, server_store, shot):
    eid, rnd, console, projector, phone, room = voting
    first = rnd["candidates"][0]["id"]
    assert phone.locator("#vote-panel").is_hidden()  # a draft is invisible to phones

    console.locator(f"[data-round='{rnd['id']}'] [data-action=open]").click()
    phone.locator("#vote-panel .vote-left[data-left='5']").wait_for(timeout=3000)
    room.wait_for_url(f"**/e/{eid}/projector/vote", timeout=3000)  # the room follows the vote
    item = phone.locator(f"#vote-panel [data-candidate='{first}']")
    item.locator(".vote-btn.plus").click()
    sent = time.monotonic()
    phone.locator("#vote-panel .vote-left[data-left='4']").wait_for()
    bar = projector.locator(f".vote-row[data-candidate='{first}']")
    bar.locator(".vote-num", has_text="1").wait_for(timeout=2000)
    assert time.monotonic() - sent < 2.0  # the projector shows the dot within 2 s
    item.locator(".vote-btn.plus").click()
    phone.locator("#vote-panel .vote-left[data-left='3']").wait_for()
    bar.locator(".vote-num", has_text="2").wait_for(timeout=2000)
    # the leading bar spans the whole track; the others are still empty
    assert bar.evaluate("r => getComputedStyle(r).getPropertyValue('--w').trim()") == "1"
    assert "1 " in projector.locator("#vote-voters").inner_text()
    assert projector.locator(".joinbox").is_visible()  # the voting QR code while the round is open
    assert item.locator(".vote-count").inner_text() == "2"
    console.locator(f"[data-round='{rnd['id']}'] tr[data-candidate='{first}'] td.num").first.filter(
        has_text="2").wait_for()
    for page in (phone, projector):
        settle(page)  # the bars have finished growing, for the picture
    shot(phone, "phone-voting")
    shot(projector, "projector-bars")

    console.once("dialog", lambda d: d.accept())
    console.locator(f"[data-round='{rnd['id']}'] [data-action=close]").click()
    phone.locator("#vote-panel .vote-closed").wait_for(timeout=3000)
    projector.locator(".vote-state.closed").wait_for(timeout=3000)
    projector.locator(".joinbox").wait_for(state="hidden")  # no "vote on your phone" under the result
    assert phone.locator("#vote-panel .vote-btn:enabled").count() == 0
    phone.locator("#vote-panel .vote-btn.minus").first.click(force=True)  # a frozen tap
    time.sleep(0.5)
    ledger = server_store.dot_ledger(eid)
    assert [(r["candidate_id"], r["delta"]) for r in ledger] == [(first, 1), (first, 1)]
    # the phone now shows the room's result: only the item with dots, ranked first
    result = phone.locator("#vote-panel .vote-result li")
    result.first.wait_for(timeout=3000)
    assert result.count() == 1
    assert result.first.get_attribute("data-candidate") == str(first)
    assert [result.first.locator(f".vote-result-{part}").inner_text()
            for part in ("rank", "dots")] == ["1.", "2"]  # a German place: "1."
    assert "Das Ergebnis" in phone.locator("#vote-panel").inner_text()
    shot(phone, "phone-closed")
    shot(projector, "projector-final")
    # a phone that arrives after the close gets the result in its snapshot
    late = phone.context.browser.new_context(viewport={"width": 360, "height": 740},
                                             locale="de-DE").new_page()
    late.goto(f"{phone.url.split('/e/')[0]}/e/{eid}/vote")
    late.locator("#vote-panel .vote-result li").first.wait_for(timeout=3000)
    assert late.locator("#vote-panel .vote-result li .vote-result-label").all_inner_texts() == [
        rnd["candidates"][0]["label"]]
    assert late.locator("#vote-panel .vote-btn").count() == 0  # it placed no dots: nothing to undo
    late.context.close()
    for page in (console, projector, phone, room):
        assert page.errors == []


def test_console_creates_a_round_from_a_table_and_statements_and_makes_codes(
        voting, server_store, shot):
    eid, _, console, _, _, _ = voting
    console.fill("#vote-title-input", "Maßnahmen")
    console.fill("#vote-cap", "1")
    console.locator("#vote-tables input[value='B']").check()
    console.fill("#vote-statements", "Mehr Begegnung\n\nSprache zuerst\n")
    console.locator("#vote-form button[type=submit]").click()
    console.locator(".vote-round.draft", has_text="Maßnahmen").wait_for(timeout=3000)
    created = [r for r in server_store.voting_rounds(eid) if r["title"] == "Maßnahmen"][0]
    assert [c["label"] for c in created["candidates"]] == [
        "Kinderbetreuung während der Kurse", "Mehr Begegnung", "Sprache zuerst"]
    assert (created["cap"], created["budget"], created["status"]) == (1, 5, "draft")
    rows = console.locator(f"[data-round='{created['id']}'] tbody tr")
    wait_for(lambda: rows.count() == 3)  # the rows follow the round's first tally
    console.fill("#ticket-count", "12")
    console.get_by_role("button", name=console.evaluate(
        "JSON.parse(document.getElementById('i18n').textContent).vote_tickets_make")).click()
    console.locator("#ticket-summary", has_text="12").wait_for(timeout=3000)
    assert len(server_store.tickets(eid)) == 12
    console.locator("#vote-console").scroll_into_view_if_needed()
    shot(console, "console-voting")
    assert console.errors == []
