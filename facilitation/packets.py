"""How Socket.IO messages are encoded: JSON only, never binary attachments; parts a whole
hall shares are encoded once.

python-socketio checks every payload it sends for ``bytes`` by walking it recursively,
once per emit (a snapshot to one phone, a card to a table, an acknowledgement). Our
protocol has no binary messages (docs/api.md), and that walk was a tenth of the server's
CPU when a whole hall reconnected at once. This packet class skips it; a payload that
held bytes would fail to encode (TypeError) instead of being sent as an attachment.
Incoming packets are decoded as before; handlers validate their payloads.

Every phone's snapshot holds the event's tables and groups: with 250 tables, 11 KB of
its 12 KB, and encoding them took 90 of the 100 µs the snapshot's JSON cost, 2,000
times over when a hall reconnects at once. `encoded_once(value)` encodes a value the
store shares unchanged (``Store.shared``) once, and a message that holds the resulting
`RawJSON` gets its text written in as it is.
"""

from __future__ import annotations

import json
import secrets
import threading

from engineio import json as engineio_json
from socketio.packet import Packet

# What stands in for a RawJSON while the rest of a message is encoded: a string no
# value of ours holds (a NUL character and a random part); its encoded form is then
# replaced by the RawJSON's text.
_STAND_IN = f"\x00raw-{secrets.token_hex(8)}-"
_ONCE_AT_MOST = 16  # values kept with their encoding (three per event: event, tables, groups)


class RawJSON:
    """JSON text that goes into a message as it is (it is encoded already)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text


def dumps(obj, **kwargs) -> str:
    """json.dumps, with every RawJSON in `obj` (at any depth) written as its text."""
    raws: list[str] = []

    def default(value):
        if type(value) is RawJSON:
            raws.append(value.text)
            return f"{_STAND_IN}{len(raws) - 1}"
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    text = json.dumps(obj, default=default, **kwargs)
    for i, raw in enumerate(raws):
        text = text.replace(json.dumps(f"{_STAND_IN}{i}"), raw, 1)
    return text


class _PacketJson:
    """The JSON module Socket.IO packets use (``Packet.json``)."""

    dumps = staticmethod(dumps)
    loads = staticmethod(engineio_json.loads)  # as before: integers of 100 digits at most


_once: dict[int, tuple[object, RawJSON]] = {}
_once_lock = threading.Lock()  # the threading mode's handlers run at the same time


def encoded_once(value) -> RawJSON:
    """`value`'s JSON, encoded the first time it is asked for and kept with it.

    Only for values nobody changes while they are in use: the store's shared results
    (``Store.shared``: a new object whenever the database changed). The value is kept
    with its text, so its id is never another's while the text is kept; at most
    _ONCE_AT_MOST are kept, the oldest dropped first."""
    with _once_lock:
        kept = _once.get(id(value))
        if kept is not None and kept[0] is value:
            return kept[1]
        raw = RawJSON(json.dumps(value, separators=(",", ":")))
        if len(_once) >= _ONCE_AT_MOST:
            del _once[next(iter(_once))]
        _once[id(value)] = (value, raw)
        return raw


class JsonPacket(Packet):
    """A Socket.IO packet whose data is always plain JSON (RawJSON parts written as they are)."""

    uses_binary_events = False
    json = _PacketJson
