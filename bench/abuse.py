"""Attacks on a real server while a legitimate phone and the projector keep working.

    .venv/bin/python bench/abuse.py [--stuff-seconds 60] [--idle 1000] [--half-open 2000]

Starts `facilitation serve` (gevent) on 127.0.0.1 with the default limits, a running
World Café with an open voting round, then one attack after another, each from its own
loopback address (127.0.0.2 …; the whole 127/8 is the loopback interface on Linux),
while four phones on 127.0.0.1 measure their round trips (`sync_clock`, each phone
within the product's 120 messages a minute), one of them sends a contribution every 4 s
that the projector must show, and a new phone connects at the end of each attack.
Everything stays on loopback, bounded in count and time.

Attacks (issue 13): a flood of 10,000 messages a second from one connection (which
reconnects when dropped); 1,000 idle websockets from one address; ballot stuffing
(a made-up device per connection, a dot each, for --stuff-seconds); 2,000 half-open
requests trickling headers; one 100 MB websocket frame. Prints one line per attack.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import device_token  # noqa: E402
from bench.servers import facilitation_server, free_port  # noqa: E402
from bench.sioclient import SioClient, ws_url  # noqa: E402
from bench.stats import latency_summary  # noqa: E402
from facilitation.config import DEFAULTS  # noqa: E402
from facilitation.store import Store  # noqa: E402

# The server runs with the product's defaults (bench/servers.py raises them for loads).
DEFAULT_LIMITS = {f"FACILITATION_{k}": str(DEFAULTS[k]) for k in (
    "NEW_DEVICES_PER_MINUTE", "NEW_DEVICES_BURST", "CONNECTIONS_PER_ADDRESS",
    "SLOW_DOWN_SECONDS", "HEADER_TIMEOUT_SECONDS", "TICKET_ATTEMPTS_PER_MINUTE")}


def prepare(db: Path) -> dict:
    store = Store(db)
    try:
        event = store.create_event(
            "Missbrauchstest", "2026-11-22",
            tables=[{"code": c, "theme": f"Handlungsfeld {c}", "questions": ["Was brauchen wir?"]}
                    for c in "ABCD"])
        eid = event["id"]
        store.update_event(eid, {"status": "running"})
        rnd = store.create_voting_round(eid, "Was ist am wichtigsten?",
                                        statements=["Sprachkurse", "Wohnraum", "Arbeit"])
        store.open_voting_round(eid, rnd["id"])
        return {"event": eid, "key": store.facilitator_key(eid), "round": rnd["id"],
                "candidate": rnd["candidates"][0]["id"]}
    finally:
        store.close()


class Legitimate:
    """The phones and the projector that must keep working during every attack."""

    PHONES = 4
    PROBE_EVERY = 0.6  # s: 100 probes a minute per phone, under the limit of 120

    def __init__(self, url: str, ev: dict):
        self.url, self.ev = url, ev
        self.phones = [SioClient(url, {"event": ev["event"], "role": "participant",
                                       "table": "A", "device": device_token(900_000 + i)},
                                 deflate=False) for i in range(self.PHONES)]
        self.projector = SioClient(url, {"event": ev["event"], "role": "projector"}, deflate=False)
        self.sent: dict[str, float] = {}
        self.lags: list[float] = []
        self.rtts: list[float] = []
        self.failures = 0
        self.projector.on["contribution_added"] = self._shown

    def _shown(self, data, at: float) -> None:
        started = self.sent.pop(data["contribution"]["text"], None)
        if started is not None:
            self.lags.append(at - started)

    async def start(self) -> None:
        for phone in self.phones:
            await phone.connect()
        await self.projector.connect()

    async def _probe(self, phone: SioClient, end: float, offset: float) -> None:
        await asyncio.sleep(offset)
        while time.monotonic() < end:
            started = time.monotonic()
            try:
                await phone.call("sync_clock", {}, timeout=5)
                self.rtts.append(time.monotonic() - started)
            except (TimeoutError, ConnectionError):
                self.failures += 1
                if not phone.connected:
                    try:
                        await phone.connect(timeout=5)
                    except Exception:  # noqa: BLE001 - counted as a failure, tried again
                        pass
            await asyncio.sleep(max(0.0, self.PROBE_EVERY - (time.monotonic() - started)))

    async def _contribute(self, end: float) -> None:
        n = 0
        while time.monotonic() < end:
            n += 1
            text = f"Beitrag während des Angriffs {time.time():.3f} #{n}"
            self.sent[text] = time.monotonic()
            if self.phones[0].connected:
                self.phones[0].emit("submit_contribution", {"kind": "idea", "text": text})
            await asyncio.sleep(4)

    async def measure(self, seconds: float) -> dict:
        """Round trips and projector lag for `seconds`, then a new phone connects."""
        self.rtts, self.lags, self.failures, self.sent = [], [], 0, {}
        end = time.monotonic() + seconds
        await asyncio.gather(
            self._contribute(end),
            *(self._probe(p, end, i * self.PROBE_EVERY / self.PHONES)
              for i, p in enumerate(self.phones)))
        await asyncio.sleep(1)  # the last contribution's way to the projector
        newcomer = SioClient(self.url, {"event": self.ev["event"], "role": "participant",
                                        "table": "B",
                                        "device": device_token(800_000 + int(time.time()))},
                             deflate=False, local_addr=("127.0.0.3", 0))
        started = time.monotonic()
        try:
            await newcomer.connect(timeout=10)
            connect_ms = round((time.monotonic() - started) * 1000, 1)
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            connect_ms = f"failed: {exc!r}"[:60]
        finally:
            await newcomer.close()
        return {"phone_rtt": latency_summary(self.rtts), "rtt_failures": self.failures,
                "projector_lag": latency_summary(self.lags), "lost_on_projector": len(self.sent),
                "new_phone_connect_ms": connect_ms}

    async def close(self) -> None:
        for phone in self.phones:
            await phone.close()
        await self.projector.close()


async def flood(url: str, ev: dict, seconds: float, rate: int) -> dict:
    """One connection sends `rate` messages a second (acks asked); reconnects when dropped."""
    sent = connections = refused = 0
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        n += 1
        client = SioClient(url, {"event": ev["event"], "role": "participant", "table": "C",
                                 "device": device_token(700_000 + n)}, deflate=False,
                           local_addr=("127.0.0.2", 0))
        try:
            await client.connect(timeout=5)
        except Exception:  # noqa: BLE001 - refused (slowed down) or timed out: try again soon
            refused += 1
            await asyncio.sleep(0.5)
            continue
        connections += 1
        batch = max(1, rate // 100)
        dropped = False
        while client.connected and not dropped and time.monotonic() < end:
            tick = time.monotonic()
            for _ in range(batch):
                client._next_ack += 1
                try:
                    await asyncio.wait_for(
                        client.ws.send(f'42{client._next_ack}["sync_clock",{{}}]'), 1)
                    sent += 1
                except Exception:  # noqa: BLE001 - dropped by the server (or it stopped reading)
                    dropped = True
                    break
            await asyncio.sleep(max(0, 0.01 - (time.monotonic() - tick)))
        asyncio.ensure_future(client.close())
    return {"messages_sent": sent, "connections": connections, "connections_refused": refused}


async def idle_connections(url: str, count: int, address: str) -> tuple[list, dict]:
    """Open `count` Engine.IO websockets from one address and keep them idle."""
    from websockets.asyncio.client import connect as ws_connect

    held, refused, other = [], 0, 0
    for _ in range(count):
        try:
            ws = await ws_connect(ws_url(url), ping_interval=None, compression=None,
                                  local_addr=(address, 0), open_timeout=10)
            held.append(ws)
        except Exception as exc:  # noqa: BLE001 - counted
            if "429" in str(exc):
                refused += 1
            else:
                other += 1
    return held, {"held": len(held), "refused_429": refused, "other_errors": other}


async def stuffing(url: str, ev: dict, seconds: float, workers: int = 8) -> dict:
    """`workers` loops, each a made-up device per connection and one dot: budgets per minute."""
    counts = {"attempts": 0, "budgets": 0, "refused": 0}
    closing = []
    end = time.monotonic() + seconds

    async def one_worker(w: int) -> None:
        while time.monotonic() < end:
            counts["attempts"] += 1
            n = counts["attempts"]
            client = SioClient(url, {"event": ev["event"], "role": "participant",
                                     "device": device_token(600_000 + n)}, deflate=False,
                               local_addr=("127.0.0.5", 0))
            try:
                await client.connect(timeout=5)
                ack = await client.call("place_dot", {"round_id": ev["round"], "candidate_id":
                                                      ev["candidate"], "client_id": f"stuffing-{n}"})
                counts["budgets"] += bool(ack.get("ok"))
            except Exception:  # noqa: BLE001 - refused: too many new devices from this address
                counts["refused"] += 1
            finally:
                closing.append(asyncio.ensure_future(client.close()))  # no wait for the handshake

    await asyncio.gather(*(one_worker(w) for w in range(workers)))
    await asyncio.gather(*closing)
    return {"attempts": counts["attempts"], "budgets_obtained": counts["budgets"],
            "refused": counts["refused"], "budgets_per_minute": round(counts["budgets"] * 60 / seconds, 1)}


def half_open(port: int, count: int, address: str) -> list[socket.socket]:
    """`count` connections that send a request line and one header, then trickle."""
    socks = []
    for _ in range(count):
        s = socket.socket()
        s.setblocking(True)
        s.bind((address, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    return socks


def trickle(socks: list[socket.socket]) -> int:
    """Send one more header byte on each; returns how many are still open."""
    alive = 0
    for s in socks:
        try:
            s.sendall(b"X")
            alive += 1
        except OSError:
            pass
    return alive


def big_frame(port: int, size: int, address: str) -> dict:
    """Send one websocket frame of `size` bytes; how much the server read before closing."""
    s = socket.socket()
    s.bind((address, 0))
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    s.settimeout(10)
    s.recv(4096)  # 101 and the Engine.IO open packet
    mask = b"\0\0\0\0"
    s.sendall(b"\x81\xff" + struct.pack(">Q", size) + mask)
    chunk, sent = b"4" + b"x" * (256 * 1024 - 1), 0
    s.settimeout(0.01)
    started = time.monotonic()
    try:
        while sent < size:
            s.sendall(chunk)
            sent += len(chunk)
            try:
                got = s.recv(65536)
                if got == b"" or b"\x88" in got:
                    break  # closed (code 1009): refused while reading
            except (TimeoutError, BlockingIOError):
                pass
    except OSError:  # reset while we still sent: refused
        pass
    finally:
        s.close()
    return {"frame_mb": size // 2**20, "sent_before_close_kb": sent // 1024,
            "seconds": round(time.monotonic() - started, 2)}


async def main_async(args) -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = facilitation_server(Path(tmp), port, extra_env=DEFAULT_LIMITS)
        db = Path(tmp) / "bench.db"
        ev = prepare(db)
        server.start()
        try:
            legit = Legitimate(server.url, ev)
            await legit.start()
            results = []

            def record(name, attack, during, cpu0):
                results.append({"attack": name, **attack, **during,
                                "server_cpu_s": round(server.cpu_seconds() - cpu0, 1),
                                "server_rss_mb": round(server.rss() / 2**20, 1),
                                "server_open_files": server.ps.num_fds()})
                print(json.dumps(results[-1], ensure_ascii=False), flush=True)

            cpu0 = server.cpu_seconds()
            record("none (baseline)", {}, await legit.measure(args.seconds), cpu0)

            cpu0 = server.cpu_seconds()
            attack, during = await asyncio.gather(
                flood(server.url, ev, args.seconds, 10_000), legit.measure(args.seconds))
            record("flood 10,000 msg/s from one connection", attack, during, cpu0)
            await asyncio.sleep(DEFAULTS["SLOW_DOWN_SECONDS"] + 1)

            cpu0 = server.cpu_seconds()
            held, attack = await idle_connections(server.url, args.idle, "127.0.0.4")
            during = await legit.measure(args.seconds)
            record(f"{args.idle:,} idle websockets from one address", attack, during, cpu0)
            for ws in held:
                await ws.close()

            cpu0 = server.cpu_seconds()
            attack, during = await asyncio.gather(
                stuffing(server.url, ev, args.stuff_seconds), legit.measure(args.stuff_seconds))
            console = SioClient(server.url, {"event": ev["event"], "role": "console",
                                             "key": ev["key"]}, deflate=False)
            await console.connect()
            panel = (await console.call("get_integrity", {"round_id": ev["round"]}))["integrity"]
            await console.close()
            attack["console_sees"] = {k: panel[k] for k in ("voters", "new_voters",
                                                              "most_devices_one_address", "refused")}
            attack["warnings"] = [w["code"] for w in panel["warnings"]]
            record(f"ballot stuffing for {args.stuff_seconds:.0f} s", attack, during, cpu0)

            cpu0 = server.cpu_seconds()
            loop = asyncio.get_running_loop()
            socks = await loop.run_in_executor(None, half_open, port, args.half_open, "127.0.0.6")
            opened = len(socks)
            t0 = time.monotonic()
            measuring = asyncio.ensure_future(legit.measure(DEFAULTS["HEADER_TIMEOUT_SECONDS"] + 5))
            alive = []
            while not measuring.done():  # the trickling runs in a thread: the phones' loop stays free
                still = await loop.run_in_executor(None, trickle, socks)
                alive.append((round(time.monotonic() - t0, 1), still))
                await asyncio.sleep(1)
            during = measuring.result()
            for s in socks:
                s.close()
            all_closed = next((at for at, n in alive if n == 0), None)
            record(f"{args.half_open:,} half-open requests trickling headers",
                   {"opened": opened, "open_after_5s": next(n for at, n in alive if at >= 5),
                    "all_closed_after_s": all_closed}, during, cpu0)

            cpu0 = server.cpu_seconds()
            rss0 = server.rss()
            frame = loop.run_in_executor(None, big_frame, port, 100 * 2**20, "127.0.0.7")
            during = await legit.measure(3)
            attack = await frame
            attack["server_rss_growth_mb"] = round((server.rss() - rss0) / 2**20, 1)
            record("one 100 MB websocket frame", attack, during, cpu0)
            await legit.close()
        finally:
            server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=12, help="length of each flood")
    ap.add_argument("--stuff-seconds", type=float, default=60)
    ap.add_argument("--idle", type=int, default=1000)
    ap.add_argument("--half-open", type=int, default=2000)
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
