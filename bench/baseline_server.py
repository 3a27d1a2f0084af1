"""The bare baseline: the least a Flask-SocketIO server can do for one vote.

Same stack as `facilitation serve` (Flask-SocketIO, gevent, simple-websocket, the same
heartbeat, SQLite pragmas and websocket settings), but every handler only commits one
row and acks. Our
server's CPU per accepted dot divided by this one's is the overhead our own code adds
(validation, budget and cap, tally, broadcasts).

Run alone: python bench/baseline_server.py --port 5099 --database /tmp/baseline.db
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402  (gevent must patch the standard library first)
import os  # noqa: E402
import sqlite3  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from flask import Flask  # noqa: E402
from flask_socketio import SocketIO, emit  # noqa: E402

from facilitation import collector, websocket_send, websocket_server  # noqa: E402
from facilitation.capacity import (  # noqa: E402
    freeze_startup_objects,
    gevent_server_options,
    spawn_without_stacks,
)
from facilitation.stalls import StallWatch  # noqa: E402

app = Flask(__name__)
socketio = SocketIO()
db: sqlite3.Connection
lock = threading.Lock()


def commit_one(table: str, value: str) -> int:
    """Insert one row in its own BEGIN IMMEDIATE transaction, like the real store."""
    with lock:
        db.execute("BEGIN IMMEDIATE")
        cur = db.execute(f"INSERT INTO {table} (value, at) VALUES (?, ?)", (value, time.time()))
        db.execute("COMMIT")
        return cur.lastrowid


@app.get("/healthz")
def healthz():
    return "ok"


@socketio.on("connect")
def connect(auth=None):
    """Accept anyone; an empty snapshot tells the client it is in (ours sends a real one)."""
    emit("snapshot", {})


@socketio.on("place_dot")
def place_dot(data=None):
    collector.touch()  # as our handlers do: a message is waiting
    return {"ok": True, "id": commit_one("dots", str(data))}


@socketio.on("submit_contribution")
def submit_contribution(data=None):
    collector.touch()
    return {"ok": True, "id": commit_one("contributions", str(data))}


def main() -> None:
    global db
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    db = sqlite3.connect(args.database, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    for table in ("dots", "contributions"):
        db.execute(f"CREATE TABLE IF NOT EXISTS {table} "
                   "(id INTEGER PRIMARY KEY, value TEXT, at REAL)")
    socketio.init_app(app, async_mode="gevent", ping_interval=10, ping_timeout=20,
                      manage_session=False, cors_allowed_origins=None)
    # Like our server, decline permessage-deflate (it costs memory and CPU per message):
    # otherwise the baseline would pay for compression that ours does not.
    inner = app.wsgi_app

    def without_deflate(environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return inner(environ, start_response)

    app.wsgi_app = without_deflate
    # And the same garbage-collector settings as `facilitation serve`: without them the
    # baseline spends more on collections of a heap full of connections than ours does,
    # which is not a cost of our code or of its.
    if os.environ.get("FACILITATION_STALL_REPORT"):  # as `facilitation serve` does
        StallWatch(os.environ["FACILITATION_STALL_REPORT"]).start()
    spawn_without_stacks()  # and the same greenlets, without their spawning stacks
    websocket_send.install()  # and the same websocket writes
    websocket_server.install()  # and handshakes
    freeze_startup_objects()
    collector.start()  # the same collections (full ones at quiet moments) as ours
    # And the same sockets: a big listen queue, TCP_NODELAY on every connection.
    socketio.run(app, host="127.0.0.1", port=args.port, log_output=False,
                 **gevent_server_options())


if __name__ == "__main__":
    main()
