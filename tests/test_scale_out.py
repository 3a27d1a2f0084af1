"""Scale-out: two server processes sharing Redis behave as one server to their clients.

Starts Debian's redis-server (skipped with the reason when it is not installed) and two
real `facilitation serve` processes over one database with FACILITATION_MESSAGE_QUEUE
set, then connects clients to different processes. With nginx installed, the config
that scripts/cluster.py writes is also run in front of them, with long-polling clients
(which only work when every request of a session reaches the same process).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

import pytest
import redis
import requests

from facilitation.store import Store
from tests.helpers import (
    ROOT,
    Client,
    ServerProcess,
    close_all,
    device_cookie,
    free_port,
    make_event,
    messages,
    wait_for,
)

REDIS = shutil.which("redis-server")
NGINX = shutil.which("nginx")
pytestmark = [pytest.mark.server, pytest.mark.skipif(
    REDIS is None, reason="redis-server is not installed (scripts/system-deps.sh installs it)")]


def load_cluster_script():
    spec = importlib.util.spec_from_file_location("cluster", ROOT / "scripts" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("redis") / "redis.log"
    proc = subprocess.Popen([REDIS, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                             "--appendonly", "no"], stdout=open(log, "wb"),
                            stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    wait_for(lambda: _pings(url), timeout=10)
    yield url
    proc.terminate()
    proc.wait(10)


def _pings(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.fixture(scope="module")
def pair(tmp_path_factory, redis_url):
    """Two server processes over one database and one Redis."""
    tmp = tmp_path_factory.mktemp("pair")
    env = {"FACILITATION_MESSAGE_QUEUE": redis_url}
    first, second = ServerProcess(tmp, extra_env=env), ServerProcess(tmp, extra_env=env)
    first.start()
    second.start()
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def clients():
    made = []

    def connect(url, auth, device=None, transports=("websocket",)):
        # Like a browser, send the device cookie with every request of the session (the
        # client's own `headers` go with the first long-polling request only).
        http = requests.Session()
        if device is not None:
            http.cookies.set("fac_device", device_cookie(device))
        client = Client(reconnection=False, http_session=http)
        client.received = []
        client.on("*", lambda event, data: client.received.append((event, data)))
        headers = {"Cookie": f"fac_device={device_cookie(device)}"} if device is not None else {}
        client.connect(url, auth=auth, headers=headers, transports=list(transports),
                       wait_timeout=10)
        made.append(client)
        wait_for(lambda: messages(client, "snapshot"))
        return client

    yield connect
    close_all(made)


@pytest.fixture
def event(pair):
    store = Store(pair[0].db_path)
    try:
        yield make_event(store, tables=2)
    finally:
        store.close()


def phone_auth(event, table):
    return {"event": event["id"], "role": "participant", "table": table}


def texts(client, name="contribution_added"):
    return [m["contribution"]["text"] for m in messages(client, name)]


def test_clients_on_different_processes_see_each_others_contributions(pair, event, clients):
    one, two = pair
    projector = clients(one.url, {"event": event["id"], "role": "projector"})
    a_on_one = clients(one.url, phone_auth(event, "A"), device=1)
    a_on_two = clients(two.url, phone_auth(event, "A"), device=2)
    b_on_two = clients(two.url, phone_auth(event, "B"), device=3)

    ack = a_on_two.call("submit_contribution", {"kind": "idea", "text": "Sprachcafé im Rathaus"})
    assert ack["ok"]
    # Sent to process two; the projector and the table mate on process one see it.
    wait_for(lambda: "Sprachcafé im Rathaus" in texts(projector))
    wait_for(lambda: "Sprachcafé im Rathaus" in texts(a_on_one))

    ack = a_on_one.call("submit_contribution", {"kind": "need", "text": "Kita-Plätze"})
    assert ack["ok"]
    wait_for(lambda: "Kita-Plätze" in texts(a_on_two))
    wait_for(lambda: "Kita-Plätze" in texts(projector))
    # Rooms still hold across processes: table B heard nothing of table A. B's own
    # contribution goes through the same queue after A's, so A's would have come first.
    assert b_on_two.call("submit_contribution", {"kind": "idea", "text": "Von Tisch B"})["ok"]
    wait_for(lambda: texts(b_on_two))
    assert texts(b_on_two) == ["Von Tisch B"]
    # Each message arrived once, not once per process.
    assert texts(projector).count("Sprachcafé im Rathaus") == 1
    assert texts(a_on_one).count("Kita-Plätze") == 1


def test_dots_on_both_processes_reach_every_projector_in_the_tally(pair, event, clients):
    one, two = pair
    store = Store(one.db_path)
    key = store.facilitator_key(event["id"])
    store.close()
    console = clients(one.url, {"event": event["id"], "role": "console", "key": key})
    projector_one = clients(one.url, {"event": event["id"], "role": "projector"})
    projector_two = clients(two.url, {"event": event["id"], "role": "projector"})
    created = console.call("create_voting_round", {"title": "Leitbild",
                                                   "statements": ["Vielfalt", "Teilhabe"]})
    rnd = console.call("open_voting_round", {"round_id": created["round"]["id"]})["round"]
    first, second = (c["id"] for c in rnd["candidates"])
    voters = [clients(one.url, phone_auth(event, "A"), device=30),
              clients(two.url, phone_auth(event, "A"), device=31),
              clients(two.url, phone_auth(event, "B"), device=32)]
    for n, (phone, candidate) in enumerate(zip(voters, [first, first, second], strict=True)):
        ack = phone.call("place_dot", {"round_id": rnd["id"], "candidate_id": candidate,
                                       "client_id": f"scale-dot-{n:04d}"})
        assert ack["ok"], ack

    def final(projector):
        complete = [t for t in messages(projector, "tally")
                    if t["round_id"] == rnd["id"] and t["dots"] == 3]
        return complete and complete[-1]

    for projector in (projector_one, projector_two, console):
        last = wait_for(lambda p=projector: final(p))
        assert {r["candidate_id"]: r["dots"] for r in last["ranking"]} == {first: 2, second: 1}
        assert last["voters"] == 3


def test_a_reconnect_to_the_other_process_gets_the_same_state(pair, event, clients):
    one, two = pair
    writer = clients(one.url, phone_auth(event, "A"), device=11)
    assert writer.call("submit_contribution", {"kind": "idea", "text": "Patenschaften"})["ok"]
    reader = clients(two.url, phone_auth(event, "A"), device=11)
    snapshot = messages(reader, "snapshot")[0]
    assert [c["text"] for c in snapshot["contributions"]] == ["Patenschaften"]


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light)")
def test_nginx_config_from_cluster_script_keeps_polling_clients_on_their_process(
        pair, event, clients, tmp_path):
    one, two = pair
    port = free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(load_cluster_script().nginx_conf([one.port, two.port], f"127.0.0.1:{port}",
                                                     tmp_path))
    check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"],
                             stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(url), timeout=10)
        projector = clients(url, {"event": event["id"], "role": "projector"})
        # Long-polling: every request of a session must reach the process that holds it.
        phones = [clients(url, phone_auth(event, "A"), device=20 + n, transports=("polling",))
                  for n in range(6)]
        for n, phone in enumerate(phones):
            assert phone.call("submit_contribution", {"kind": "idea", "text": f"Idee {n}"},
                              timeout=10)["ok"]
        wait_for(lambda: len(texts(projector)) == 6)
        for phone in phones:
            wait_for(lambda p=phone: len(texts(p)) == 6)
    finally:
        nginx.terminate()
        nginx.wait(10)


def _answers(url: str) -> bool:
    try:
        return requests.get(url + "/healthz", timeout=1).ok
    except requests.RequestException:
        return False
