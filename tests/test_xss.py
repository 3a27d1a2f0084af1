"""XSS: known payloads as every kind of user text, rendered in headless Chromium.

The payloads go in as contributions, the event title, table themes, Leitfragen, join
options, voting statements and impulses; every page that shows them is opened (phone,
join, projector, console, host, voting, plenary, admin) and so is the council report
bericht.html from the export. Each payload would call window.__xss(n) if it ran.

Twice: once as served (with the Content-Security-Policy), once with the CSP bypassed,
which proves the escaping alone holds. Proof that nothing ran: __xss never called, no
dialog, no CSP violation (a violation would mean a payload became markup), and no
element in any page carries an event-handler attribute or a javascript: URL.
"""

from __future__ import annotations

import io
import zipfile

import pytest
import requests

from facilitation.rules import clean_short_text
from tests.helpers import device_cookie
from tests.pages import count_fetches, settle

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # every page, every payload

PAYLOADS = [
    "<script>__xss(1)</script>",
    "<img src=x onerror=__xss(2)>",
    "<svg onload=__xss(3)>",
    '"><script>__xss(4)</script>',
    "'><img src=x onerror=__xss(5)>",
    '<iframe src="javascript:parent.__xss(6)"></iframe>',
    "<body onload=__xss(7)>",
    '<a href="javascript:__xss(8)">klick</a>',
    "<details open ontoggle=__xss(9)>",
    "<input autofocus onfocus=__xss(10)>",
    "<marquee onstart=__xss(11)>x</marquee>",
    "<video><source onerror=__xss(12)></video>",
    "<audio src=x onerror=__xss(13)>",
    '<object data="javascript:parent.__xss(14)"></object>',
    '<embed src="javascript:parent.__xss(15)">',
    "javascript:__xss(16)",
    "{{constructor.constructor('__xss(17)')()}}",
    "${__xss(18)}",
    "</textarea><script>__xss(19)</script>",
    "</title><script>__xss(20)</script>",
    "</script><script>__xss(21)</script>",
    "<style>@import 'javascript:__xss(22)';</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__xss(23)>",
    '<noscript><p title="</noscript><img src=x onerror=__xss(24)>">',
    '<img src="x" onerror="&#95;&#95;xss(25)">',
    "<svg><script>__xss(26)</script></svg>",
    "<form><button formaction=javascript:__xss(27)>x</button></form>",
    '<div style="background:url(javascript:__xss(28))">x</div>',
    '<base href="javascript:__xss(29)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:__xss(30)">',
    '" onmouseover="__xss(31)" x="',
    "' onfocus='__xss(32)' autofocus x='",
    "<img src=x:y onerror=eval('__xss(33)')>",
    "\\u003cscript\\u003e__xss(34)\\u003c/script\\u003e",
    "<scr<script>ipt>__xss(35)</scr</script>ipt>",
    "<x contenteditable onblur=__xss(36)>x</x>",
    '"-__xss(37)-"',
    "<template><img src=x onerror=__xss(38)></template><img src=x onerror=__xss(38)>",
    '<svg><a xlink:href="javascript:__xss(39)"><text y="20">x</text></a></svg>',
    "<img srcset=x onerror=__xss(40)>",
]

