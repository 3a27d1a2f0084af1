"""Every URL people open or scan, built in one place from the server's base URL.

The QR codes, table cards, console, CLI and exports all print these; a path that
changes here changes everywhere at once. `base_url(app)` is the address phones reach
this server at; every other function takes that base as plain text, so exporters and
the CLI use them without an app.
"""

from __future__ import annotations

from flask import Flask

from .network import public_url


def base_url(app: Flask) -> str:
    """The URL phones reach this server at (configured or detected)."""
    return public_url(app.config.get("PUBLIC_URL", ""), app.config.get("PORT", 5000))


def join_url(base: str, event_id: str) -> str:
    """The event's join page, as encoded in the join QR code."""
    return f"{base}/e/{event_id}"


def table_url(base: str, event_id: str, code: str) -> str:
    """A table's phone page, as encoded in the table's QR code."""
    return f"{join_url(base, event_id)}/t/{code}"


def host_url(base: str, event_id: str, code: str, key: str) -> str:
    """A table's secret host link, as printed (QR) on the table card."""
    return f"{table_url(base, event_id, code)}/host?key={key}"


def vote_url(base: str, event_id: str) -> str:
    """The voting page for phones, as encoded in the voting QR code."""
    return f"{join_url(base, event_id)}/vote"


def projector_url(base: str, event_id: str) -> str:
    """The projector view of the event."""
    return f"{join_url(base, event_id)}/projector"


def console_url(base: str, event_id: str, key: str) -> str:
    """The facilitator console, with the event's key."""
    return f"{join_url(base, event_id)}/console?key={key}"


def survey_url(base: str, event_id: str, survey_id: int) -> str:
    """A survey's phone link, as in its QR code."""
    return f"{base}/e/{event_id}/s/{survey_id}"


def desk_url(base: str, event_id: str, key: str) -> str:
    """A translation desk's secret link."""
    return f"{base}/e/{event_id}/desk?key={key}"
