"""Server-level pages: the list of events, creating a new one, comparing several (needs
the admin token)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import event_templates
from ..errors import AppError
from ..export import take_snapshot
from ..extensions import get_store
from ..i18n import current_language
from ..offload import off_the_loop
from ..plan import parse_plan
from ..rules import DEFAULT_TARGET_GROUPS
from ..security import check_admin_token
from ..urls import base_url
from .exports import XLSX, download

bp = Blueprint("admin", __name__)


def _require_admin() -> str:
    # The admin token travels in the form body on posts: it doubles as the CSRF token,
    # since a forged cross-site form cannot know it.
    token = request.form.get("token") if request.method == "POST" else request.args.get("token")
    if not check_admin_token(current_app, token):
        raise AppError("forbidden")
    return token


def _console_url(event_id: str) -> str:
    key = get_store().facilitator_key(event_id)
    return url_for("pages.console", event_id=event_id, key=key)


def _admin_page(token: str, error: str | None = None):
    events = get_store().list_events()
    consoles = {e["id"]: _console_url(e["id"]) for e in events}
    return render_template("admin.html", token=token, events=events, consoles=consoles,
                           error=error, processes=get_store().list_processes())


@bp.get("/admin")
def admin():
    """Every event with its console link, and the form for a new event."""
    return _admin_page(_require_admin())


@bp.post("/admin/compare")
def compare():
    """vergleich.xlsx of the events ticked on the admin page (at least two); with fewer,
    the page again with a clear message."""
    token = _require_admin()
    store = get_store()
    known = {e["id"]: e for e in store.list_events()}
    chosen = set(request.form.getlist("event"))
    if len(chosen) < 2 or not chosen <= known.keys():
        return _admin_page(token, _("Tick at least two events to compare them."))
    # Side by side in the order they took place (the CLI keeps the order it was given).
    chosen = sorted(chosen, key=lambda eid: (known[eid]["date"], known[eid]["title"], eid))
    language = current_language()
    snaps = [take_snapshot(store, eid, base_url=base_url(current_app), language=language)
             for eid in chosen]
    from ..export import comparison  # XlsxWriter: imported at the first comparison, not at start

    body = off_the_loop(current_app, comparison.render, snaps)
    return download(body, XLSX, "vergleich.xlsx")


def _from_template(store, name: str) -> dict:
    """A new event from a template; the form's title and date win when filled in."""
    chosen = event_templates.template(name)
    if chosen is None:
        raise AppError("invalid_payload", detail="template")
    rounds = chosen.pop("rounds")
    title = request.form.get("title", "").strip() or chosen.pop("title")
    chosen.pop("title", None)
    date = request.form.get("date", "").strip() or dt.date.today().isoformat()
    event = store.create_event(title=title, date=date, **chosen)
    if rounds:
        store.plan_rounds(event["id"], **rounds)
    return event


@bp.post("/admin/events")
def create_event():
    """Create an event (from the form, or from an uploaded plan file) and open its console."""
    _require_admin()
    store = get_store()
    upload = request.files.get("plan")
    if upload and upload.filename:
        plan = parse_plan(upload.read())
        event = store.create_event(**plan)
    elif request.form.get("template"):
        event = _from_template(store, request.form["template"])
    else:
        title = request.form.get("title", "")
        event = store.create_event(
            title=title,
            date=request.form.get("date", ""),
            kind=request.form.get("kind", "world_cafe"),
            join_question=_("Which group do you belong to?") if request.form.get("ask_group") else None,
            join_options=DEFAULT_TARGET_GROUPS if request.form.get("ask_group") else [],
        )
    return redirect(_console_url(event["id"]), code=303)
