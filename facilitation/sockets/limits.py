"""Rate limits on every Socket.IO message, per connection and per device, at human speed.

Flask-Limiter never sees Socket.IO messages (they bypass `before_request`), so the
handler wrapper asks here before it does anything else. The limits are settings
(MESSAGES_PER_MINUTE, DEVICE_MESSAGES_PER_MINUTE); a limited sender gets the translated
`rate_limited` error and nothing changes.
"""

from __future__ import annotations

from flask import current_app

from ..errors import AppError
from ..extensions import socketio
from ..ratelimit import RateLimiter


def _limiters() -> tuple[RateLimiter, RateLimiter]:
    """This app's (per connection, per device) limiters, made on first use."""
    app = current_app._get_current_object()  # one context lookup for both
    pair = app.extensions.get("message_limiters")
    if pair is None:
        pair = app.extensions.setdefault("message_limiters", (
            RateLimiter(int(app.config["MESSAGES_PER_MINUTE"]), 60.0),
            RateLimiter(int(app.config["DEVICE_MESSAGES_PER_MINUTE"]), 60.0)))
    return pair


def device_key(conn) -> str | None:
    """The key a device is limited under: its participant in this event (None: no device)."""
    return f"{conn.event_id}:{conn.participant_id}" if conn.participant_id is not None else None


def check_message(conn, sid: str) -> None:
    """Count one message of this connection; AppError('rate_limited') beyond the limits.

    A connection that keeps sending after being limited is not answered message by
    message (10,000 refusals a second cost a whole core): after guard.FLOOD_STRIKES
    refusals it is dropped and its address slowed down (see guard.py).
    """
    key = device_key(conn)
    per_connection, per_device = _limiters()
    if per_connection.allow(sid) and (key is None or per_device.allow(key)):
        return
    guard = current_app.extensions["guard"]
    guard.refusals.record(conn.event_id, "rate_limited")
    if guard.strike(sid, conn.address):
        guard.refusals.record(conn.event_id, "flood")
        socketio.server.disconnect(sid, namespace="/")
    raise AppError("rate_limited")


def forget_connection(sid: str) -> None:
    """Release the per-connection counter of a socket that has gone."""
    pair = current_app.extensions.get("message_limiters")
    if pair is not None:
        pair[0].forget(sid)
