"""The session folder: one snapshot of an event rendered into the files organisers keep.

Each file has its own module with a pure `render(snapshot) -> bytes`; this package
takes the snapshot (one read transaction) and writes the folder or the zip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from importlib import metadata

from ..rules import exportable
from . import cards, csv_files, event_json, report, workbook
from .folder import folder_name, write_folder
from .snapshot import SCHEMA_VERSION, Snapshot, build_snapshot

__all__ = ["FILES", "SCHEMA_VERSION", "Snapshot", "render_all", "take_snapshot", "write_session"]

# File name → exporter, in the order they are written (and listed in docs/export-format.md).
FILES: dict[str, Callable[[Snapshot], bytes]] = {
    "event.json": event_json.render,
    "beitraege.csv": csv_files.render_contributions,
    "punkte.csv": csv_files.render_ranking,
    "ergebnisse.xlsx": workbook.render,
    "bericht.html": report.render,
    "tischkarten.pdf": cards.render,
}


def _version() -> str:
    try:
        return metadata.version("facilitation")
    except metadata.PackageNotFoundError:
        return "dev"


def take_snapshot(store, event_id: str, *, base_url: str, language: str = "de",
                  now: dt.datetime | None = None) -> Snapshot:
    """Read the event in one transaction and build the snapshot every file is made from."""
    # Texts stored before the input rule, or imported, may hold characters that break
    # XML (the workbook), CSV readers or terminals: every file is made without them.
    read = exportable(store.export_snapshot_rows(event_id))
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return build_snapshot(
        read, exported_at=moment.isoformat(timespec="seconds"),
        generator=f"facilitation {_version()}", language=language, base_url=base_url,
    )


def render_all(snap: Snapshot, progress: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """Every file of the session folder as bytes; `progress(name)` after each one."""
    out = {}
    for name, render in FILES.items():
        out[name] = render(snap)
        if progress:
            progress(name)
    return out


def write_session(store, event_id: str, target_dir, *, base_url: str, language: str = "de",
                  progress: Callable[[str], None] | None = None):
    """Export an event into target_dir/<date>-<slug>/ (see folder.free_name); its path."""
    snap = take_snapshot(store, event_id, base_url=base_url, language=language)
    return write_folder(render_all(snap, progress), target_dir, folder_name(snap),
                        snap.event["id"])
