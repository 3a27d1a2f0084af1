"""The plan handlers: the console edits the event and its tables, before and during the event."""

from __future__ import annotations

from ..extensions import get_store, socketio
from ..payloads import CopyQuestions, DeleteTable, OrderTables, SaveTable, SaveTranslations, UpdateEvent
from . import broadcast, voting
from .connection import handler


def _announce(event_id: str) -> dict:
    store = get_store()
    with store.read():
        event, tables = store.get_event(event_id), store.tables(event_id)
    broadcast.event_changed(event, tables)
    return {"event": event, "tables": tables}


@socketio.on("update_event")
@handler(UpdateEvent, roles=("console",))
def update_event(conn, p):
    """Sent by the console to change title, date, kind, status or join question."""
    changes = p.changes.model_dump(exclude_unset=True)
    get_store().update_event(conn.event_id, changes)
    return _announce(conn.event_id)


@socketio.on("save_table")
@handler(SaveTable, roles=("console",))
def save_table(conn, p):
    """Sent by the console to add a table (no id) or change one; all clients get the plan."""
    table = get_store().save_table(conn.event_id, p.table.model_dump(exclude_none=True))
    return {"table": table, **_announce(conn.event_id)}


@socketio.on("delete_table")
@handler(DeleteTable, roles=("console",))
def delete_table(conn, p):
    """Sent by the console to delete a table that has no contributions yet."""
    get_store().delete_table(conn.event_id, p.id)
    return _announce(conn.event_id)


@socketio.on("order_tables")
@handler(OrderTables, roles=("console",))
def order_tables(conn, p):
    """Sent by the console to put the tables in a new order (every table's id once)."""
    get_store().order_tables(conn.event_id, p.ids)
    return _announce(conn.event_id)


@socketio.on("copy_questions")
@handler(CopyQuestions, roles=("console",))
def copy_questions(conn, p):
    """Sent by the console to give every table the guiding questions of table `id`."""
    get_store().copy_questions(conn.event_id, p.id)
    return _announce(conn.event_id)


@socketio.on("save_translations")
@handler(SaveTranslations, roles=("console",))
def save_translations(conn, p):
    """Sent by the console's translation editor: one language of the join question and its
    answers, the tables' themes and guiding questions and voting statements (an empty text
    removes a translation); every client gets the plan again, voting clients the rounds."""
    texts = p.model_dump(exclude_unset=True, exclude={"language"})
    get_store().save_translations(conn.event_id, p.language, texts)
    if p.candidates:
        # The rounds whose statements changed, re-announced as a wording change would be.
        named = {int(cid) for cid in p.candidates}
        for rnd in get_store().voting_rounds(conn.event_id, with_hidden=True):
            if any(c["id"] in named for c in rnd["candidates"]):
                voting.announce_round(conn.event_id, rnd)
    return _announce(conn.event_id)
