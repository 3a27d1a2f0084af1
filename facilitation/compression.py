"""Compression: gzip for pages and static files, none per websocket message.

gzip for text responses: a phone's first load over crowded venue Wi-Fi is a third the size.

The biggest part of a phone's first load is static (the Socket.IO client, CSS, our JS
modules), so compressed static files are kept in memory, keyed by path and ETag: each is
compressed once per server start, not once per phone. Pages are small and compressed as
they are rendered. Socket.IO traffic does not pass through here (Engine.IO answers it
before Flask); see without_websocket_deflate for why its messages go uncompressed.
"""

from __future__ import annotations

import gzip
import threading

from flask import Flask, Response, request

COMPRESSIBLE = {
    "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
    "application/json", "image/svg+xml",
}
MIN_SIZE = 1024  # below this the gzip header and a second round trip's worth are not worth it
LEVEL = 6


def accepts_gzip(header: str | None) -> bool:
    """True when an Accept-Encoding header allows gzip (and does not forbid it with q=0)."""
    for part in (header or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip()
            if not q.startswith("q="):
                return True
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
    return False


class Compressor:
    """Compresses eligible responses; remembers compressed static files."""

    def __init__(self, static_prefix: str):
        self.static_prefix = static_prefix
        self._cache: dict[tuple[str, str], bytes] = {}
        self._lock = threading.Lock()

    def __call__(self, response: Response) -> Response:
        if not self._eligible(response):
            return response
        etag, _weak = response.get_etag()
        static = request.path.startswith(self.static_prefix) and etag
        key = (request.path, etag)
        body = self._cache.get(key) if static else None
        if body is None:
            response.direct_passthrough = False  # send_file streams; we need the bytes
            raw = response.get_data()
            if len(raw) < MIN_SIZE:
                return response
            body = gzip.compress(raw, LEVEL, mtime=0)
            if static:
                with self._lock:
                    self._cache[key] = body
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
        if etag:
            # Another representation of the same resource: a weak tag, which Werkzeug
            # still matches for If-None-Match, so revalidation keeps answering 304.
            response.set_etag(etag, weak=True)
        return response

    @staticmethod
    def _eligible(response: Response) -> bool:
        return (
            response.status_code == 200
            and request.method == "GET"
            and response.mimetype in COMPRESSIBLE
            and "Content-Encoding" not in response.headers
            # Generated streams (long exports) stay streams; files from send_file are read.
            and (response.direct_passthrough or not response.is_streamed)
            and accepts_gzip(request.headers.get("Accept-Encoding"))
        )


def init_app(app: Flask) -> None:
    """Compress text responses for clients that accept gzip."""
    prefix = (app.static_url_path or "/static").rstrip("/") + "/"
    app.after_request(Compressor(prefix))


def without_websocket_deflate(app: Flask) -> None:
    """Refuse permessage-deflate on websockets by hiding the browser's offer of it.

    Every browser offers it, and simple-websocket accepts it with zlib's defaults: a
    compressor and decompressor kept for the life of each connection. Measured with the
    load generator (docs/performance.md): about 140 KB of resident memory per phone,
    which alone takes 2,000 phones past the memory budget, and a quarter more CPU per
    message. Our messages are small JSON on a local network, so bytes are cheap and
    memory and CPU are not. Must wrap the app after socketio.init_app, so that it runs
    before Engine.IO reads the handshake.
    """
    inner = app.wsgi_app

    def wsgi_app(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return inner(environ, start_response)

    app.wsgi_app = wsgi_app
