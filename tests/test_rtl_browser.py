"""Right to left in headless Chromium: Arabic and Persian phones, mixed-direction cards, fonts.

The server runs over a temporary copy of the catalogues in which ar and fa hold a few
placeholder strings (test-only, never committed: the real catalogues come from the
translation team), so the pages show Arabic and Persian where the test looks.
"""

import shutil
import time

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from facilitation.i18n import TRANSLATIONS
from tests.helpers import ServerProcess, make_event
from tests.pages import settle, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.server]  # starts its own server too

PLACEHOLDERS = {
    "ar": {"Send": "إرسال", "Your contribution": "مساهمتك", "All tables": "كل الطاولات",
           "Please write something first.": "اكتب شيئًا أولًا من فضلك."},
    "fa": {"Send": "ارسال", "Your contribution": "نظر شما", "All tables": "همه میزها"},
}
# Arabic has six plural forms: zero, one, two, few (3–10), many (11–99), other (100 …).
PLURALS = {"ar": ("لا توجد مساهمات", "مساهمة واحدة", "مساهمتان", "%(n)s مساهمات", "%(n)s مساهمة",
                  "%(n)s مساهمةً")}
ARABIC = "نحتاج إلى دورات لغة في المساء للعاملين."
PERSIAN = "می‌خواهیم کلاس‌های زبان در شب برگزار شود."  # two zero-width non-joiners
GERMAN = "Sprachkurse am Abend für Berufstätige."


@pytest.fixture(scope="module")
def rtl_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rtl")
    catalogues = tmp / "translations"
    shutil.copytree(TRANSLATIONS / "de", catalogues / "de", ignore=shutil.ignore_patterns("*.mo"))
    for lang, strings in PLACEHOLDERS.items():
        catalog = Catalog(locale=lang)
        for msgid, msgstr in strings.items():
            catalog.add(msgid, msgstr)
        if lang in PLURALS:
            catalog.add(("%(n)s contribution", "%(n)s contributions"), PLURALS[lang])
        target = catalogues / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        with (target / "messages.po").open("wb") as f:
            write_po(f, catalog)
    proc = ServerProcess(tmp, {"FACILITATION_TRANSLATIONS_DIR": str(catalogues)})
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def open_page(browser, rtl_server):
    contexts = []

    def open_(path, width=360, height=740, locale="de-DE"):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
        contexts.append(ctx)
        page = ctx.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.fonts = []
        page.on("response", lambda r: "/static/fonts/" in r.url and page.fonts.append(r.url))
        page.goto(rtl_server.url + path)
        return page

    yield open_
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def event(rtl_server):
    from facilitation.store import Store

    store = Store(rtl_server.db_path)
    try:
        yield make_event(store, tables=3)
    finally:
        store.close()


def live(page):
    wait_until(page, "document.getElementById('conn') && !document.getElementById('conn')"
                     ".classList.contains('offline') && window.io !== undefined")
    settle(page)


def send(page, text):
    page.fill("#text", text)
    page.click("#send")
    page.locator("#harvest li", has_text=text[:12]).locator(".pending-state.saved").wait_for()


