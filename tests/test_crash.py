"""Crash safety: SIGKILL the real server mid-burst; nothing acknowledged is lost, and
after the phones resend their outboxes every contribution and dot is stored exactly once.

The phones here behave like static/js/phone.js: each contribution gets a client id and
stays in the phone's outbox until its acknowledgement arrives; on reconnect the outbox is
sent again. The figures are printed (run with -s to see them).
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
import socketio as sio_lib

from facilitation.store import Store
from tests.helpers import Client, ServerProcess, close_all, device_cookie, make_event, wait_for

pytestmark = [pytest.mark.server, pytest.mark.slow]  # own server process, killed mid-burst

PHONES = 16
PER_PHONE = 30  # contributions per phone
DOTS_PER_PHONE = 6  # two dots on each of three statements, interleaved with the texts
CANDIDATES = 3
KILL_AFTER_ACKS = (PHONES * (PER_PHONE + DOTS_PER_PHONE)) // 3  # mid-burst: a third acked
SEND_PAUSE = 0.02  # seconds between two sends of one phone
IN_FLIGHT = 8  # unacknowledged sends one phone has out at most

# Limits raised so that the burst, not the rate limiter, is what meets the kill.
BURST_ENV = {
    "FACILITATION_CONTRIBUTIONS_PER_MINUTE": "100000",
    "FACILITATION_MESSAGES_PER_MINUTE": "100000",
    "FACILITATION_DEVICE_MESSAGES_PER_MINUTE": "100000",
    "FACILITATION_CONTRIBUTIONS_PER_TABLE": "100000",
}


class Phone:
    """A simulated phone: an outbox of contributions, acknowledged ones removed."""

    def __init__(self, n: int, event_id: str, table: str, round_id: int, candidates: list[int]):
        self.n, self.event_id, self.table = n, event_id, table
        self.outbox = [
            ("submit_contribution",
             {"client_id": uuid.uuid4().hex, "kind": "idea", "text": f"Phone {n} idea {i}"})
            for i in range(PER_PHONE)
        ]
        step = PER_PHONE // DOTS_PER_PHONE
        for d in range(DOTS_PER_PHONE):  # a dot after every few contributions
            dot = {"round_id": round_id, "candidate_id": candidates[d % CANDIDATES],
                   "client_id": uuid.uuid4().hex}
            self.outbox.insert(d * (step + 1) + step, ("place_dot", dot))
        self.acked: dict[str, dict] = {}
        self.lock = threading.Lock()
        self.client = None

    def connect(self, url: str) -> None:
        self.client = Client(reconnection=False)
        self.client.connect(
            url, auth={"event": self.event_id, "role": "participant", "table": self.table},
            headers={"Cookie": f"fac_device={device_cookie(f'crash{self.n}')}"},
            transports=["websocket"], wait_timeout=10,
        )

    def burst(self, on_ack) -> None:
        """Send every unacknowledged item quickly, up to IN_FLIGHT ahead of the acks.

        A short pause between sends (16 phones together still offer ~800 per second)
        and the cap on unacknowledged sends keep the burst going while the kill lands,
        instead of all of it being queued in the server before the first
        acknowledgements come back (which happened on a busy machine, where the server
        answers late: the whole burst was stored before the test could kill it).
        """
        window = threading.Semaphore(IN_FLIGHT)
        for name, item in self.pending():
            while not window.acquire(timeout=0.2):
                if not self.client.connected:
                    return  # the server is gone: the rest stays in the outbox
            time.sleep(SEND_PAUSE)
            def done(ack, item=item):
                window.release()
                if isinstance(ack, dict) and ack.get("ok"):
                    with self.lock:
                        self.acked[item["client_id"]] = ack
                    on_ack(ack)
            try:
                self.client.emit(name, item, callback=done)
            except sio_lib.exceptions.SocketIOError:
                return  # the server is gone: the rest stays in the outbox

    def pending(self) -> list[tuple[str, dict]]:
        with self.lock:
            return [(n, i) for n, i in self.outbox if i["client_id"] not in self.acked]


def stored_dots(store, event_id: str) -> list[dict]:
    """Every row of the dot ledger of the event, with its client id."""
    with store.read():
        return store.rows("SELECT client_id, candidate_id, delta FROM dots WHERE event_id = ?",
                          [event_id])


@pytest.mark.timeout(120)
def test_sigkill_mid_burst_loses_nothing_acknowledged_and_resend_makes_no_duplicate(tmp_path):
    server = ServerProcess(tmp_path, extra_env=BURST_ENV)
    store = Store(server.db_path)
    event = make_event(store, tables=4)
    eid = event["id"]
    store.update_event(eid, {"status": "running"})
    vote = store.create_voting_round(eid, "Prioritäten", budget=DOTS_PER_PHONE, cap=3,
                                     statements=[f"Aussage {i}" for i in range(CANDIDATES)])
    store.open_voting_round(eid, vote["id"])
    candidates = [c["id"] for c in store.voting_round(eid, vote["id"])["candidates"]]
    phones = [Phone(n, eid, "ABCD"[n % 4], vote["id"], candidates) for n in range(PHONES)]
    server.start()
    try:
        for phone in phones:
            phone.connect(server.url)

        acks = {"n": 0}
        enough = threading.Event()
        count_lock = threading.Lock()

        def on_ack(_ack):
            with count_lock:
                acks["n"] += 1
                if acks["n"] >= KILL_AFTER_ACKS:
                    enough.set()

        threads = [threading.Thread(target=p.burst, args=(on_ack,)) for p in phones]
        for t in threads:
            t.start()
        assert enough.wait(30), "the burst never reached the kill point"
        server.stop(kill=True)  # SIGKILL: no shutdown handler, no flush, nothing
        for t in threads:
            t.join(10)
        acked_at_kill = {cid for p in phones for cid in p.acked}
        close_all([p.client for p in phones])

        # 1. Every acknowledged write is in the database (read before any restart).
        rows = store.contributions(eid, include_hidden=True)
        dots_at_kill = stored_dots(store, eid)
        stored = {r["client_id"] for r in rows} | {d["client_id"] for d in dots_at_kill}
        lost = acked_at_kill - stored
        committed_unacked = stored - acked_at_kill
        assert not lost, f"{len(lost)} acknowledged writes lost"
        assert len(rows) < PHONES * PER_PHONE, "the kill did not land mid-burst"

        # 2. Restart; every phone resends its outbox (everything without an ack).
        server.start()
        resent = sum(len(p.pending()) for p in phones)
        for phone in phones:
            phone.connect(server.url)
        duplicates_answered = []
        for phone in phones:
            for name, item in phone.pending():
                ack = phone.client.call(name, item, timeout=10)
                assert ack["ok"], ack
                with phone.lock:
                    phone.acked[item["client_id"]] = ack
                if ack["duplicate"]:
                    duplicates_answered.append(item["client_id"])
        close_all([p.client for p in phones])
        wait_for(lambda: len(store.contributions(eid, include_hidden=True)) >= PHONES * PER_PHONE)

        # 3. Totals equal what the phones meant to send, with no duplicate.
        rows = store.contributions(eid, include_hidden=True)
        meant = {i["client_id"]: (p.n, i["text"]) for p in phones
                 for name, i in p.outbox if name == "submit_contribution"}
        texts = [r["text"] for r in rows]
        assert len(rows) == len(meant) == PHONES * PER_PHONE
        assert {r["client_id"] for r in rows} == set(meant)
        assert len(set(texts)) == len(texts), "a contribution is stored twice"
        assert sorted(texts) == sorted(text for _, text in meant.values())
        # The committed-but-unacknowledged ones came back as duplicates, not new rows.
        assert set(duplicates_answered) == committed_unacked
        for table in "ABCD":
            expected = sum(PER_PHONE for p in phones if p.table == table)
            assert len([r for r in rows if r["table"] == table]) == expected
        dots = stored_dots(store, eid)
        meant_dots = {i["client_id"]: i["candidate_id"] for p in phones
                      for name, i in p.outbox if name == "place_dot"}
        assert len(dots) == len(meant_dots) == PHONES * DOTS_PER_PHONE
        assert {d["client_id"] for d in dots} == set(meant_dots)
        for candidate in candidates:  # every phone: two dots on each statement
            assert sum(d["delta"] for d in dots if d["candidate_id"] == candidate) == PHONES * 2

        writes = len(meant) + len(meant_dots)
        print(
            f"\ncrash safety: {PHONES} phones x ({PER_PHONE} contributions + {DOTS_PER_PHONE} dots)"
            f" = {writes} writes meant; SIGKILL after {len(acked_at_kill)} acks: "
            f"{len(committed_unacked)} committed but unacknowledged, "
            f"{writes - len(acked_at_kill) - len(committed_unacked)} not yet stored; "
            f"lost acknowledged: {len(lost)}; resent after restart: {resent}; "
            f"answered as duplicate: {len(duplicates_answered)}; after resend "
            f"{len(rows)} contributions and {len(dots)} dots, duplicates: "
            f"{len(texts) - len(set(texts))} + {len(dots) - len({d['client_id'] for d in dots})}"
        )
    finally:
        server.stop(kill=True)
        store.close()
