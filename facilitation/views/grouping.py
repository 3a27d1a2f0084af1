"""Grouping hints for the console and the word view for console and projector (JSON).

The cards are read in the request's greenlet; the arithmetic runs in the thread pool
(offload.off_the_loop), so live connections keep going while 1,000 cards are compared.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _

from ..access import require_facilitator
from ..errors import AppError
from ..extensions import get_store
from ..offload import off_the_loop

# The grouping modules (stemmers and stop-word lists of seven languages, the model's
# loader: 9 MB) are imported inside the routes, when a facilitator first asks for them,
# not by every server process at start.

bp = Blueprint("grouping", __name__)

# Cards a request may embed itself before answering (a few seconds of CPU on this
# machine); with more new cards the embedding goes on in the background and the answer
# meanwhile comes from the lexical method, marked "preparing".
EMBED_BUDGET = 150
_preparing: set[str] = set()


def _prepare_in_background(app, event_id: str, texts: list[str]) -> None:
    """Embed the texts in the thread pool without making the request wait for it."""
    if event_id in _preparing:
        return
    _preparing.add(event_id)

    def work():
        from .. import grouping_semantic

        try:
            off_the_loop(app, grouping_semantic.embed, texts)
        finally:
            _preparing.discard(event_id)

    if app.config.get("ASYNC_MODE") == "gevent":
        import gevent

        gevent.spawn(work)
    else:
        import threading

        threading.Thread(target=work, daemon=True).start()

CARD_FIELDS = ("id", "text", "kind", "table", "round", "target_group", "question", "language")


def _cards(event_id: str, table: str | None) -> list[dict]:
    """The visible cards of the event or one table, as plain dicts for the pure functions."""
    store = get_store()
    if table:
        store.get_table(event_id, table)
    rows = store.contributions(event_id, include_hidden=False, table_code=table or None)
    return [{k: c.get(k) for k in CARD_FIELDS} for c in rows]


@bp.get("/api/events/<event_id>/groups")
def groups(event_id):
    """Suggested groups of the visible cards (needs the key; ?table=CODE for one table)."""
    from .. import grouping_semantic
    from ..grouping import choose_method, suggest_groups

    get_store().get_event(event_id)
    require_facilitator(event_id, header=True)
    table = request.args.get("table") or None
    requested = request.args.get("method")
    if requested not in (None, "", "lexical", "semantic"):
        raise AppError("invalid_payload", detail="method must be lexical or semantic")
    cards = _cards(event_id, table)
    method = choose_method(requested or None)
    preparing = None
    if method == "semantic":
        texts = [c["text"] for c in cards]
        waiting = grouping_semantic.missing(texts)
        if waiting > EMBED_BUDGET:
            _prepare_in_background(current_app._get_current_object(), event_id, texts)
            preparing = {"done": len(set(texts)) - waiting, "total": len(set(texts))}
            method = "lexical"
    result = off_the_loop(current_app, suggest_groups, cards, method)
    by_id = {c["id"]: c for c in cards}
    for group in result["groups"]:
        group["cards"] = [by_id[i] for i in group["contributions"]]
        # A group has two cards or more: no singular form needed.
        group["title"] = _("%(num)s cards about %(words)s", num=len(group["contributions"]),
                           words=group["label"] or "…")
    note = None
    if not grouping_semantic.available():
        note = _("The semantic extra is not installed: suggestions come from shared spelling, "
                 "so cards in different languages are not suggested together.")
    return jsonify(ok=True, method=result["method"], semantic=grouping_semantic.available(),
                   preparing=preparing, note=note, table=table, cards=len(cards),
                   groups=result["groups"])


@bp.get("/api/events/<event_id>/words")
def words(event_id):
    """The word view of one table (?table=CODE): the top content words per Leitfrage.

    No key: it shows the same visible cards as the public projector.
    """
    from ..content_words import word_view

    store = get_store()
    store.get_event(event_id)
    code = request.args.get("table")
    if not code:
        raise AppError("invalid_payload", detail="table is required")
    table = store.get_table(event_id, code)
    try:
        limit = min(30, max(1, int(request.args.get("limit", 12))))
    except ValueError as exc:
        raise AppError("invalid_payload", detail="limit must be a number") from exc
    cards = _cards(event_id, code)
    view = off_the_loop(current_app, word_view, cards, table["questions"], limit)
    return jsonify(ok=True, table=code, **view)


@bp.after_request
def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
