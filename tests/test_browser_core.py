"""End to end in headless Chromium: a phone sends, the projector shows it, the console hides it."""

import time

import pytest

from tests.helpers import make_event, open_in_browser, wait_for
from tests.pages import wait_until

pytestmark = pytest.mark.browser


@pytest.fixture
def pages(browser, server, server_store):
    event = make_event(server_store, tables=3)
    key = server_store.facilitator_key(event["id"])
    contexts = []

    def open_page(path, width, height, locale="de-DE"):
        return open_in_browser(browser, contexts, server.url + path, width, height, locale)

    phone = open_page(f"/e/{event['id']}/t/B", 360, 740)
    projector = open_page(f"/e/{event['id']}/projector", 1920, 1080)
    console = open_page(f"/e/{event['id']}/console?key={key}#live", 1440, 900)
    for page in (phone, projector, console):
        page.wait_for_selector("#conn:not(.offline)")
        wait_until(page, "document.getElementById('conn').textContent === 'live'")
    yield event, phone, projector, console
    for ctx in contexts:
        ctx.close()


def test_contribution_travels_from_phone_to_projector_and_is_hidden_by_the_facilitator(pages, shot):
    event, phone, projector, console = pages
    text = "Sprachkurse am Abend <b>für</b> Berufstätige"
    phone.check("input[name=kind][value=idea]")
    phone.select_option("#question", "1")
    phone.fill("#text", text)
    sent = time.monotonic()
    phone.click("#send")
    card = projector.locator("article[data-table=B] li", has_text="Sprachkurse am Abend")
    card.wait_for(timeout=2000)  # the projector shows it within 2 s
    latency = time.monotonic() - sent
    assert latency < 2.0
    # shown as text, not HTML: the <b> is visible as characters
    assert card.inner_text().endswith(text)
    phone.locator("#harvest li", has_text="Sprachkurse").locator(".pending-state.saved").wait_for()
    assert phone.locator("#harvest-count").inner_text() == "1"
    console.locator("#stream li", has_text="Sprachkurse").wait_for()
    shot(phone, "phone-sent")
    shot(projector, "projector-shows")
    shot(console, "console-stream")

    console.locator("#stream li", has_text="Sprachkurse").locator("[data-action=toggle-hidden]").click()
    card.wait_for(state="detached", timeout=2000)
    phone.locator("#harvest li", has_text="Sprachkurse").wait_for(state="detached", timeout=6000)
    assert console.locator("#stream li.is-hidden", has_text="Sprachkurse").count() == 1
    assert projector.locator("article[data-table=B] .count").inner_text().startswith("0")
    shot(projector, "projector-after-hide")
    for page in (phone, projector, console):
        assert page.errors == []


def test_phone_page_fits_a_small_screen_and_speaks_german(pages, shot):
    event, phone, projector, console = pages
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # nothing forces sideways scrolling on a phone
    assert phone.locator("#send").inner_text() == "Senden"
    box = phone.locator("#send").bounding_box()
    assert box["height"] >= 44  # a tap target a thumb can hit
    shot(phone, "phone-empty")


def test_empty_text_is_not_sent(pages, server_store):
    event, phone, projector, console = pages
    phone.fill("#text", "   ")
    phone.click("#send")
    assert phone.locator("#feedback").inner_text() != ""
    # A real text sent afterwards is stored, and it is the only one: the blank one never left.
    phone.fill("#text", "Mehr Sprachkurse")
    phone.click("#send")
    stored = wait_for(lambda: server_store.contributions(event["id"], include_hidden=True))
    assert [c["text"] for c in stored] == ["Mehr Sprachkurse"]


def test_the_facilitator_merges_a_duplicate_and_can_undo_it(pages, server_store, shot):
    event, phone, projector, console = pages
    eid = event["id"]
    kept, _ = server_store.add_contribution(eid, "A", "idea", "Sprachcafé im Stadtteiltreff")
    for page in (console, projector):
        page.reload()
    phone.fill("#text", "Ein Sprachcafé, bitte!")  # the duplicate comes from this phone
    phone.click("#send")
    phone.locator("#harvest li.mine", has_text="Ein Sprachcafé").locator(".pending-state.saved").wait_for()
    projector.locator("article[data-table=B] li", has_text="Ein Sprachcafé").wait_for()
    duplicate = console.locator("#stream li", has_text="Ein Sprachcafé")
    duplicate.locator("[data-action=merge]").click()
    bar = console.locator(".merge-bar")
    assert "Ein Sprachcafé, bitte!" in bar.inner_text() and "Beitrag, der bleibt" in bar.inner_text()
    assert console.locator("[data-action=merge-here]").count() == 1  # only the other one
    shot(console, "console-merge-pick")
    console.locator("#stream li", has_text="Sprachcafé im Stadtteiltreff").locator(
        "[data-action=merge-here]").click()
    bar.wait_for(state="hidden")
    projector.locator("article[data-table=B] li", has_text="Ein Sprachcafé").wait_for(
        state="detached", timeout=2000)
    # its author is told where it went (a card hidden by the facilitation says nothing);
    # the card itself goes once its "saved ✓" moment is over
    phone.locator(".toast", has_text="zusammengeführt").wait_for(timeout=2000)
    phone.locator("#harvest li", has_text="Ein Sprachcafé").wait_for(state="detached", timeout=6000)
    duplicate.filter(has_text=f"zusammengeführt mit Nr. {kept['number']}").wait_for()
    console.locator("#stream li", has_text="Sprachcafé im Stadtteiltreff").filter(
        has_text="+1 zusammengeführt").wait_for()
    shot(console, "console-merged")
    assert server_store.get_contribution(eid, kept["id"])["hidden"] is False
    # undo
    duplicate.locator("[data-action=toggle-hidden]", has_text="Zusammenführung aufheben").click()
    projector.locator("article[data-table=B] li", has_text="Ein Sprachcafé").wait_for(timeout=2000)
    assert console.locator("#stream li", has_text="+1 zusammengeführt").count() == 0
    for page in (phone, projector, console):
        assert page.errors == []


def test_the_console_imports_a_plan_file_in_a_real_browser(pages, server, server_store):
    # The upload is a fetch POST from the page: it must pass the same-origin check with
    # the Origin header a real browser sends.
    import json

    import requests

    event, phone, projector, console = pages
    key = server_store.facilitator_key(event["id"])
    plan = requests.get(f"{server.url}/api/events/{event['id']}/plan", params={"key": key},
                        timeout=5).json()
    plan["tables"].append({"code": "D", "theme": "Wohnen", "questions": ["Was fehlt?"]})
    console.click("#tab-prep")
    console.set_input_files("#plan-file", files=[{
        "name": "plan.json", "mimeType": "application/json",
        "buffer": json.dumps(plan, ensure_ascii=False).encode()}])
    console.locator("#plan-form button[type=submit]").click()
    console.locator("#plan-msg:not(.error)", has_text="gespeichert").wait_for(timeout=5000)
    console.locator(".table-row[data-table=D]").wait_for(timeout=5000)
    projector.locator("article[data-table=D]", has_text="Wohnen").wait_for(timeout=5000)
    assert [t["theme"] for t in server_store.tables(event["id"])][-1] == "Wohnen"
    assert console.errors == []
