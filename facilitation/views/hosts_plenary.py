"""Pages of table hosts (their page and its QR code), the printable rotation plan and the
Akteurskonferenz plenary."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from ..access import check_host, require_facilitator
from ..devices import with_device_cookie
from ..extensions import get_store
from ..urls import base_url, host_url
from .qr_routes import qr_response

# The blueprint keeps its first name: templates and tests address these pages as `mechanics.*`.
bp = Blueprint("mechanics", __name__)


@bp.get("/e/<event_id>/t/<code>/host")
def host(event_id, code):
    """A table host's view; needs the table's host key in ?key= (the host link)."""
    store = get_store()
    event = store.get_event(event_id)
    table = store.get_table(event_id, code)
    key = request.args.get("key")
    check_host(store, event_id, code, key)
    return render_template("host.html", event=event, table=table, key=key,
                           briefs=store.table_briefs(event_id, code))


@bp.get("/e/<event_id>/t/<code>/host-qr.<any(png, svg):fmt>")
def host_qr(event_id, code, fmt):
    """The QR code of a table's host link, for the table card; needs the facilitator key."""
    store = get_store()
    store.get_table(event_id, code)
    require_facilitator(event_id)
    url = host_url(base_url(current_app), event_id, code, store.host_key(event_id, code))
    return qr_response(url, fmt, cache_control="no-store")  # the link is the host's secret


@bp.get("/e/<event_id>/plenary")
def plenary(event_id):
    """The phones' plenary page: agenda, impulse wall, choice of a thematic group."""
    store = get_store()
    event = store.get_event(event_id)
    response = current_app.make_response(render_template("plenary.html", event=event))
    return with_device_cookie(response)


@bp.get("/e/<event_id>/rotation")
def rotation(event_id):
    """The whole rotation plan, printable; needs the facilitator key."""
    store = get_store()
    event = store.get_event(event_id)
    require_facilitator(event_id)
    return render_template("rotation.html", event=event, rotation=store.rotation(event_id))
