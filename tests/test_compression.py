"""gzip for pages and static files: smaller first loads, same content, caching intact."""

import gzip

import pytest

from facilitation.compression import accepts_gzip
from tests.helpers import make_event

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def event(app):
    return make_event(app.extensions["store"], tables=2)


def test_table_page_is_gzipped_and_unchanged_in_content(client, event):
    packed = client.get(f"/e/{event['id']}/t/A", headers=GZIP)
    plain = client.get(f"/e/{event['id']}/t/A")
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    html = gzip.decompress(packed.data).decode()
    assert "Thema A" in html and html.count("<script") == plain.get_data(as_text=True).count("<script")
    # Headers set elsewhere survive: security headers and the device cookie.
    assert packed.headers["Content-Security-Policy"] and "fac_device=" in packed.headers["Set-Cookie"]


def test_static_socketio_client_is_gzipped_and_revalidates_with_304(client):
    plain = client.get("/static/js/socket.io.min.js")
    packed = client.get("/static/js/socket.io.min.js", headers=GZIP)
    plain_body = plain.data
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain_body
    assert len(packed.data) < len(plain_body) / 2
    etag = packed.headers["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/static/js/socket.io.min.js", headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    # Served from the cache of compressed files: identical bytes the second time.
    assert client.get("/static/js/socket.io.min.js", headers=GZIP).data == packed.data


def test_small_and_binary_responses_are_left_alone(client, event):
    assert "Content-Encoding" not in client.get("/healthz", headers=GZIP).headers
    png = client.get(f"/e/{event['id']}/qr.png", headers=GZIP)
    assert "Content-Encoding" not in png.headers


@pytest.mark.parametrize("header, expected", [
    ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True),
    ("*", True), ("gzip;q=0", False), ("identity", False), ("", False), (None, False),
    ("deflate", False), ("gzip;q=nonsense", False),
])
def test_accepts_gzip(header, expected):
    assert accepts_gzip(header) is expected


def test_websockets_do_not_negotiate_per_message_deflate(server):
    """The real server answers a browser's offer of permessage-deflate without it."""
    import base64
    import os
    import socket

    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += s.recv(4096)
    head = response.split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 101")
    assert "sec-websocket-extensions" not in head
