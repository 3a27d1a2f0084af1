"""Sending to a websocket: framed once per message, written at once, never cut short.

Engine.IO (python-engineio 4) hands every packet for a websocket to a queue that a
writer greenlet of that connection drains, and simple-websocket frames each packet
again for each connection (wsproto, in Python) and writes it with one `socket.send`.
Two things follow:

- **Cost.** A card reaches the fifty phones of its table, the projector and the console:
  fifty-two queue hand-overs, each waking a greenlet (a timer started and cancelled per
  wait), and fifty-two framings of the same bytes. In the contributions burst of the
  benchmark that machinery was most of the server's CPU, and a card's acknowledgement
  waited behind the fan-outs of the cards before it (bench/loadgen.py, ack p99).
- **Loss.** `socket.send` may write only part of a frame when the connection's send
  buffer is full (a phone on bad Wi-Fi, a large snapshot), and simple-websocket drops
  the rest: the phone receives a broken stream and has to reconnect — and gets the same
  large snapshot again.

`WebSocketFirst` (installed by `install()` in place of engine.io's socket class) keeps
engine.io's queue and writer for everything that must wait, and otherwise writes a
packet's frame from the sending greenlet with one non-blocking system call:

- the frame (RFC 6455, unmasked, no extension: the server declines permessage-deflate,
  facilitation/compression.py) is built once per packet object; Socket.IO builds one
  packet per broadcast, so a card is framed once for its whole table;
- it is written at once only when nothing of this connection is queued or being written
  (so messages keep their order); what the kernel does not take goes to the queue, and
  the writer sends it, and everything queued, with `sendall` (so nothing is cut short);
- before the upgrade of a polling connection, during it and after the close, everything
  goes the upstream way. Without simple-websocket (another websocket server) nothing
  changes.

One slow phone never holds the sender: it only ever makes one non-blocking call per
phone; the waiting is the slow phone's own writer greenlet's.
"""

from __future__ import annotations

import struct

import engineio.exceptions
import engineio.socket

_TEXT, _BINARY = 0x81, 0x82  # FIN + opcode: a whole message in one frame


def frame(data: str | bytes) -> bytes:
    """The websocket frame a server sends for one whole message (RFC 6455 §5.2)."""
    if isinstance(data, str):
        first, payload = _TEXT, data.encode()
    else:
        first, payload = _BINARY, bytes(data)
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", first, n)
    elif n < 65536:
        header = struct.pack("!BBH", first, 126, n)
    else:
        header = struct.pack("!BBQ", first, 127, n)
    return header + payload


class Framed(bytes):
    """Bytes that are already a websocket frame (or the rest of one): written as they are."""


class _Rest:
    """The unwritten end of a frame, queued for the connection's writer."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = Framed(data)

    def encode(self) -> Framed:
        return self.data


def _frame_of(pkt) -> bytes:
    """A packet's frame, built once per packet object (one object per broadcast)."""
    framed = getattr(pkt, "_frame", None)
    if framed is None:
        framed = pkt._frame = frame(pkt.encode())
    return framed


class _Connection:
    """What engine.io's websocket handler and writer see: the connection, writing whole frames."""

    def __init__(self, owner: WebSocketFirst, ws, server_ws, sock):
        self._owner, self._ws, self._server_ws, self._socket = owner, ws, server_ws, sock

    def wait(self):
        return self._ws.wait()

    def close(self):
        return self._ws.close()

    def send(self, data) -> None:
        """Called by engine.io's handler (upgrade probe) and writer: write all of it."""
        if not self._server_ws.connected:
            raise OSError("the websocket is closed")
        self._owner._writing = True
        try:
            self._socket.sendall(data if type(data) is Framed else frame(data))
        finally:
            self._owner._writing = False


class WebSocketFirst(engineio.socket.Socket):
    """An engine.io socket that writes websocket frames itself when nothing is waiting."""

    _raw = None  # the operating system's socket under gevent's, once on a websocket
    _server_ws = None
    _writing = False  # the writer is inside a write: later packets queue behind it

    def send(self, pkt) -> None:
        if not self.check_ping_timeout():
            return
        raw = self._raw
        if (raw is None or self._writing or self.upgrading or not self.upgraded
                or self.queue.qsize() or not self._server_ws.connected):
            self.queue.put(pkt)
            return
        data = _frame_of(pkt)
        try:
            written = raw.send(data)
        except BlockingIOError:
            written = 0
        except OSError:
            # A broken connection: the writer meets the same error and closes it, as
            # engine.io does.
            self.queue.put(pkt)
            return
        if written < len(data):
            self.queue.put(_Rest(data[written:]))

    def poll(self):
        """The writer's wait for queued packets. Engine.IO's gives up after the heartbeat's
        interval and timeout (30 s) and closes the connection, as its heartbeats passed
        through the queue; written at once, they no longer do, so on a websocket the wait
        goes on until the connection closes (engine.io's checks close dead ones)."""
        while True:
            try:
                return super().poll()
            except engineio.exceptions.QueueEmpty:
                if self._raw is None or self.closed or self.closing:
                    raise

    def _websocket_handler(self, ws):
        server_ws = getattr(ws, "ws", None)  # simple_websocket.Server
        sock = getattr(server_ws, "sock", None)  # gevent's socket
        raw = getattr(sock, "_sock", None)  # the operating system's (non-blocking)
        if raw is None:  # not simple-websocket on gevent: engine.io's own way
            return super()._websocket_handler(ws)
        self._server_ws, self._raw = server_ws, raw
        try:
            return super()._websocket_handler(_Connection(self, ws, server_ws, sock))
        finally:
            self._raw = None


def install() -> None:
    """Make engine.io create `WebSocketFirst` sockets (call before serving)."""
    engineio.socket.Socket = WebSocketFirst
