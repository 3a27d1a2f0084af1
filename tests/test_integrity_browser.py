"""Issue 13 in the browser: the console's integrity panel, and a refused phone says why."""

from __future__ import annotations

import pytest

from tests.helpers import device_cookie, german, make_event, wait_for

pytestmark = pytest.mark.browser


def test_the_console_shows_the_integrity_panel_with_a_plain_warning(
        browser, server, server_store, sio, shot):
    store = server_store
    event = make_event(store, tables=2)
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Was ist am wichtigsten?",
                                    statements=["Sprachkurse", "Wohnraum"])
    store.open_voting_round(eid, rnd["id"])
    for n in range(6):  # six devices appear after the round opened, all from one address
        phone = sio({"event": eid, "role": "participant"}, device=f"panel-{eid}-{n}")
        ack = phone.call("place_dot", {"round_id": rnd["id"], "candidate_id":
                                       rnd["candidates"][0]["id"], "client_id": f"panel-dot-{n}"})
        assert ack["ok"]
    key = store.facilitator_key(eid)
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="de-DE")
    page = ctx.new_page()
    try:
        page.goto(f"{server.url}/e/{eid}/console?key={key}")
        page.click("#tab-vote")  # the console's "Abstimmung" phase holds voting and integrity
        panel = page.locator("#integrity-console")
        panel.locator(".integrity-round").first.wait_for(timeout=15_000)
        wait_for(lambda: panel.locator("li.warning").count() >= 2, timeout=15)
        text = panel.inner_text()
        assert "Verlässlichkeit der Abstimmung" in text
        assert "Abstimmende Geräte\t6" in text or "Abstimmende Geräte 6" in text.replace("\t", " ")
        assert "Abstimmende Geräte von einer einzigen Netzwerkadresse: 6 von 6" in text
        panel.scroll_into_view_if_needed()
        shot(page, "integrity-panel")
        # The checkbox for rounds that count only devices from before they opened.
        assert page.locator("#vote-prior-device").count() == 1
    finally:
        ctx.close()


def test_a_phone_refused_at_connect_shows_the_reason(browser, server, server_store, shot):
    event = make_event(server_store, tables=1)
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    ctx.add_cookies([{"name": "fac_device", "value": device_cookie("refused"),
                      "url": server.url}])
    page = ctx.new_page()
    try:
        page.goto(f"{server.url}/e/{event['id']}/t/A")
        wait_for(lambda: page.locator("#conn").inner_text() == german("live"), timeout=15)
        # The Wi-Fi drops; meanwhile the facilitation deletes the table. When the phone
        # comes back, the server refuses it and the phone says why, not just "offline".
        ctx.set_offline(True)
        server_store.delete_table(event["id"], server_store.get_table(event["id"], "A")["id"])
        ctx.set_offline(False)
        reason = german("This table does not exist in this event.")
        wait_for(lambda: page.locator("#conn").inner_text() == reason, timeout=15)
        shot(page, "refused-phone")
    finally:
        ctx.close()
