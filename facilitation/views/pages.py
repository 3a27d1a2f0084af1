"""The pages people open: start, join, a table's phone page, projector and console."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for

from ..access import require_facilitator
from ..devices import with_device_cookie
from ..extensions import get_store
from ..urls import base_url, join_url, table_url

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """Start page: type the event code shown on the projector, or follow ?code=."""
    code = (request.args.get("code") or "").strip().lower()
    if code:
        return redirect(url_for("pages.join", event_id=code))
    return render_template("index.html")


@bp.get("/e/<event_id>")
def join(event_id):
    """The join page of an event: pick your table, answer the optional question."""
    store = get_store()
    event = store.get_event(event_id)
    response = current_app.make_response(
        render_template("join.html", event=event, tables=store.tables(event_id))
    )
    return with_device_cookie(response)


@bp.get("/e/<event_id>/t/<code>")
def table(event_id, code):
    """A table's phone page: its theme and questions, the form, the live harvest."""
    store = get_store()
    event = store.get_event(event_id)
    table = store.get_table(event_id, code)
    response = current_app.make_response(
        render_template("table.html", event=event, table=table,
                        briefs=store.table_briefs(event_id, code))
    )
    return with_device_cookie(response)


@bp.get("/e/<event_id>/projector")
def projector(event_id):
    """The projector: every table at a glance, or one table with ?table=CODE."""
    store = get_store()
    event = store.get_event(event_id)
    focus = request.args.get("table")
    if focus is not None:
        store.get_table(event_id, focus)
    g.page_language = event.get("projector_language")
    return render_template(
        "projector.html", event=event, focus=focus,
        join_url=join_url(base_url(current_app), event_id),
    )


@bp.get("/e/<event_id>/console")
def console(event_id):
    """The facilitator console; needs the event's key in ?key=."""
    store = get_store()
    event = store.get_event(event_id)
    key = require_facilitator(event_id)
    base = base_url(current_app)
    return render_template(
        "console.html", event=event, key=key, join_url=join_url(base, event_id),
        table_urls={t["code"]: table_url(base, event_id, t["code"])
                    for t in store.tables(event_id)},
    )


@bp.get("/favicon.ico")
def favicon():
    """No favicon request should end up in the logs as an error."""
    return current_app.send_static_file("favicon.svg") if current_app.static_folder else abort(404)
