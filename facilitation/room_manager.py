"""Socket.IO's client manager, with an index of the rooms each client is in.

python-socketio keeps, per namespace, a dict of rooms (every client is also a room of
its own) and, when a client leaves, copies that dict and tests the client's membership
in every room of the server: O(rooms) per disconnect. A hall of 2,000 phones has over
4,000 rooms (each phone's own, each device's tabs, tables, the event), so 2,000 phones
closing together tested 8 million memberships, held the loop for up to 220 ms, and the
same cost hit every single disconnect in proportion to the hall. With the index a client
leaves its own few rooms. The same for `get_rooms`.

`manager(url)` gives the in-process manager, or the Redis one for several processes
(docs/scaling.md), each with the index. The rooms themselves stay python-socketio's.
"""

from __future__ import annotations

import socketio


class RoomIndex:
    """Mixin for a python-socketio manager: which rooms each client is in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rooms_of: dict[tuple[str, str], set] = {}  # (namespace, sid) -> rooms

    def basic_enter_room(self, sid, namespace, room, eio_sid=None):
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self.rooms_of.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid, namespace, room):
        super().basic_leave_room(sid, namespace, room)
        rooms = self.rooms_of.get((namespace, sid))
        if rooms is not None:
            rooms.discard(room)
            if not rooms:
                del self.rooms_of[namespace, sid]

    def basic_disconnect(self, sid, namespace, **kwargs):
        """As python-socketio's, but leaving only the client's own rooms."""
        if namespace not in self.rooms:
            return
        for room in list(self.rooms_of.get((namespace, sid), ())):
            self.basic_leave_room(sid, namespace, room)
        self.rooms_of.pop((namespace, sid), None)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            if sid in pending.get(namespace, ()):
                pending[namespace].remove(sid)
                if not pending[namespace]:
                    del pending[namespace]

    def get_rooms(self, sid, namespace):
        """The rooms a client is in (its own room included, as python-socketio's)."""
        return [room for room in self.rooms_of.get((namespace, sid), ()) if room is not None]


class IndexedManager(RoomIndex, socketio.Manager):
    """One server process."""


class IndexedRedisManager(RoomIndex, socketio.RedisManager):
    """Several server processes, through Redis."""


def manager(message_queue: str | None = None, channel: str = "flask-socketio") -> dict:
    """Keyword arguments for `socketio.init_app`: the indexed manager, in-process or over
    Redis (the channel Flask-SocketIO would have used); none for another kind of queue,
    which Flask-SocketIO then sets up itself, without the index."""
    if not message_queue:
        return {"client_manager": IndexedManager()}
    if message_queue.startswith(("redis://", "rediss://")):
        return {"client_manager": IndexedRedisManager(message_queue, channel=channel,
                                                      write_only=False)}
    return {}
