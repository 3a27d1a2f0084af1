"""The session-file commands of the CLI: export, import and cards.

Kept apart from cli.py so that `facilitation serve` does not load the exporters
(XlsxWriter, Jinja) before gevent has patched the standard library.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

# The options several commands share, with the same help everywhere.
DATABASE = click.option("--database", help="SQLite file (default instance/facilitation.db).")
PUBLIC_URL_IN_QR = click.option(
    "--public-url", help="Base URL in the QR codes (default: detected LAN address).")


@contextmanager
def plain_errors(store) -> Iterator[None]:
    """A command's work on the store: an AppError becomes the command's error message (exit
    code 1, no traceback), and the store is closed either way."""
    from .errors import AppError

    try:
        yield
    except AppError as exc:
        raise click.ClickException(exc.message()) from None
    finally:
        store.close()


def _context(database, public_url):
    from . import config
    from .network import public_url as detect
    from .store import Store

    overrides = {"DATABASE": database, "PUBLIC_URL": public_url}
    settings = config.resolve({k: v for k, v in overrides.items() if v})
    store = Store(settings["DATABASE"])
    return settings, store, detect(settings["PUBLIC_URL"], settings["PORT"])


@click.command("export")
@click.argument("event_id")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder to write the session folder into (default: the SESSIONS_DIR setting).")
@DATABASE
@PUBLIC_URL_IN_QR
def export_command(event_id, out_dir, database, public_url):
    """Write the session folder of EVENT: event.json, CSVs, workbook, report, table cards."""
    from .errors import AppError
    from .export import FILES, gc_paused, render_all, take_snapshot
    from .export.folder import folder_name, write_folder

    settings, store, base = _context(database, public_url)
    try:
        # A process of its own: no garbage collection while it builds the files.
        with gc_paused():
            snap = take_snapshot(store, event_id, base_url=base,
                                 language=settings.get("DEFAULT_LOCALE", "de"))
            size = len(snap.contributions) + sum(len(r["dots"]) for r in snap.voting_rounds)
            names = list(FILES)
            with click.progressbar(length=len(names), label="Exporting",
                                   item_show_func=lambda name: name,
                                   hidden=size < 1000) as bar:
                bar.update(0, names[0])

                def done(name):  # show the file being written next
                    following = names.index(name) + 1
                    bar.update(1, names[following] if following < len(names) else "")

                files = render_all(snap, progress=done, parallel=True)
            folder = write_folder(files, out_dir or settings["SESSIONS_DIR"], folder_name(snap),
                                  snap.event["id"])
    except AppError as exc:
        raise click.ClickException(exc.message()) from None
    finally:
        store.close()
    click.echo(str(folder))


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@DATABASE
@click.option("--public-url", help="Base URL for the printed console link.")
def import_command(file, database, public_url):
    """Recreate an event from the event.json of a session folder; prints its id and console."""
    from .session_import import import_session
    from .urls import console_url, host_url

    settings, store, base = _context(database, public_url)
    with plain_errors(store):
        event = import_session(store, Path(file).read_bytes())
        key = store.facilitator_key(event["id"])
        host_keys = store.host_keys(event["id"])
    # Keys are never taken from a file: these are new, and the only way to them.
    click.echo(event["id"])
    click.echo(f"  console: {console_url(base, event['id'], key)}")
    for code, host_key in host_keys.items():
        click.echo(f"  host {code}: {host_url(base, event['id'], code, host_key)}")


@click.command("cards")
@click.argument("event_id")
@click.option("--out", "out_file", type=click.Path(dir_okay=False),
              help="PDF file to write (default: tischkarten-<event>.pdf here).")
@DATABASE
@PUBLIC_URL_IN_QR
@click.option("--hosts", is_flag=True,
              help="Add the table hosts' cards (their secret links as QR codes), two to a page.")
def cards_command(event_id, out_file, database, public_url, hosts):
    """Print-ready table cards of EVENT (one A4 tent card per table, plus the join page)."""
    from .errors import AppError
    from .export import cards, take_snapshot

    settings, store, base = _context(database, public_url)
    target = Path(out_file or f"tischkarten-{event_id}.pdf")
    try:
        snap = take_snapshot(store, event_id, base_url=base,
                             language=settings.get("DEFAULT_LOCALE", "de"))
        target.write_bytes(cards.render(snap, store.host_keys(event_id) if hosts else None))
    except AppError as exc:
        raise click.ClickException(exc.message()) from None
    except OSError as exc:
        raise click.ClickException(f"{target}: {exc.strerror or exc}") from None
    finally:
        store.close()
    click.echo(str(target))


@click.command("compare")
@click.argument("events", nargs=-1, required=True)
@click.option("--out", "out_file", type=click.Path(dir_okay=False),
              help="Workbook to write (default: vergleich.xlsx in the SESSIONS_DIR setting).")
@DATABASE
def compare_command(events, out_file, database):
    """Compare EVENTS side by side in one workbook (vergleich.xlsx).

    Each of EVENTS is an event id in the database or the event.json of a session folder
    (read without changing the database), e.g. one World Café per target group.
    """
    from .errors import AppError
    from .export import comparison, take_snapshot
    from .session_import import import_session
    from .store import Store

    settings, store, base = _context(database, None)
    language = settings.get("DEFAULT_LOCALE", "de")
    target = Path(out_file or Path(settings["SESSIONS_DIR"]) / "vergleich.xlsx")
    snaps = []
    try:
        if len(events) < 2:
            raise click.ClickException("Name at least two events to compare.")
        for name in events:
            if Path(name).is_file():  # a session folder's event.json: read in memory only
                scratch = Store(":memory:")
                try:
                    copy = import_session(scratch, Path(name).read_bytes())
                    snaps.append(take_snapshot(scratch, copy["id"], base_url=base,
                                               language=language))
                finally:
                    scratch.close()
            else:
                snaps.append(take_snapshot(store, name, base_url=base, language=language))
        data = comparison.render(snaps)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except AppError as exc:
        raise click.ClickException(f"{name}: {exc.message()}") from None
    except OSError as exc:
        raise click.ClickException(f"{target}: {exc.strerror or exc}") from None
    finally:
        store.close()
    click.echo(str(target))


def register(cli: click.Group) -> None:
    """Add export, import, cards and compare to the `facilitation` command."""
    for command in (export_command, import_command, cards_command, compare_command):
        cli.add_command(command)