INIT = """
window.__xssRan = [];
window.__xss = (n) => window.__xssRan.push(n);
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""

# What no page of ours ever has, and any payload that became markup would bring.
DOM_CHECK = """() => {
  const bad = [];
  for (const node of document.querySelectorAll("*")) {
    for (const attr of node.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith("on")) bad.push(node.tagName + " " + attr.name);
      if (["href", "src", "action", "formaction", "data", "xlink:href"].includes(attr.name)
          && value.startsWith("javascript:")) bad.push(node.tagName + " " + attr.name);
    }
    if (["IFRAME", "OBJECT", "EMBED", "BASE", "MARQUEE"].includes(node.tagName)) bad.push(node.tagName);
    if (node.tagName === "SCRIPT" && node.textContent.includes("__xss")) bad.push("SCRIPT");
    if (node.tagName === "META" && node.getAttribute("http-equiv")) bad.push("META refresh");
  }
  return bad;
}"""


def _short(payload: str, limit: int) -> str:
    """The payload as the short-text rules keep it (titles, themes, options)."""
    return clean_short_text(payload[:limit], "x", limit)


@pytest.fixture(scope="module")
def hostile(server):
    """An event whose every user text is a payload, with contributions, dots, impulses."""
    from facilitation.store import Store

    store = Store(server.db_path)
    tables = [
        {"code": f"T{i}", "theme": _short(PAYLOADS[i], 200),
         "questions": [_short(p, 300) for p in PAYLOADS[i * 4 % 40:i * 4 % 40 + 4]]}
        for i in range(10)
    ]
    event = store.create_event(
        title=_short(PAYLOADS[20], 200), date=_short(PAYLOADS[19], 40), tables=tables,
        join_question=_short(PAYLOADS[3], 200),
        join_options=list(dict.fromkeys(_short(p, 80) for p in PAYLOADS[:12])),
    )
    eid = event["id"]
    store.update_event(eid, {"status": "running"})
    me = store.participant(eid, device_cookie("xss"))["id"]
    store.set_target_group(eid, me, event["join_options"][1])
    ids = []
    for n, payload in enumerate(PAYLOADS):
        c, _ = store.add_contribution(eid, f"T{n % 3}", "idea", payload, participant_id=me)
        ids.append(c["id"])
    store.edit_contribution(eid, ids[0], PAYLOADS[1] + " (korrigiert)")
    store.add_impulse(eid, PAYLOADS[2], participant_id=me)
    vote = store.create_voting_round(eid, _short(PAYLOADS[4], 200), contribution_ids=ids[:8],
                                     statements=[_short(p, 300) for p in PAYLOADS[8:16]])
    store.open_voting_round(eid, vote["id"])
    candidate = store.voting_round(eid, vote["id"])["candidates"][0]["id"]
    store.place_dot(eid, vote["id"], candidate, me, "xssdot00000001")
    keys = {"key": store.facilitator_key(eid), "host": store.host_key(eid, "T0")}
    store.close()
    return {"id": eid, **keys}


def _pages(server, hostile) -> dict[str, str]:
    base, eid = server.url, hostile["id"]
    from tests.helpers import ADMIN_TOKEN

    return {
        "join": f"{base}/e/{eid}",
        "phone": f"{base}/e/{eid}/t/T0",
        "projector": f"{base}/e/{eid}/projector",
        "projector-focus": f"{base}/e/{eid}/projector?table=T1",
        "console": f"{base}/e/{eid}/console?key={hostile['key']}",
        "host": f"{base}/e/{eid}/t/T0/host?key={hostile['host']}",
        "vote": f"{base}/e/{eid}/vote",
        "projector-vote": f"{base}/e/{eid}/projector/vote",
        "plenary": f"{base}/e/{eid}/plenary",
        "admin": f"{base}/admin?token={ADMIN_TOKEN}",
    }


def _report(server, hostile, tmp_path) -> str:
    """bericht.html from the event's export, as a file URL."""
    response = requests.get(f"{server.url}/e/{hostile['id']}/export.zip",
                            params={"key": hostile["key"]}, timeout=60)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        name = next(n for n in z.namelist() if n.endswith("/bericht.html"))
        html = z.read(name).decode()
    assert "__xss(1)" in html  # the payloads are in the report, as text
    path = tmp_path / "bericht.html"
    path.write_text(html, encoding="utf-8")
    return path.as_uri()


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "csp-bypassed"])
def test_no_payload_runs_on_any_page(browser, server, hostile, tmp_path, shot, bypass_csp):
    pages = {**_pages(server, hostile), "report": _report(server, hostile, tmp_path)}
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE",
                                  bypass_csp=bypass_csp)
    context.add_init_script(INIT)
    count_fetches(context)
    context.add_cookies([{"name": "fac_device", "value": device_cookie("xss"), "url": server.url}])
    dialogs = []
    problems = {}
    try:
        for name, url in pages.items():
            page = context.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(url)
            if page.locator("#conn").count():
                page.wait_for_selector("#conn:not(.offline)", timeout=10000)
            # Live data rendered by the page's script; every image (a payload's <img src=x>
            # too) has loaded or failed, so an onerror handler would have run by now.
            settle(page)
            for target in page.locator("li, .text, h1, h2").all()[:8]:
                if target.is_visible():
                    target.hover(timeout=1000)  # an onmouseover payload would fire now
            ran = page.evaluate("window.__xssRan")
            csp = page.evaluate("window.__csp")
            dom = page.evaluate(DOM_CHECK)
            if ran or dom or (csp and not bypass_csp):
                problems[name] = {"ran": ran, "csp": csp, "dom": dom}
            if not bypass_csp:
                shot(page, name)
            visible = page.inner_text("body")
            assert "__xss(" in visible, f"{name}: the payloads are not shown as text"
            page.close()
    finally:
        context.close()
    assert not dialogs, dialogs
    assert not problems, problems
    print(f"\nXSS: {len(PAYLOADS)} payloads x {len(pages)} pages "
          f"({'CSP bypassed' if bypass_csp else 'with CSP'}): nothing ran")
