"""Issue 13, network side, against a real server: one budget per person, cheap refusal
(findings 1, 7, 8, 9, 11, 12, 14), and the integrity panel the facilitator sees.

The server trusts 127.0.0.1 as a reverse proxy, so each test speaks for its own client
address through X-Forwarded-For (a hall of phones, a stuffing laptop) and the limits
run with small values that keep the tests short.
"""

from __future__ import annotations

import socket
import struct
import threading
import time

import pytest
import requests
import socketio as sio_lib
import websocket

from facilitation.addresses import client_address, parse_trusted
from tests.helpers import (
    Client,
    ServerProcess,
    close_all,
    device_cookie,
    german,
    make_event,
    wait_for,
)

BURST = 8
LIMITS = {
    "FACILITATION_TRUSTED_PROXIES": "127.0.0.1",
    "FACILITATION_NEW_DEVICES_PER_MINUTE": "1",
    "FACILITATION_NEW_DEVICES_BURST": str(BURST),
    "FACILITATION_CONNECTIONS_PER_ADDRESS": "20",
    "FACILITATION_HEADER_TIMEOUT_SECONDS": "2",
    "FACILITATION_SLOW_DOWN_SECONDS": "4",
}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    proc = ServerProcess(tmp_path_factory.mktemp("guarded"), extra_env=LIMITS)
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def store(guarded):
    from facilitation.store import Store

    s = Store(guarded.db_path)
    yield s
    s.close()


@pytest.fixture
def clients():
    made = []
    yield made
    close_all(made)


def connect(server, clients, auth, address, device=None, wait=True):
    """A python-socketio client speaking for `address` (through the trusted proxy)."""
    client = Client(reconnection=False)
    client.received, client.refused = [], []
    client.on("*", lambda event, data: client.received.append((event, data)))
    client.on("connect_error", lambda data: client.refused.append(data))
    if device is not None:
        auth = {**auth, "device": device_cookie(device)}
    client.connect(server.url, auth=auth, headers={"X-Forwarded-For": address},
                   transports=["websocket"], wait_timeout=10)
    clients.append(client)
    if wait:
        wait_for(lambda: any(e == "snapshot" for e, _ in client.received))
    return client


def refused_connect(server, auth, address, device=None) -> dict:
    """Connect and expect a refusal; returns the error object the client got."""
    client = Client(reconnection=False)
    errors = []
    client.on("connect_error", lambda data: errors.append(data))
    if device is not None:
        auth = {**auth, "device": device_cookie(device)}
    with pytest.raises(sio_lib.exceptions.ConnectionError):
        client.connect(server.url, auth=auth, headers={"X-Forwarded-For": address},
                       transports=["websocket"], wait_timeout=10)
    return errors[0] if errors else {}


def console_of(server, clients, store, event, address="192.0.2.1"):
    key = store.facilitator_key(event["id"])
    return connect(server, clients, {"event": event["id"], "role": "console", "key": key}, address)


# -- finding 1: ballot stuffing ---------------------------------------------------------


def test_stuffing_gets_at_most_the_configured_budgets_and_the_facilitator_sees_it(
        guarded, store, clients):
    event = make_event(store, tables=1)
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Was ist am wichtigsten?", statements=["Sprachkurse"])
    store.open_voting_round(eid, rnd["id"])
    candidate = rnd["candidates"][0]["id"]
    console = console_of(guarded, clients, store, event)
    stuffer = "198.51.100.7"
    admitted, refusals = [], []
    for n in range(BURST + 6):  # a made-up device per connection, as the attack did
        phone = Client(reconnection=False)
        errors = []
        phone.on("connect_error", lambda data, errors=errors: errors.append(data))
        try:
            phone.connect(guarded.url, auth={"event": eid, "role": "participant",
                                             "device": device_cookie(f"stuff-{n}")},
                          headers={"X-Forwarded-For": stuffer}, transports=["websocket"],
                          wait_timeout=10)
        except sio_lib.exceptions.ConnectionError:
            refusals.append(errors[0])
            continue
        clients.append(phone)
        admitted.append(phone)
        ack = phone.call("place_dot", {"round_id": rnd["id"], "candidate_id": candidate,
                                       "client_id": f"stuff-dot-{n}"}, timeout=10)
        assert ack["ok"], ack
    # the burst, plus at most one refilled in the minute a slow machine may take here
    assert BURST <= len(admitted) <= BURST + 1 and len(refusals) == BURST + 6 - len(admitted)
    # finding 12: the reason arrives as {code, message}, as docs/api.md says
    assert refusals[0]["data"]["code"] == "too_many_devices"
    assert refusals[0]["data"]["message"] == german(
        "Too many new phones have joined from this network in the last minute."
        " Please wait a minute and try again.")
    # A phone that was here before is not a new device: it reconnects whatever the limit.
    again = connect(guarded, clients, {"event": eid, "role": "participant"}, stuffer,
                    device="stuff-0")
    assert again.connected
    # Another address (a real phone beside the stuffer) is not affected.
    connect(guarded, clients, {"event": eid, "role": "participant"}, "203.0.113.9",
            device="honest-phone")

    panel = console.call("get_integrity", {"round_id": rnd["id"]}, timeout=10)["integrity"]
    assert panel["voters"] == len(admitted) and panel["new_voters"] == len(admitted)
    assert panel["most_devices_one_address"] == len(admitted)
    assert panel["refused"]["too_many_devices"] == len(refusals)
    codes = {w["code"] for w in panel["warnings"]}
    assert codes == {"shared_address", "new_devices", "refused"}, panel["warnings"]


