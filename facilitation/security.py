"""Secrets and HTTP hardening: the admin token, device tokens and response headers."""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from flask import Flask, request

DEVICE_COOKIE = "fac_device"


def new_device_token() -> str:
    """An anonymous device token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def valid_device_token(token) -> bool:
    """True for something that can be one of our device tokens (not for any string)."""
    return isinstance(token, str) and 40 <= len(token) <= 64 and token.replace("-", "").replace(
        "_", ""
    ).isalnum()


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
    "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Security headers on every response."""

    @app.after_request
    def harden(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.path.startswith(("/e/", "/admin")) and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
