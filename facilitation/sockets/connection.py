"""Who is on the other end of a socket: authorisation at connect, snapshots, the handler wrapper."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room

from ..errors import AppError
from ..extensions import get_store, socketio
from ..i18n import SOCKET_LANG_KEY
from ..i18n import valid as valid_language
from ..payloads import parse
from ..rooms import console_room, device_room, event_room, phones_room, table_room
from ..security import DEVICE_COOKIE, valid_device_token
from ..snapshots import snapshot_for
from . import limits

log = logging.getLogger(__name__)

ROLES = ("participant", "projector", "console", "host")


@dataclass
class Connection:
    """What the server knows about one socket, fixed at connect."""

    event_id: str
    role: str
    table: str | None = None
    participant_id: int | None = None
    device: str | None = None


# sid -> Connection. Per process: with several processes, sticky sessions keep a
# client on the process that holds its entry.
connections: dict[str, Connection] = {}


def current() -> Connection | None:
    """The connection of the socket whose message is being handled."""
    return connections.get(request.sid)


def _device_token(auth: dict) -> str | None:
    """The device token from the cookie of the handshake (browsers), else from auth."""
    cookie = SimpleCookie()
    try:
        cookie.load(request.environ.get("HTTP_COOKIE", ""))
    except Exception:  # a malformed cookie header is treated as no cookie
        cookie = SimpleCookie()
    token = cookie[DEVICE_COOKIE].value if DEVICE_COOKIE in cookie else auth.get("device")
    return token if valid_device_token(token) else None


def remember_language(code) -> None:
    """The language of the page that opened the socket: every later message's errors use it.

    Without a valid `lang` in auth the socket keeps the handshake's `lang` cookie or
    Accept-Language (i18n.select_locale), so non-browser clients need not send one.
    """
    if valid_language(code):
        request.environ[SOCKET_LANG_KEY] = code


def _refusal(exc: AppError) -> ConnectionRefusedError:
    """The refusal a client's connect_error receives: the message, and {code, message} as data.

    (One dict argument alone would reach the client as its str() in `message`.)
    """
    return ConnectionRefusedError(exc.message(), exc.as_dict())


def _refuse(code: str, **params):
    raise _refusal(AppError(code, **params))


@socketio.on("connect")
def connect(auth=None):
    """Sent by every client on (re)connect; auth says who it is. Answered with `snapshot`."""
    if not isinstance(auth, dict):
        _refuse("invalid_payload", detail="auth")
    remember_language(auth.get("lang"))
    store = get_store()
    event_id, role = auth.get("event"), auth.get("role")
    if not isinstance(event_id, str) or role not in ROLES:
        _refuse("invalid_payload", detail="auth")
    late = None
    try:
        store.get_event(event_id)
        conn = Connection(event_id=event_id, role=role)
        if role == "participant":
            token = _device_token(auth)
            if token is None:
                _refuse("forbidden")
            # Without a table (the voting page) a phone hears only what concerns all phones.
            table = auth.get("table")
            if table is not None and not isinstance(table, str):
                _refuse("invalid_payload", detail="table")
            if table is not None:
                store.get_table(event_id, table)
            conn.table = table
            conn.device = token
            conn.participant_id = store.participant(event_id, token)["id"]
            if table is not None:
                join_room(table_room(event_id, table))
                # Arrived after the rotation plan was made: seated where there is room
                # (the snapshot below carries the seats; the console's plan grows).
                late = store.seat_latecomer(event_id, conn.participant_id)
            join_room(phones_room(event_id))
            join_room(device_room(event_id, conn.participant_id))
        elif role == "projector":
            join_room(event_room(event_id))
        elif role == "console":
            if not store.check_facilitator_key(event_id, auth.get("key")):
                _refuse("forbidden")
            join_room(console_room(event_id))
        elif role == "host":
            # A table host holds the secret key of that one table (the host link).
            table = auth.get("table")
            if not store.check_host_key(event_id, table, auth.get("key")):
                _refuse("forbidden")
            conn.table = table
            join_room(table_room(event_id, table))
            join_room(phones_room(event_id))
    except AppError as exc:
        raise _refusal(exc) from None
    connections[request.sid] = conn
    emit("snapshot", snapshot_for(store, conn, current_app))
    if late:
        emit("rotation_planned", {"rotation": store.rotation(event_id)}, to=console_room(event_id))


@socketio.on("disconnect")
def disconnect(reason=None):
    """Forget the socket; rooms are left by Socket.IO itself."""
    connections.pop(request.sid, None)
    limits.forget_connection(request.sid)


def handler(model, roles=ROLES):
    """Wrap a message handler: check role, validate the payload, always acknowledge.

    The wrapped function gets (conn, payload) and returns the ack's data; an AppError
    becomes {"ok": false, "error": …}; an unexpected exception is logged and reported
    as an internal error without crashing the connection.
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(data=None, *extra):
            conn = current()
            try:
                if conn is None:
                    raise AppError("not_joined")
                if conn.role not in roles:
                    raise AppError("forbidden")
                limits.check_message(conn, request.sid)
                if extra:
                    raise AppError("invalid_payload", detail="one argument expected")
                result = fn(conn, parse(model, data))
            except AppError as exc:
                return exc.ack()
            except Exception:
                log.exception("handler %s failed", fn.__name__)
                return {"ok": False, "error": {"code": "internal", "message": "Internal error"}}
            return {"ok": True, **(result or {})}

        return wrapper

    return decorate


def server_time() -> float:
    """Server clock in milliseconds since the epoch, for clients to measure their offset."""
    return time.time() * 1000