def test_a_voting_round_can_take_only_devices_from_before_it_opened(guarded, store, clients):
    event = make_event(store, tables=1)
    eid = event["id"]
    early = connect(guarded, clients, {"event": eid, "role": "participant"}, "203.0.113.20",
                    device="early")
    rnd = store.create_voting_round(eid, "Vorrang", statements=["Wohnen", "Arbeit"],
                                    require_prior_device=True)
    store.open_voting_round(eid, rnd["id"])
    late = connect(guarded, clients, {"event": eid, "role": "participant"}, "203.0.113.21",
                   device="late")
    dot = {"round_id": rnd["id"], "candidate_id": rnd["candidates"][0]["id"]}
    assert early.call("place_dot", {**dot, "client_id": "early-dot-1"}, timeout=10)["ok"]
    refused = late.call("place_dot", {**dot, "client_id": "late-dot-1"}, timeout=10)
    assert refused["error"]["code"] == "device_too_new"
    # A ticket code from the facilitation lets a latecomer vote after all.
    code = store.generate_tickets(eid, 1)[0]
    assert late.call("redeem_ticket", {"code": code}, timeout=10)["ok"]
    assert late.call("place_dot", {**dot, "client_id": "late-dot-2"}, timeout=10)["ok"]
    console = console_of(guarded, clients, store, event)
    panel = console.call("get_integrity", {"round_id": rnd["id"]}, timeout=10)["integrity"]
    assert panel["refused"] == {"device_too_new": 1} and panel["new_devices"] == 1


def test_forwarded_for_counts_only_from_trusted_proxies():
    trusted = parse_trusted("127.0.0.1, 10.0.0.0/8")
    assert client_address("127.0.0.1", "198.51.100.7", trusted) == "198.51.100.7"
    # The client's own entry comes first; each proxy appends: read from the right.
    assert client_address("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.1.1", trusted) == "198.51.100.7"
    assert client_address("192.0.2.5", "198.51.100.7", trusted) == "192.0.2.5"  # not a proxy
    assert client_address("127.0.0.1", "garbage", trusted) == "127.0.0.1"
    assert client_address("127.0.0.1", "198.51.100.7", []) == "127.0.0.1"  # nothing trusted


# -- finding 12: the refusal's data ------------------------------------------------------------


def test_a_refused_connection_carries_code_and_message_as_data(guarded, store):
    event = make_event(store, tables=1)
    error = refused_connect(guarded, {"event": event["id"], "role": "console", "key": "falsch"},
                            "203.0.113.30")
    assert error["data"]["code"] == "forbidden"
    assert error["data"]["message"] == error["message"] and "{" not in error["message"]


# -- finding 11: a host link and the renamed table's successor -------------------------------


def test_a_host_connection_does_not_follow_its_code_to_a_new_table(guarded, store, clients):
    event = make_event(store, tables=1)
    eid = event["id"]
    host = connect(guarded, clients, {"event": eid, "role": "host", "table": "A",
                                      "key": store.host_key(eid, "A")}, "203.0.113.40")
    old = store.get_table(eid, "A")
    store.save_table(eid, {"id": old["id"], "code": "Z", "theme": old["theme"],
                           "questions": old["questions"]})
    store.save_table(eid, {"code": "A", "theme": "Neuer Tisch", "questions": ["Was noch?"]})
    made, _ = store.add_contribution(eid, "A", "idea", "Am neuen Tisch")
    ack = host.call("mark_key_point", {"id": made["id"], "key_point": True}, timeout=10)
    assert ack["error"]["code"] == "forbidden"


# -- finding 7: a huge websocket frame ----------------------------------------------------


