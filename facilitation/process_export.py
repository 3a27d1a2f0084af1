"""A whole participation process as one folder: each event's session folder, then
prozess.xlsx, prozessbericht.html and prozess.json (docs/processes.md)."""

from __future__ import annotations

import json
from pathlib import Path

from .export import render_all, take_snapshot
from .export.folder import folder_name, slug, write_folder
from .export.process import render_report, render_workbook

PROCESS_FILE = "prozess.json"


def process_snapshots(store, process_id: str, *, base_url: str, language: str = "de"):
    """(process, snapshots of its events in order): everything the export reads."""
    process = store.get_process(process_id)
    return process, [take_snapshot(store, e["id"], base_url=base_url, language=language)
                     for e in process["events"]]


def render_process(process: dict, snaps: list) -> tuple[str, dict]:
    """(folder name, {relative path: bytes}) of the process's export; pure, so it can run
    in the thread pool while live clients go on."""
    files: dict[str, bytes] = {}
    used: set[str] = set()
    for n, snap in enumerate(snaps, start=1):
        name = f"{n:02d}-{folder_name(snap)}"
        while name in used:
            name = f"{name}-{snap.event['id']}"
        used.add(name)
        for file_name, body in render_all(snap).items():
            files[f"{name}/{file_name}"] = body
    files["prozess.xlsx"] = render_workbook(process, snaps)
    files["prozessbericht.html"] = render_report(process, snaps)
    files[PROCESS_FILE] = json.dumps(
        {"format": "facilitation-process", **{k: process[k] for k in (
            "id", "title", "town", "fields", "target_groups", "languages")},
         "events": [{"id": e["id"], "title": e["title"], "date": e["date"], "kind": e["kind"],
                     "audience": e["audience"]} for e in process["events"]]},
        ensure_ascii=False, indent=2).encode("utf-8")
    return f"prozess-{slug(process['title'])}", files


def write_process(store, process_id: str, target_dir, *, base_url: str,
                  language: str = "de") -> Path:
    """Write the process folder into target_dir, replacing this process's earlier export
    (recognised by the id in its prozess.json), never another folder: a folder of the same
    name holding something else gets the process id added (export.folder.free_name)."""
    name, files = render_process(*process_snapshots(store, process_id, base_url=base_url,
                                                    language=language))
    return write_folder(files, Path(target_dir), name, process_id)