def direction(locator) -> str:
    """The element's computed direction. A live list may replace the element between
    Playwright finding it and reading it (a detached element has no computed style, ''),
    so read again until it is in the page."""
    for _ in range(50):
        value = locator.evaluate("e => e.isConnected ? getComputedStyle(e).direction : ''")
        if value:
            return value
        time.sleep(0.05)
    return value


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def vazirmatn_in_use(page) -> bool:
    return page.evaluate("""() => [...document.fonts].some(
        f => f.family.replace(/"/g, '') === 'Vazirmatn' && f.status === 'loaded')""")


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_a_right_to_left_phone_is_mirrored_and_fits(open_page, event, shot, lang):
    text = {"ar": ARABIC, "fa": PERSIAN}[lang]
    # The browser's language picks it: no ?lang= needed.
    phone = open_page(f"/e/{event['id']}/t/A", locale=lang)
    live(phone)
    assert phone.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [lang, "rtl"]
    assert phone.locator("#send").inner_text() == PLACEHOLDERS[lang]["Send"]
    # Mirrored: the send button sits at the left end of its row, the text field is
    # right-aligned, the back arrow points right (→, the way back in a right-to-left page).
    row = phone.locator(".send-row").bounding_box()
    button = phone.locator("#send").bounding_box()
    assert abs(button["x"] - row["x"]) < 2, (button, row)
    german_phone = open_page(f"/e/{event['id']}/t/A")
    live(german_phone)
    g_row = german_phone.locator(".send-row").bounding_box()
    g_button = german_phone.locator("#send").bounding_box()
    assert abs((g_button["x"] + g_button["width"]) - (g_row["x"] + g_row["width"])) < 2
    arrow = phone.locator(".arrow-back").evaluate("e => getComputedStyle(e).transform")
    assert arrow == "matrix(-1, 0, 0, 1, 0, 0)"
    theme = phone.locator("#theme").bounding_box()
    assert theme["x"] + theme["width"] > 300  # right-aligned in a 360 px screen

    send(phone, text)
    card = phone.locator("#harvest li", has_text=text[:12])
    assert direction(card.locator(".text")) == "rtl"
    # The Arabic-script font is ours (static/fonts), not a system font, and it is loaded.
    assert any("vazirmatn-arabic" in url for url in phone.fonts), phone.fonts
    assert vazirmatn_in_use(phone)
    assert overflow(phone) <= 0
    shot(phone, f"{lang}-phone")
    assert phone.errors == [] and german_phone.errors == []


def test_mixed_directions_each_card_reads_its_own_way(open_page, event, rtl_server, shot):
    arabic_phone = open_page(f"/e/{event['id']}/t/B?lang=ar")
    german_phone = open_page(f"/e/{event['id']}/t/B")
    projector = open_page(f"/e/{event['id']}/projector", 1920, 1080)
    for page in (arabic_phone, german_phone, projector):
        live(page)
    send(arabic_phone, ARABIC)
    send(german_phone, GERMAN)

    # An Arabic contribution on the German projector reads right to left …
    assert projector.evaluate("document.documentElement.dir") == "ltr"
    arabic_card = projector.locator("article[data-table=B] li", has_text=ARABIC[:12]).locator(".text")
    arabic_card.wait_for()
    assert direction(arabic_card) == "rtl"
    german_card = projector.locator("article[data-table=B] li", has_text=GERMAN[:12]).locator(".text")
    assert direction(german_card) == "ltr"
    assert vazirmatn_in_use(projector)
    # … and a German one on the Arabic phone left to right, inside a right-to-left page.
    on_arabic = arabic_phone.locator("#harvest li", has_text=GERMAN[:12]).locator(".text")
    on_arabic.wait_for()
    assert direction(on_arabic) == "ltr"
    assert direction(arabic_phone.locator("#harvest li", has_text=ARABIC[:12]).locator(".text")) == "rtl"
    shot(projector, "projector-de-with-arabic")
    shot(arabic_phone, "ar-phone-with-german")
    # An Arabic projector is mirrored as a whole: tables from the right, the join box left.
    ar_projector = open_page(f"/e/{event['id']}/projector?lang=ar", 1920, 1080)
    live(ar_projector)
    ar_projector.locator("article[data-table=B] li", has_text=GERMAN[:12]).wait_for()
    first, second = (ar_projector.locator(f"article[data-table={c}]").bounding_box() for c in "AB")
    assert first["x"] > second["x"]
    assert ar_projector.locator(".joinbox").bounding_box()["x"] < 400
    german_on_ar = ar_projector.locator("article[data-table=B] li", has_text=GERMAN[:12]).locator(".text")
    assert direction(german_on_ar) == "ltr"
    shot(ar_projector, "projector-ar")
    # The facilitator's German console isolates each card too.
    from facilitation.store import Store

    store = Store(rtl_server.db_path)
    try:
        key = store.facilitator_key(event["id"])
    finally:
        store.close()
    console = open_page(f"/e/{event['id']}/console?key={key}#live", 1440, 900)  # the Live tab
    live(console)
    on_console = console.locator("#stream li", has_text=ARABIC[:12]).locator(".text")
    on_console.wait_for()
    assert direction(on_console) == "rtl"
    assert direction(console.locator("#stream li", has_text=GERMAN[:12]).locator(".text")) == "ltr"
    for page in (arabic_phone, german_phone, projector):
        assert page.errors == []


