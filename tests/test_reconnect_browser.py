"""Reconnect in a real browser: the phone's outbox across a Wi-Fi drop, and projector and
console resynchronising without a reload and without doubling anything on screen."""

from __future__ import annotations

import json
import re

import pytest

from tests.helpers import german, make_event, messages, wait_for

pytestmark = pytest.mark.browser


def _dots(store, event_id: str) -> int:
    return sum(d["delta"] for d in store.dot_ledger(event_id))


def test_phone_offline_sends_two_contributions_and_a_dot_each_stored_once(
        browser, server, server_store, shot):
    event = make_event(server_store, tables=2)
    eid = event["id"]
    server_store.update_event(eid, {"status": "running"})
    vote = server_store.create_voting_round(eid, "Was ist am wichtigsten?",
                                            statements=["Mehr Sprachkurse", "Wohnraum"])
    server_store.open_voting_round(eid, vote["id"])
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/e/{eid}/t/A")
        page.wait_for_selector("#conn:not(.offline)")
        page.wait_for_selector("#vote-panel .vote-btn.plus:not([disabled])")

        context.set_offline(True)
        page.wait_for_selector("#conn.offline", timeout=5000)
        for text in ("Offline geschrieben eins", "Offline geschrieben zwei"):
            page.fill("#text", text)
            page.click("#send")
        page.click("#vote-panel .vote-btn.plus >> nth=0")
        pending = page.locator("#harvest .pending-state.sending")
        assert pending.count() == 2
        assert page.inner_text("#vote-panel .pending-state.sending") == german("sending…")
        assert pending.first.inner_text() == german("sending…")
        page.wait_for_timeout(1500)  # still offline: nothing may have reached the server
        assert server_store.contributions(eid) == [] and _dots(server_store, eid) == 0
        shot(page, "offline")

        context.set_offline(False)
        page.wait_for_selector("#vote-panel .pending-state.saved", timeout=15000)
        assert page.inner_text("#vote-panel .pending-state.saved") == "gespeichert ✓"
        saved = page.locator("#harvest .pending-state.saved")
        wait_for(lambda: saved.count() == 2, timeout=10)
        assert saved.first.inner_text() == german("saved ✓") == "gespeichert ✓"
        wait_for(lambda: _dots(server_store, eid) == 1, timeout=10)
        shot(page, "back-online")

        texts = sorted(c["text"] for c in server_store.contributions(eid))
        assert texts == ["Offline geschrieben eins", "Offline geschrieben zwei"]
        assert len(server_store.dot_ledger(eid)) == 1
        assert page.locator("#vote-panel .vote-count").first.inner_text() == "1"
        # Each is on screen once, not once as pending and once as stored.
        assert page.locator("#harvest li").count() == 2
        page.wait_for_timeout(4500)  # the outbox lets saved items go; the harvest keeps them
        assert page.locator("#harvest li").count() == 2
        outbox = page.evaluate("localStorage.getItem('facilitation:outbox:' + document.body.dataset.event)")
        assert outbox == "[]"
    finally:
        context.close()


def test_projector_and_console_resync_after_a_drop_without_doubling(
        browser, server, server_store, sio, shot):
    event = make_event(server_store, tables=3)
    eid = event["id"]
    key = server_store.facilitator_key(eid)
    server_store.update_event(eid, {"status": "running"})
    phone = sio({"event": eid, "role": "participant", "table": "B"}, device="resync")

    def send(n):
        ack = phone.call("submit_contribution", {"kind": "idea", "text": f"Beitrag {n}",
                                                 "client_id": f"resync-{n:04d}"})
        assert ack["ok"], ack

    send(1)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="de-DE")
    projector, console = context.new_page(), context.new_page()
    try:
        projector.goto(f"{server.url}/e/{eid}/projector")
        console.goto(f"{server.url}/e/{eid}/console?key={key}#live")
        for page in (projector, console):
            page.wait_for_selector("#conn:not(.offline)")
        wait_for(lambda: console.locator("#stream li").count() == 1)

        context.set_offline(True)
        for page in (projector, console):
            page.wait_for_selector("#conn.offline", timeout=5000)
        for n in range(2, 6):  # written while the projector and console are cut off
            send(n)
        context.set_offline(False)
        for page in (projector, console):
            page.wait_for_selector("#conn:not(.offline)", timeout=15000)
        send(6)  # arrives live after the resync

        wait_for(lambda: console.locator("#stream li").count() == 6, timeout=10)
        ids = console.eval_on_selector_all("#stream li", "els => els.map(e => e.dataset.id)")
        assert len(ids) == len(set(ids)) == 6
        assert console.inner_text("#total") == "6"
        wait_for(lambda: "6" in projector.inner_text("#totals"), timeout=10)
        card = projector.locator('article.tcard[data-table="B"] li')
        shown = card.evaluate_all("els => els.map(e => e.dataset.id)")
        assert len(shown) == len(set(shown))  # nothing doubled on screen
        assert re.search(r"\b6\b", projector.inner_text("#totals"))
        shot(projector, "projector-after-resync")
        shot(console, "console-after-resync")
        assert len(server_store.contributions(eid)) == 6
        assert messages(phone, "snapshot")  # the phone itself was never dropped
    finally:
        context.close()


