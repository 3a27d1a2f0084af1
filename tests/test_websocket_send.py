"""Websocket writes (facilitation/websocket_send.py): whole frames, in order, to slow phones too.

The server writes a message's frame at once when nothing of the connection waits, and
hands the rest to the connection's writer otherwise. What a phone must notice: every
message arrives whole and in order, also when its connection is slow (a large snapshot
over bad Wi-Fi), and a phone that only listens stays connected.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wsproto import ConnectionType, WSConnection
from wsproto.connection import ConnectionState
from wsproto.events import (
    AcceptConnection,
    BytesMessage,
    CloseConnection,
    Message,
    Request,
    TextMessage,
)

from facilitation.websocket_send import frame
from facilitation.websocket_server import accept_response
from tests.helpers import ROOT, Client, device_cookie, make_event, messages, wait_for


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=70_000), st.binary(max_size=70_000)))
def test_frame_is_the_frame_a_websocket_library_reads(data):
    """Every length class (< 126, < 65,536, more) and both kinds decode to the same message."""
    client = WSConnection(ConnectionType.CLIENT)
    server = WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="x", target="/")))
    next(server.events())
    client.receive_data(server.send(AcceptConnection()))
    next(client.events())
    assert client.state is ConnectionState.OPEN
    client.receive_data(frame(data))
    got = list(client.events())
    assert len(got) == 1 and got[0].message_finished
    assert isinstance(got[0], TextMessage if isinstance(data, str) else BytesMessage)
    assert got[0].data == data


class SlowPhone:
    """A phone on a slow connection: a tiny receive buffer, and it reads only when asked."""

    def __init__(self, url: str, device: int):
        host, port = url.removeprefix("http://").split(":")
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)  # before connecting
        self.sock.connect((host, int(port)))
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.sock.sendall(self.ws.send(Request(
            host=f"{host}:{port}", target="/socket.io/?EIO=4&transport=websocket",
            extra_headers=[(b"cookie", f"fac_device={device_cookie(device)}".encode())])))
        self.texts: list[str] = []
        self._partial = ""
        self.closed: int | None = None  # the code of the server's close frame

    def send(self, text: str) -> None:
        self.sock.sendall(self.ws.send(Message(data=text)))

    def read(self, until, timeout: float = 10.0) -> None:
        """Read and decode until `until(self.texts)` holds (a broken stream raises)."""
        self.sock.settimeout(0.2)
        deadline = time.monotonic() + timeout
        while not until(self.texts):
            assert time.monotonic() < deadline, f"only {len(self.texts)} messages arrived"
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            assert data, "the server closed the connection"
            self.ws.receive_data(data)
            for event in self.ws.events():
                if isinstance(event, CloseConnection):
                    self.closed = event.code
                if isinstance(event, TextMessage):
                    self._partial += event.data
                    if event.message_finished:
                        self.texts.append(self._partial)
                        self._partial = ""

    def events(self, name: str) -> list:
        """The Socket.IO events `name` received so far, decoded."""
        found = []
        for text in self.texts:
            if text.startswith("42"):
                event, *args = json.loads(text[2:])
                if event == name:
                    found.append(args[0])
        return found

    def close(self) -> None:
        self.sock.close()


def _crowded_table(store) -> tuple[dict, list[str]]:
    """An event whose table A holds 1.5 MB of cards (3,000 of ≈ 480 characters)."""
    event = make_event(store)
    texts = [(f"Karte {i}: " + "Sprachkurse am Abend, mit Kinderbetreuung. " * 11).strip()
             for i in range(3000)]
    for text in texts:
        store.add_contribution(event["id"], "A", "need", text, 0)
    return event, texts


def test_a_slow_phone_gets_a_large_snapshot_whole_and_then_the_next_card(
        server, server_store, sio):
    """A snapshot far larger than the connection takes at once, to a phone that does not
    read for a while: it arrives whole, and the card sent after it arrives after it.

    Loopback connections buffer about a megabyte, a phone's Wi-Fi far less, so the
    snapshot here is 1.5 MB. With simple-websocket's single `send` (the previous
    commit) the snapshot was cut short and this phone received nothing more."""
    event, texts = _crowded_table(server_store)
    phone = SlowPhone(server.url, device=9001)
    try:
        phone.read(lambda t: len(t) >= 1)
        assert phone.texts[0].startswith("0")  # engine.io's open
        phone.send("40" + json.dumps({"event": event["id"], "role": "participant",
                                      "table": "A"}))
        time.sleep(1.0)  # the phone does not read: the server's send buffer fills
        writer = sio({"event": event["id"], "role": "participant", "table": "A"}, device=9002)
        ack = writer.call("submit_contribution", {"kind": "idea", "text": "Danach"}, timeout=10)
        assert ack["ok"]
        phone.read(lambda t: any(x.startswith('42["contribution_added"') for x in t))
        snapshot = phone.events("snapshot")
        assert len(snapshot) == 1
        shown = {c["text"] for c in snapshot[0]["contributions"]}
        assert set(texts) <= shown
        order = [json.loads(t[2:])[0] for t in phone.texts if t.startswith("42")]
        assert order.index("snapshot") < order.index("contribution_added")
        assert phone.events("contribution_added")[0]["contribution"]["text"] == "Danach"
    finally:
        phone.close()


@pytest.mark.slow
def test_a_phone_that_only_listens_stays_connected_past_the_heartbeat_timeout(
        server, server_store, sio):
    """Engine.IO's writer gave up after 30 s (heartbeat interval + timeout) without queued
    packets; heartbeats written at once no longer pass the queue. 33 s later the phone is
    still connected and still gets the next card."""
    event = make_event(server_store)
    listener = sio({"event": event["id"], "role": "participant", "table": "A"}, device=9101)
    time.sleep(33)
    assert listener.connected
    writer = sio({"event": event["id"], "role": "participant", "table": "A"}, device=9102)
    assert writer.call("submit_contribution", {"kind": "idea", "text": "Später"}, timeout=10)["ok"]
    wait_for(lambda: messages(listener, "contribution_added"))
    assert listener.connected


def test_a_phone_upgrading_from_polling_gets_every_card_in_order(server, server_store, sio):
    """A phone that starts on long polling (engine.io's way when websockets may be
    blocked) and upgrades: the server's socket for it was made for polling and took the
    websocket over; every card arrives, in order, before and after it is on the
    websocket."""
    event = make_event(server_store)
    writer = sio({"event": event["id"], "role": "participant", "table": "A"}, device=9201)
    phone = Client(reconnection=False)
    phone.received = []
    phone.on("*", lambda name, data: phone.received.append((name, data)))
    phone.connect(server.url, auth={"event": event["id"], "role": "participant", "table": "A"},
                  headers={"Cookie": f"fac_device={device_cookie(9202)}"},
                  transports=["polling", "websocket"], wait_timeout=10)
    try:
        sent = []
        for n in range(12):
            text = f"Karte {n}"
            assert writer.call("submit_contribution", {"kind": "idea", "text": text},
                               timeout=10)["ok"]
            sent.append(text)
        wait_for(lambda: phone.transport() == "websocket")
        for n in range(12, 18):
            text = f"Karte {n}"
            assert writer.call("submit_contribution", {"kind": "idea", "text": text},
                               timeout=10)["ok"]
            sent.append(text)
        wait_for(lambda: len(messages(phone, "contribution_added")) == len(sent))
        assert [m["contribution"]["text"] for m in messages(phone, "contribution_added")] == sent
    finally:
        phone.disconnect()


def _wsproto_response(headers: list[tuple[str, str]]) -> bytes:
    """What wsproto (simple-websocket's way) answers to these request headers."""
    server = WSConnection(ConnectionType.SERVER)
    request = "GET / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    server.receive_data(request.encode())
    assert isinstance(next(server.events()), Request)
    return server.send(AcceptConnection())


def _environ(headers: list[tuple[str, str]]) -> dict:
    return {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers}


@settings(max_examples=200, deadline=None)
@given(key=st.binary(min_size=16, max_size=16).map(lambda b: base64.b64encode(b).decode()),
       upgrade=st.sampled_from(["websocket", "WebSocket"]),
       connection=st.sampled_from(["Upgrade", "keep-alive, Upgrade", "upgrade"]))
def test_the_quick_handshake_answers_as_wsproto_does(key, upgrade, connection):
    headers = [("Host", "127.0.0.1:5000"), ("Upgrade", upgrade), ("Connection", connection),
               ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13")]
    assert accept_response(_environ(headers)) == _wsproto_response(headers)


@pytest.mark.parametrize("change", [
    {"Sec-WebSocket-Version": "8"}, {"Sec-WebSocket-Key": None}, {"Upgrade": "h2c"},
    {"Connection": "keep-alive"}, {"Sec-WebSocket-Extensions": "permessage-deflate"},
    {"Sec-WebSocket-Protocol": "chat"}, {"Sec-WebSocket-Key": "schlüssel"}, {"Host": None},
])
def test_anything_but_a_plain_request_takes_the_librarys_way(change):
    headers = {"Host": "x", "Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}
    headers.update(change)
    assert accept_response(_environ([(k, v) for k, v in headers.items() if v is not None])) is None


def test_a_refused_handshake_is_still_refused(server):
    """A websocket request without a key gets no 101 (the library's refusal, unchanged)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                     b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Version: 13\r\n\r\n")
        answer = b""
        try:
            while b"\r\n\r\n" not in answer:
                data = sock.recv(4096)
                if not data:
                    break
                answer += data
        except TimeoutError:
            pass
    assert not answer.startswith(b"HTTP/1.1 101")


def test_a_gevent_server_answers_handshakes_quickly_and_keeps_its_frame_limit(tmp_path):
    """The app's websocket class is the quick one, with the message size limit kept, and
    its engine.io sockets write frames at once (checked in a process of its own, as
    `facilitation serve` makes its app)."""
    check = (
        "from gevent import monkey; monkey.patch_all()\n"
        "import sys\n"
        "from facilitation.app import create_app\n"
        "from facilitation.extensions import socketio\n"
        "from facilitation.websocket_server import QuickWebSocketWSGI\n"
        "create_app({'DATABASE': sys.argv[1], 'INSTANCE_DIR': sys.argv[2]})\n"
        "eio = socketio.server.eio\n"
        "websocket = eio._async['websocket']\n"
        "import engineio.socket\n"
        "from facilitation.websocket_send import WebSocketFirst\n"
        "print(issubclass(websocket, QuickWebSocketWSGI),"
        " websocket(lambda ws: None, eio).server_args['max_message_size'],"
        " engineio.socket.Socket is WebSocketFirst)\n"
    )
    out = subprocess.run([sys.executable, "-c", check, str(tmp_path / "q.db"), str(tmp_path)],
                         capture_output=True, text=True, timeout=60, cwd=ROOT, check=True)
    quick, limit, writes_first = out.stdout.split()
    assert quick == "True" and int(limit) > 0 and writes_first == "True"


def test_the_servers_own_close_waits_behind_a_large_snapshot(server, server_store):
    """A phone with 1.5 MB of snapshot still on its way sends a message over the size
    limit: the server's close (1009) is written after the snapshot, not into the middle
    of it (simple-websocket wrote it at once: the stream broke, or its reader died
    waiting on the socket the writer was waiting on, and the connection was never
    cleaned up)."""
    event, texts = _crowded_table(server_store)
    phone = SlowPhone(server.url, device=9301)
    try:
        phone.read(lambda t: len(t) >= 1)
        phone.send("40" + json.dumps({"event": event["id"], "role": "participant",
                                      "table": "A"}))
        time.sleep(1.0)  # the snapshot fills the send buffer: the rest waits in the queue
        phone.send("42" + json.dumps(["submit_contribution", {"text": "x" * 70_000}]))
        time.sleep(0.5)
        phone.read(lambda t: phone.closed is not None)
        assert phone.closed == 1009  # message too big
        snapshot = phone.events("snapshot")
        assert len(snapshot) == 1
        assert set(texts) <= {c["text"] for c in snapshot[0]["contributions"]}
    finally:
        phone.close()


def _handshake(sock: socket.socket, host: str) -> WSConnection:
    client = WSConnection(ConnectionType.CLIENT)
    sock.sendall(client.send(Request(host=host, target="/socket.io/?EIO=4&transport=websocket")))
    return client


def test_a_new_connection_gets_its_handshake_answer_and_open_packet_in_one_write(server):
    """The 101 response and engine.io's open packet go out in one write: the first read
    after the request holds both (before, the open packet followed in a second write by
    the connection's writer greenlet, one more system call per phone in a reconnect storm)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        client = _handshake(sock, f"{host}:{port}")
        client.receive_data(sock.recv(65536))  # one read
        got = list(client.events())
    assert isinstance(got[0], AcceptConnection)
    assert len(got) == 2 and isinstance(got[1], TextMessage) and got[1].data.startswith("0{")
    assert json.loads(got[1].data[1:])["sid"]


# A websocket server on QuickServer alone, as where engine.io's sockets do not take over
# its writes (TLS, another socket class): the 101 must still come first, whether the
# application writes a message before it reads or only reads.
_LIBRARY_WAY = """
from gevent import monkey; monkey.patch_all()
import sys
from gevent.pywsgi import WSGIServer
from facilitation.websocket_server import QuickServer

def app(environ, start_response):
    ws = QuickServer(environ)
    if environ["PATH_INFO"] == "/hello":
        ws.send("hello")  # written before anything was read
    ws.send("echo " + ws.receive(timeout=5))
    ws.close()
    return []

server = WSGIServer(("127.0.0.1", 0), app, log=None)
server.start()
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.mark.parametrize("path, expected", [("/hello", ["hello", "echo hi"]),
                                            ("/quiet", ["echo hi"])])
def test_the_handshake_answer_comes_first_without_engineio_writes(path, expected):
    proc = subprocess.Popen([sys.executable, "-c", _LIBRARY_WAY], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE)
    try:
        port = int(proc.stdout.readline())
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            client = WSConnection(ConnectionType.CLIENT)
            sock.sendall(client.send(Request(host=f"127.0.0.1:{port}", target=path)))
            events, texts = [], []
            while len(texts) < len(expected):
                data = sock.recv(65536)
                assert data, f"closed after {events}"
                client.receive_data(data)
                for event in client.events():
                    events.append(event)
                    if isinstance(event, AcceptConnection):
                        sock.sendall(client.send(Message(data="hi")))
                    elif isinstance(event, TextMessage):
                        texts.append(event.data)
        assert isinstance(events[0], AcceptConnection)
        assert texts == expected
    finally:
        proc.kill()
        proc.wait(10)


def _read_until_closed(sock: socket.socket, seconds: float = 8.0) -> tuple[bytes, bool]:
    """Everything the server sends until it ends the connection; (bytes, ended)."""
    received, deadline = b"", time.monotonic() + seconds
    sock.settimeout(0.5)
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return received, True
        if not chunk:
            return received, True
        received += chunk
    return received, False


def test_a_connection_ends_with_its_websocket(server):
    """Once the server has ended a websocket (here: a message over the size limit), the
    connection ends too. Before, gevent read the rest of the refused message as another
    HTTP request and wrote "414 Request URI Too Long" into the stream."""
    phone = SlowPhone(server.url, device=9302)
    try:
        phone.read(lambda texts: len(texts) >= 1)  # engine.io's open packet
        phone.sock.settimeout(10)
        try:
            phone.send("4" + "x" * 200_000)  # over the limit: the server closes (1009)
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed while the rest was still being sent
        received, ended = _read_until_closed(phone.sock)
        assert b"HTTP/1.1" not in received, received[-200:]
        assert ended, "the connection stayed open after its websocket ended"
    finally:
        phone.close()


def test_nothing_sent_after_a_websocket_is_read_as_a_request(server):
    """After a websocket's closing handshake, a request sent on the same connection is
    not answered: behind a proxy that tunnels websockets it would be a request the proxy
    never saw, with an X-Forwarded-For of the client's choosing. Before, it got "200"."""
    phone = SlowPhone(server.url, device=9303)
    try:
        phone.read(lambda texts: len(texts) >= 1)  # engine.io's open packet
        phone.sock.settimeout(10)
        phone.sock.sendall(phone.ws.send(CloseConnection(code=1000)))
        phone.read(lambda texts: phone.closed is not None)  # the server's close frame
        time.sleep(0.2)  # the server's side of the websocket has ended
        try:
            phone.sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                               b"X-Forwarded-For: 203.0.113.9\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed already: nothing can be read as a request
        received, ended = _read_until_closed(phone.sock)
        assert b"HTTP/1.1" not in received, received[-200:]
        assert ended, "the connection stayed open after its websocket ended"
    finally:
        phone.close()
