"""How many phones one server process can hold: the operating system's limits."""

from __future__ import annotations

import gc
import resource
import socket

# One phone is one socket; with the database, logs and a margin, 2,000 phones need a
# little over 2,000 descriptors. 65,536 leaves room without asking for everything.
WANTED_OPEN_FILES = 65536
# Pending connections the listening socket queues while the server is busy: a restart
# under a full hall brings a thousand reconnects within seconds (the default is 128;
# the kernel caps it at net.core.somaxconn).
LISTEN_BACKLOG = 2048
# Bytes a connection buffers while reading a request's line and headers (gevent: 8 KB).
# Phones send a few hundred bytes of headers, then talk over the websocket, which reads
# the socket itself: the reader and its buffer stay with the connection all evening,
# 16 MB for 2,000 phones. Longer lines and bodies are still read whole, in more calls.
REQUEST_BUFFER = 1024
FULL_COLLECTION_EVERY = 100  # collections of the middle generation per full collection


def raise_open_files_limit(wanted: int = WANTED_OPEN_FILES) -> tuple[int, int]:
    """Raise this process's soft limit on open files toward the hard limit; (before, after).

    Many Linux desktops start programs with a soft limit of 1,024, which would refuse
    about the thousandth phone. Raising the soft limit up to the hard one needs no
    privileges; a lower hard limit is left alone (then the server says so at start).
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return soft, target
    return soft, soft


def freeze_startup_objects() -> int:
    """Exclude everything made at start (modules, the app) from the garbage collector's scans.

    Under gevent one process serves everyone, and a full collection stops all of it: with
    a thousand phones connected a full collection took 100–170 ms, the tail of the
    acknowledgement and projector latencies. The objects created while starting never
    become garbage, so scanning them again and again is pure pause. Returns how many
    objects were frozen.
    """
    gc.collect()
    gc.freeze()
    # Full collections a tenth as often (the default is after 10 collections of the middle
    # generation): cyclic garbage of closed connections waits a little longer.
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    return gc.get_freeze_count()


def spawn_without_stacks() -> None:
    """Stop gevent from recording, for every new greenlet, the stack that spawned it.

    The record (a dozen frame objects per greenlet) serves debugging tools we do not use,
    and greenlets are made all the time: Socket.IO runs each message in a new one and
    engine.io each heartbeat. Without it a message costs less CPU, a phone less memory
    (12 MB less with 2,000 phones), and the young generations fill more slowly.
    """
    import gevent

    gevent.config.track_greenlet_tree = False


def is_websocket_request(environ: dict) -> bool:
    """A websocket handshake: once it has been answered, the connection is the websocket's.

    simple-websocket writes its 101 response itself, so gevent does not know the
    connection was upgraded and, once the websocket has ended, read what the client sent
    next as another HTTP request: the rest of a message the server refused as too big
    came back as "414 Request URI Too Long", a phone's late close frame as a "400" with a
    traceback in the log, a well-formed request got its answer (behind a proxy that
    tunnels websockets: a request the proxy never saw), and a client that sent nothing
    kept the connection open until the header timeout.
    """
    return environ.get("HTTP_UPGRADE", "").lower() == "websocket"


def set_no_delay(sock) -> bool:
    """Send small writes at once (TCP_NODELAY): True when set, False for a non-TCP socket.

    With Nagle's algorithm on, an acknowledgement written right after the sender's own
    copy of a broadcast waits until the phone has acknowledged that copy, and phones delay
    their TCP acknowledgements by up to 40 ms: 8 of 100 contribution acks came that late.
    Our messages are small and complete, so there is nothing to gain from batching them.
    """
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:  # a Unix socket has no Nagle
        return False
    return True


def gevent_server_options() -> dict:
    """Keyword arguments for gevent's WSGIServer: the listen queue, TCP_NODELAY on every
    accepted connection, a small request buffer (REQUEST_BUFFER), and a connection that
    ends with its websocket."""
    from gevent.pywsgi import WSGIHandler

    class NoDelayHandler(WSGIHandler):
        def __init__(self, sock, address, server, rfile=None):
            set_no_delay(sock)
            super().__init__(sock, address, server, rfile)
            if rfile is None:  # gevent made one with an 8 KB buffer: a smaller one instead
                self.rfile.close()
                self.rfile = sock.makefile("rb", REQUEST_BUFFER)

        def handle_one_response(self):
            try:
                super().handle_one_response()
            finally:
                if is_websocket_request(self.environ):
                    self.close_connection = True

    return {"backlog": LISTEN_BACKLOG, "handler_class": NoDelayHandler}
