"""The server raises its open-files limit itself (a stock desktop's 1,024 would cap the hall),
freezes its startup objects, and sends on every connection without Nagle's delay."""

import ctypes
import os
import resource
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from facilitation.capacity import raise_open_files_limit

SYS_PIDFD_GETFD = 438  # the same number on every Linux architecture


def test_soft_limit_of_1024_is_raised_toward_the_hard_limit():
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    # In a child process, so the test runner's own limit stays as it was.
    code = (
        "import resource\n"
        "from facilitation.capacity import raise_open_files_limit\n"
        f"resource.setrlimit(resource.RLIMIT_NOFILE, (1024, {hard}))\n"
        "print(*raise_open_files_limit(8192))\n"
        "print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    reported, actual = out.stdout.splitlines()
    expected = 8192 if hard == resource.RLIM_INFINITY else min(8192, hard)
    assert reported.split() == ["1024", str(expected)]
    assert int(actual) == expected


def test_a_higher_soft_limit_is_kept():
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert raise_open_files_limit(16) == (soft, soft)


def test_startup_objects_are_frozen_and_full_collections_are_rarer():
    code = (
        "import gc\n"
        "import facilitation.app\n"
        "from facilitation.capacity import FULL_COLLECTION_EVERY, freeze_startup_objects\n"
        "frozen = freeze_startup_objects()\n"
        "print(frozen, gc.get_freeze_count(), gc.get_threshold()[2] == FULL_COLLECTION_EVERY)\n"
        "gc.unfreeze()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    frozen, count, rarer = out.stdout.split()
    # Importing the app alone makes tens of thousands of objects the collector now skips.
    assert int(frozen) == int(count) > 10_000
    assert rarer == "True"


def _server_side_socket(pid: int, server_port: int, client_port: int) -> socket.socket:
    """A duplicate of the server process's own accepted socket for this connection.

    The connection is found in /proc/net/tcp (local port = the server's, remote port =
    the client's), its inode among the server's open files, and the descriptor copied
    into this process with pidfd_getfd (Linux 5.6+), so the option read is the one the
    server set on its socket, not one of ours.
    """
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = fields[1], fields[2]
            if (int(local.rsplit(":", 1)[1], 16) == server_port
                    and int(remote.rsplit(":", 1)[1], 16) == client_port):
                inode = fields[9]
    assert inode, "the server's end of the connection is not in /proc/net/tcp"
    fd = next(int(entry.name) for entry in Path(f"/proc/{pid}/fd").iterdir()
              if os.readlink(entry) == f"socket:[{inode}]")
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    try:
        copy = libc.syscall(SYS_PIDFD_GETFD, pidfd, fd, 0)
        if copy < 0:
            err = ctypes.get_errno()
            pytest.skip(f"pidfd_getfd not allowed here: {os.strerror(err)}")
    finally:
        os.close(pidfd)
    return socket.socket(fileno=copy)


def test_every_accepted_connection_sends_without_nagle_delay(server):
    # A plain HTTP keep-alive connection, then a phone's websocket: both are accepted
    # sockets of the real gevent server, and both must have TCP_NODELAY set.
    for path in ("/healthz", "/socket.io/?EIO=4&transport=polling"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as client:
            client.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            assert client.recv(65536).startswith(b"HTTP/1.1 200")
            assert client.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0  # ours: default
            theirs = _server_side_socket(server.proc.pid, server.port, client.getsockname()[1])
            with theirs:
                assert theirs.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0, path


def test_greenlets_are_spawned_without_recording_their_spawning_stack():
    # Socket.IO spawns a greenlet per message: gevent's default records the spawning stack
    # (frame objects) for each; the server turns that off, and the greenlets still run.
    code = (
        "import gevent\n"
        "from facilitation.capacity import spawn_without_stacks\n"
        "before = gevent.spawn(lambda: 1)\n"
        "spawn_without_stacks()\n"
        "after = gevent.spawn(lambda: 2)\n"
        "gevent.joinall([before, after])\n"
        "print(before.spawning_stack is not None, after.spawning_stack is None, after.value)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "2"]


def test_socketio_messages_are_not_matched_against_the_routes(app):
    """Every Socket.IO message runs in a request context of the connection's opening
    request: it gets no URL adapter (no match against every route per message), while
    pages keep theirs — and a socket message still reaches its handler (the suite)."""
    from flask import Request
    from werkzeug.test import EnvironBuilder

    socket_request = Request(EnvironBuilder(path="/socket.io/",
                                            query_string="EIO=4&transport=websocket").get_environ())
    page_request = Request(EnvironBuilder(path="/").get_environ())
    assert app.create_url_adapter(socket_request) is None
    assert app.create_url_adapter(page_request) is not None
    with app.test_client() as client:
        assert client.get("/").status_code == 200
