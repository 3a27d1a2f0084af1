"""Screens that tell the truth, at the sizes they are used at (issue 12).

Screenshots: console 1366x768 and 1024x768, projector 1920x1080 and 1280x720, phone 360x740.
"""

import pytest

from tests.helpers import german, make_event, open_in_browser, wait_for

pytestmark = pytest.mark.browser


@pytest.fixture
def room(browser, server, server_store):
    # its own title: closing it writes a session folder named after title and date
    event = make_event(server_store, tables=6, title="Bildschirm-Café")
    key = server_store.facilitator_key(event["id"])
    contexts = []

    def open_page(path, width, height):
        page = open_in_browser(browser, contexts, server.url + path, width, height)
        wait_for(lambda: page.evaluate("document.getElementById('conn').textContent") == "live",
                 timeout=10)
        return page

    yield event, key, open_page
    for ctx in contexts:
        ctx.close()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_lifecycle_end_screens_and_the_offline_note(room, server_store, shot):
    event, key, open_page = room
    eid = event["id"]
    console = open_page(f"/e/{eid}/console?key={key}#live", 1366, 768)
    phone = open_page(f"/e/{eid}/t/B", 360, 740)
    projector = open_page(f"/e/{eid}/projector", 1920, 1080)
    assert console.inner_text("#ev-status-badge") == german("In preparation")

    # the first round sets the event running, on every console at once
    console.click("#round-start")
    wait_for(lambda: server_store.get_event(eid)["status"] == "running")
    console.locator("#ev-status-badge", has_text=german("Running")).wait_for(timeout=3000)

    # offline: the note says it is kept; after the send went through, the note goes
    phone.context.set_offline(True)
    wait_for(lambda: phone.evaluate("document.getElementById('conn').classList.contains('offline')"))
    phone.fill("#text", "Mehr Sprachkurse am Abend")
    phone.click("#send")
    queued = german("No connection: your contribution will be sent automatically.")
    assert phone.inner_text("#feedback") == queued
    phone.context.set_offline(False)
    wait_for(lambda: any(c["text"] == "Mehr Sprachkurse am Abend" for c in server_store.contributions(eid)),
             timeout=15)
    wait_for(lambda: phone.inner_text("#feedback") != queued, timeout=5)
    shot(phone, "phone-360x740-live")

    # the number of the card is the same on console and projector: 1 in this event
    console.locator("#stream li .meta", has_text="#1").wait_for()
    projector.locator("article[data-table=B] li .num", has_text="#1").wait_for()

    # closing: phones and projector show an end screen; no join QR code, no clock
    console.click("#tab-results")
    console.fill("#ev-next-steps", "Die Ergebnisse gehen in den Entwurf; der Kreistag berät im März.")
    console.click("#event-close")
    wait_for(lambda: server_store.get_event(eid)["status"] == "closed")
    phone.locator("#end-screen").wait_for(state="visible", timeout=5000)
    assert "Kreistag berät im März" in phone.inner_text("#end-screen")
    assert phone.locator("#contribute").is_hidden() and phone.locator("#seat").is_hidden()
    projector.locator("#end-view").wait_for(state="visible", timeout=5000)
    assert "Kreistag berät im März" in projector.inner_text("#end-view")
    assert projector.locator("#joinbox").is_hidden() and projector.locator("#round-box").is_hidden()
    shot(phone, "phone-360x740-ended")
    shot(projector, "projector-1920x1080-ended")
    # While the phone was offline its reconnection attempts failed, and Chromium logs
    # each refused websocket as a console error: the browser's note, not a script error.
    phone.errors = [e for e in phone.errors if "ERR_INTERNET_DISCONNECTED" not in e]
    for page in (console, phone, projector):
        assert page.errors == []


