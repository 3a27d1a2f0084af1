"""Cheap refusal at the door: addresses, connections per address, floods, slow clients.

Everything here runs before Flask or Socket.IO spend work on a request:
- the client address (peer, or X-Forwarded-For behind TRUSTED_PROXIES) is put into the
  WSGI environ as `facilitation.address` for everyone after us;
- an address holding CONNECTIONS_PER_ADDRESS open Socket.IO connections (websockets and
  long-polls: what stays open) gets 429 for the next one, so one client cannot take
  every file descriptor of the process (pages and files are answered at once; requests
  that never finish their headers are limited by the gevent handler below);
- an address whose connection kept sending after being rate limited is refused for
  SLOW_DOWN_SECONDS (the connection itself is dropped by `sockets.limits`);
- websocket frames larger than MAX_MESSAGE_BYTES are refused while they are read;
- under gevent, a request line or headers not complete after HEADER_TIMEOUT_SECONDS close
  the connection (trickled headers would otherwise hold a descriptor for ever).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter

from flask import Flask

from . import collector
from .addresses import address_tag, client_address, parse_trusted
from .errors import AppError
from .integrity import RefusalLog
from .ratelimit import RateLimiter, TokenBucket

ENVIRON_KEY = "facilitation.address"
SOCKETIO_PATH = "/socket.io/"
# A connection that sends FLOOD_STRIKES rate-limited messages within FLOOD_WINDOW seconds
# is dropped: a phone that retries now and then is not a flood.
FLOOD_STRIKES = 20
FLOOD_WINDOW = 10.0


class Guard:
    """The per-process state of the door: counters by address, the slowed addresses."""

    def __init__(self, app: Flask):
        cfg = app.config
        self.app = app
        self.trusted = parse_trusted(cfg.get("TRUSTED_PROXIES", ""))
        self.max_connections = int(cfg["CONNECTIONS_PER_ADDRESS"])
        self.slow_seconds = float(cfg["SLOW_DOWN_SECONDS"])
        self.devices = TokenBucket(float(cfg["NEW_DEVICES_PER_MINUTE"]), int(cfg["NEW_DEVICES_BURST"]))
        self.tickets = RateLimiter(int(cfg["TICKET_ATTEMPTS_PER_MINUTE"]), 60.0)
        self.refusals = RefusalLog()
        self.refused_at_door: Counter = Counter()  # whole server, by reason (no event known)
        # The tag key: derived from the admin token, so tags stay equal across restarts.
        self._tag_secret = "address-tag:" + str(cfg.get("ADMIN_TOKEN") or "")
        self._open: Counter = Counter()
        self._slowed: dict[str, float] = {}
        self._strikes: dict[str, tuple[int, float]] = {}  # sid -> (strikes, window start)
        self._lock = threading.Lock()

    # -- addresses ------------------------------------------------------------------

    def address(self, environ) -> str:
        """The client address of a WSGI request (see addresses.client_address)."""
        found = environ.get(ENVIRON_KEY)
        if found is None:
            found = client_address(environ.get("REMOTE_ADDR"), environ.get("HTTP_X_FORWARDED_FOR"),
                                   self.trusted)
            environ[ENVIRON_KEY] = found
        return found

    def tag(self, address: str) -> str:
        """What the database keeps of an address (a keyed hash)."""
        return address_tag(address, self._tag_secret)

    # -- floods -------------------------------------------------------------------------

    def strike(self, sid: str, address: str) -> bool:
        """Count a rate-limited message of a connection; True when it must be dropped
        (FLOOD_STRIKES within FLOOD_WINDOW), and then its address is slowed down."""
        now = time.monotonic()
        with self._lock:
            count, start = self._strikes.get(sid, (0, now))
            if now - start > FLOOD_WINDOW:
                count, start = 0, now
            count += 1
            if count < FLOOD_STRIKES:
                self._strikes[sid] = (count, start)
                return False
            self._strikes.pop(sid, None)
            self._slowed[address] = now + self.slow_seconds
        return True

    def forget(self, sid: str) -> None:
        """A connection has gone: drop its strikes."""
        with self._lock:
            self._strikes.pop(sid, None)

    def slowed(self, address: str) -> float:
        """Seconds this address is still refused for (0: not slowed)."""
        until = self._slowed.get(address)
        if until is None:
            return 0.0
        left = until - time.monotonic()
        if left <= 0:
            with self._lock:
                self._slowed.pop(address, None)
            return 0.0
        return left

    # -- the WSGI layer ---------------------------------------------------------------------

    def wrap(self, wsgi_app):
        """The WSGI app that counts and refuses before `wsgi_app` sees anything."""

        def guarded(environ, start_response):
            collector.touch()  # someone is waiting: no full collection now
            address = self.address(environ)
            left = self.slowed(address)
            if left:
                self.refused_at_door["slowed_down"] += 1
                return self._refuse(environ, start_response, "slowed_down", int(left) + 1,
                                    seconds=int(left) + 1)
            if not environ.get("PATH_INFO", "").startswith(SOCKETIO_PATH):
                return wsgi_app(environ, start_response)
            with self._lock:
                if self._open[address] >= self.max_connections:
                    refuse = True
                else:
                    refuse = False
                    self._open[address] += 1
            if refuse:
                self.refused_at_door["too_many_connections"] += 1
                return self._refuse(environ, start_response, "too_many_connections", 5)
            released = False

            def release():
                nonlocal released
                if not released:
                    released = True
                    with self._lock:
                        self._open[address] -= 1
                        if self._open[address] <= 0:
                            del self._open[address]

            try:
                result = wsgi_app(environ, start_response)
            except BaseException:
                release()
                raise
            return _Closing(result, release)

        return guarded

    def _refuse(self, environ, start_response, code: str, retry_after: int, **params):
        # The message in the client's language needs a request context; it is cheap
        # next to what the refused request would have cost.
        with self.app.request_context(environ):
            body = json.dumps(AppError(code, **params).as_dict()).encode()
        start_response("429 Too Many Requests", [
            ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
            ("Retry-After", str(retry_after)), ("Connection", "close"),
        ])
        return [body]


class _Closing:
    """A WSGI response that calls `release` once it is closed (or fully read)."""

    def __init__(self, result, release):
        self._result = result
        self._release = release

    def __iter__(self):
        try:
            yield from self._result
        finally:
            self._release()  # read to the end: done, even if nobody calls close()

    def close(self):
        try:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()
        finally:
            self._release()


def init_app(app: Flask) -> Guard:
    """Put the guard in front of the whole app (call after socketio.init_app)."""
    guard = Guard(app)
    app.extensions["guard"] = guard
    app.wsgi_app = guard.wrap(app.wsgi_app)
    return guard


def limit_websocket_frames(socketio, max_bytes: int) -> None:
    """Make simple-websocket refuse a message larger than max_bytes while reading it.

    Engine.IO checks its size limit only after a whole message has been read into memory
    (a 100 MB frame: +155 MB RSS); simple-websocket's `max_message_size` closes the
    connection (code 1009) as soon as the bytes read pass the limit.
    """
    eio = socketio.server.eio
    base = eio._async.get("websocket")
    if base is None:
        return

    class LimitedWebSocket(base):
        def __init__(self, handler, server):
            super().__init__(handler, server)
            self.server_args["max_message_size"] = max_bytes

    # Engine.IO's driver table is shared by every server of the process: copy, then change.
    eio._async = {**eio._async, "websocket": LimitedWebSocket}


def header_timeout_handler(seconds: float, per_address: int = 0, trusted=(), base=None):
    """A gevent WSGIHandler that closes a connection whose request line or headers are
    not complete within `seconds` (each of the two gets that long); idle keep-alive
    connections end the same way. And at most `per_address` connections of one peer
    address may be reading their headers at once (0: no limit; trusted proxies are not
    limited): 2,000 half-open requests from one address are closed at once instead of
    being held until their timeout, and then torn down all together. `base` is the
    handler class to extend (gevent's WSGIHandler when None)."""
    import gevent
    from gevent import pywsgi

    base = base or pywsgi.WSGIHandler

    reading: Counter = Counter()
    trusted_nets = list(trusted)

    class HeaderTimeoutHandler(base):
        _counted = None

        def _peer(self) -> str:
            address = self.client_address
            return address[0] if isinstance(address, tuple) and address else str(address)

        def _start_reading(self) -> bool:
            peer = self._peer()
            if per_address and not (trusted_nets and _is_trusted(peer, trusted_nets)):
                if reading[peer] >= per_address:
                    return False
                reading[peer] += 1
                self._counted = peer
            return True

        def _done_reading(self) -> None:
            peer, self._counted = self._counted, None
            if peer is not None:
                reading[peer] -= 1
                if reading[peer] <= 0:
                    del reading[peer]

        def handle_one_request(self):
            try:
                return super().handle_one_request()
            finally:
                self._done_reading()  # whatever path the request took (idempotent)

        def read_requestline(self):
            if not self._start_reading():
                return ""  # too many half-open requests from this address: close at once
            with gevent.Timeout(seconds, False):
                return super().read_requestline()
            return ""  # timed out: handle_one_request closes the connection

        def read_request(self, raw_requestline):
            timer = gevent.Timeout.start_new(seconds)
            try:
                return super().read_request(raw_requestline)
            except gevent.Timeout as exc:
                if exc is not timer:
                    raise
                raise ValueError("headers not complete in time") from None
            finally:
                timer.close()
                self._done_reading()

    return HeaderTimeoutHandler


def _is_trusted(peer: str, trusted) -> bool:
    from .addresses import _ip, _trusted

    return _trusted(_ip(peer), trusted)
