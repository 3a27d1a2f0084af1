"""The indexed client manager keeps exactly python-socketio's rooms: the same operations on
both leave the same rooms, members and answers, only a disconnect is cheaper."""

from __future__ import annotations

import socketio
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation import create_app
from facilitation import socketio as app_socketio
from facilitation.room_manager import IndexedManager, IndexedRedisManager, manager

NAMESPACES = ["/", "/other"]
ROOMS = ["table:A", "table:B", "event:x", "device:1"]

operation = st.one_of(
    st.tuples(st.just("connect"), st.integers(0, 5), st.sampled_from(NAMESPACES)),
    st.tuples(st.just("enter"), st.integers(0, 5), st.sampled_from(NAMESPACES), st.sampled_from(ROOMS)),
    st.tuples(st.just("leave"), st.integers(0, 5), st.sampled_from(NAMESPACES), st.sampled_from(ROOMS)),
    st.tuples(st.just("close"), st.sampled_from(NAMESPACES), st.sampled_from(ROOMS)),
    st.tuples(st.just("disconnect"), st.integers(0, 5), st.sampled_from(NAMESPACES)),
)


SERVER = socketio.Server()  # what a manager asks its server for: new ids, the JSON module


def _run(mgr, operations):
    """Apply the operations; returns the manager's rooms and each client's rooms."""
    mgr.set_server(SERVER)
    sids: dict[tuple[int, str], str] = {}
    for op in operations:
        if op[0] == "connect":
            _, client, ns = op
            if (client, ns) not in sids:
                sid = mgr.connect(f"eio-{client}", ns)
                if sid is not None:
                    sids[client, ns] = sid
        elif op[0] == "close":
            mgr.close_room(op[2], op[1])
        else:
            client, ns = op[1], op[2]
            sid = sids.get((client, ns))
            if sid is None:
                continue
            if op[0] == "enter":
                mgr.enter_room(sid, ns, op[3])
            elif op[0] == "leave":
                mgr.leave_room(sid, ns, op[3])
            else:  # as python-socketio's server does it
                mgr.pre_disconnect(sid, ns)
                mgr.disconnect(sid, ns)
                del sids[client, ns]
    # sids are random: name each by its client so the two runs compare
    name = {sid: f"c{client}{ns}" for (client, ns), sid in sids.items()}
    rooms = {ns: {name.get(room, room): sorted(name.get(s, s) for s in members)
                  for room, members in by_room.items()}
             for ns, by_room in mgr.rooms.items()}
    rooms_of = {f"c{client}{ns}": sorted(name.get(r, r) for r in mgr.get_rooms(sid, ns))
                for (client, ns), sid in sids.items()}
    pending = [{ns: len(p) for ns, p in waiting.items()}
               for waiting in (mgr.pending_connect, mgr.pending_disconnect)]
    return rooms, rooms_of, pending


@settings(max_examples=300, deadline=None)
@given(st.lists(operation, max_size=40))
def test_the_same_operations_leave_the_same_rooms_as_python_socketio(operations):
    assert _run(IndexedManager(), operations) == _run(socketio.Manager(), operations)


def test_a_disconnect_leaves_every_room_of_the_client_and_no_other():
    server = socketio.Server(client_manager=IndexedManager())
    mgr = server.manager
    phones = [mgr.connect(f"eio-{n}", "/") for n in range(3)]
    for sid in phones:
        mgr.enter_room(sid, "/", "table:A")
    mgr.enter_room(phones[0], "/", "device:1")
    mgr.disconnect(phones[0], "/")
    assert sorted(mgr.rooms["/"]["table:A"]) == sorted(phones[1:])
    assert "device:1" not in mgr.rooms["/"]  # its last member left: the room is gone
    assert phones[0] not in mgr.rooms["/"] and phones[0] not in mgr.rooms["/"][None]
    assert mgr.rooms_of.get(("/", phones[0])) is None
    assert sorted(mgr.get_rooms(phones[1], "/")) == sorted([phones[1], "table:A"])


def test_the_app_uses_the_indexed_manager_with_and_without_redis(tmp_path):
    create_app({"DATABASE": str(tmp_path / "r.db"), "INSTANCE_DIR": str(tmp_path / "i")})
    assert isinstance(app_socketio.server.manager, IndexedManager)
    redis = manager("redis://127.0.0.1:6399/0")["client_manager"]  # connects when first used
    assert isinstance(redis, IndexedRedisManager) and redis.channel == "flask-socketio"
    assert manager("amqp://guest@localhost//") == {}  # another queue: Flask-SocketIO's own
