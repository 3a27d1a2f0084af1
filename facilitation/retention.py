"""Data retention: purge an event with its session folders; purge expired events regularly.

Closed events are kept RETENTION_DAYS after closing (the privacy note on the join page
states the period), then deleted at the next server start or hourly check.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type hints only: no import of the store at run time
    from .store import Store

log = logging.getLogger(__name__)

CHECK_EVERY_SECONDS = 3600


def session_folders(sessions_dir: str | Path, event_id: str) -> list[Path]:
    """The exported session folders of an event: exactly those whose event.json names
    this event's id. Never by the folder's name: an event with the id `world-cafe` must
    not take another event's `2026-07-01-sommer-world-cafe` with it."""
    from .export.folder import exported_event_id

    root = Path(sessions_dir)
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.iterdir()
        if p.is_dir() and not p.is_symlink() and exported_event_id(p) == event_id
    )


def purge(store: Store, event_id: str, sessions_dir: str | Path | None = None) -> dict:
    """Delete the event from the database and its session folders from disk."""
    deleted = store.purge_event(event_id)
    folders = session_folders(sessions_dir, event_id) if sessions_dir else []
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    return {"rows": deleted, "folders": [str(f) for f in folders]}


def purge_expired(store: Store, retention_days: int, sessions_dir: str | Path | None = None) -> list[str]:
    """Purge every closed event older than the retention period; returns their ids."""
    purged = []
    for event_id in store.expired_events(retention_days):
        purge(store, event_id, sessions_dir)
        log.info("purged event %s: closed more than %s days ago", event_id, retention_days)
        purged.append(event_id)
    return purged


def start(app, socketio) -> None:
    """Purge expired events now, then check again every hour in a background task."""
    days = int(app.config.get("RETENTION_DAYS", 0))
    if days <= 0:
        return
    store, sessions = app.extensions["store"], app.config.get("SESSIONS_DIR")
    purge_expired(store, days, sessions)

    def loop():
        while True:
            socketio.sleep(CHECK_EVERY_SECONDS)
            try:
                purge_expired(store, days, sessions)
            except Exception:  # a failed check must not end the loop; the next one retries
                log.exception("retention check failed")

    socketio.start_background_task(loop)
