"""At 360×740 no participant page scrolls sideways, in any of the eight languages.

Long German compounds and long Ukrainian or Russian words must wrap; a right-to-left
page must not push anything off its left edge. Screenshots of each language's table
page are kept in test-artifacts/.
"""

import pytest

from facilitation.i18n import LANGUAGES
from tests.helpers import make_event
from tests.pages import count_fetches, settle

pytestmark = pytest.mark.browser

TEMPLATE = "migrants"  # the paper questionnaire in simple German (DOMAIN.md), as a phone survey
LONG = ("Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen und "
        "Найнеперевершеніший сільськогосподарськомашинобудівний")


@pytest.fixture(scope="module")
def event_urls(server):
    from facilitation.store import Store

    store = Store(server.db_path)
    try:
        event = make_event(store, tables=2, title="Integrationskonzeptfortschreibungsveranstaltung 2026")
        eid = event["id"]
        store.add_contribution(eid, "A", "idea", LONG)
        store.add_contribution(eid, "A", "need", "نحتاج إلى دورات لغة في المساء للعاملين والعاملات.")
        rnd = store.create_voting_round(eid, "Welche Maßnahmen sind am wichtigsten?",
                                        statements=[LONG, "Sprachkurse"])
        store.open_voting_round(eid, rnd["id"])
        host = store.host_keys(eid)["A"]
        from facilitation.survey_templates import template_definition

        survey = store.create_survey(eid, template_definition(TEMPLATE))
        store.set_survey_status(eid, survey["id"], "open")
    finally:
        store.close()
    return {"start": "/", "join": f"/e/{eid}", "table": f"/e/{eid}/t/A", "vote": f"/e/{eid}/vote",
            "plenary": f"/e/{eid}/plenary", "host": f"/e/{eid}/t/A/host?key={host}",
            "survey": f"/e/{eid}/s/{survey['id']}"}


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_participant_page_scrolls_sideways(browser, server, event_urls, shot, code):
    ctx = browser.new_context(viewport={"width": 360, "height": 740})
    count_fetches(ctx)
    try:
        page = ctx.new_page()
        wide = {}
        for name, url in event_urls.items():
            sep = "&" if "?" in url else "?"
            page.goto(f"{server.url}{url}{sep}lang={code}")
            settle(page)  # the live state is drawn
            if name == "table":
                page.locator(".lang-menu summary").click()  # the open menu fits too
            # Sideways scrolling, or a box whose text sticks out of it (right to left the
            # page does not scroll: what sticks out to the left is simply cut off).
            excess = page.evaluate("""() => Math.max(
                document.documentElement.scrollWidth - document.documentElement.clientWidth,
                ...[...document.querySelectorAll('main *')].filter(e => e.clientWidth > 0
                    && !e.closest('.sr-only') && getComputedStyle(e).overflowX === 'visible')
                  .map(e => e.scrollWidth - e.clientWidth))""")
            if excess > 0:
                wide[name] = excess
            if name == "table":
                shot(page, f"{code}-table")
        assert wide == {}, f"{code}: pages wider than the screen by px: {wide}"
    finally:
        ctx.close()