def test_console_fits_the_laptop_and_smaller_screens(room, server_store, shot, sio):
    event, key, open_page = room
    eid = event["id"]
    for i in range(30):
        server_store.add_contribution(eid, "ABCDEF"[i % 6], "idea", f"Beitrag Nummer {i + 1} mit etwas Text")
    console = open_page(f"/e/{eid}/console?key={key}#live", 1366, 768)
    console.locator("#stream li").first.wait_for()
    # the live phase fits without scrolling the page; the stream scrolls in its own box
    assert console.evaluate("document.documentElement.scrollHeight") <= 768
    assert no_sideways_scroll(console)
    assert console.locator("#round-start").is_visible() and console.locator("#stream li").first.is_visible()
    shot(console, "console-1366x768-live")
    for width in (1024, 768):
        console.set_viewport_size({"width": width, "height": 768})
        for phase in ("prep", "live", "vote", "results"):
            console.click(f"#tab-{phase}")
            assert no_sideways_scroll(console), (width, phase)
        console.click("#tab-live")
        shot(console, f"console-{width}x768-live")
    console.set_viewport_size({"width": 1024, "height": 768})
    console.click("#tab-prep")
    shot(console, "console-1024x768-prep")
    # the phase is in the #fragment: the key stays in the URL
    assert "key=" in console.url and console.url.endswith("#prep")
    # keyboard: arrow keys move between the tabs
    console.focus("#tab-prep")
    console.keyboard.press("ArrowRight")
    assert console.locator("#phase-live").is_visible()
    assert console.errors == []


def test_projector_is_legible_at_1080p_and_720p(room, server_store, shot):
    event, key, open_page = room
    eid = event["id"]
    for i in range(12):
        server_store.add_contribution(eid, "ABCDEF"[i % 6], ["need", "idea", "problem", "works_well"][i % 4],
                                      f"Beitrag {i + 1}: Sprachkurse am Abend")
    projector = open_page(f"/e/{eid}/projector", 1920, 1080)
    projector.locator("article li").first.wait_for()

    def size(selector):
        return projector.evaluate(
            f"parseFloat(getComputedStyle(document.querySelector('{selector}')).fontSize)")

    assert size("article li .text") >= 32
    assert size("article li .kind") >= 20
    # the join URL breaks, if at all, between address and path, never inside the event code
    assert projector.evaluate(
        "document.querySelectorAll('.joinbox .url .nowrap')[1].getClientRects().length") == 1
    shot(projector, "projector-1920x1080")
    projector.set_viewport_size({"width": 1280, "height": 720})
    assert size("article li .text") >= 21
    assert size("article li .kind") >= 14
    assert projector.evaluate(
        "[...document.querySelectorAll('.joinbox .url .nowrap')].every(s => s.getClientRects().length === 1)")
    shot(projector, "projector-1280x720")

    # the projector's language is set in the console
    server_store.update_event(eid, {"projector_language": "en"})
    again = open_page(f"/e/{eid}/projector", 1920, 1080)
    assert again.evaluate("document.documentElement.lang") == "en"
    assert projector.errors == []


def test_connect_error_reason_in_the_consoles_language(browser, server, server_store):
    event = make_event(server_store)
    key = server_store.facilitator_key(event["id"])
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="de-DE")
    page = ctx.new_page()
    page.goto(f"{server.url}/e/{event['id']}/console?key={key}&lang=en#live")
    wait_for(lambda: page.evaluate("document.getElementById('conn').textContent") == "live", timeout=10)
    ctx.clear_cookies()  # only the page knows it is English now; the browser says German
    server_store.purge_event(event["id"])
    ctx.set_offline(True)
    wait_for(lambda: page.evaluate("document.getElementById('conn').classList.contains('offline')"))
    ctx.set_offline(False)
    # the refusal's reason, in the page's language (it used to show nothing readable)
    wait_for(lambda: page.inner_text("#conn") == "This event does not exist.", timeout=20)
    ctx.close()


def test_host_records_dots_for_a_person_without_a_phone(room, server_store, shot):
    event, key, open_page = room
    eid = event["id"]
    rnd = server_store.create_voting_round(eid, "Prioritäten", budget=2, cap=1,
                                           statements=["Mehr Kitaplätze", "Lotsen"])
    host = open_page(f"/e/{eid}/t/A/host?key={server_store.host_key(eid, 'A')}", 360, 740)
    console = open_page(f"/e/{eid}/console?key={key}#vote", 1366, 768)
    console.locator(f"[data-round='{rnd['id']}'] [data-action=open]").click()
    host.locator("#host-dots").wait_for(state="visible", timeout=5000)
    host.fill("#dot-person", "Person 3")
    first = host.locator("#dot-items li").first
    first.locator("[data-action=dot-plus]").click()
    first.locator(".dot-count", has_text="1").wait_for(timeout=3000)
    assert host.inner_text("#dot-left") == "Person 3 hat noch 1 Punkt."
    # the cap says no, in German, and nothing changes
    first.locator("[data-action=dot-plus]").click()
    host.locator("#dot-feedback.error").wait_for(timeout=3000)
    shot(host, "host-dots-360x740")
    ledger = server_store.dot_ledger(eid, rnd["id"])
    assert [(d["delta"], d["entered_by"]) for d in ledger] == [(1, "host")]
    assert host.errors == []


