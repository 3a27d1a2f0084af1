"""The `facilitation` command: serve, demo, events (and `python -m facilitation`)."""

from __future__ import annotations

import sys

import click


def _settings(**overrides) -> dict:
    from . import config

    return config.resolve({k: v for k, v in overrides.items() if v not in (None, "")})


def _store(settings):
    from .store import Store

    return Store(settings["DATABASE"])


def _urls(base: str, event_id: str, key: str) -> dict:
    from . import urls

    return {
        "console": urls.console_url(base, event_id, key),
        "projector": urls.projector_url(base, event_id),
        "join": urls.join_url(base, event_id),
    }


@click.group()
def cli():
    """Live participation for World Cafés and Akteurskonferenzen."""


@cli.command()
@click.option("--host", help="Interface to bind (default 0.0.0.0: reachable from the venue Wi-Fi).")
@click.option("--port", type=int, help="Port (default 5000).")
@click.option("--public-url", help="Base URL for QR codes, e.g. http://192.168.1.20:5000.")
@click.option("--database", help="SQLite file (default instance/facilitation.db).")
@click.option("--demo/--no-demo", default=True, show_default=True,
              help="Create the demo World Café when the database has no event.")
def serve(host, port, public_url, database, demo):
    """Run the server (gevent) and print the URLs to open."""
    from . import create_app, socketio
    from .capacity import (
        freeze_startup_objects,
        gevent_server_options,
        raise_open_files_limit,
        spawn_without_stacks,
    )
    from .demo import create_demo
    from .network import lan_addresses
    from .urls import base_url

    settings = _settings(HOST=host, PORT=port, PUBLIC_URL=public_url, DATABASE=database)
    app = create_app(settings)
    store = app.extensions["store"]
    from .retention import start as start_retention

    start_retention(app, socketio)  # expired events go before anything is listed
    if demo and not store.list_events():
        create_demo(store, sample_data=False)
    from .text_language import warm_up

    warm_up()  # the language detector's models: now, not on the first phone's card
    base = base_url(app)
    click.echo(f"facilitation: serving on {settings['HOST']}:{settings['PORT']}")
    if not settings["PUBLIC_URL"] and not lan_addresses():
        click.echo("  No network address found: phones cannot reach this laptop; "
                   "QR codes use 127.0.0.1. Connect to the venue Wi-Fi or pass --public-url.")
    for event in store.list_events():
        if event["status"] == "closed":
            continue
        urls = _urls(base, event["id"], store.facilitator_key(event["id"]))
        click.echo(f"\n  {event['title']} ({event['id']})")
        click.echo(f"    Facilitator console: {urls['console']}")
        click.echo(f"    Projector:           {urls['projector']}")
        click.echo(f"    Join (participants): {urls['join']}")
    token = app.config["ADMIN_TOKEN"]
    if app.config.get("ADMIN_TOKEN_CREATED"):
        click.echo(f"\n  Admin (all events, new events): {base}/admin?token={token}")
        click.echo("  This admin link is shown once; the token is kept in "
                   f"{settings['INSTANCE_DIR']}/admin_token.")
    _, open_files = raise_open_files_limit()
    if open_files < 4096:
        click.echo(f"  Note: this process may open only {open_files} files, so at most about "
                   f"{open_files - 100} phones can be connected at once. Before a large event "
                   "raise the limit (`ulimit -n 4096`) and start again.")
    click.echo("")
    # A bigger listen queue than gevent's 128 (after a restart a full hall reconnects at
    # once) and TCP_NODELAY on every connection (acks not held back by Nagle).
    if app.config["ASYNC_MODE"] == "gevent":
        from .guard import header_timeout_handler

        spawn_without_stacks()  # no spawning stack recorded per greenlet (capacity.py)
        options = gevent_server_options()
        # Trickled headers would hold a file descriptor for ever (docs/security.md).
        options["handler_class"] = header_timeout_handler(
            app.config["HEADER_TIMEOUT_SECONDS"], app.config["CONNECTIONS_PER_ADDRESS"],
            app.extensions["guard"].trusted, base=options["handler_class"])
    else:  # threading: Werkzeug's server, four OS threads per phone (docs/performance.md)
        click.echo("  Threading mode, for debugging: Werkzeug's development server, not for "
                   "an event (unset FACILITATION_ASYNC_MODE to serve with gevent).\n")
        options = {"allow_unsafe_werkzeug": True}
    if settings["STALL_REPORT"] and app.config["ASYNC_MODE"] == "gevent":
        from .stalls import StallWatch

        StallWatch(settings["STALL_REPORT"]).start()
    freeze_startup_objects()
    if app.config["ASYNC_MODE"] == "gevent":
        from . import collector

        collector.start()  # full collections at quiet moments (facilitation/collector.py)
    socketio.run(app, host=settings["HOST"], port=settings["PORT"], log_output=False, **options)


