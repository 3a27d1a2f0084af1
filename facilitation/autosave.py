"""Closing an event writes its session folder to SESSIONS_DIR, in the background.

The close has been committed when this runs; the export happens in a background task
so the facilitator's acknowledgement does not wait for it, and a failing export (full
disk, no rights) is logged and never undoes or delays the close.
"""

from __future__ import annotations

from flask import Flask

from .export import render_all, take_snapshot
from .export.folder import folder_name, write_folder
from .extensions import get_store, socketio
from .offload import off_the_loop
from .urls import base_url


def init_app(app: Flask) -> None:
    """Register the export-on-close hook with the app's store."""
    def export_later(event_id: str) -> None:
        socketio.start_background_task(write, app, event_id)

    get_store(app).on_event_closed(export_later)


def write(app: Flask, event_id: str):
    """Write the event's session folder; returns its path, or None after logging a failure."""
    try:
        snap = take_snapshot(get_store(app), event_id, base_url=base_url(app),
                             language=app.config.get("DEFAULT_LOCALE", "de"))
        files = off_the_loop(app, render_all, snap)
        folder = write_folder(files, app.config["SESSIONS_DIR"], folder_name(snap),
                              snap.event["id"])
    except Exception:
        app.logger.exception("the session folder of closed event %s was not written", event_id)
        return None
    app.logger.info("session folder of closed event %s: %s", event_id, folder)
    return folder
