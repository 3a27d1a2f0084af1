"""Writing the session folder to disk (atomically) and packing it as a zip."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from ..errors import AppError
from .snapshot import Snapshot

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss",
                          "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def slug(text: str, limit: int = 50) -> str:
    """'World Café Ilm-Kreis: Ehrenamt' → 'world-cafe-ilm-kreis-ehrenamt' (ASCII, for any disk)."""
    text = unicodedata.normalize("NFKD", text.translate(_UMLAUTS))
    text = text.encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:limit].rstrip("-") or "veranstaltung"


def folder_name(snap: Snapshot) -> str:
    """<date>-<event slug>: sorts by date, and says which event it is.

    The event's date is used when it is written as YYYY-MM-DD, else the export's date.
    """
    date = snap.event["date"].strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        date = snap.exported_at[:10]
    return f"{date}-{slug(snap.event['title'])}"


def exported_event_id(folder: Path) -> str | None:
    """The id of the event whose export `folder` holds (from its event.json), or of the
    process whose folder it is (prozess.json; process ids start with "p-"), or None."""
    for name, path in (("event.json", ("event", "id")), ("prozess.json", ("id",))):
        try:
            with (folder / name).open("rb") as f:
                value = json.load(f)
            for key in path:
                value = value[key]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        return value if isinstance(value, str) else None
    return None


def free_name(target: Path, name: str, event_id: str) -> str:
    """`name`, unless target/name holds something else than this event's export (another
    event of the same title and day, or a folder of the organisers' own): then
    `name-<event id>`. Exporting an event again so replaces its own folder only."""
    if not (target / name).exists() or exported_event_id(target / name) == event_id:
        return name
    return f"{name}-{event_id}"


def write_folder(files: dict[str, bytes], target_dir: str | os.PathLike, name: str,
                 event_id: str) -> Path:
    """Write the files into target_dir/name (see free_name), replacing the event's
    earlier export there.

    The files are written to a temporary folder beside it first and then renamed into
    place, so a reader never sees half a session folder. AppError('export_failed') when
    the target cannot be written (missing rights, full disk, a file in the way).
    """
    target = Path(target_dir)
    name = free_name(target, name, event_id)
    final = target / name
    # Names come from event data (an imported event.json among them): whatever they
    # hold, nothing is written or replaced outside target_dir.
    inside(target, final)
    for file_name in files:
        inside(final, final / file_name)
    try:
        target.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=target))
        # mkdtemp makes the folder private; the organisers' files get the usual rights.
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)
        try:
            for file_name, data in files.items():
                path = tmp / file_name
                if path.parent != tmp:  # a process folder holds its events' folders
                    path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            old = None
            if final.exists():
                old = target / f".{name}.old"
                shutil.rmtree(old, ignore_errors=True)
                final.rename(old)
            tmp.rename(final)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    except OSError as exc:
        raise AppError("export_failed", detail=f"{final}: {exc.strerror or exc}") from None
    return final


def inside(root: Path, path: Path) -> Path:
    """path, resolved; AppError('export_failed') unless it lies strictly inside root."""
    base, resolved = root.resolve(), path.resolve()
    if resolved == base or base not in resolved.parents:
        raise AppError("export_failed", detail=f"{path} is not inside {root}")
    return resolved


def zip_bytes(files: dict[str, bytes], name: str) -> bytes:
    """The session folder as a zip: one folder `name/` with every file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for file_name, data in files.items():
            z.writestr(f"{name}/{file_name}", data)
    return buf.getvalue()
