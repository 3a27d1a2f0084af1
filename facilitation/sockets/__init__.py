"""Socket.IO handlers, one module per concern, all on `extensions.socketio`."""


def register() -> None:
    """Import every handler module, which registers its handlers (once; imports are cached)."""
    from . import conference, connection, contributions, hosts, plan, rounds, voting  # noqa: F401
