"""JSON routes: health, and the event plan (export and import) for the console."""

from __future__ import annotations

import json

from flask import Blueprint, Response, jsonify, request

from ..access import require_facilitator
from ..errors import AppError
from ..extensions import get_store
from ..plan import MAX_PLAN_BYTES, parse_plan, plan_of
from ..sockets import broadcast

bp = Blueprint("api", __name__)


@bp.get("/healthz")
def healthz():
    """Liveness: 200 with the database reachable and the number of events."""
    return jsonify(ok=True, events=len(get_store().list_events()))


@bp.get("/api/events/<event_id>/plan")
def export_plan(event_id):
    """Download the event's plan as a JSON file (docs/plan-format.md)."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    plan = plan_of(store.get_event(event_id), store.tables(event_id))
    body = json.dumps(plan, ensure_ascii=False, indent=2)
    return Response(
        body, mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="plan-{event_id}.json"'},
    )


@bp.post("/api/events/<event_id>/plan")
def import_plan(event_id):
    """Apply a plan file to the event (tables added or updated by code, none deleted)."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    if request.content_length and request.content_length > MAX_PLAN_BYTES:
        raise AppError("invalid_plan", detail="file too large")
    plan = parse_plan(request.get_data(cache=False))
    event = store.apply_plan(event_id, plan)
    tables = store.tables(event_id)
    broadcast.event_changed(event, tables)
    return jsonify(ok=True, event=event, tables=tables)


@bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


