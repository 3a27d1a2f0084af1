"""The server side of a websocket (simple-websocket's, two things done our way).

**The opening handshake, answered from the parsed request.**

simple-websocket (under engine.io) answers a websocket request by writing the request's
headers out again as HTTP text and feeding them to wsproto, which parses them once more
with h11 and builds its 101 response with h11 too. gevent's server has parsed that
request already. When a hall reconnects at once (a restart, the Wi-Fi back), that second
parse and the response built through h11 were a sixth of the server's CPU
(bench/reconnect_storm.py, 2,000 phones).

For a well-formed request — a `Host`, `Upgrade: websocket`, a `Connection` header with `upgrade`,
`Sec-WebSocket-Version: 13`, a key, no extensions (the server declines them,
facilitation/compression.py) — `accept_response` builds wsproto's response bytes from
the request environment directly (the same bytes, tested), and the connection starts
in wsproto's open state. Anything else takes the library's own way, with its own
refusals, unchanged. The response is not written alone: it waits for the connection's
first frames (engine.io's open packet, websocket_send.WebSocketFirst) and goes out in
the same write; whoever writes first (or the reader, before its first read) writes it.

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
            or not environ.get("HTTP_HOST")  # HTTP/1.1 requires it; h11 refuses without
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


class _OrderedWrites:
    """The socket as simple-websocket sees it: what it writes itself (its answers to a
    ping or a close, its close of a message too big) goes through the connection's order
    (`write_in_order`, set by websocket_send.WebSocketFirst) and is never cut short."""

    def __init__(self, server: QuickServer):
        self._server = server

    def send(self, data: bytes) -> int:
        server = self._server
        write = server.write_in_order
        if write is None:
            server.gevent_socket.sendall(server.take_response() + data)
        else:
            write(bytes(data))
        return len(data)

    sendall = send

    def __getattr__(self, name):
        return getattr(self._server.gevent_socket, name)


class QuickServer(simple_websocket.Server):
    """simple-websocket's server connection: plain requests answered here, reading in turn."""

    write_in_order = None  # how its own writes keep their place (websocket_send.py)
    gevent_socket = None
    _response = b""  # the 101 response, until it goes out with the first frames

    def handshake(self):
        self.gevent_socket = self.sock
        response = accept_response(self.environ)
        if response is None:
            super().handshake()
        else:
            self.ws = Connection(ConnectionType.SERVER)  # open: the handshake is done
            self._response = response
            self.connected = True
        self.sock = _OrderedWrites(self)

    def take_response(self) -> bytes:
        """The 101 response if it has not been written yet (then the caller writes it,
        before anything else): it goes out in one write with the connection's first
        frames (websocket_send.WebSocketFirst: engine.io's open packet), not alone."""
        response, self._response = self._response, b""
        return response

    def _thread(self):
        if self._response:  # nobody wrote it with their first frames: written now
            try:
                self.gevent_socket.sendall(self.take_response())
            except OSError:
                self.connected = False
        if self.ping_interval:  # simple-websocket's own pings (engine.io sends its own)
            return super()._thread()
        sock = self.gevent_socket
        try:
            while self.connected:
                in_data = sock.recv(self.receive_bytes)
                if len(in_data) == 0:
                    break
                gevent.sleep(0)  # the rest in turn with the loop's other work
                self.ws.receive_data(in_data)
                self.connected = self._handle_events()
        except (OSError, LocalProtocolError):
            pass
        finally:
            self.connected = False
            self.event.set()
            if self.write_in_order is None:
                sock.close()
            # else the connection's writer closes it once it has written what is queued
            # (a close for a message too big behind a large snapshot, say); a phone that
            # reads nothing any more is shut down by engine.io's heartbeat check
            # (websocket_send.WebSocketFirst.check_ping_timeout)


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
