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
- at most DIRECT_PER_TURN writes per turn of the loop: the rest of a broadcast to the
  whole hall goes to the writers, which take turns with everything else;
- what simple-websocket writes itself (its answers to a ping or a close, its close of
  a message too big) takes its place in the same order (`write_in_order`), and nothing
  is written after a close frame; the writer closes the socket once it has written
  what was queued;
- a phone closed for not answering heartbeats has its socket shut down, so a writer
  stuck on its full buffer ends at once instead of when TCP gives up;
- before the upgrade of a polling connection, during it and after the close, everything
  goes the upstream way. Without simple-websocket on a plain gevent socket (another
  websocket server, TLS) nothing changes.

One slow phone never holds the sender: it only ever makes one non-blocking call per
phone; the waiting is the slow phone's own writer greenlet's.
"""

from __future__ import annotations

import socket
import struct

import engineio.exceptions
import engineio.socket
import gevent
import gevent.socket

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

    closes = False  # ends with a close frame: nothing may be written after it


def closes(data: bytes) -> bool:
    """Whether these whole server frames (unmasked) include a close frame (opcode 8)."""
    at = 0
    while at + 2 <= len(data):
        if data[at] & 0x0F == 0x8:
            return True
        n, at = data[at + 1] & 0x7F, at + 2
        if n == 126:
            n, at = struct.unpack_from("!H", data, at)[0], at + 2
        elif n == 127:
            n, at = struct.unpack_from("!Q", data, at)[0], at + 8
        at += n
    return False


class _Rest:
    """The unwritten end of a frame, queued for the connection's writer."""

    __slots__ = ("data",)

    def __init__(self, data: bytes, closing: bool = False):
        self.data = Framed(data)
        self.data.closes = closing

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

    def __init__(self, owner: WebSocketFirst, ws, sock):
        self._owner, self._ws, self._socket = owner, ws, sock

    def wait(self):
        return self._ws.wait()

    def close(self):
        """Called by engine.io's writer when it ends: the close frame, then the socket."""
        try:
            return self._ws.close()
        finally:
            self._socket.close()

    def send(self, data) -> None:
        """Called by engine.io's handler (upgrade probe) and writer: write all of it.
        Nothing after a close frame (the writer then ends and closes the connection)."""
        owner = self._owner
        if owner._close_sent:
            raise OSError("the websocket is closed")
        owner._writing = True
        try:
            self._socket.sendall(data if type(data) is Framed else frame(data))
        finally:
            owner._writing = False
        if type(data) is Framed and data.closes:
            owner._close_sent = True


# Direct writes per turn of the loop: a broadcast to the whole hall (a voting round
# opens: 2,000 phones) written at once held the loop ~30 ms in the sending greenlet;
# beyond this many, packets go to the writers, which take turns with everything else.
DIRECT_PER_TURN = 200


class _Turn:
    """How many direct writes this turn of the loop has made (reset when the loop moves)."""

    writes = 0
    reset_pending = False

    @classmethod
    def take(cls) -> bool:
        if cls.writes >= DIRECT_PER_TURN:
            return False
        cls.writes += 1
        if not cls.reset_pending:
            cls.reset_pending = True
            gevent.get_hub().loop.run_callback(cls._reset)
        return True

    @classmethod
    def _reset(cls) -> None:
        cls.writes, cls.reset_pending = 0, False


