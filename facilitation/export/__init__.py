"""The session folder: one snapshot of an event rendered into the files organisers keep.

Each file has its own module with a pure `render(snapshot) -> bytes`; this package
takes the snapshot (one read transaction) and writes the folder or the zip.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import pickle
from collections.abc import Callable
from importlib import metadata
from typing import TYPE_CHECKING

from ..rules import exportable, printable
from . import cards, csv_files, event_json, report, surveys, workbook
from .folder import folder_name, write_folder
from .snapshot import SCHEMA_VERSION, Snapshot, build_snapshot

if TYPE_CHECKING:  # for type hints only: no import of the store at run time
    from ..store import Store

__all__ = ["FILES", "SCHEMA_VERSION", "Snapshot", "gc_paused", "render_all", "take_snapshot",
           "write_session"]

# File name → exporter, in the order they are written (and listed in docs/export-format.md).
FILES: dict[str, Callable[[Snapshot], bytes | None]] = {
    "event.json": event_json.render,
    "beitraege.csv": csv_files.render_contributions,
    "punkte.csv": csv_files.render_ranking,
    "umfragen.csv": surveys.render,
    "ergebnisse.xlsx": workbook.render,
    "massnahmen/": workbook.render_departments,
    "bericht.html": report.render,
    "tischkarten.pdf": cards.render,
}


def _version() -> str:
    try:
        return metadata.version("facilitation")
    except metadata.PackageNotFoundError:
        return "dev"


def take_snapshot(store: Store, event_id: str, *, base_url: str, language: str = "de",
                  now: dt.datetime | None = None) -> Snapshot:
    """Read the event in one transaction and build the snapshot every file is made from."""
    # Texts stored before the input rule, or imported, may hold characters that break
    # XML (the workbook), CSV readers or terminals: every file is made without them.
    read = _exportable_in_place(store.export_snapshot_rows(event_id))
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return build_snapshot(
        read, exported_at=moment.isoformat(timespec="seconds"),
        generator=f"facilitation {_version()}", language=language, base_url=base_url,
    )


_PLAIN = frozenset({int, float, bool, type(None)})


def _exportable_in_place(value):
    """rules.exportable(value), changing the lists and dicts in place (they are the
    export's own, just read): no second copy of a large event in memory, and a third
    less time. Tuples become lists, as with exportable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, list):
        for i, v in enumerate(value):
            if not (type(v) in _PLAIN or (type(v) is str and v.isprintable())):
                value[i] = _exportable_in_place(v)
        return value
    if isinstance(value, dict):
        for k, v in value.items():
            if not (type(k) is str and k.isprintable() or type(k) in _PLAIN):
                return exportable(value)  # a key to clean: a new dict
            if not (type(v) in _PLAIN or (type(v) is str and v.isprintable())):
                value[k] = _exportable_in_place(v)  # (a new value for a key: allowed)
        return value
    return value


@contextlib.contextmanager
def gc_paused():
    """No garbage collection inside (for an export in a process of its own, like the CLI).

    An export builds a few hundred thousand small lists and dicts that all live until
    it ends; each full collection on the way walks all of them again, for nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# With two processes the session folder is ready in about half the time
# (render_all(parallel=True)): the child renders these, the parent the rest.
_CHILD_FILES = ("ergebnisse.xlsx", "massnahmen/")
# ... and these only once the child has ended. A forked child shares the parent's memory
# until one of them writes to a page, and Python writes to every object it merely reads
# (its reference count): event.json reads the whole snapshot, so rendered beside the
# child it would make a second copy of all of it (about 80 MB for 10,000 cards and
# 50,000 dots); the child's files and the parent's others read only a part.
_AFTER_CHILD = ("event.json",)


def render_all(snap: Snapshot, progress: Callable[[str], None] | None = None,
               parallel: bool = False) -> dict[str, bytes]:
    """Every file of the session folder as bytes; `progress(name)` after each one.

    parallel: the workbooks are rendered in a forked child process
    meanwhile, on the second core (the files are pure Python: threads would take turns
    on one core). Only for a process of its own, like the CLI: never inside the gevent
    server, whose connections a fork would copy.
    """
    with gc_paused() if parallel else contextlib.nullcontext():
        # (a collection would write to every object, and so copy every page, as well)
        return _render_all(snap, progress, _fork_render(snap, _CHILD_FILES) if parallel else None)


def _render_all(snap: Snapshot, progress, child) -> dict[str, bytes]:
    out: dict[str, bytes] = {}

    def add(name: str, body) -> None:
        if body is None:  # a file for a part the event does not use (umfragen.csv)
            return
        if isinstance(body, dict):  # several files in a sub-folder (massnahmen/…)
            out.update(body)
        else:
            out[name] = body
        if progress:
            progress(name)

    if child is None:
        for name, render in FILES.items():
            add(name, render(snap))
    else:
        for name, render in FILES.items():
            if name not in _CHILD_FILES and name not in _AFTER_CHILD:
                add(name, render(snap))
        # Should the child fail, the parent renders those files itself (and raises the
        # error, if there is one, with its real traceback).
        done = _collect(child) or {n: FILES[n](snap) for n in _CHILD_FILES}
        for name in _CHILD_FILES:
            add(name, done[name])
        for name in _AFTER_CHILD:
            add(name, FILES[name](snap))
    ordered = {name: out[name] for name in FILES if name in out}
    ordered.update((name, body) for name, body in out.items() if name not in ordered)
    return ordered


def _fork_render(snap: Snapshot, names: tuple[str, ...]):
    """Start rendering `names` in a forked child; (pid, read end of its pipe), or None
    where there is no fork (then the caller renders everything itself)."""
    if not hasattr(os, "fork"):
        return None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send, leave without running the parent's cleanup
        code = 0
        try:
            gc.disable()  # short-lived; and a collection would copy the parent's pages
            os.close(read)
            with os.fdopen(write, "wb") as pipe:
                pickle.dump({n: FILES[n](snap) for n in names}, pipe,
                            protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _collect(child) -> dict[str, bytes] | None:
    """The child's files, or None when it failed."""
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        try:
            files = pickle.load(pipe)
        except (EOFError, pickle.UnpicklingError):
            files = None
    _, status = os.waitpid(pid, 0)
    return files if os.waitstatus_to_exitcode(status) == 0 else None


def write_session(store: Store, event_id: str, target_dir, *, base_url: str, language: str = "de",
                  progress: Callable[[str], None] | None = None):
    """Export an event into target_dir/<date>-<slug>/ (see folder.free_name); its path."""
    snap = take_snapshot(store, event_id, base_url=base_url, language=language)
    return write_folder(render_all(snap, progress), target_dir, folder_name(snap),
                        snap.event["id"])
