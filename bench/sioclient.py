"""A lean Socket.IO v5 client over one raw websocket (Engine.IO v4), for load generation.

Why not python-socketio's AsyncClient: the load generator shares two cores with the
server it measures, so each simulated phone must cost as little client CPU as possible,
and every receipt needs a timestamp taken the moment its frame is read. This client
speaks only what a phone needs: connect with auth, events with acknowledgements,
server events, ping/pong. Like a browser it offers permessage-deflate (the server
accepts it), unless told not to.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed


class ConnectRefused(Exception):
    """The server refused the Socket.IO connection (its error data is the argument)."""


def ws_url(http_url: str) -> str:
    """The Engine.IO websocket endpoint of a server given by its http:// URL."""
    parts = urlsplit(http_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}/socket.io/?EIO=4&transport=websocket"


class SioClient:
    """One simulated browser: a websocket, its Socket.IO session and received events.

    `on[name]` holds a callback (data, receipt_time) for server events; events without
    a callback are counted in `counts` only. Times are time.monotonic(), which is one
    clock for every process on the machine (CLOCK_MONOTONIC), so a send time taken in
    one process can be compared with a receipt time taken in another.
    """

    def __init__(self, url: str, auth: dict, deflate: bool = True,
                 local_addr: tuple[str, int] | None = None):
        self.url = url
        self.auth = auth
        self.deflate = deflate
        self.local_addr = local_addr  # e.g. ("127.0.0.2", 0): another client address
        self.on: dict[str, Callable[[object, float], None]] = {}
        self.counts: dict[str, int] = {}
        self.ws = None
        self.connected = False
        self.closed = asyncio.Event()
        self._acks: dict[int, asyncio.Future] = {}
        self._next_ack = 0
        self._reader: asyncio.Task | None = None
        self._sio_connected: asyncio.Future | None = None

    async def connect(self, timeout: float = 30.0) -> None:
        """Open the websocket and the Socket.IO session; raises on refusal or timeout."""
        self.closed.clear()
        self.ws = await asyncio.wait_for(
            ws_connect(
                ws_url(self.url),
                compression="deflate" if self.deflate else None,
                ping_interval=None,  # Engine.IO has its own heartbeat
                max_size=2**24,
                open_timeout=timeout,
                **({"local_addr": self.local_addr} if self.local_addr else {}),
            ),
            timeout,
        )
        try:
            opening = await asyncio.wait_for(self.ws.recv(), timeout)
            if not opening.startswith("0"):
                raise ConnectionError(f"unexpected Engine.IO open packet: {opening[:80]}")
            loop = asyncio.get_running_loop()
            self._sio_connected = loop.create_future()
            self._reader = asyncio.create_task(self._read())
            await self.ws.send("40" + json.dumps(self.auth, separators=(",", ":")))
            await asyncio.wait_for(self._sio_connected, timeout)
        except BaseException:
            await self.close()  # never leave a half-open websocket behind a failed attempt
            raise
        self.connected = True

    def emit(self, name: str, data) -> asyncio.Future:
        """Send an event that asks for an acknowledgement; the future gets the ack's data."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if not self.connected:
            future.set_exception(ConnectionError("not connected"))
            return future
        self._next_ack += 1
        ack_id = self._next_ack
        self._acks[ack_id] = future
        packet = f"42{ack_id}" + json.dumps([name, data], separators=(",", ":"))
        asyncio.ensure_future(self._send(packet, future))
        return future

    async def call(self, name: str, data, timeout: float = 30.0):
        """emit() and wait for the acknowledgement (asyncio.TimeoutError after timeout)."""
        return await asyncio.wait_for(self.emit(name, data), timeout)

    async def close(self) -> None:
        """Leave politely (Socket.IO disconnect, then the websocket close handshake).

        The server answers our close frame at once but leaves the TCP connection open
        (its WSGI handler still holds the socket), and a websocket client is to wait for
        the server to hang up first: websockets would wait its whole timeout, 5 s a
        phone. A browser gives the server 2 s and then hangs up itself; once the
        server's close frame is in, so do we (still at most 5 s in all).
        """
        if self.ws is not None:
            try:
                if self.connected:
                    await self.ws.send("41")
                closing = asyncio.ensure_future(self.ws.close())
                deadline = time.monotonic() + 5
                while (self.ws.protocol.close_rcvd is None and not closing.done()
                       and time.monotonic() < deadline):
                    await asyncio.sleep(0.01)
                self.ws.transport.close()  # the handshake is done (or timed out): hang up
                await asyncio.wait_for(closing, 5)
            except (TimeoutError, ConnectionClosed, OSError):
                pass
        if self._reader is not None:
            self._reader.cancel()
        self.connected = False

    async def _send(self, packet: str, future: asyncio.Future) -> None:
        try:
            await self.ws.send(packet)
        except (ConnectionClosed, OSError) as exc:
            if not future.done():
                future.set_exception(ConnectionError(str(exc)))

    async def _read(self) -> None:
        try:
            async for message in self.ws:
                received = time.monotonic()
                if message == "2":
                    await self.ws.send("3")
                elif message.startswith("42"):
                    self._event(message, received)
                elif message.startswith("43"):
                    self._ack(message)
                elif message.startswith("40"):
                    if not self._sio_connected.done():
                        self._sio_connected.set_result(True)
                elif message.startswith("44"):
                    if not self._sio_connected.done():
                        self._sio_connected.set_exception(ConnectRefused(message[2:]))
                elif message.startswith("41") or message == "1":
                    break
        except ConnectionClosed:
            pass
        finally:
            self._lost()

    def _event(self, message: str, received: float) -> None:
        start = 2
        while message[start].isdigit():  # server events never ask us for an ack here
            start += 1
        name, *args = json.loads(message[start:])
        self.counts[name] = self.counts.get(name, 0) + 1
        callback = self.on.get(name)
        if callback is not None:
            callback(args[0] if args else None, received)

    def _ack(self, message: str) -> None:
        end = 2
        while message[end].isdigit():
            end += 1
        future = self._acks.pop(int(message[2:end]), None)
        if future is not None and not future.done():
            args = json.loads(message[end:])
            future.set_result(args[0] if args else None)

    def _lost(self) -> None:
        self.connected = False
        for future in self._acks.values():
            if not future.done():
                future.set_exception(ConnectionError("connection lost"))
        self._acks.clear()
        if self._sio_connected is not None and not self._sio_connected.done():
            self._sio_connected.set_exception(ConnectionError("closed before connect"))
        self.closed.set()