def test_a_german_page_loads_no_script_font(open_page, event):
    phone = open_page(f"/e/{event['id']}/t/A")
    live(phone)
    send(phone, GERMAN)
    phone.wait_for_timeout(300)
    assert phone.fonts == []  # the language menu is closed: nothing Arabic or Cyrillic shown


def test_the_language_menu_switches_and_keeps_the_choice(open_page, event, rtl_server, shot):
    phone = open_page(f"/e/{event['id']}/t/C?lang=ar")
    live(phone)
    phone.locator(".lang-menu summary").click()
    shot(phone, "ar-language-menu")
    links = phone.locator(".lang-menu .lang-list a")
    assert links.count() == 8
    for i in range(8):
        box = links.nth(i).bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 360
    phone.locator(".lang-menu a[hreflang=uk]").click()
    # Wait for the new page itself: a script polled during the navigation can meet a
    # document that has no root element yet.
    phone.wait_for_url(lambda url: url.endswith(f"/e/{event['id']}/t/C?lang=uk"))
    assert phone.evaluate("document.documentElement.lang") == "uk"
    assert phone.evaluate("document.documentElement.dir") == "ltr"
    # Remembered on the device: the join page, opened without ?lang=, is Ukrainian too.
    phone.goto(f"{rtl_server.url}/e/{event['id']}")
    assert phone.evaluate("document.documentElement.lang") == "uk"
    assert any("noto-sans-cyrillic" in url for url in phone.fonts)
    assert overflow(phone) <= 0
    shot(phone, "uk-join")


def test_voting_is_mirrored_and_its_numbers_stay_readable(open_page, rtl_server, shot):
    from facilitation.store import Store

    store = Store(rtl_server.db_path)
    try:
        eid = make_event(store, tables=2)["id"]
        rnd = store.create_voting_round(eid, "ما هو الأهم؟", statements=[ARABIC, GERMAN])
        store.open_voting_round(eid, rnd["id"])
    finally:
        store.close()
    phone = open_page(f"/e/{eid}/vote?lang=ar")
    board = open_page(f"/e/{eid}/projector/vote?lang=ar", 1920, 1080)
    live(phone)
    live(board)
    item = phone.locator(".vote-item", has_text=ARABIC[:12])
    plus = item.locator(".vote-btn.plus").bounding_box()
    minus = item.locator(".vote-btn.minus").bounding_box()
    assert plus["x"] < minus["x"]  # "+" at the end of the row: the left in Arabic
    for _ in range(3):
        item.locator(".vote-btn.plus").click()
    item.locator(".vote-count", has_text="3").wait_for()
    assert direction(item.locator(".vote-label")) == "rtl"
    german_label = phone.locator(".vote-item", has_text=GERMAN[:12]).locator(".vote-label")
    assert direction(german_label) == "ltr"
    # The bar grows from the right, beside its item; its number stays "3".
    row = board.locator(".vote-row", has_text=ARABIC[:12])
    row.locator(".vote-num", has_text="3").wait_for()
    settle(board)  # the bar's transition has ended
    track, bar = row.locator(".vote-track").bounding_box(), row.locator(".vote-bar").bounding_box()
    assert abs((bar["x"] + bar["width"]) - (track["x"] + track["width"])) < 2 and bar["width"] > 50
    label = row.locator(".vote-label").bounding_box()
    rank = row.locator(".vote-rank").bounding_box()
    assert rank["x"] > label["x"]  # the rank stands at the start: the right
    assert overflow(phone) <= 0
    shot(phone, "ar-vote")
    shot(board, "ar-projector-vote")
    assert phone.errors == [] and board.errors == []


