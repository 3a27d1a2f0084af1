"""The measures catalogue page and its JSON routes (facilitator key): the organisers turn
cards into catalogue rows during or days after the event (docs/catalogue.md, docs/api.md).
Every change is sent to the event's consoles as `catalogue_updated`, so two people can
work on it at once."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from ..access import require_facilitator
from ..catalogue_rules import HORIZONS, STATUSES, TARGET_GROUPS, proposals
from ..errors import AppError
from ..extensions import get_store, socketio
from ..rooms import console_room
from ..sockets.voting import announce_round
from . import json_body

bp = Blueprint("catalogue", __name__)


def _int(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AppError("invalid_payload", detail=field)
    return value


def _state(event_id: str) -> dict:
    """Rows, what is proposed as measures (needs and ideas not yet in a row) and the
    context (problems, works well)."""
    store = get_store()
    rows = store.catalogue(event_id)
    dots = store.contribution_dots(event_id)
    themes = {t["code"]: t["theme"] for t in store.tables(event_id)}
    cards = [{**c, "dots": dots.get(c["id"], 0), "theme": themes.get(c["table"], "")}
             for c in store.contributions(event_id, include_hidden=True)]
    used = {s for r in rows for s in r["sources"]}
    proposed, context = proposals(cards, used)
    keep = ("id", "table", "kind", "text", "round", "dots")
    return {"rows": rows, "proposals": [{k: c.get(k) for k in keep} | {"theme": c.get("theme")}
                                        for c in proposed],
            "context": [{k: c.get(k) for k in keep} | {"theme": c.get("theme")} for c in context]}


def _saved(event_id: str, **answer):
    """After a change: the event's consoles get the rows (`catalogue_updated`); the route
    answers {ok: true, **answer}."""
    socketio.emit("catalogue_updated", {"rows": get_store().catalogue(event_id)},
                  to=console_room(event_id))
    return jsonify(ok=True, **answer)


def _guard(event_id: str):
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    return store


@bp.get("/e/<event_id>/catalogue")
def page(event_id):
    """The catalogue page: rows edited inline, proposals and context beside them."""
    store = _guard(event_id)
    return render_template("catalogue.html", event=store.get_event(event_id),
                           key=request.args.get("key"), tables=store.tables(event_id),
                           target_groups=TARGET_GROUPS, horizons=HORIZONS, statuses=STATUSES)


@bp.get("/api/events/<event_id>/catalogue")
def read(event_id):
    """{rows, proposals, context} (see docs/api.md)."""
    _guard(event_id)
    return jsonify(ok=True, **_state(event_id))


@bp.post("/api/events/<event_id>/catalogue/rows")
def add(event_id):
    """A new row ({values?, after?}); answers the row."""
    store = _guard(event_id)
    data = json_body(empty={})
    after = data.get("after")
    row = store.add_catalogue_row(event_id, data.get("values") or None,
                                  after=None if after is None else _int(after, "after"))
    return _saved(event_id, row=row)


@bp.route("/api/events/<event_id>/catalogue/rows/<int:row_id>", methods=["PATCH"])
def update(event_id, row_id):
    """Change cells of a row ({changes}); answers the row."""
    store = _guard(event_id)
    row = store.update_catalogue_row(event_id, row_id, json_body(empty={}).get("changes"))
    return _saved(event_id, row=row)


@bp.post("/api/events/<event_id>/catalogue/rows/<int:row_id>/move")
def move(event_id, row_id):
    """Move a row to position {to} (0 = first)."""
    store = _guard(event_id)
    rows = store.move_catalogue_row(event_id, row_id, _int(json_body(empty={}).get("to"), "to"))
    return _saved(event_id, rows=rows)


@bp.post("/api/events/<event_id>/catalogue/rows/<int:row_id>/split")
def split(event_id, row_id):
    """A copy of the row right after it, to divide one measure in two."""
    store = _guard(event_id)
    row = store.split_catalogue_row(event_id, row_id)
    return _saved(event_id, row=row)


@bp.post("/api/events/<event_id>/catalogue/rows/<int:row_id>/join")
def join(event_id, row_id):
    """Join row {other} into this one."""
    store = _guard(event_id)
    row = store.join_catalogue_rows(event_id, row_id, _int(json_body(empty={}).get("other"), "other"))
    return _saved(event_id, row=row)


@bp.delete("/api/events/<event_id>/catalogue/rows/<int:row_id>")
def delete(event_id, row_id):
    """Delete a row; its cards are proposed again."""
    store = _guard(event_id)
    store.delete_catalogue_row(event_id, row_id)
    return _saved(event_id)


@bp.post("/api/events/<event_id>/catalogue/vote")
def vote(event_id):
    """A voting round in preparation on the catalogue's rows ({title, rows?, budget?, cap?})."""
    store = _guard(event_id)
    data = json_body(empty={})
    kwargs = {k: _int(data[k], k) for k in ("budget", "cap") if k in data}
    round_id = store.create_catalogue_vote(event_id, data.get("title") or "Maßnahmenkatalog",
                                           row_ids=data.get("rows"), **kwargs)
    announce_round(event_id, store.voting_round(event_id, round_id, with_hidden=True))
    return jsonify(ok=True, voting_round=round_id)