@cli.command()
@click.option("--sample-data", is_flag=True, help="Fill it with seeded contributions from three rounds.")
@click.option("--process", "with_process", is_flag=True,
              help="Also create the demo process: four filled World Cafés, a survey with answers "
                   "and an Akteurskonferenz prepared from the cafés' results.")
@click.option("--database", help="SQLite file (default instance/facilitation.db).")
@click.option("--public-url", help="Base URL to print (default: detected LAN address).")
def demo(sample_data, with_process, database, public_url):
    """Create the demo World Café and print its id and URLs."""
    from .demo import create_demo
    from .network import public_url as detect

    settings = _settings(DATABASE=database, PUBLIC_URL=public_url)
    store = _store(settings)
    event = create_demo(store, sample_data=sample_data)
    base = detect(settings["PUBLIC_URL"], settings["PORT"])
    click.echo(event["id"])
    for name, url in _urls(base, event["id"], store.facilitator_key(event["id"])).items():
        click.echo(f"  {name}: {url}")
    if with_process:
        from .process_demo import create_process_demo

        process = create_process_demo(store)
        click.echo(f"{process['id']}\t{process['title']}")
        for e in process["events"]:
            urls = _urls(base, e["id"], store.facilitator_key(e["id"]))
            click.echo(f"  {e['title']}: {urls['console']}")
    store.close()


@cli.command()
@click.option("--database", help="SQLite file (default instance/facilitation.db).")
def events(database):
    """One line per event: id, title, kind, status."""
    store = _store(_settings(DATABASE=database))
    for event in store.list_events():
        click.echo(f"{event['id']}\t{event['title']}\t{event['kind']}\t{event['status']}")
    store.close()


@cli.command("import-plan")
@click.argument("plan_file", type=click.File("rb"))
@click.option("--event", "event_id", help="Apply to this event instead of creating a new one.")
@click.option("--database", help="SQLite file (default instance/facilitation.db).")
def import_plan(plan_file, event_id, database):
    """Create an event from a plan file (docs/plan-format.md), or apply it to --event."""
    from .cli_export import plain_errors
    from .plan import parse_plan

    store = _store(_settings(DATABASE=database))
    with plain_errors(store):
        plan = parse_plan(plan_file.read())
        event = store.apply_plan(event_id, plan) if event_id else store.create_event(**plan)
    click.echo(event["id"])


@cli.command()
@click.argument("event_id")
@click.option("--database", help="SQLite file (default instance/facilitation.db).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge(event_id, database, yes):
    """Delete EVENT_ID and everything tied to it: contributions, dots, devices, files."""
    from .cli_export import plain_errors
    from .retention import purge as purge_event

    settings = _settings(DATABASE=database)
    store = _store(settings)
    with plain_errors(store):
        event = store.get_event(event_id)
        if not yes:
            click.confirm(f"Delete '{event['title']}' ({event_id}) and all its data for good?",
                          abort=True)
        result = purge_event(store, event_id, settings["SESSIONS_DIR"])
    rows = sum(result["rows"].values())
    click.echo(f"purged {event_id}: {rows} rows, {len(result['folders'])} session folders")


# export, import, cards: their own module, whose heavy imports happen only when they run.
from .cli_export import register  # noqa: E402
from .cli_process import process_group  # noqa: E402

register(cli)
cli.add_command(process_group)


def main(argv=None):
    """Entry point. `serve` runs under gevent, which must patch the standard library first
    (unless FACILITATION_ASYNC_MODE=threading asks for real threads, for debugging)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["serve"] and _settings()["ASYNC_MODE"] == "gevent":
        from gevent import monkey

        monkey.patch_all()
    cli.main(args=args, prog_name="facilitation")
