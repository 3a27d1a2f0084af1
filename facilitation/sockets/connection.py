"""Who is on the other end of a socket: the connect handshake (its audience admits it and
names its snapshot), and the wrapper every message handler runs in."""

from __future__ import annotations

import functools
import logging
import time

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, emit, join_room

from .. import collector
from ..audiences import AUDIENCES, ROLES, Connection, snapshot_for
from ..devices import handshake_device_token
from ..errors import AppError
from ..extensions import get_store, socketio
from ..i18n import SOCKET_LANG_KEY
from ..i18n import valid as valid_language
from ..payloads import parse
from ..rooms import console_room
from . import limits

log = logging.getLogger(__name__)

# sid -> Connection. Per process: with several processes, sticky sessions keep a
# client on the process that holds its entry.
connections: dict[str, Connection] = {}


def current() -> Connection | None:
    """The connection of the socket whose message is being handled."""
    return connections.get(request.sid)


def remember_language(code) -> None:
    """The language of the page that opened the socket: every later message's errors use it.

    The pages send it twice, as `?lang=` on the handshake and as `lang` in auth; a client
    that sends neither keeps the handshake's `lang` cookie or Accept-Language
    (i18n.select_locale).
    """
    if valid_language(code):
        request.environ[SOCKET_LANG_KEY] = code


def _refused(error: AppError) -> ConnectionRefusedError:
    """The refusal as browsers read it: `err.message` the reason in the handshake's
    language, `err.data` the error object {code, message} (a single argument would
    reach the browser as the dict's Python repr)."""
    details = error.as_dict()
    return ConnectionRefusedError(details["message"], details)


def _refuse(code: str, **params):
    raise _refused(AppError(code, **params))


def _admit_device(guard, event_id: str, address: str) -> None:
    """A device this event has not seen yet: within the address's budget of new devices?"""
    if not guard.devices.allow(address):
        guard.refusals.record(event_id, "too_many_devices")
        raise AppError("too_many_devices")


@socketio.on("connect")
def connect(auth=None):
    """Sent by every client on (re)connect; auth says who it is. Answered with `snapshot`.

    Which rooms a socket joins and what its snapshot holds is its audience's to say
    (facilitation/audiences/).
    """
    if not isinstance(auth, dict):
        _refuse("invalid_payload", detail="auth")
    remember_language(auth.get("lang"))
    store = get_store()
    event_id, role = auth.get("event"), auth.get("role")
    if not isinstance(event_id, str) or role not in ROLES:
        _refuse("invalid_payload", detail="auth")
    guard = current_app.extensions["guard"]
    address = guard.address(request.environ)
    try:
        store.shared("get_event", event_id)  # exists? (AppError unknown_event if not)
        conn = Connection(event_id=event_id, role=role, address=address,
                          address_tag=guard.tag(address),
                          new_device_check=lambda: _admit_device(guard, event_id, address))
        admission = AUDIENCES[role].admit(store, conn, auth,
                                          handshake_device_token(request.environ, auth))
    except AppError as exc:
        raise _refused(exc) from None
    for room in admission.rooms:
        join_room(room)
    connections[request.sid] = conn
    emit("snapshot", snapshot_for(store, conn, current_app))
    if admission.rotation_grew:
        emit("rotation_planned", {"rotation": store.rotation(event_id)}, to=console_room(event_id))


@socketio.on("disconnect")
def disconnect(reason=None):
    """Forget the socket; rooms are left by Socket.IO itself."""
    connections.pop(request.sid, None)
    limits.forget_connection(request.sid)
    current_app.extensions["guard"].forget(request.sid)


def handler(model, roles=ROLES):
    """Wrap a message handler: check role, validate the payload, always acknowledge.

    The wrapped function gets (conn, payload) and returns the ack's data; an AppError
    becomes {"ok": false, "error": …}; an unexpected exception is logged and reported
    as an internal error without crashing the connection.
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(data=None, *extra):
            collector.touch()  # someone is waiting: no full collection now
            sid = request.sid
            conn = connections.get(sid)
            try:
                if conn is None:
                    raise AppError("not_joined")
                if conn.role not in roles:
                    raise AppError("forbidden")
                limits.check_message(conn, sid)
                if conn.role == "host" and not get_store().check_host_key(
                        conn.event_id, conn.table, conn.key):
                    # The table was renamed (or deleted) since: its successor under the
                    # same code has another key, and this link no longer opens anything.
                    raise AppError("forbidden")
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
