"""The phone in the participant's language, in headless Chromium: the demo's stations and
guiding questions translated, one tap back to the German original, read aloud only where
the phone has a voice, and the language of what is sent recorded."""

import pytest

from facilitation.demo import demo_event_fields
from facilitation.demo_translations import TEXTS
from facilitation.i18n import LANGUAGES
from tests.helpers import wait_for
from tests.pages import wait_until

pytestmark = pytest.mark.browser

THEME_B = "Sprache und Bildung"
QUESTION_1 = "Welche Bedarfe sehen Sie?"


@pytest.fixture
def demo(server_store):
    return server_store.create_event(**demo_event_fields())


def open_phone(browser, server, event, lang, voices=None):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    if voices is not None:
        # Headless Chromium has no speech voices; a phone with voices is simulated by
        # giving the page's speechSynthesis these voices (and recording what it speaks).
        ctx.add_init_script(
            "(() => { const voices = VOICES; window.spoken = [];"
            " Object.defineProperty(window.speechSynthesis, 'getVoices', {value: () => voices});"
            " Object.defineProperty(window.speechSynthesis, 'speak',"
            " {value: (u) => window.spoken.push({text: u.text, lang: u.lang})}); })()"
            .replace("VOICES", voices))
    page = ctx.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(f"{server.url}/e/{event['id']}/t/B?lang={lang}")
    wait_until(page, "document.getElementById('conn').textContent !== ''")
    page.locator("#conn:not(.offline)").wait_for()
    return ctx, page


@pytest.mark.parametrize("lang", ["de-simple", "en", "tr", "ar", "fa", "uk", "ru"])
def test_participant_sees_the_table_in_their_language_and_one_tap_shows_german(
        browser, server, demo, shot, lang):
    if lang not in LANGUAGES:
        pytest.skip(f"the interface does not speak {lang!r} yet (facilitation/i18n.py)")
    ctx, page = open_phone(browser, server, demo, lang)
    try:
        theme = page.locator("#theme")
        assert theme.inner_text() == TEXTS[THEME_B][lang]
        assert theme.get_attribute("lang") == ("de" if lang == "de-simple" else lang)
        assert theme.get_attribute("dir") == ("rtl" if lang in ("ar", "fa") else "ltr")
        first = page.locator("#questions li bdi").first
        assert first.inner_text() == TEXTS[QUESTION_1][lang]
        assert first.get_attribute("dir") == theme.get_attribute("dir")
        # The join question's answers are translated; what is sent stays the German answer.
        option = page.locator("#group option[value=Ehrenamt]")
        assert option.inner_text() == TEXTS["Ehrenamt"][lang]
        shot(page, f"phone-content-{lang}")

        toggle = page.locator("#original-toggle")
        assert toggle.is_visible()
        toggle.click()
        assert theme.inner_text() == THEME_B
        assert theme.get_attribute("lang") == "de" and theme.get_attribute("dir") == "auto"
        assert first.inner_text() == QUESTION_1
        assert toggle.get_attribute("aria-pressed") == "true"
        shot(page, f"phone-content-{lang}-original")
        toggle.click()
        assert theme.inner_text() == TEXTS[THEME_B][lang]
        assert page.errors == []
    finally:
        ctx.close()


def test_german_participant_gets_no_toggle(browser, server, demo):
    ctx, page = open_phone(browser, server, demo, "de")
    try:
        assert page.locator("#theme").inner_text() == THEME_B
        page.wait_for_timeout(200)  # the snapshot has been applied
        assert not page.locator("#original-toggle").is_visible()
    finally:
        ctx.close()


def test_read_aloud_button_is_absent_without_a_voice(browser, server, demo):
    ctx, page = open_phone(browser, server, demo, "en")
    try:
        # Headless Chromium really has no voice: the button must not be offered.
        assert page.evaluate("speechSynthesis.getVoices().length") == 0
        page.wait_for_timeout(300)
        assert not page.locator("#read-aloud").is_visible()
    finally:
        ctx.close()


def test_read_aloud_speaks_theme_and_questions_in_the_shown_language(browser, server, demo):
    ctx, page = open_phone(browser, server, demo, "en",
                           voices='[{lang: "en-GB", name: "English"}]')
    try:
        button = page.locator("#read-aloud")
        button.wait_for(state="visible")
        button.click()
        spoken = page.evaluate("window.spoken")
        assert spoken[0] == {"text": TEXTS[THEME_B]["en"], "lang": "en"}
        assert spoken[1] == {"text": "1. " + TEXTS[QUESTION_1]["en"], "lang": "en"}
        assert len(spoken) == 6
        # German original shown, but the phone has no German voice: no button.
        page.click("#original-toggle")
        wait_for(lambda: not button.is_visible())
    finally:
        ctx.close()


