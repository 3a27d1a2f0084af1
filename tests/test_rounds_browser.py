"""Headless Chromium: the projector's countdown, phones on skewed clocks, the next table."""

import re
import time

import pytest

from tests.helpers import german, make_event, wait_for

pytestmark = pytest.mark.browser

SKEW_MS = 7 * 60_000 + 321  # this "phone" believes it is seven minutes later than it is
SKEW_SCRIPT = f"""
(() => {{
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + {SKEW_MS};
}})();
"""


def seconds(text: str) -> int:
    m = re.fullmatch(r"(\d+):(\d\d)", text.strip())
    assert m, f"not a countdown: {text!r}"
    return int(m[1]) * 60 + int(m[2])


@pytest.fixture
def running_cafe(server_store):
    event = make_event(server_store, tables=4)
    server_store.plan_rounds(event["id"], rounds=3, minutes=20, lock_between=True, sound=True)
    server_store.start_round(event["id"])
    return event


def test_projector_countdown_is_visible_advances_and_skewed_devices_agree(
        browser, server, running_cafe, shot):
    eid = running_cafe["id"]
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(f"{server.url}/e/{eid}/projector?lang=en")
    countdown = projector.locator("#countdown")
    countdown.wait_for(state="visible")
    wait_for(lambda: re.fullmatch(r"\d+:\d\d", countdown.inner_text() or ""), timeout=10)
    assert projector.locator("#round-title").inner_text() == "Round 1 of 3"
    first = seconds(countdown.inner_text())
    assert 19 * 60 <= first <= 20 * 60
    time.sleep(2.3)
    second = seconds(countdown.inner_text())
    assert 1 <= first - second <= 3, (first, second)  # it counts down, second by second
    shot(projector, "projector-countdown")

    # A phone whose clock is 7 minutes ahead shows the same time as the projector.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(SKEW_SCRIPT)
    skewed = context.new_page()
    skewed.goto(f"{server.url}/e/{eid}/t/B?lang=en")
    skewed.locator("#round-time").wait_for(state="visible")
    wait_for(lambda: skewed.evaluate("document.body.dataset.clockOffset") is not None, timeout=10)
    offset = int(skewed.evaluate("document.body.dataset.clockOffset"))
    assert abs(offset + SKEW_MS) < 1000, offset  # measured: minus seven minutes
    time.sleep(0.3)
    phone_left = seconds(skewed.locator("#round-time").inner_text())
    projector_left = seconds(countdown.inner_text())
    assert abs(phone_left - projector_left) <= 1, (phone_left, projector_left)
    shot(skewed, "phone-skewed-clock")
    context.close()
    projector.close()


def test_phone_shows_its_next_table_after_the_rotation_is_planned(
        browser, server, server_store, running_cafe, shot, sio):
    eid = running_cafe["id"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{server.url}/e/{eid}/t/A?lang=en")
    page.locator("#round-time").wait_for(state="visible")
    wait_for(lambda: _participants(server_store, eid))
    console = sio({"event": eid, "role": "console", "key": server_store.facilitator_key(eid)})
    ack = console.call("make_rotation", {"seed": 3})
    assert ack["ok"], ack
    seat = page.locator("#seat .seat-next")
    seat.wait_for(state="visible", timeout=10_000)
    text = seat.inner_text()
    # round 1 runs: where to sit now, and where next (issue 12)
    assert re.fullmatch(r"Now: Table [A-D] · Next: Table [A-D]", text), text
    assert "Your number in the rotation plan: 1" in page.locator("#seat").inner_text()
    shot(page, "phone-next-table")

    # Between rounds the phone is locked with a clear message, and told to move.
    console.call("end_round", {})
    page.locator("#lock-note").wait_for(state="visible", timeout=10_000)
    assert "next round" in page.locator("#lock-note").inner_text()
    assert page.locator("#send").is_disabled()
    assert page.locator("#round-status").inner_text() == "Time is up"
    shot(page, "phone-locked")
    context.close()


def test_phone_shows_runde_2_tisch_in_german(browser, server, server_store, running_cafe, sio):
    msgid = "Now: Table %(now)s · Next: Table %(next)s"
    template = german(msgid)
    eid = running_cafe["id"]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    page = context.new_page()
    page.goto(f"{server.url}/e/{eid}/t/A")
    page.locator("#round-time").wait_for(state="visible")
    wait_for(lambda: _participants(server_store, eid))
    console = sio({"event": eid, "role": "console", "key": server_store.facilitator_key(eid)})
    assert console.call("make_rotation", {"seed": 3})["ok"]
    seat = page.locator("#seat .seat-next")
    seat.wait_for(state="visible", timeout=10_000)
    expected = re.escape(template).replace(re.escape("%(now)s"), "[A-D]")
    expected = expected.replace(re.escape("%(next)s"), "[A-D]")
    assert re.fullmatch(expected, seat.inner_text()), seat.inner_text()
    assert seat.inner_text().startswith("Jetzt: Tisch ")
    assert "Als Nächstes: Tisch " in seat.inner_text()
    context.close()


def test_two_minute_warning_and_end_sound_on_the_projector(browser, server, server_store, shot, sio):
    event = make_event(server_store, tables=2)
    eid = event["id"]
    server_store.plan_rounds(eid, rounds=2, minutes=1, lock_between=True, sound=True)
    server_store.start_round(eid)  # one minute: inside the two-minute warning at once
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server.url}/e/{eid}/projector?lang=en")
    box = page.locator("#round-box")
    box.wait_for(state="visible")
    wait_for(lambda: "warning" in (box.get_attribute("class") or ""), timeout=10)
    assert page.locator("#round-status").inner_text().startswith("Less than two minutes left")
    # Sound needs one click (browser autoplay rules); the chime is made with WebAudio.
    page.locator("#sound-on").click()
    wait_for(lambda: page.locator("#sound-on").is_hidden(), timeout=5)
    shot(page, "projector-warning")
    console = sio({"event": eid, "role": "console", "key": server_store.facilitator_key(eid)})
    assert console.call("end_round", {})["ok"]
    wait_for(lambda: "over" in (box.get_attribute("class") or ""), timeout=10)
    assert page.locator("#countdown").inner_text() == "0:00"
    assert page.locator("#round-status").inner_text() == "Time is up"
    page.close()


