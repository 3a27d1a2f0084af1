"""The translation desk: a secret link per bilingual helper (made in the console) listing
the cards not written in German; the helper types a German rendering, stored beside the
original with the desk's name and the time (docs/desk.md, docs/api.md)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request

from .. import machine_translation
from ..access import require_facilitator
from ..errors import AppError
from ..extensions import get_store, socketio
from ..rooms import console_room, event_room, table_room
from ..urls import base_url
from ..urls import desk_url as _desk_url
from . import json_body

bp = Blueprint("desk", __name__)


def _desk(event_id: str) -> dict:
    key = request.headers.get("X-Desk-Key") or request.args.get("key")
    return get_store().check_desk_key(event_id, key)


def desk_url(event_id: str, key: str) -> str:
    """The secret link of a desk."""
    return _desk_url(base_url(current_app), event_id, key)


@bp.get("/e/<event_id>/desk")
def page(event_id):
    """The desk page for a bilingual helper; needs the desk's key in ?key=."""
    store = get_store()
    event = store.get_event(event_id)
    desk = _desk(event_id)
    return render_template("desk.html", event=event, desk=desk, key=request.args.get("key"),
                           machine=bool(current_app.config.get("TRANSLATE_URL")))


@bp.get("/api/events/<event_id>/desk")
def cards(event_id):
    """The cards not written in German, each with its newest German rendering; desk key."""
    get_store().get_event(event_id)
    _desk(event_id)
    return jsonify(ok=True, cards=get_store().desk_cards(event_id))


@bp.post("/api/events/<event_id>/desk/translations")
def translate(event_id):
    """{contribution, text, machine?}: a German rendering of a card; desk key. Broadcast
    `contribution_translated` to the console and the projector."""
    store = get_store()
    store.get_event(event_id)
    desk = _desk(event_id)
    data = json_body(empty={})
    cid = data.get("contribution")
    if isinstance(cid, bool) or not isinstance(cid, int):
        raise AppError("invalid_payload", detail="contribution")
    saved = store.translate(event_id, cid, data.get("text"), desk, machine=data.get("machine") is True)
    table = store.get_contribution(event_id, cid)["table"]
    socketio.emit("contribution_translated", saved,
                  to=[console_room(event_id), event_room(event_id), table_room(event_id, table)])
    return jsonify(ok=True, **saved)


@bp.get("/api/events/<event_id>/desk/suggestion")
def suggestion(event_id):
    """?contribution=<id>: the machine translator's suggestion (only where
    FACILITATION_TRANSLATE_URL is set); desk key."""
    store = get_store()
    store.get_event(event_id)
    _desk(event_id)
    url = current_app.config.get("TRANSLATE_URL")
    if not url:
        raise AppError("translator_unavailable", detail="FACILITATION_TRANSLATE_URL is not set")
    try:
        cid = int(request.args.get("contribution", ""))
    except ValueError:
        raise AppError("invalid_payload", detail="contribution") from None
    card = next((c for c in store.desk_cards(event_id) if c["id"] == cid), None)
    if card is None:
        raise AppError("unknown_contribution")
    return jsonify(ok=True, contribution=cid, machine=True,
                   text=machine_translation.suggest(url, card["text"], card["language"]))


@bp.post("/api/events/<event_id>/desks")
def create(event_id):
    """A new desk ({name}); facilitator key. Answers the desk with its secret link."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    desk = store.create_desk(event_id, json_body(empty={}).get("name"))
    return jsonify(ok=True, desk={"id": desk["id"], "name": desk["name"],
                                  "url": desk_url(event_id, desk["key"])})


@bp.get("/e/<event_id>/desks")
def desks_page(event_id):
    """The console's page of translation desks: their secret links, a new one."""
    store = get_store()
    event = store.get_event(event_id)
    require_facilitator(event_id, header=True)
    return render_template("desks.html", event=event, key=request.args.get("key"),
                           desks=[{"name": d["name"], "url": desk_url(event_id, d["key"])}
                                  for d in store.desks(event_id)])


@bp.get("/api/events/<event_id>/desks")
def listed(event_id):
    """The event's desks with their secret links; facilitator key."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    return jsonify(ok=True, desks=[{"id": d["id"], "name": d["name"], "url": desk_url(event_id, d["key"])}
                                   for d in store.desks(event_id)])
