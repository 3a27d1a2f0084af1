"""The anonymous device token: how a phone gets it (a cookie) and how a socket shows it.

A participant is a device, known only by this token's hash. Every phone page gives the
token the first time it is opened; the socket handshake carries it in the same cookie
(browsers) or in `auth.device` (other clients).
"""

from __future__ import annotations

import secrets
from http.cookies import SimpleCookie

from flask import Response, current_app, request

DEVICE_COOKIE = "fac_device"
COOKIE_MAX_AGE = 180 * 24 * 3600  # seconds: longer than any event and its follow-up


def new_device_token() -> str:
    """An anonymous device token: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def valid_device_token(token) -> bool:
    """True for something that can be one of our device tokens (not for any string)."""
    return isinstance(token, str) and 40 <= len(token) <= 64 and token.replace("-", "").replace(
        "_", ""
    ).isalnum()


def with_device_cookie(response: Response) -> Response:
    """Give a phone its anonymous device token the first time it opens a page."""
    if not valid_device_token(request.cookies.get(DEVICE_COOKIE)):
        response.set_cookie(
            DEVICE_COOKIE, new_device_token(), max_age=COOKIE_MAX_AGE, httponly=True,
            samesite="Lax", secure=current_app.config.get("SECURE_COOKIES", False),
        )
    return response


def handshake_device_token(environ: dict, auth: dict) -> str | None:
    """The device token of a socket handshake: its cookie (browsers), else auth's `device`."""
    cookie = SimpleCookie()
    try:
        cookie.load(environ.get("HTTP_COOKIE", ""))
    except Exception:  # a malformed cookie header is treated as no cookie
        cookie = SimpleCookie()
    token = cookie[DEVICE_COOKIE].value if DEVICE_COOKIE in cookie else auth.get("device")
    return token if valid_device_token(token) else None