def _participants(store, eid) -> bool:
    """True once the page's socket has created its participant row."""
    with store.read():
        return bool(store.rows("SELECT 1 FROM participants WHERE event_id = ?", [eid]))


def test_conference_projector_shows_agenda_wall_and_groups_filling_up(
        browser, server, server_store, shot, sio):
    event = make_event(server_store, tables=3, kind="akteurskonferenz")
    eid = event["id"]
    server_store.set_group_capacity(eid, "A", 1)
    console = sio({"event": eid, "role": "console", "key": server_store.facilitator_key(eid)})
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(f"{server.url}/e/{eid}/projector?lang=en")
    assert console.call("set_phase", {"phase": "plenary_input"})["ok"]
    projector.locator("#wall").wait_for(state="visible", timeout=10_000)
    assert projector.locator("#agenda li.current").inner_text() == "1. Plenary input"
    assert projector.locator("#grid").is_hidden()

    phones = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(f"{server.url}/e/{eid}/plenary?lang=en")
        page.locator("#groups li").first.wait_for(state="visible", timeout=10_000)
        phones.append((context, page))
    first = phones[0][1]
    first.fill("#impulse", "Sprachmittler in allen Ämtern")
    first.click("#impulse-form button[type=submit]")
    projector.locator("#wall li", has_text="Sprachmittler in allen Ämtern").wait_for(timeout=10_000)
    shot(projector, "impulse-wall")

    assert console.call("set_phase", {"phase": "thematic_groups"})["ok"]
    projector.locator("#groups-board").wait_for(state="visible", timeout=10_000)
    first.click("#groups li[data-table=A] button")
    projector.locator("#groups-board li[data-table=A].full").wait_for(timeout=10_000)
    assert projector.locator("#groups-board li[data-table=A] .places").inner_text() == "Full"
    second = phones[1][1]
    second.locator("#groups li[data-table=A].full").wait_for(timeout=10_000)
    assert second.locator("#groups li[data-table=A] button").is_disabled()
    assert "Your group: A" in first.locator("#my-group").inner_text()
    shot(projector, "groups")
    shot(second, "plenary-phone-full")
    for context, _ in phones:
        context.close()
    projector.close()


