"""Socket.IO handlers, one module per concern, all on `extensions.socketio`."""


def register() -> None:
    """Import every handler module, which registers its handlers (once; imports are cached)."""
    from . import (  # noqa: F401
        conference,
        connection,
        contributions,
        hosts,
        integrity,
        plan,
        rounds,
        voting,
    )
