"""Rate limits on every Socket.IO message, per connection and per device, at human speed.

Flask-Limiter never sees Socket.IO messages (they bypass `before_request`), so the
handler wrapper asks here before it does anything else. The limits are settings
(MESSAGES_PER_MINUTE, DEVICE_MESSAGES_PER_MINUTE); a limited sender gets the translated
`rate_limited` error and nothing changes.
"""

from __future__ import annotations

from flask import current_app

from ..errors import AppError
from ..ratelimit import RateLimiter


def _limiter(name: str, setting: str) -> RateLimiter:
    limiters = current_app.extensions.setdefault("message_limiters", {})
    if name not in limiters:
        limiters[name] = RateLimiter(int(current_app.config[setting]), 60.0)
    return limiters[name]


def device_key(conn) -> str | None:
    """The key a device is limited under: its participant in this event (None: no device)."""
    return f"{conn.event_id}:{conn.participant_id}" if conn.participant_id is not None else None


def check_message(conn, sid: str) -> None:
    """Count one message of this connection; AppError('rate_limited') beyond the limits."""
    if not _limiter("connection", "MESSAGES_PER_MINUTE").allow(sid):
        raise AppError("rate_limited")
    key = device_key(conn)
    if key is not None and not _limiter("device", "DEVICE_MESSAGES_PER_MINUTE").allow(key):
        raise AppError("rate_limited")


def forget_connection(sid: str) -> None:
    """Release the per-connection counter of a socket that has gone."""
    limiters = current_app.extensions.get("message_limiters", {})
    if "connection" in limiters:
        limiters["connection"].forget(sid)