def test_host_briefs_from_earlier_rounds_marks_key_points_and_types(
        browser, server, server_store, shot):
    event = make_event(server_store, tables=2)
    eid = event["id"]
    server_store.plan_rounds(eid, rounds=3, minutes=20, lock_between=True, sound=False)
    server_store.start_round(eid)
    server_store.add_contribution(eid, "A", "need", "Kita-Plätze für Kursteilnehmende", question=0)
    server_store.add_contribution(eid, "A", "works_well", "Das Sprachcafé", question=1)
    server_store.end_round(eid)
    server_store.start_round(eid)  # round 2: the above are "earlier rounds" now
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{server.url}/e/{eid}/t/A/host?key={server_store.host_key(eid, 'A')}&lang=en")
    earlier = page.locator("#earlier")
    earlier.locator("section.leitfrage").first.wait_for(timeout=10_000)
    headings = earlier.locator("h3").all_inner_texts()
    assert headings == ["1. Frage 1 A?", "2. Frage 2 A?"]
    earlier.locator("li", has_text="Kita-Plätze").locator("button.star").click()
    earlier.locator("li.key", has_text="Kita-Plätze").wait_for(timeout=10_000)
    wait_for(lambda: len(server_store.key_points(eid)) == 1)

    page.check("input[name=kind][value=idea]")
    page.select_option("#question", "1")
    page.fill("#text", "Von Frau K. ohne Handy: Fahrdienst zu den Kursen")
    page.click("#send")
    page.locator("#current li", has_text="Fahrdienst").wait_for(timeout=10_000)
    assert "typed by the table host" in page.locator("#current li", has_text="Fahrdienst").inner_text()
    stored = [c for c in server_store.contributions(eid) if "Fahrdienst" in c["text"]]
    assert [(c["entered_by"], c["kind"], c["question"], c["round"]) for c in stored] == [
        ("host", "idea", 1, 2)]
    shot(page, "host-view")
    context.close()



def _clock_pings(page):
    """A function that says how many sync_clock pings the page has sent so far."""
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(str(frame))))

    def pings() -> int:
        page.wait_for_timeout(20)  # Playwright hands over the frames seen meanwhile
        return sum('"sync_clock"' in frame for frame in sent)

    return pings


def _open_phone_measured(page, url: str, pings) -> None:
    """Open a phone's page and wait for its first clock measurement: five pings at once."""
    page.goto(url)
    page.wait_for_selector("#conn:not(.offline)")
    wait_for(lambda: page.evaluate("document.body.dataset.clockOffset") is not None, timeout=10)
    wait_for(lambda: pings() == 5, timeout=10)  # 120 ms apart


def test_after_a_reconnect_a_phone_keeps_its_clock_and_measures_it_again_later(
        browser, server, running_cafe):
    """A phone measures its clock at once when it first connects. Back after a drop, it
    keeps that offset and pings only 10–30 s later: a hall reconnecting together does not
    ping during the server's busiest seconds."""
    eid = running_cafe["id"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    # The random moment at its earliest (10 s), so a short jump of the page's clock gets
    # there: a jump past the heartbeat's 30 s would drop the connection.
    context.add_init_script("Math.random = () => 0;")
    page = context.new_page()
    page.clock.install()  # real time flows; fast_forward lets the test skip ahead
    pings = _clock_pings(page)
    try:
        _open_phone_measured(page, f"{server.url}/e/{eid}/t/A?lang=en", pings)
        offset = page.evaluate("document.body.dataset.clockOffset")

        context.set_offline(True)
        page.wait_for_selector("#conn.offline", timeout=10000)
        context.set_offline(False)
        page.wait_for_selector("#conn:not(.offline)", timeout=15000)
        page.wait_for_timeout(2000)
        assert pings() == 5  # none at once after the reconnect
        assert page.evaluate("document.body.dataset.clockOffset") == offset

        page.clock.fast_forward(9_000)  # 11 s after the reconnect: the measurement is due
        wait_for(lambda: pings() == 8, timeout=10)  # three pings
        page.wait_for_timeout(500)
        assert pings() == 8 and page.locator("#conn.offline").count() == 0
    finally:
        context.close()


def test_a_clock_set_while_offline_is_measured_again_at_once(browser, server, running_cafe):
    """The device's clock jumps a minute while it is offline (a laptop waking, a phone
    setting its time): back online, the snapshot's time is far off, so the page measures
    at once instead of 10–30 s later, and the countdown stays right."""
    eid = running_cafe["id"]
    context = browser.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script("""(() => {
      const realNow = Date.now.bind(Date);
      window.__skew = 0;
      Date.now = () => realNow() + window.__skew;
    })();""")
    page = context.new_page()
    pings = _clock_pings(page)
    try:
        _open_phone_measured(page, f"{server.url}/e/{eid}/t/A?lang=en", pings)
        before = int(page.evaluate("document.body.dataset.clockOffset"))

        context.set_offline(True)
        page.wait_for_selector("#conn.offline", timeout=10000)
        page.evaluate("window.__skew = 60000")
        context.set_offline(False)
        page.wait_for_selector("#conn:not(.offline)", timeout=15000)
        wait_for(lambda: pings() == 10, timeout=5)  # five more at once
        wait_for(lambda: abs(int(page.evaluate("document.body.dataset.clockOffset"))
                             - (before - 60000)) < 1000, timeout=5)
        page.wait_for_timeout(1000)
        assert pings() == 10  # one series, also when the page reconnected twice
    finally:
        context.close()
