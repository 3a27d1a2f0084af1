"""axe-core in Chromium on every page, German and Arabic, phone and desktop size.

axe-core is vendored in tests/vendor/axe.min.js (npm `axe-core`, MPL-2.0, see the
licence file beside it): test-only, never served. A page passes with no critical and no
serious violation of WCAG 2.0–2.2 A/AA (target size included) and axe's best practices.
"""

import pytest

from tests.helpers import ADMIN_TOKEN, ARTIFACTS, ROOT, make_event
from tests.pages import count_fetches, settle

pytestmark = pytest.mark.browser

AXE = (ROOT / "tests" / "vendor" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SIZES = {"phone": (360, 740), "desktop": (1440, 900)}
PAGES = ["join", "table", "vote", "plenary", "host", "projector", "projector_vote", "console",
         "admin", "rotation", "tickets", "report", "survey", "surveys", "paper",
         "projector_survey", "catalogue", "desk", "desks", "carry", "process_report"]
# Pages that are files written by an export, opened from disk.
FILES = ("report", "process_report")


@pytest.fixture(scope="module")
def site(server, tmp_path_factory):
    """An event with contributions, an open voting round, tickets, a rotation plan, a survey,
    a process with a written catalogue row, an Arabic card and a desk; the event's report
    and the process report as files."""
    from facilitation.store import Store

    store = Store(server.db_path)
    try:
        event = make_event(store, tables=3, title="Integrationskonzept Ilm-Kreis")
        eid = event["id"]
        store.add_contribution(eid, "A", "idea", "Sprachkurse am Abend für Berufstätige")
        store.add_contribution(eid, "A", "need", "نحتاج إلى دورات لغة في المساء للعاملين.")
        store.add_contribution(eid, "B", "problem", "Lange Wartezeiten bei der Ausländerbehörde")
        for n in range(1, 5):
            store.participant(eid, f"a11y-device-{n}-".ljust(43, "x"))
        store.make_rotation(eid, seed=1)
        rnd = store.create_voting_round(eid, "Was ist am wichtigsten?",
                                        statements=["Sprachkurse", "Wohnraum", "Arbeitsmarkt"])
        store.open_voting_round(eid, rnd["id"])
        store.generate_tickets(eid, 6)
        from facilitation.survey_templates import template_definition

        survey = store.create_survey(eid, template_definition("migrants"))
        store.set_survey_status(eid, survey["id"], "open")
        process = store.create_process({"title": "Prozess", "fields": ["Thema A"]})
        store.add_event_to_process(process["id"], eid)
        store.add_catalogue_row(eid, {"field": "Thema A", "measure": "Sprachkurse am Abend"})
        store.add_contribution(eid, "A", "idea", "ملعب للأطفال", language="ar")
        desk_key = store.create_desk(eid, "Amal")["key"]
        key = store.facilitator_key(eid)
        host = store.host_keys(eid)["A"]
        reports = {}
        for lang in ("de", "ar"):
            from facilitation.export import take_snapshot
            from facilitation.export.process import render_report
            from facilitation.export.report import render

            snap = take_snapshot(store, eid, base_url=server.url, language=lang)
            folder = tmp_path_factory.mktemp("report")
            (folder / "bericht.html").write_bytes(render(snap))
            (folder / "prozessbericht.html").write_bytes(render_report(process, [snap]))
            reports["report", lang] = folder / "bericht.html"
            reports["process_report", lang] = folder / "prozessbericht.html"
    finally:
        store.close()
    urls = {
        "join": f"/e/{eid}", "table": f"/e/{eid}/t/A", "vote": f"/e/{eid}/vote",
        "plenary": f"/e/{eid}/plenary", "host": f"/e/{eid}/t/A/host?key={host}",
        "projector": f"/e/{eid}/projector", "projector_vote": f"/e/{eid}/projector/vote",
        "console": f"/e/{eid}/console?key={key}", "admin": f"/admin?token={ADMIN_TOKEN}",
        "rotation": f"/e/{eid}/rotation?key={key}", "tickets": f"/e/{eid}/tickets?key={key}",
        "survey": f"/e/{eid}/s/{survey['id']}",
        "surveys": f"/e/{eid}/surveys?key={key}", "paper": f"/e/{eid}/s/{survey['id']}/paper?key={key}",
        "projector_survey": f"/e/{eid}/projector/survey/{survey['id']}",
        "catalogue": f"/e/{eid}/catalogue?key={key}", "desk": f"/e/{eid}/desk?key={desk_key}",
        "desks": f"/e/{eid}/desks?key={key}", "carry": f"/e/{eid}/carry?key={key}",
    }
    return urls, reports


def violations(page) -> list[dict]:
    """axe's critical and serious violations on the page as it is now (axe injected once)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE)
    # resultTypes: axe works out the nodes of passes, incomplete and inapplicable rules
    # only as far as it needs to (one each), which saves much of its time; every rule of
    # the tags still runs and every violation still lists all its nodes.
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                           " resultTypes: ['violations']})", TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in result["violations"] if v["impact"] in ("critical", "serious")]


@pytest.mark.parametrize("lang", ["de", "ar"])
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_problem(browser, server, site, name, lang):
    """Each page in each language, checked at phone size and again at desktop size.

    The page loads once, at phone size; then the window grows to desktop size and axe
    runs again (the layout follows CSS media queries; no script of ours reads the
    window's size). The failure names the size.
    """
    urls, reports = site
    # bypass_csp only lets the test inject axe; the pages themselves are unchanged.
    first, *others = SIZES
    width, height = SIZES[first]
    ctx = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True,
                              locale="de-DE")
    count_fetches(ctx)
    try:
        page = ctx.new_page()
        if name in FILES:
            page.goto(reports[name, lang].as_uri())
        else:
            sep = "&" if "?" in urls[name] else "?"
            page.goto(f"{server.url}{urls[name]}{sep}lang={lang}")
            settle(page)
        found = {}
        for size in (first, *others):
            if size != first:
                width, height = SIZES[size]
                page.set_viewport_size({"width": width, "height": height})
                settle(page)  # a transition the new size started has ended
            found[size] = violations(page)
            if found[size]:
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"a11y-{name}-{lang}-{size}.png"))
        assert found == dict.fromkeys(SIZES, []), {size: v for size, v in found.items() if v}
    finally:
        ctx.close()