def test_counted_words_follow_arabic_plural_rules(open_page, event):
    page = open_page(f"/e/{event['id']}/projector?lang=ar", 1280, 720)
    live(page)
    forms = page.evaluate("""async () => {
        const { tn } = await import('/static/js/common.js');
        return [0, 1, 2, 3, 11, 100, 103].map((n) => tn('contributions_n', n)); }""")
    zero, one, two, few, many, other = PLURALS["ar"]
    assert forms == [zero, one, two, few % {"n": 3}, many % {"n": 11}, other % {"n": 100},
                     few % {"n": 103}]
    # The projector's own count uses them: three empty tables say "no contributions".
    assert page.locator("article .count").first.inner_text() == zero


def test_arabic_persian_and_cyrillic_are_drawn_with_our_fonts(open_page, event, shot):
    # Chromium says which font drew each glyph (DevTools CSS.getPlatformFontsForNode):
    # Arabic, Persian (with its zero-width non-joiners) and Cyrillic come from the files in
    # static/fonts, never from a system font, so a machine without any renders them alike.
    phone = open_page(f"/e/{event['id']}/t/A?lang=fa")
    live(phone)
    send(phone, PERSIAN)
    phone.locator(".lang-menu summary").click()
    wait_until(phone, "document.fonts.status === 'loaded'")
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]

    def glyphs_by_font(selector):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        return {(f["familyName"], f["isCustomFont"]): f["glyphCount"] for f in
                cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}

    def fonts_of(selector):
        return set(glyphs_by_font(selector))

    # Only the spaces and the full stop of the Persian sentence are left to a system font.
    drawn = glyphs_by_font("#harvest li .text")
    not_arabic = sum(1 for ch in PERSIAN if not ("\u0600" <= ch <= "\u06ff" or ch == "\u200c"))
    assert drawn.pop(("Vazirmatn", True)) > 20  # the letters (fewer glyphs: ligatures such as لا)
    assert sum(drawn.values()) <= not_arabic, drawn
    assert fonts_of(".lang-list a[hreflang=ar] span") == {("Vazirmatn", True)}
    # "Noto Sans" is the Cyrillic subset's own name (static/fonts/noto-sans-cyrillic-*)
    assert fonts_of(".lang-list a[hreflang=uk] span") == {("Noto Sans", True)}
    assert fonts_of(".lang-list a[hreflang=ru] span") == {("Noto Sans", True)}
    # The non-joiner changes the shaping: "می‌خواهیم" is wider than "میخواهیم".
    widths = phone.evaluate("""() => ['می\u200cخواهیم', 'میخواهیم'].map((text) => {
        const s = document.createElement('span'); s.textContent = text; document.body.append(s);
        const w = s.getBoundingClientRect().width; s.remove(); return w; })""")
    assert widths[0] > widths[1] + 1, widths
    shot(phone, "fa-fonts")


def test_the_server_answers_an_arabic_page_in_arabic(rtl_server, event):
    # What the page sends in its socket auth (data-lang) decides the language of the
    # server's messages, whatever the browser's Accept-Language says.
    from tests.helpers import Client, device_cookie

    answers = {}
    for lang in ("ar", "de"):
        client = Client(reconnection=False)
        client.connect(rtl_server.url, auth={"event": event["id"], "role": "participant", "table": "A",
                                             "lang": lang},
                       headers={"Cookie": f"fac_device={device_cookie(lang)}", "Accept-Language": "en"},
                       transports=["websocket"], wait_timeout=10)
        try:
            answers[lang] = client.call("submit_contribution", {"kind": "idea", "text": " "},
                                        timeout=5)["error"]["message"]
        finally:
            client.disconnect()
    assert answers == {"ar": "اكتب شيئًا أولًا من فضلك.", "de": "Bitte schreiben Sie zuerst etwas."}
