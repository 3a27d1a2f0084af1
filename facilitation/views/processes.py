"""Participation processes: created and filled on the admin page (admin token), exported
as one folder; and "carry forward", where the facilitator of a later event picks what it
starts from (facilitator key). docs/processes.md, docs/api.md."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for

from ..access import require_facilitator
from ..errors import AppError
from ..export.folder import zip_bytes
from ..extensions import get_store
from ..i18n import current_language
from ..offload import off_the_loop
from ..security import check_admin_token
from ..sockets.voting import announce_round
from ..urls import base_url
from . import json_body
from .exports import download

bp = Blueprint("processes", __name__)


def _admin_token() -> str:
    """The admin token from the form (posts), the header X-Admin-Token or ?token=."""
    token = (request.form.get("token") if request.method == "POST" and request.form else None) \
        or request.headers.get("X-Admin-Token") or request.args.get("token")
    if not check_admin_token(current_app, token):
        raise AppError("forbidden")
    return token


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# -- admin: processes ------------------------------------------------------------------------


@bp.post("/admin/processes")
def create_process_form():
    """Create a process from the admin page's form (one field of action per line, the
    guiding questions shared by all fields, one target group per line)."""
    token = _admin_token()
    questions = _lines(request.form.get("questions"))
    get_store().create_process({
        "title": request.form.get("title", ""), "town": request.form.get("town") or None,
        "fields": [{"theme": t, "questions": questions} for t in _lines(request.form.get("fields"))],
        "target_groups": _lines(request.form.get("target_groups")),
        "languages": request.form.getlist("languages") or ["de"],
    })
    return redirect(url_for("admin.admin", token=token))


@bp.post("/admin/processes/<process_id>/events")
def create_event_form(process_id):
    """Create an event at the end of the process (inheriting its fields, guiding questions
    and target groups) and open its console."""
    _admin_token()
    store = get_store()
    event = store.create_event_in_process(
        process_id, request.form.get("title", ""), request.form.get("date", ""),
        kind=request.form.get("kind", "world_cafe"), audience=request.form.get("audience") or None)
    return redirect(url_for("pages.console", event_id=event["id"],
                            key=store.facilitator_key(event["id"])))


@bp.get("/admin/processes/<process_id>/export.zip")
def export_process(process_id):
    """The whole process as one zip: each event's session folder, prozess.xlsx,
    prozessbericht.html and prozess.json."""
    _admin_token()
    store = get_store()
    # The process workbook's libraries (XlsxWriter): imported at the first export, not at start.
    from ..process_export import process_snapshots, render_process

    process, snaps = process_snapshots(store, process_id, base_url=base_url(current_app),
                                       language=current_language())
    name, files = off_the_loop(current_app, render_process, process, snaps)
    return download(zip_bytes(files, name), "application/zip", f"{name}.zip")


@bp.get("/api/processes")
def list_processes():
    """Every process with its events in order; admin token."""
    _admin_token()
    return jsonify(ok=True, processes=get_store().list_processes())


@bp.post("/api/processes")
def create_process():
    """Create a process from JSON ({title, town?, fields, target_groups, languages}); admin token."""
    _admin_token()
    return jsonify(ok=True, process=get_store().create_process(json_body()))


@bp.post("/api/processes/<process_id>/events")
def create_event(process_id):
    """Create an event in the process ({title, date, kind?, audience?, fields?}), or add an
    existing one ({event, audience?}); admin token. Answers the event and its console URL."""
    _admin_token()
    store = get_store()
    data = json_body()
    if "event" in data:
        if not isinstance(data["event"], str):
            raise AppError("invalid_payload", detail="event")
        store.get_process(process_id)
        store.add_event_to_process(process_id, data["event"], data.get("audience"))
        event = store.get_event(data["event"])
    else:
        fields = data.get("fields")
        if fields is not None and (not isinstance(fields, list)
                                   or not all(isinstance(f, str) for f in fields)):
            raise AppError("invalid_payload", detail="fields")
        event = store.create_event_in_process(
            process_id, data.get("title", ""), data.get("date", ""),
            kind=data.get("kind", "world_cafe"), audience=data.get("audience"), fields=fields)
    console = url_for("pages.console", event_id=event["id"], key=store.facilitator_key(event["id"]))
    return jsonify(ok=True, event=event, console=console)


# -- facilitator: carry forward -------------------------------------------------------------


def _sources(event_id: str, wanted: list[str]) -> list[str]:
    """The earlier events of the same process that may be carried from (all when none named)."""
    store = get_store()
    pid = store.event_process(event_id)["process_id"]
    if not pid:
        raise AppError("not_in_process")
    earlier = [e["id"] for e in store.get_process(pid)["events"] if e["id"] != event_id]
    if not wanted:
        return earlier
    if any(w not in earlier for w in wanted):
        raise AppError("invalid_payload", detail="from: not an event of this process")
    return wanted


def _options(data) -> tuple[list[str], str, int]:
    sources = data.get("from") or []
    if isinstance(sources, str):
        sources = [sources]
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise AppError("invalid_payload", detail="from")
    per_field = data.get("per_field", 3)
    try:
        per_field = int(per_field)
    except (TypeError, ValueError):
        raise AppError("invalid_payload", detail="per_field") from None
    return sources, data.get("source", "top_voted"), per_field


@bp.get("/api/events/<event_id>/carry-forward")
def carry_preview(event_id):
    """What earlier events of the process offer (?source=top_voted|merged&per_field=3
    &from=<event>…); facilitator key."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    sources, source, per_field = _options({
        "from": request.args.getlist("from"), "source": request.args.get("source", "top_voted"),
        "per_field": request.args.get("per_field", 3)})
    items = store.carry_candidates(_sources(event_id, sources), source, per_field)
    return jsonify(ok=True, items=items)


@bp.post("/api/events/<event_id>/carry-forward")
def carry(event_id):
    """Carry earlier results into this event ({from, source, per_field, as: candidates|
    briefs, pick?: [indexes of the preview]}); facilitator key."""
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    data = json_body()
    sources, source, per_field = _options(data)
    items = store.carry_candidates(_sources(event_id, sources), source, per_field)
    pick = data.get("pick")
    if pick is not None:
        if not isinstance(pick, list) or any(isinstance(i, bool) or not isinstance(i, int)
                                             or not 0 <= i < len(items) for i in pick):
            raise AppError("invalid_payload", detail="pick")
        items = [items[i] for i in dict.fromkeys(pick)]
    result = store.carry_forward(event_id, items, data.get("as", "candidates"))
    if "voting_round" in result:  # the consoles see the new draft at once
        announce_round(event_id, store.voting_round(event_id, result["voting_round"],
                                                    with_hidden=True))
    return jsonify(ok=True, **result)


@bp.get("/e/<event_id>/carry")
def carry_page(event_id):
    """The facilitator's page to pick what this event starts from; facilitator key."""
    store = get_store()
    event = store.get_event(event_id)
    require_facilitator(event_id, header=True)
    place = store.event_process(event_id)
    process = store.get_process(place["process_id"]) if place["process_id"] else None
    return render_template("carry.html", event=event, key=request.args.get("key"),
                           process=process)
