"""Socket.IO handlers, one module per concern; importing this registers them all."""

from . import connection, contributions, setup, voting  # noqa: F401
