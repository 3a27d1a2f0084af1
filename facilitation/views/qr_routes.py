"""QR code images for the join page and every table, as PNG and SVG."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from ..extensions import get_store
from ..qr import qr_png, qr_svg
from ..urls import base_url, join_url, table_url

bp = Blueprint("qr", __name__)

_TYPES = {"png": ("image/png", qr_png), "svg": ("image/svg+xml", qr_svg)}


def qr_response(url: str, fmt: str, cache_control: str = "no-cache") -> Response:
    """The QR code of url as a PNG or SVG response (no-store where url holds a secret)."""
    mimetype, render = _TYPES[fmt]
    response = Response(render(url), mimetype=mimetype)
    response.headers["Cache-Control"] = cache_control
    return response


@bp.get("/e/<event_id>/qr.<any(png, svg):fmt>")
def join_qr(event_id, fmt):
    """The event's join QR code (participants pick their table)."""
    get_store().get_event(event_id)
    return qr_response(join_url(base_url(current_app), event_id), fmt)


@bp.get("/e/<event_id>/t/<code>/qr.<any(png, svg):fmt>")
def table_qr(event_id, code, fmt):
    """A table's QR code, encoding the table's phone page."""
    get_store().get_table(event_id, code)
    return qr_response(table_url(base_url(current_app), event_id, code), fmt)
