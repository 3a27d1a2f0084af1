"""Secrets and HTTP hardening: the admin token and response headers (device tokens: devices.py)."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, request

from .errors import AppError


def admin_token(instance_dir: str | Path) -> tuple[str, bool]:
    """The server's admin token and whether it was created just now (then print it once)."""
    path = Path(instance_dir) / "admin_token"
    if path.exists():
        return path.read_text().strip(), False
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    # Created with owner-only permissions: anyone who can read it runs the server.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    return token, True


def check_admin_token(app: Flask, token) -> bool:
    """True when token is this server's admin token."""
    # Compared as bytes: compare_digest refuses str with non-ASCII characters.
    return isinstance(token, str) and hmac.compare_digest(
        app.config["ADMIN_TOKEN"].encode(), token.encode("utf-8", "surrogatepass")
    )


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' {sockets}; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Scripts, style sheets and fonts are never documents: a browser applies a policy and
# X-Frame-Options only to what it shows as a page (or runs as a worker, and we have
# none), so these go without them. On a phone's first load that is 13 responses and
# 4 KB of headers less (bench/page_weight.py); pages, SVG images, JSON and files keep
# every header.
SUBRESOURCE_TYPES = frozenset({"text/javascript", "application/javascript", "text/css",
                               "font/woff2", "font/woff"})


def csp_for(host: str) -> str:
    """The policy for a page served as `host`: Socket.IO's websocket to this host only.

    Older Safari does not count ws:/wss: as 'self', so the host is named explicitly;
    a bare `ws:` would let an injected script talk to any server.
    """
    host = "".join(ch for ch in host if ch.isalnum() or ch in ".-:[]") or "localhost"
    return CSP.format(sockets=f"ws://{host} wss://{host}")


def own_origins(environ, public_url: str = "") -> set[str]:
    """The origins this server answers as: the request's own, and PUBLIC_URL's."""
    own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
    parts = urlsplit(public_url or "")
    public = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else own
    return {own, public}


def init_app(app: Flask) -> None:
    """Security headers on every response; no state change from a foreign origin."""

    @app.before_request
    def same_origin_only():
        # Beyond the secret each form and API call carries (admin token, facilitator
        # key): a browser posting from another site's page is refused outright.
        origin = request.headers.get("Origin")
        if request.method not in SAFE_METHODS and origin is not None and origin not in own_origins(
            request.environ, app.config.get("PUBLIC_URL", "")
        ):
            raise AppError("forbidden")

    @app.after_request
    def harden(response):
        if response.mimetype not in SUBRESOURCE_TYPES:
            response.headers.setdefault("Content-Security-Policy", csp_for(request.host))
            response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # same-origin, not no-referrer: keys in URLs still never reach another site, but
        # with no-referrer a browser posts a form with `Origin: null`, which the check
        # above refuses (the admin page's forms failed in every real browser). Kept on
        # style sheets too: what a style sheet loads (fonts) follows its policy.
        response.headers["Referrer-Policy"] = "same-origin"
        if request.path.startswith(("/e/", "/admin")) and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