def test_rotation_box_now_and_next_hidden_during_a_vote_and_after_the_last_round(
        browser, server, server_store, sio, shot):
    import re

    event = make_event(server_store, tables=4)
    eid = event["id"]
    server_store.plan_rounds(eid, rounds=2, minutes=20, lock_between=True, sound=False)
    server_store.start_round(eid)
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    page = ctx.new_page()
    page.goto(f"{server.url}/e/{eid}/t/A")
    page.locator("#round-time").wait_for(state="visible")

    def joined():
        with server_store.read():
            return server_store.rows("SELECT 1 FROM participants WHERE event_id = ?", [eid])

    wait_for(joined)
    console = sio({"event": eid, "role": "console", "key": server_store.facilitator_key(eid)})
    assert console.call("make_rotation", {"seed": 3})["ok"]
    seat = page.locator("#seat .seat-next")
    seat.wait_for(state="visible", timeout=10_000)
    assert re.fullmatch(r"Jetzt: Tisch [A-D] · Als Nächstes: Tisch [A-D]", seat.inner_text())
    shot(page, "phone-360x740-seat")
    # during a vote the box is gone: nobody is sent anywhere while dots are placed
    rnd = server_store.create_voting_round(eid, "Prioritäten", statements=["a", "b"])
    assert console.call("open_voting_round", {"round_id": rnd["id"]})["ok"]
    page.locator("#seat").wait_for(state="hidden", timeout=5000)
    shot(page, "phone-360x740-vote")
    assert console.call("close_voting_round", {"round_id": rnd["id"]})["ok"]
    seat.wait_for(state="visible", timeout=5000)
    # round 1 ends: "now" is the table for round 2, the last: no "next"
    console.call("end_round", {})
    wait_for(lambda: re.fullmatch(r"Jetzt: Tisch [A-D]", seat.inner_text()), timeout=5)
    console.call("start_round", {})
    console.call("end_round", {})
    page.locator("#seat").wait_for(state="hidden", timeout=5000)  # after the last round
    ctx.close()


def test_projector_vote_view_names_the_field_of_action_and_ties(room, server_store, shot):
    event, key, open_page = room
    eid = event["id"]
    server_store.add_contribution(eid, "A", "idea", "Sprachcafé im Stadtteiltreff")
    server_store.add_contribution(eid, "B", "need", "Mehr Kitaplätze mit Sprachförderung")
    rnd = server_store.create_voting_round(eid, "Prioritäten", tables=["A", "B"])
    server_store.open_voting_round(eid, rnd["id"])
    projector = open_page(f"/e/{eid}/projector/vote", 1920, 1080)
    row = projector.locator(".vote-row", has_text="Sprachcafé")
    row.wait_for()
    assert row.locator(".field-label").inner_text() == "A · Thema A"
    wait_for(lambda: row.locator(".vote-rank").inner_text() == "1. (gleichauf)")
    shot(projector, "projector-vote-1920x1080")
    projector.set_viewport_size({"width": 1280, "height": 720})
    shot(projector, "projector-vote-1280x720")
    assert projector.errors == []


def test_a_vote_opened_below_the_fold_is_announced_at_the_top(room, server_store, sio, shot):
    event, key, open_page = room
    eid = event["id"]
    questions = [f"Leitfrage {i} mit etwas mehr Text, wie im echten Leben?" for i in range(5)]
    table_b = server_store.tables(eid)[1]["id"]
    server_store.save_table(eid, {"id": table_b, "code": "B", "theme": "Sprache und Bildung",
                                  "questions": questions})
    phone = open_page(f"/e/{eid}/t/B", 360, 740)
    rnd = server_store.create_voting_round(eid, "Prioritäten", statements=["Mehr Kitaplätze", "Lotsen"])
    console = sio({"event": eid, "role": "console", "key": key})
    phone.focus("#text")  # typing: the page must not jump away by itself
    assert console.call("open_voting_round", {"round_id": rnd["id"]})["ok"]
    notice = phone.locator("#vote-notice")
    notice.wait_for(state="visible", timeout=5000)
    box = notice.bounding_box()
    assert box["y"] <= 1 and box["width"] <= 360  # at the top of the screen
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "phone-360x740-vote-notice")
    notice.click()
    notice.wait_for(state="hidden", timeout=5000)  # the panel is in view now
    assert phone.locator("#vote-panel").is_visible()
    assert phone.errors == []