def test_an_outbox_saved_mid_send_is_sent_after_a_reload(browser, server, server_store):
    """The page was closed while a contribution and a dot were on their way (no ack yet):
    localStorage still holds them, and the next visit sends them, once."""
    event = make_event(server_store, tables=1)
    eid = event["id"]
    server_store.update_event(eid, {"status": "running"})
    vote = server_store.create_voting_round(eid, "Abstimmung", statements=["Eins", "Zwei"])
    server_store.open_voting_round(eid, vote["id"])
    candidate = server_store.voting_round(eid, vote["id"])["candidates"][1]["id"]
    tap = {"name": "place_dot", "candidate": candidate, "delta": 1, "client_id": "reloaddot0000001"}
    item = {"client_id": "reload0000000001", "table": "A", "state": "sending", "inFlight": True,
            "kind": "need", "question": None, "text": "Vor dem Neuladen geschrieben",
            "created": 0}
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/e/{eid}")  # same origin first, to write its localStorage
        page.evaluate("([k, v]) => localStorage.setItem(k, v)",
                      [f"facilitation:outbox:{eid}", json.dumps([item])])
        page.evaluate("([k, v]) => localStorage.setItem(k, v)",
                      [f"facilitation:dots:{eid}", json.dumps({"round": vote["id"], "queue": [tap]})])
        page.goto(f"{server.url}/e/{eid}/t/A")
        wait_for(lambda: len(server_store.contributions(eid)) == 1, timeout=10)
        wait_for(lambda: _dots(server_store, eid) == 1, timeout=10)
        page.wait_for_selector("#harvest .pending-state.saved")
        page.reload()
        page.wait_for_selector("#conn:not(.offline)")
        page.wait_for_timeout(500)
        assert [c["text"] for c in server_store.contributions(eid)] == [item["text"]]
        assert [(d["candidate_id"], d["delta"]) for d in server_store.dot_ledger(eid)] == [(candidate, 1)]
    finally:
        context.close()


def test_host_and_plenary_pages_keep_what_was_typed_offline_and_send_it_once(
        browser, server, server_store, shot):
    """A table host typing for someone without a phone, and a participant's impulse for the
    wall: both survive a Wi-Fi drop, and the impulse even survives closing the page."""
    event = make_event(server_store, tables=2, kind="akteurskonferenz")
    eid = event["id"]
    server_store.update_event(eid, {"status": "running"})
    host_url = f"{server.url}/e/{eid}/t/A/host?key={server_store.host_keys(eid)['A']}"
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    host, plenary = context.new_page(), context.new_page()
    try:
        host.goto(host_url)
        plenary.goto(f"{server.url}/e/{eid}/plenary")
        for page in (host, plenary):
            page.wait_for_selector("#conn:not(.offline)")

        context.set_offline(True)
        for page in (host, plenary):
            page.wait_for_selector("#conn.offline", timeout=5000)
        host.fill("#text", "Für Frau K. eingetragen: Sprachcafé im Rathaus")
        host.click("#send")
        plenary.fill("#impulse", "Impuls ohne Netz geschrieben")
        plenary.click("#impulse-form button[type=submit]")
        assert host.inner_text("#pending .pending-state.sending") == german("sending…")
        assert plenary.inner_text("#impulse-pending .pending-state.sending") == german("sending…")
        assert host.input_value("#text") == "" and plenary.input_value("#impulse") == ""
        shot(host, "host-offline")
        host.wait_for_timeout(1000)
        assert server_store.contributions(eid) == [] and server_store.impulses(eid) == []

        # The participant closes the page before the Wi-Fi is back: the impulse waits in
        # localStorage and goes out on the next visit.
        kept = plenary.evaluate(f"localStorage.getItem('facilitation:impulses:{eid}')")
        assert "Impuls ohne Netz geschrieben" in kept
        plenary.close()
        context.set_offline(False)

        host.wait_for_selector("#pending .pending-state.saved", timeout=15000)
        assert host.inner_text("#feedback") == german("Saved as typed by the table host.")
        again = context.new_page()
        again.goto(f"{server.url}/e/{eid}/plenary")
        again.wait_for_selector("#impulse-pending .pending-state.saved", timeout=15000)
        assert again.inner_text("#impulse-feedback") == german("Thank you! Your impulse is on the wall.")
        shot(again, "plenary-back-online")

        again.wait_for_timeout(4500)  # saved items leave the outbox; nothing is sent twice
        stored = server_store.contributions(eid)
        assert [(c["text"], c["entered_by"]) for c in stored] == [
            ("Für Frau K. eingetragen: Sprachcafé im Rathaus", "host")]
        assert [i["text"] for i in server_store.impulses(eid)] == ["Impuls ohne Netz geschrieben"]
        assert again.evaluate(f"localStorage.getItem('facilitation:impulses:{eid}')") == "[]"
        assert again.locator("#impulse-pending").is_hidden()
    finally:
        context.close()
