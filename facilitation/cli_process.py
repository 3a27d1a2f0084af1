"""The `facilitation process` commands: participation processes from the command line."""

from __future__ import annotations

import json

import click

from .cli_export import plain_errors


def _context(database, public_url=None):
    from .cli_export import _context as context

    return context(database, public_url)


@click.group("process")
def process_group():
    """Participation processes: several events (World Cafés, Akteurskonferenz …) as one."""


@process_group.command("create")
@click.argument("definition", type=click.File("rb"))
@click.option("--database", help="SQLite file (default instance/facilitation.db).")
def create(definition, database):
    """Create a process from a JSON file ({title, town, fields, target_groups, languages};
    docs/processes.md) and print its id."""
    from .errors import AppError

    _settings, store, _base = _context(database)
    with plain_errors(store):
        try:
            data = json.loads(definition.read())
        except ValueError:
            raise AppError("invalid_payload", detail="JSON") from None
        process = store.create_process(data)
    click.echo(process["id"])


@process_group.command("list")
@click.option("--database", help="SQLite file (default instance/facilitation.db).")
def list_command(database):
    """One line per process, then its events in order (indented)."""
    _settings, store, _base = _context(database)
    for p in store.list_processes():
        click.echo(f"{p['id']}\t{p['title']}\t{p['town'] or ''}")
        for e in p["events"]:
            click.echo(f"  {e['id']}\t{e['title']}\t{e['date']}\t{e['audience'] or ''}\t{e['status']}")
    store.close()


@process_group.command("add-event")
@click.argument("process_id")
@click.option("--title", required=True)
@click.option("--date", required=True, help="YYYY-MM-DD")
@click.option("--kind", type=click.Choice(["world_cafe", "akteurskonferenz"]), default="world_cafe")
@click.option("--audience", help="The target group this event is for.")
@click.option("--database", help="SQLite file (default instance/facilitation.db).")
def add_event(process_id, title, date, kind, audience, database):
    """Create an event at the end of the process (its fields, guiding questions and target
    groups inherited) and print its id."""
    _settings, store, _base = _context(database)
    with plain_errors(store):
        event = store.create_event_in_process(process_id, title, date, kind=kind, audience=audience)
    click.echo(event["id"])


@process_group.command("export")
@click.argument("process_id")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder to write into (default: the SESSIONS_DIR setting).")
@click.option("--database", help="SQLite file (default instance/facilitation.db).")
@click.option("--public-url", help="Base URL in the QR codes (default: detected LAN address).")
def export(process_id, out_dir, database, public_url):
    """Write the process folder: every event's session folder, prozess.xlsx,
    prozessbericht.html and prozess.json; print its path."""
    from .process_export import write_process

    settings, store, base = _context(database, public_url)
    with plain_errors(store):
        folder = write_process(store, process_id, out_dir or settings["SESSIONS_DIR"], base_url=base,
                               language=settings.get("DEFAULT_LOCALE", "de"))
    click.echo(str(folder))
