"""The server side of a websocket (simple-websocket's, two things done our way).

**The opening handshake, answered from the parsed request.**

simple-websocket (under engine.io) answers a websocket request by writing the request's
headers out again as HTTP text and feeding them to wsproto, which parses them once more
with h11 and builds its 101 response with h11 too. gevent's server has parsed that
request already. When a hall reconnects at once (a restart, the Wi-Fi back), that second
parse and the response built through h11 were a sixth of the server's CPU
(bench/reconnect_storm.py, 2,000 phones).

For a well-formed request — `Upgrade: websocket`, a `Connection` header with `upgrade`,
`Sec-WebSocket-Version: 13`, a key, no extensions (the server declines them,
facilitation/compression.py) — `accept_response` builds wsproto's response bytes from
the request environment directly (the same bytes, tested), and the connection starts
in wsproto's open state. Anything else takes the library's own way, with its own
refusals, unchanged.

**Reading in turn.** Each connection has a greenlet that waits for its socket to be
readable. gevent's loop (libev) runs every greenlet whose socket became readable in one
go, without looking at its timers or anything else in between: when a hall's phones all
hang up at once (the venue's Wi-Fi drops, the event ends), 2,000 greenlets each read and
answer a close frame back to back, and the loop was held 70–220 ms at a time (both
servers of the benchmark, older checkouts too). Here the greenlet only reads when woken,
then queues the rest of its work behind what is already waiting (`gevent.sleep(0)`);
gevent runs queued work in slices of at most its switch interval (5 ms).
"""

from __future__ import annotations

import engineio.async_drivers.gevent as engineio_gevent
import gevent
import simple_websocket
from wsproto.connection import Connection, ConnectionType
from wsproto.utilities import LocalProtocolError, generate_accept_token


def accept_response(environ: dict) -> bytes | None:
    """The 101 response to a plain websocket request; None for any other request."""
    key = environ.get("HTTP_SEC_WEBSOCKET_KEY")
    if (not key
            or environ.get("HTTP_SEC_WEBSOCKET_VERSION") != "13"
            or environ.get("HTTP_UPGRADE", "").lower() != "websocket"
            or not any(token.strip().lower() == "upgrade"
                       for token in environ.get("HTTP_CONNECTION", "").split(","))
            or "HTTP_SEC_WEBSOCKET_EXTENSIONS" in environ
            or "HTTP_SEC_WEBSOCKET_PROTOCOL" in environ):
        return None
    try:
        token = generate_accept_token(key.encode("ascii"))
    except UnicodeEncodeError:
        return None
    return (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Accept: " + token + b"\r\n\r\n")


class QuickServer(simple_websocket.Server):
    """simple-websocket's server connection: plain requests answered here, reading in turn."""

    def handshake(self):
        response = accept_response(self.environ)
        if response is None:
            return super().handshake()
        self.ws = Connection(ConnectionType.SERVER)  # open: the handshake is done
        self.sock.sendall(response)
        self.connected = True

    def _thread(self):
        if self.ping_interval:  # simple-websocket's own pings (engine.io sends its own)
            return super()._thread()
        while self.connected:
            try:
                in_data = self.sock.recv(self.receive_bytes)
                if len(in_data) == 0:
                    raise OSError()
                gevent.sleep(0)  # the rest in turn with the loop's other work
                self.ws.receive_data(in_data)
                self.connected = self._handle_events()
            except (OSError, ConnectionResetError, LocalProtocolError):
                self.connected = False
                self.event.set()
                break
        self.sock.close()


class QuickWebSocketWSGI(engineio_gevent.WebSocketWSGI):
    """engine.io's gevent websocket entry, with the quicker handshake."""

    def __call__(self, environ, start_response):
        self.ws = QuickServer(environ, **self.server_args)
        return self.app(self)


def install() -> None:
    """Make engine.io's gevent mode accept websockets with `QuickServer`.

    Called by create_app before the Socket.IO server is set up: guard.limit_websocket_frames
    copies the driver's table with a subclass of the class found there. Only where
    engine.io uses simple-websocket (no gevent-websocket installed)."""
    if engineio_gevent.SimpleWebSocketWSGI is not None:
        engineio_gevent._async["websocket"] = QuickWebSocketWSGI