def _websocket(server, address):
    ws = websocket.create_connection(
        server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket",
        header=[f"X-Forwarded-For: {address}"], timeout=10)
    assert ws.recv().startswith("0")  # Engine.IO open packet
    return ws


def test_a_frame_over_the_limit_is_refused_while_it_is_read(guarded):
    ws = _websocket(guarded, "203.0.113.50")
    length = 8 * 1024 * 1024
    mask = b"\x01\x02\x03\x04"
    ws.sock.sendall(b"\x81" + bytes([0x80 | 127]) + struct.pack(">Q", length) + mask)
    chunk = bytes(b ^ mask[i % 4] for i, b in enumerate(b"4" + b"x" * 65535))
    sent, closed_after = 0, None
    ws.sock.settimeout(0.2)
    deadline = time.monotonic() + 20
    try:
        while sent < length and time.monotonic() < deadline:
            ws.sock.sendall(chunk[: min(len(chunk), length - sent)])
            sent += len(chunk)
            try:
                if ws.sock.recv(4096) == b"":
                    closed_after = sent
                    break
                closed_after = sent  # the close frame (1009) came
                break
            except TimeoutError:
                continue
    except OSError:  # reset: the server closed while we still sent
        closed_after = sent
    finally:
        ws.sock.close()
    assert closed_after is not None and closed_after <= 1024 * 1024, closed_after


# -- finding 9: idle connections from one address ----------------------------------------


def test_one_address_cannot_hold_every_connection(guarded):
    held, refused = [], 0
    try:
        for _ in range(25):
            try:
                held.append(_websocket(guarded, "198.51.100.60"))
            except websocket.WebSocketBadStatusException as exc:
                assert exc.status_code == 429
                refused += 1
        assert len(held) == 20 and refused == 5
        # A phone from anywhere else still gets in.
        assert requests.get(guarded.url + "/healthz", timeout=5,
                            headers={"X-Forwarded-For": "203.0.113.61"}).ok
    finally:
        for ws in held:
            ws.close()
    # Released when they close: the address may connect again.
    wait_for(lambda: requests.get(guarded.url + "/healthz", timeout=5,
                                  headers={"X-Forwarded-For": "198.51.100.60"}).ok)


# -- finding 14: trickled headers ------------------------------------------------------------


def test_a_request_whose_headers_never_end_is_closed(guarded):
    sock = socket.create_connection(("127.0.0.1", guarded.port), timeout=10)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    started, closed = time.monotonic(), None
    try:
        for _ in range(40):  # trickle one header line every half second, for 20 s
            time.sleep(0.5)
            sock.sendall(b"X-Trickle: 1\r\n")
    except OSError:
        closed = time.monotonic() - started
    finally:
        sock.close()
    assert closed is not None and closed < 10, closed


# -- finding 8: a flood from one connection -----------------------------------------------------


def test_a_flooding_connection_is_dropped_and_its_address_slowed(guarded, store, clients):
    event = make_event(store, tables=1)
    auth = {"event": event["id"], "role": "participant", "table": "A"}
    flooder = connect(guarded, clients, auth, "198.51.100.70", device="flooder")
    neighbour = connect(guarded, clients, auth, "203.0.113.71", device="neighbour")

    def flood():
        for _ in range(2000):
            if not flooder.connected:
                return
            try:
                flooder.emit("sync_clock", {})
            except Exception:
                return

    thread = threading.Thread(target=flood)
    thread.start()
    wait_for(lambda: not flooder.connected, timeout=15)
    thread.join(15)
    error = requests.get(guarded.url + "/socket.io/?EIO=4&transport=polling", timeout=5,
                         headers={"X-Forwarded-For": "198.51.100.70"})
    assert error.status_code == 429 and error.json()["code"] == "slowed_down"
    assert neighbour.call("sync_clock", {}, timeout=5)["ok"]  # everyone else carries on
    wait_for(lambda: requests.get(guarded.url + "/healthz", timeout=5,
                                  headers={"X-Forwarded-For": "198.51.100.70"}).ok, timeout=10)


def test_one_address_cannot_hold_many_half_open_requests(guarded):
    socks, closed = [], 0
    try:
        for _ in range(25):
            s = socket.socket()
            s.bind(("127.0.0.9", 0))  # another loopback address: not the trusted proxy
            s.connect(("127.0.0.1", guarded.port))
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        time.sleep(1)
        for s in socks:
            s.settimeout(0.2)
            try:
                if s.recv(1) == b"":
                    closed += 1
            except TimeoutError:
                pass
            except OSError:
                closed += 1
        assert closed == 5  # 20 may wait for their headers; the rest are closed at once
    finally:
        for s in socks:
            s.close()
