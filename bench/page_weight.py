"""First load of a participant's table page: every byte a phone transfers before it is live.

Fetches the table page the way a browser does (Accept-Encoding: gzip, deflate, br),
then every stylesheet, icon and script it names, and every ES module those scripts
import, and adds up what went over the wire (headers and bodies as sent), next to the
uncompressed sizes. The Socket.IO client is one of those scripts.

    python bench/page_weight.py            # starts its own server
    python bench/page_weight.py --url http://127.0.0.1:5000 --event EVENT_ID

Then, where Debian's Chromium is installed, the same pages in a real browser per
language (German and Arabic): what a fresh phone transfers for the table page and the
join page, fonts included (a font is fetched only when the page shows its script), and
what a second visit transfers again (fonts are cached for a year, so nothing).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import re
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from harness import create_event
from servers import facilitation_server, free_port
from stats import kb

BROWSER_HEADERS = {
    "Accept-Encoding": "gzip, deflate, br",
    "User-Agent": "Mozilla/5.0 (Linux; Android 13) facilitation-bench",
    "Accept-Language": "de-DE,de;q=0.9",
}
_HTML_REFS = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', re.I)
_JS_IMPORTS = re.compile(r'''(?:\bimport\b[^'"()]*?\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+\.js)["']''')


def fetch(url: str) -> dict:
    """GET url as a phone's browser would; sizes on the wire and decoded."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers=BROWSER_HEADERS)
        r = conn.getresponse()
        body = r.read()
        header_bytes = len(f"HTTP/1.1 {r.status} {r.reason}\r\n") + sum(
            len(f"{k}: {v}\r\n") for k, v in r.getheaders()) + 2
        encoding = r.getheader("Content-Encoding") or "identity"
        decoded = gzip.decompress(body) if encoding == "gzip" else body
        return {"url": path, "status": r.status, "encoding": encoding,
                "type": (r.getheader("Content-Type") or "").split(";")[0],
                "body": len(body), "headers": header_bytes, "decoded": len(decoded),
                "text": decoded.decode("utf-8", "replace")}
    finally:
        conn.close()


def first_load(page_url: str) -> dict:
    """The page and everything it pulls in, each fetched once; totals in bytes."""
    seen, queue, resources = set(), [page_url], []
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        r = fetch(url)
        resources.append(r)
        pattern = _HTML_REFS if r["type"] == "text/html" else (
            _JS_IMPORTS if r["type"].endswith("javascript") else None)
        if pattern is not None:
            queue += [urljoin(url, ref) for ref in pattern.findall(r["text"])
                      if not ref.startswith(("http:", "https:", "data:"))]
    for r in resources:
        del r["text"]
    return {
        "resources": resources,
        "transferred_bytes": sum(r["body"] + r["headers"] for r in resources),
        "body_bytes": sum(r["body"] for r in resources),
        "uncompressed_bytes": sum(r["decoded"] for r in resources),
        "all_ok": all(r["status"] == 200 for r in resources),
    }


LANGUAGE_TARGETS_KB = {"de": 60, "ar": 200}  # issue 11: German as small as before; Arabic with its font


def browser_loads(url: str, event_id: str, table: str) -> dict | None:
    """Per language, bytes on the wire for a fresh phone in Chromium, and on its second visit."""
    import shutil

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return None
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=args)
        try:
            for lang, accept in (("de", "de-DE"), ("ar", "ar")):
                for page_name, path in (("table", f"/e/{event_id}/t/{table}"), ("join", f"/e/{event_id}")):
                    ctx = browser.new_context(viewport={"width": 360, "height": 740}, locale=accept)
                    page = ctx.new_page()
                    visits = []
                    for _visit in range(2):
                        seen = []

                        def record(request, seen=seen):
                            seen.append(request)

                        page.on("requestfinished", record)
                        page.goto(f"{url}{path}", wait_until="networkidle")
                        page.wait_for_timeout(300)
                        page.remove_listener("requestfinished", record)
                        sizes = [(r.url, r.sizes()) for r in seen]
                        visits.append({
                            "bytes": sum(s["responseBodySize"] + s["responseHeadersSize"] for _u, s in sizes),
                            "font_bytes": sum(s["responseBodySize"] + s["responseHeadersSize"]
                                              for u, s in sizes if "/static/fonts/" in u),
                            # a font read from the browser's cache has no bytes on the wire
                            "fonts": sorted(u.rsplit("/", 1)[-1] for u, s in sizes
                                            if "/static/fonts/" in u and s["responseBodySize"] > 0),
                        })
                    ctx.close()
                    first, again = visits
                    out[f"{lang}-{page_name}"] = {
                        "first_kb": kb(first["bytes"]), "fonts": first["fonts"],
                        "font_kb": kb(first["font_bytes"]), "second_visit_kb": kb(again["bytes"]),
                        "fonts_fetched_again": again["fonts"],
                        "target_kb": LANGUAGE_TARGETS_KB[lang],
                        "met": first["bytes"] < LANGUAGE_TARGETS_KB[lang] * 1000 and not again["fonts"],
                    }
        finally:
            browser.close()
    return out


def run(url: str | None, event_id: str | None, table: str) -> dict:
    """Measure against a running server, or start one with a fresh event."""
    server = None
    if url is None:
        work = Path(tempfile.mkdtemp(prefix="facilitation-weight-"))
        event_id = create_event(work / "bench.db", 8, 8)["event_id"]
        server = facilitation_server(work, free_port())
        server.start()
        url = server.url
    try:
        report = first_load(f"{url}/e/{event_id}/t/{table}")
        report["languages"] = browser_loads(url, event_id, table)
    finally:
        if server:
            server.stop()
    report["transferred_kb"] = kb(report["transferred_bytes"])
    report["uncompressed_kb"] = kb(report["uncompressed_bytes"])
    report["target_kb"] = 80
    report["met"] = report["all_ok"] and report["transferred_bytes"] < 80_000
    return report


def main(argv=None) -> dict:
    """Flags, run, print a table and the JSON."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="a running server (default: start one)")
    p.add_argument("--event", help="event id on that server (needed with --url)")
    p.add_argument("--table", default="A")
    p.add_argument("--json", help="also write the report to this file")
    args = p.parse_args(argv)
    if args.url and not args.event:
        p.error("--url needs --event")
    report = run(args.url, args.event, args.table)
    for r in report["resources"]:
        print(f"{r['url']:<40} {r['encoding']:<8} {r['body'] + r['headers']:>7} B on the wire"
              f"  ({r['decoded']} B uncompressed)")
    print(f"first load: {report['transferred_kb']} KB transferred, "
          f"{report['uncompressed_kb']} KB uncompressed (target < 80 KB)")
    for name, r in (report.get("languages") or {}).items():
        print(f"Chromium, {name:<9} first load {r['first_kb']:>6} KB (target < {r['target_kb']} KB), "
              f"fonts {r['font_kb']} KB {r['fonts']}; second visit {r['second_visit_kb']} KB, "
              f"fonts fetched again: {r['fonts_fetched_again'] or 'none'}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n")
    return report


if __name__ == "__main__":
    main()
