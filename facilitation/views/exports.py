"""Downloads for the console: the session folder as a zip, and the printable table cards."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from ..access import require_facilitator
from ..export import render_all, take_snapshot
from ..export.folder import folder_name, zip_bytes
from ..extensions import get_store
from ..i18n import current_language
from ..offload import off_the_loop
from ..urls import base_url

bp = Blueprint("exports", __name__)


def _snapshot(event_id: str):
    store = get_store()
    store.get_event(event_id)
    require_facilitator(event_id, header=True)
    return take_snapshot(store, event_id, base_url=base_url(current_app),
                         language=current_language())


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(body: bytes, mimetype: str, filename: str) -> Response:
    """A file to save (never cached: it holds the event's data)."""
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })


@bp.get("/e/<event_id>/export.zip")
def export_zip(event_id):
    """The session folder of the event as it is right now, as a zip (needs ?key=)."""
    snap = _snapshot(event_id)
    name = folder_name(snap)
    body = off_the_loop(current_app, lambda: zip_bytes(render_all(snap), name))
    return download(body, "application/zip", f"{name}.zip")


@bp.get("/e/<event_id>/tischkarten.pdf")
def table_cards(event_id):
    """The printable table cards and join page as PDF (needs ?key=), before or during the event.

    With ?hosts=1 the table hosts' cards (their secret links as QR codes) follow.
    """
    snap = _snapshot(event_id)
    host_keys = get_store().host_keys(event_id) if request.args.get("hosts") == "1" else None
    from ..export import cards  # Pillow and the fonts: imported at the first cards, not at start

    body = off_the_loop(current_app, cards.render, snap, host_keys)
    return download(body, "application/pdf", f"tischkarten-{event_id}.pdf")
