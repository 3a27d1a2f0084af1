"""Server → client messages that follow a change; each says which rooms hear it."""

from __future__ import annotations

from socketio import PubSubManager

from ..audiences import console_contribution, public_contribution
from ..extensions import get_store, socketio
from ..rooms import console_room, event_room, everyone, table_room


def contribution_changed(contribution: dict, version: int, created: bool = False) -> None:
    """`contribution_added`/`contribution_updated` to its table, projector and console.

    A hidden contribution reaches phones and projector as `contribution_removed`, so it
    disappears there at once; the console keeps seeing it, marked hidden.
    """
    eid, code = _event_of(contribution), contribution["table"]
    name = "contribution_added" if created else "contribution_updated"
    socketio.emit(
        name, {"version": version, "contribution": console_contribution(contribution)},
        to=console_room(eid),
    )
    if contribution["hidden"]:
        public = {"version": version, "id": contribution["id"], "table": code,
                  "merged": contribution["merged_into"] is not None}
        socketio.emit("contribution_removed", public, to=[event_room(eid), table_room(eid, code)])
    else:
        public = {"version": version, "contribution": public_contribution(contribution)}
        socketio.emit(name, public, to=[event_room(eid), table_room(eid, code)])


def contributions_stored(event_id: str, contributions: list[dict], created: bool = False,
                         after_ack: bool = False) -> None:
    """`contribution_changed` for each contribution a write just stored, with the event
    version that write reached (read once here: the store's verbs return contributions).

    after_ack: send them from a new greenlet, so the handler's acknowledgement goes out
    first. A phone's card reaches about fifty sockets at its table; the sender waited
    for all of them before hearing "saved" (ack p99 31 ms with 2,000 phones, 10 ms
    goal). Greenlets start in the order they were made, so broadcasts keep their order.
    """
    version = get_store().version(event_id)
    if after_ack:
        socketio.start_background_task(_send_changed, contributions, version, created)
    else:
        _send_changed(contributions, version, created)


def _send_changed(contributions: list[dict], version: int, created: bool) -> None:
    for contribution in contributions:
        contribution_changed(contribution, version, created=created)


def event_changed(event: dict, tables: list[dict]) -> None:
    """`event_updated` with the whole plan to every client of the event."""
    eid = event["id"]
    payload = {"version": event["version"], "event": event, "tables": tables}
    socketio.emit("event_updated", payload, to=everyone(eid))


def _event_of(contribution: dict) -> str:
    return contribution["event_id"]


def event_begun(event_id: str) -> None:
    """The first round, vote or agenda phase began: the event is running; tell everyone."""
    store = get_store()
    if store.begin_event(event_id):
        with store.read():
            event, tables = store.get_event(event_id), store.tables(event_id)
        event_changed(event, tables)


def to_other_tabs(name: str, data: dict, room: str, sid: str) -> None:
    """`name` to the sockets in a device's room other than `sid` (its other tabs).

    Almost always there is no other tab: then nothing is encoded or sent, which was a
    twentieth of a dot's CPU. With a message queue another process may hold a tab, so
    the message always goes through the queue.
    """
    manager = socketio.server.manager
    if not isinstance(manager, PubSubManager) and not any(
            other != sid for other, _ in manager.get_participants("/", room)):
        return
    socketio.emit(name, data, to=room, skip_sid=sid)