class WebSocketFirst(engineio.socket.Socket):
    """An engine.io socket that writes websocket frames itself when nothing is waiting."""

    _raw = None  # the operating system's socket under gevent's, once on a websocket
    _server_ws = None
    _writing = False  # the writer is inside a write: later packets queue behind it
    _writer_done = False  # the writer has taken the end of the queue: it writes no more
    _close_sent = False  # a close frame was written: nothing more may follow it

    def send(self, pkt) -> None:
        if not self.check_ping_timeout():
            return
        if (self._raw is None or self.upgrading or not self.upgraded
                or not self._server_ws.connected or not self._may_write_now()):
            self.queue.put(pkt)
            return
        self._write_now(_frame_of(pkt), pkt)

    def write_in_order(self, data: bytes) -> None:
        """Bytes simple-websocket writes itself (its answers to a ping or a close, its
        close for a message too big), kept in order with the packets: a close waits
        behind what is queued before it, and nothing queued after it is written."""
        if self._close_sent:
            return
        closing = closes(data)
        if self._writer_done or self._raw is None:  # nothing else writes any more
            try:
                self._server_ws.gevent_socket.sendall(data)
            except OSError:
                pass  # the phone is gone while the connection ends: nothing to tell it
            self._close_sent = closing
        elif self._may_write_now():
            self._write_now(data, _Rest(data, closing), closing)
        else:
            self.queue.put(_Rest(data, closing))

    def _may_write_now(self) -> bool:
        return not (self._writing or self._close_sent or self.queue.qsize()) and _Turn.take()

    def _write_now(self, data: bytes, queued, closing: bool = False) -> None:
        """One non-blocking write; what the kernel does not take goes to the writer."""
        try:
            written = self._raw.send(data)
        except BlockingIOError:
            written = 0
        except OSError:
            # A broken connection: the writer meets the same error and closes it, as
            # engine.io does.
            self.queue.put(queued)
            return
        if written < len(data):
            self.queue.put(_Rest(data[written:], closing))
        elif closing:
            self._close_sent = True

    def check_ping_timeout(self) -> bool:
        """Engine.IO closes a phone that stopped answering heartbeats, but its socket stayed
        open: a writer blocked on a full send buffer and the reader waited until TCP gave
        up (about 15 minutes), holding the descriptor and what was queued. Shut it down."""
        alive = super().check_ping_timeout()
        raw = self._raw
        if not alive and raw is not None:
            try:
                raw.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        return alive

    def poll(self):
        """The writer's wait for queued packets. Engine.IO's gives up after the heartbeat's
        interval and timeout (30 s) and closes the connection, as its heartbeats passed
        through the queue; written at once, they no longer do, so on a websocket the wait
        goes on until the connection closes (engine.io's checks close dead ones)."""
        while True:
            try:
                packets = super().poll()
            except engineio.exceptions.QueueEmpty:
                if self._raw is None or self.closed or self.closing:
                    raise
                continue
            if not packets:
                self._writer_done = True
            return packets

    def _open(self, server_ws, sock) -> None:
        """The handshake's 101 response, and on a new connection (not an upgrade from
        polling) engine.io's open packet queued behind it: one write, so a hall
        reconnecting at once costs one system call per phone less, and the writer
        greenlet is not woken for the open packet."""
        response = server_ws.take_response()  # a QuickServer: it has a gevent_socket
        if not response:
            return
        frames = []
        if not self.connected:
            while self.queue.qsize():
                pkt = self.queue.get_nowait()
                self.queue.task_done()  # engine.io's close(wait=True) joins the queue
                if pkt is None:  # closed already: the writer is to see the end
                    self.queue.put(None)
                    break
                frames.append(_frame_of(pkt))
        try:
            sock.sendall(response + b"".join(frames))
        except OSError:
            pass  # gone already: the handler's first read ends the connection

    def _websocket_handler(self, ws):
        server_ws = getattr(ws, "ws", None)  # websocket_server.QuickServer
        sock = getattr(server_ws, "gevent_socket", None)
        if type(sock) is not gevent.socket.socket:  # e.g. TLS: engine.io's own way
            return super()._websocket_handler(ws)
        self._server_ws, self._raw = server_ws, sock._sock  # the operating system's
        server_ws.write_in_order = self.write_in_order
        self._open(server_ws, sock)
        try:
            return super()._websocket_handler(_Connection(self, ws, sock))
        finally:
            self._raw = None


def install() -> None:
    """Make engine.io create `WebSocketFirst` sockets (create_app does, in gevent mode)."""
    engineio.socket.Socket = WebSocketFirst
