"""Socket.IO handlers, one module per concern; importing this registers them all."""

from . import conference, connection, contributions, hosts, rounds, setup, voting  # noqa: F401
