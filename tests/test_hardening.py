"""Hardening: headers on every response, no inline code, cookie flags, Socket.IO origins,
cross-site posts, message size and rate limits with friendly messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
import socketio as sio_lib

from facilitation.app import create_app
from facilitation.extensions import socketio
from facilitation.security import SUBRESOURCE_TYPES
from tests.helpers import ADMIN_TOKEN, Client, device_cookie, german, make_event, wait_for
from tests.test_access import ROUTE_ACCESS, _url

FOREIGN = "http://evil.example"
# POST routes whose credential is the anonymous device cookie (a phone answering a survey),
# like the Socket.IO handshake's: refused without it and from any foreign Origin.
COOKIE_POSTS = {"surveys.answer"}


@pytest.fixture
def event(app):
    store = app.extensions["store"]
    ev = make_event(store, tables=2)
    return {**ev, "key": store.facilitator_key(ev["id"]), "host": store.host_key(ev["id"], "A"),
            "desk": store.create_desk(ev["id"], "Desk")["key"]}


def _get_every_page(app, client, event):
    """(rule, response) for every GET route, opened with the secret it needs."""
    secret = {"public": None, "facilitator": event["key"], "host": event["host"],
              "admin": ADMIN_TOKEN, "desk": event.get("desk")}
    with app.test_request_context():
        urls = [(r, _url(r, event)) for r in app.url_map.iter_rules() if "GET" in r.methods]
    for rule, url in urls:
        access = ROUTE_ACCESS.get(rule.endpoint, "public")
        query = {"token": ADMIN_TOKEN} if access == "admin" else (
            {"key": secret[access]} if secret[access] else {})
        yield rule, client.get(url, query_string=query)


def test_every_response_carries_the_security_headers(app, client, event):
    checked = 0
    responses = list(_get_every_page(app, client, event))
    responses.append((None, client.get("/no/such/page")))
    responses.append((None, client.get(f"/e/{event['id']}/console")))  # 403 page
    for rule, response in responses:
        where = rule.rule if rule else response.request.path
        h = response.headers
        if response.mimetype in SUBRESOURCE_TYPES:
            continue  # scripts, styles, fonts: test_subresources_carry_what_applies_to_them
        csp = h.get("Content-Security-Policy", "")
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if " " in d.strip())
        assert directives.get("default-src") == "'self'", where
        assert directives.get("script-src") == "'self'", where  # no 'unsafe-inline', no eval
        assert directives.get("frame-ancestors") == "'none'", where
        assert directives.get("object-src") == "'none'" and directives.get("base-uri") == "'none'"
        assert "unsafe" not in csp and "*" not in csp, where
        # The websocket may go to this very host only.
        assert set(directives["connect-src"].split()) == {"'self'", "ws://localhost", "wss://localhost"}
        assert h.get("X-Content-Type-Options") == "nosniff", where
        assert h.get("Referrer-Policy") == "same-origin", where  # keys in URLs never leak
        assert h.get("X-Frame-Options") == "DENY", where
        checked += 1
    assert checked >= 20


def test_subresources_carry_what_applies_to_them(client):
    """Scripts, styles and fonts keep nosniff (a browser then refuses to run or apply
    anything not labelled as such) and the referrer policy (a style sheet's fonts follow
    it); the headers only documents obey are left off. An SVG image can be opened as a
    document, so it keeps them all."""
    static = Path(__file__).resolve().parent.parent / "static"
    files = ["js/clocksync.js", "css/app.css",
             next(p.relative_to(static).as_posix() for p in static.rglob("*.woff2"))]
    for name in files:
        h = client.get(f"/static/{name}").headers
        assert h["Content-Type"].split(";")[0] in SUBRESOURCE_TYPES, name
        assert h.get("X-Content-Type-Options") == "nosniff", name
        assert h.get("Referrer-Policy") == "same-origin", name
        assert "Content-Security-Policy" not in h and "X-Frame-Options" not in h, name
    svg = client.get("/static/favicon.svg").headers
    assert "default-src 'self'" in svg["Content-Security-Policy"]
    assert svg["X-Frame-Options"] == "DENY"


def test_no_page_has_inline_script_style_or_handlers(app, client, event):
    pages = 0
    for rule, response in _get_every_page(app, client, event):
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, f"{rule.rule}: {tag}"
        assert not re.search(r"<[^>]+\sstyle\s*=", html), f"{rule.rule}: inline style"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), f"{rule.rule}: inline handler"
        assert not re.search(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", html, re.I)
        assert "cdn" not in html.lower() and "https://" not in html, f"{rule.rule}: external"
        pages += 1
    assert pages >= 10


@pytest.mark.parametrize("secure", [False, True])
def test_device_cookie_flags(tmp_path, secure):
    app = create_app({"DATABASE": str(tmp_path / "c.db"), "INSTANCE_DIR": str(tmp_path / "i"),
                      "ASYNC_MODE": "threading", "ADMIN_TOKEN": ADMIN_TOKEN, "TESTING": True,
                      "SECURE_COOKIES": secure})
    client = app.test_client()
    event = make_event(app.extensions["store"])
    event = {**event, "key": "x", "host": "x", "desk": "x"}
    setting = 0
    for rule, response in _get_every_page(app, client, event):
        for header in response.headers.getlist("Set-Cookie"):
            client.delete_cookie("fac_device")
            flags = {f.strip().split("=")[0].lower() for f in header.split(";")[1:]}
            assert "httponly" in flags, f"{rule.rule}: {header}"
            assert re.search(r"SameSite=(Lax|Strict)", header), f"{rule.rule}: {header}"
            assert ("secure" in flags) == secure, f"{rule.rule}: {header}"
            token = header.split(";")[0].split("=", 1)[1]
            assert len(token) >= 43  # 256 random bits, URL-safe base64
            setting += 1
    assert setting >= 3  # join, table, vote, plenary pages hand out the device token
    app.extensions["store"].close()


def test_socketio_refuses_a_foreign_origin(server):
    """Engine.IO answers the handshake of a foreign Origin with 400; ours with 200."""
    url = f"{server.url}/socket.io/?EIO=4&transport=polling"
    assert requests.get(url, headers={"Origin": FOREIGN}, timeout=5).status_code == 400
    assert requests.get(url, headers={"Origin": "null"}, timeout=5).status_code == 400
    ok = requests.get(url, headers={"Origin": server.url}, timeout=5)
    assert ok.status_code == 200 and ok.headers.get("Access-Control-Allow-Origin") in (None, server.url)
    client = Client(reconnection=False)
    with pytest.raises(sio_lib.exceptions.ConnectionError):
        client.connect(server.url, headers={"Origin": FOREIGN}, transports=["websocket"],
                       auth={"event": "x", "role": "projector"}, wait_timeout=5)


def test_every_post_refuses_cross_site_requests(app, client, event):
    """A page on another site can make a browser post a form with the device cookie, but
    without the secret; and with the secret from a foreign Origin it is refused too."""
    client.set_cookie("fac_device", device_cookie(1))
    with app.test_request_context():
        posts = [(r, _url(r, event)) for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert posts
    for rule, url in posts:
        forged = client.post(url, data={"title": "Gefälscht", "date": "2026-01-01"},
                             headers={"Origin": FOREIGN})
        assert forged.status_code == 403, rule.rule
        if rule.endpoint in COOKIE_POSTS:
            # Its credential is the device cookie, which is SameSite=Lax: a browser never
            # sends it with another site's post, and the Origin check above refuses those.
            client.delete_cookie("fac_device")
            assert client.post(url, json={"answers": [None]}).status_code == 403, rule.rule
            client.set_cookie("fac_device", device_cookie(1))
            continue
        forged = client.post(url, data={"title": "Gefälscht", "date": "2026-01-01"})
        assert forged.status_code == 403, rule.rule  # no cookie is ever a credential
        with_secret = client.post(url, data={"token": ADMIN_TOKEN, "title": "Gefälscht",
                                             "date": "2026-01-01"},
                                  headers={"Origin": FOREIGN, "X-Facilitator-Key": event["key"]})
        assert with_secret.status_code == 403, rule.rule
    titles = [e["title"] for e in app.extensions["store"].list_events()]
    assert "Gefälscht" not in titles
    same_site = client.post("/admin/events", data={"token": ADMIN_TOKEN, "title": "Echt",
                                                   "date": "2026-01-01"},
                            headers={"Origin": "http://localhost"})
    assert same_site.status_code == 303


def test_an_oversized_message_closes_the_connection_and_stores_nothing(server, server_store, sio):
    event = make_event(server_store, tables=1)
    phone = sio({"event": event["id"], "role": "participant", "table": "A"}, device="big")
    phone.emit("submit_contribution", {"kind": "idea", "text": "x" * 70_000})
    wait_for(lambda: not phone.connected, timeout=10)
    assert server_store.contributions(event["id"]) == []
    again = sio({"event": event["id"], "role": "participant", "table": "A"}, device="big")
    assert again.call("submit_contribution", {"kind": "idea", "text": "kurz"})["ok"]


def _limited_app(tmp_path, **limits):
    return create_app({"DATABASE": str(tmp_path / "l.db"), "INSTANCE_DIR": str(tmp_path / "i"),
                       "ASYNC_MODE": "threading", "ADMIN_TOKEN": ADMIN_TOKEN, "TESTING": True,
                       **limits})


def _phone(app, event, device="lim", **headers):
    return socketio.test_client(app, auth={"event": event["id"], "role": "participant",
                                           "table": "A", "device": device_cookie(device)},
                                headers=headers)


def test_rate_limits_per_connection_and_per_device(tmp_path):
    app = _limited_app(tmp_path, MESSAGES_PER_MINUTE=5, DEVICE_MESSAGES_PER_MINUTE=8)
    event = make_event(app.extensions["store"])
    first = _phone(app, event)
    acks = [first.emit("request_snapshot", {}, callback=True) for _ in range(6)]
    assert [a["ok"] for a in acks] == [True] * 5 + [False]
    assert acks[-1]["error"]["code"] == "rate_limited"
    assert acks[-1]["error"]["message"] == german(
        "Slow down a little: please wait a moment and try again.")  # friendly, in German
    # A second tab of the same device has its own connection budget, not the device's.
    second = _phone(app, event)
    acks = [second.emit("request_snapshot", {}, callback=True) for _ in range(4)]
    assert [a["ok"] for a in acks] == [True, True, True, False]  # 5 + 3 = 8 per device
    # Another device is not affected.
    other = _phone(app, event, device="other")
    assert other.emit("request_snapshot", {}, callback=True)["ok"]
    app.extensions["store"].close()


def test_contributions_per_device_per_table_are_capped_with_a_clear_message(tmp_path):
    app = _limited_app(tmp_path, CONTRIBUTIONS_PER_TABLE=3)
    store = app.extensions["store"]
    event = make_event(store)
    phone = _phone(app, event, **{"Accept-Language": "en"})
    acks = [phone.emit("submit_contribution", {"kind": "idea", "text": f"Nr {n}",
                                               "client_id": f"cap-{n:06d}"}, callback=True)
            for n in range(4)]
    assert [a["ok"] for a in acks] == [True, True, True, False]
    assert acks[-1]["error"]["code"] == "too_many_contributions"
    assert "3 contributions at this table" in acks[-1]["error"]["message"]
    assert len(store.contributions(event["id"])) == 3
    # A resend of a stored one is still answered as stored (the outbox must empty) …
    resent = phone.emit("submit_contribution", {"kind": "idea", "text": "Nr 0",
                                                "client_id": "cap-000000"}, callback=True)
    assert resent["ok"] and resent["duplicate"]
    # … and the cap is per table: the same phone can still write at table B.
    at_b = socketio.test_client(app, auth={"event": event["id"], "role": "participant",
                                           "table": "B", "device": device_cookie("lim")})
    assert at_b.emit("submit_contribution", {"kind": "idea", "text": "An B"}, callback=True)["ok"]
    app.extensions["store"].close()


def test_admin_token_is_generated_once_and_readable_by_the_owner_only(tmp_path):
    from facilitation.security import admin_token

    token, created = admin_token(tmp_path / "instance")
    assert created and len(token) >= 32  # 192 random bits
    path = tmp_path / "instance" / "admin_token"
    assert path.stat().st_mode & 0o777 == 0o600
    assert admin_token(tmp_path / "instance") == (token, False)  # printed only the first time
