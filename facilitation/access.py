"""Who may open what: the facilitator key and the table hosts' keys, checked in one place.

Pages, downloads, the JSON API and the socket handshake all refuse the same way
(`AppError("forbidden")`); the comparison itself is the store's, in constant time.
"""

from __future__ import annotations

from flask import request

from .errors import AppError
from .extensions import get_store
from .store import Store


def check_facilitator(store: Store, event_id: str, key) -> None:
    """Refuse unless key is the event's facilitator key."""
    if not store.check_facilitator_key(event_id, key):
        raise AppError("forbidden")


def check_host(store: Store, event_id: str, table, key) -> None:
    """Refuse unless key is the host key of that table of the event."""
    if not store.check_host_key(event_id, table, key):
        raise AppError("forbidden")


def require_facilitator(event_id: str, header: bool = False) -> str:
    """For an HTTP route: the facilitator key of the request (`?key=`), refused unless right.

    With header=True (the JSON API and downloads), an `X-Facilitator-Key` header counts too.
    """
    key = (request.headers.get("X-Facilitator-Key") if header else None) or request.args.get("key")
    check_facilitator(get_store(), event_id, key)
    return key