def test_sent_contribution_records_language(browser, server, demo, server_store):
    ctx, page = open_phone(browser, server, demo, "en")
    try:
        page.fill("#text", "We need evening language courses for people who work")
        page.click("#send")
        page.locator("#harvest li .pending-state.saved").wait_for()
        stored = server_store.contributions(demo["id"])
        assert [(c["language"], c["ui_language"]) for c in stored] == [("en", "en")]
        # The same phone writes German: the detector overrules the interface language.
        page.fill("#text", "Wir brauchen mehr Sprachkurse am Abend für Berufstätige")
        page.click("#send")
        wait_for(lambda: len(server_store.contributions(demo["id"])) == 2)
        stored = server_store.contributions(demo["id"])
        assert [(c["language"], c["ui_language"]) for c in stored][1] == ("de", "en")
    finally:
        ctx.close()


def test_console_translation_editor_reaches_the_phone_live(browser, server, server_store, shot):
    from tests.helpers import make_event
    event = make_event(server_store, tables=2)
    key = server_store.facilitator_key(event["id"])
    ctx = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE")
    phone_ctx, phone = open_phone(browser, server, event, "en")
    try:
        console = ctx.new_page()
        console.goto(f"{server.url}/e/{event['id']}/console?key={key}")
        panel = console.locator("#translations-panel")
        panel.locator("input[placeholder='Thema B']").wait_for()
        # Language names in their own script; Arabic fields run right to left.
        assert console.locator("#tr-language option[value=ar]").inner_text() == "العربية"
        console.select_option("#tr-language", "ar")
        assert panel.locator("input[placeholder='Thema B']").get_attribute("dir") == "rtl"
        console.select_option("#tr-language", "en")
        panel.locator("input[placeholder='Thema B']").fill("Topic B in English")
        panel.locator("input[placeholder='Frage 1 B?']").fill("Question one?")
        panel.locator("button[type=submit]").click()
        phone.locator("#theme", has_text="Topic B in English").wait_for(timeout=5000)
        assert phone.locator("#questions li").first.inner_text() == "Question one?"
        assert phone.locator("#questions li").nth(1).inner_text() == "Frage 2 B?"  # German
        assert phone.locator("#questions li bdi").nth(1).get_attribute("lang") == "de"
        assert phone.locator("#original-toggle").is_visible()
        table = server_store.get_table(event["id"], "B")
        assert table["theme_i18n"] == {"en": "Topic B in English"}
        panel.scroll_into_view_if_needed()
        shot(console, "console-translations")
    finally:
        ctx.close()
        phone_ctx.close()


def test_vote_page_shows_statements_in_the_participants_language(browser, server, server_store):
    from tests.helpers import make_event
    event = make_event(server_store, tables=1)
    card, _ = server_store.add_contribution(event["id"], "A", "idea", "Sprachcafé im Rathaus")
    server_store.save_translations(event["id"], "en", {"tables": {"A": {"theme": "Topic A"}}})
    rnd = server_store.create_voting_round(
        event["id"], "Was zuerst?", contribution_ids=[card["id"]],
        statements=[{"de": "Mehr Kita-Plätze", "en": "More nursery places"}, "Eine Lotsin im Rathaus"])
    server_store.open_voting_round(event["id"], rnd["id"])
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale="de-DE")
    try:
        page = ctx.new_page()
        page.goto(f"{server.url}/e/{event['id']}/vote?lang=en")
        labels = page.locator(".vote-label")
        labels.first.wait_for()
        assert labels.all_inner_texts() == ["Sprachcafé im Rathaus", "More nursery places",
                                            "Eine Lotsin im Rathaus"]
        # The card's field of action heads its group in the participant's language.
        assert page.locator(".vote-theme").first.inner_text() == "Topic A"
        assert labels.nth(1).get_attribute("lang") == "en"
        assert labels.nth(2).get_attribute("lang") is None  # as typed: its own direction
        assert labels.nth(2).get_attribute("dir") == "auto"
        page.click("#original-toggle")
        assert labels.all_inner_texts() == ["Sprachcafé im Rathaus", "Mehr Kita-Plätze",
                                            "Eine Lotsin im Rathaus"]
        assert page.locator(".vote-theme").first.inner_text() == "Thema A"
        plus = page.locator(".vote-btn.plus").nth(1)
        assert plus.get_attribute("aria-label").endswith("Mehr Kita-Plätze")
    finally:
        ctx.close()


def test_projector_shows_german_unless_its_language_is_set(browser, server, server_store, demo):
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="en-GB")
    try:
        page = ctx.new_page()
        page.goto(f"{server.url}/e/{demo['id']}/projector")
        head = page.locator("article[data-table=B] h2 span").nth(1)
        head.wait_for()
        # A laptop whose browser speaks English still shows the room the German texts.
        assert head.inner_text() == THEME_B and head.get_attribute("lang") == "de"
        server_store.update_event(demo["id"], {"projector_language": "en"})
        page.goto(f"{server.url}/e/{demo['id']}/projector?table=B")
        page.locator("article[data-table=B] h2 span", has_text=TEXTS[THEME_B]["en"]).wait_for()
        heading = page.locator("article[data-table=B] h3 bdi").first
        assert heading.inner_text() == TEXTS[QUESTION_1]["en"]
        assert heading.get_attribute("lang") == "en"
        page.wait_for_timeout(500)  # no reload loop: the page stays as drawn
        assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "navigate"
    finally:
        ctx.close()
