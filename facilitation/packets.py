"""How Socket.IO messages are encoded: JSON only, never binary attachments.

python-socketio checks every payload it sends for ``bytes`` by walking it recursively,
once per emit (a snapshot to one phone, a card to a table, an acknowledgement). Our
protocol has no binary messages (docs/api.md), and that walk was a tenth of the server's
CPU when a whole hall reconnected at once. This packet class skips it; a payload that
held bytes would fail to encode (TypeError) instead of being sent as an attachment.
Incoming packets are decoded as before; handlers validate their payloads.
"""

from __future__ import annotations

from socketio.packet import Packet


class JsonPacket(Packet):
    """A Socket.IO packet whose data is always plain JSON."""

    uses_binary_events = False
