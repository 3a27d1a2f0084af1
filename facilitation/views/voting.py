"""Pages of dot voting: the phone's voting page, the projector's bars, the ticket sheet."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template, request

from ..errors import AppError
from ..extensions import get_store
from ..qr import qr_png
from ..security import DEVICE_COOKIE, new_device_token, valid_device_token
from ..snapshots import base_url, join_url

bp = Blueprint("voting", __name__)


def vote_url(app, event_id: str) -> str:
    """The voting page for phones, as encoded in the voting QR code."""
    return f"{base_url(app)}/e/{event_id}/vote"


@bp.get("/e/<event_id>/vote")
def vote(event_id):
    """The voting page for phones that have no table (joined from the projector's QR)."""
    event = get_store().get_event(event_id)
    response = current_app.make_response(render_template("vote.html", event=event))
    if not valid_device_token(request.cookies.get(DEVICE_COOKIE)):
        # Same anonymous device cookie as the table pages: one device, one budget.
        response.set_cookie(
            DEVICE_COOKIE, new_device_token(), max_age=180 * 24 * 3600, httponly=True,
            samesite="Lax", secure=current_app.config.get("SECURE_COOKIES", False),
        )
    return response


@bp.get("/e/<event_id>/vote/qr.png")
def vote_qr(event_id):
    """The QR code of the voting page, shown on the projector's voting view."""
    get_store().get_event(event_id)
    response = Response(qr_png(vote_url(current_app, event_id)), mimetype="image/png")
    response.headers["Cache-Control"] = "no-cache"
    return response


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
        vote_url=vote_url(current_app, event_id), join_url=join_url(current_app, event_id),
    )


@bp.get("/e/<event_id>/tickets")
def tickets(event_id):
    """Printable ticket codes (cards to cut, or to print on name badges); needs the key."""
    store = get_store()
    event = store.get_event(event_id)
    if not store.check_facilitator_key(event_id, request.args.get("key")):
        raise AppError("forbidden")
    only_free = request.args.get("free") == "1"
    codes = [t for t in store.tickets(event_id) if not (only_free and t["redeemed"])]
    return render_template("tickets.html", event=event, tickets=codes,
                           vote_url=vote_url(current_app, event_id))
