"""Pages of dot voting: the phone's voting page, the projector's bars, the ticket sheet."""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request

from ..access import require_facilitator
from ..devices import with_device_cookie
from ..extensions import get_store
from ..urls import base_url, join_url, vote_url
from .qr_routes import qr_response

bp = Blueprint("voting", __name__)


@bp.get("/e/<event_id>/vote")
def vote(event_id):
    """The voting page for phones that have no table (joined from the projector's QR)."""
    event = get_store().get_event(event_id)
    response = current_app.make_response(render_template("vote.html", event=event))
    # Same anonymous device cookie as the table pages: one device, one budget.
    return with_device_cookie(response)


@bp.get("/e/<event_id>/vote/qr.png")
def vote_qr(event_id):
    """The QR code of the voting page, shown on the projector's voting view."""
    get_store().get_event(event_id)
    return qr_response(vote_url(base_url(current_app), event_id), "png")


@bp.get("/e/<event_id>/projector/vote")
def projector_vote(event_id):
    """The projector's voting view: live bars, voters, the final ranking after close."""
    store = get_store()
    event = store.get_event(event_id)
    chosen = request.args.get("round", type=int)
    if chosen is not None:
        store.voting_round(event_id, chosen)
    g.page_language = event.get("projector_language")
    return render_template(
        "projector_vote.html", event=event, chosen=chosen or "",
        vote_url=vote_url(base_url(current_app), event_id),
        join_url=join_url(base_url(current_app), event_id),
    )


@bp.get("/e/<event_id>/tickets")
def tickets(event_id):
    """Printable ticket codes (cards to cut, or to print on name badges); needs the key."""
    store = get_store()
    event = store.get_event(event_id)
    require_facilitator(event_id)
    only_free = request.args.get("free") == "1"
    codes = [t for t in store.tickets(event_id) if not (only_free and t["redeemed"])]
    return render_template("tickets.html", event=event, tickets=codes,
                           vote_url=vote_url(base_url(current_app), event_id))
