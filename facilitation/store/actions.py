"""The facilitator actions log: appending and reading it, and what the ids in an entry's
detail (and in JSON id lists of other tables) refer to, so an export renumbers and an import
shifts them like the rows they name."""

from __future__ import annotations

import json

# The database table that the "id" in an action's detail names, per action, so an export
# renumbers it and an import shifts it like the row it refers to.
ACTION_ID_TABLE = {
    "contribution_hidden": "contributions", "contribution_shown": "contributions",
    "contribution_edited": "contributions", "key_point_marked": "contributions",
    "key_point_unmarked": "contributions",
    "table_changed": "tables", "table_deleted": "tables",
    "voting_round_created": "voting_rounds", "voting_round_opened": "voting_rounds",
    "voting_round_closed": "voting_rounds", "voting_round_deleted": "voting_rounds",
    "impulse_hidden": "impulses", "impulse_shown": "impulses",
    "contribution_merged": "contributions", "questions_copied": "tables",
    "survey_created": "surveys", "survey_opened": "surveys", "survey_closed": "surveys",
    "survey_changed": "surveys", "survey_response_deleted": "surveys",
    "catalogue_row_added": "catalogue_rows", "catalogue_row_deleted": "catalogue_rows",
    "catalogue_rows_joined": "catalogue_rows",
}
# Keys of an action's detail besides "id" that name a row of the same table.
ACTION_MORE_IDS = {"contribution_merged": ("into", "from")}


# Columns holding a JSON list of ids of another database table: export renumbers and
# import shifts them like the rows they name (a catalogue row's source contributions).
JSON_ID_LISTS = {("catalogue_rows", "sources"): "contributions"}


def remap_id_list(text, table: str, new_id) -> str:
    """A JSON list of ids (text) with each id replaced by new_id(table, id); ids that name
    no row any more are dropped. Anything else is returned unchanged."""
    if not isinstance(text, str):
        return text
    try:
        ids = json.loads(text)
    except ValueError:
        return text
    if not isinstance(ids, list):
        return text
    out = [new_id(table, i) for i in ids if isinstance(i, int) and not isinstance(i, bool)]
    return json.dumps([i for i in out if i is not None])


def remap_action_detail(action, detail, new_id) -> str:
    """An action row's detail (JSON text) with its "id" (and, for a merge, "into" and
    "from") replaced by new_id(table, id).

    new_id answers None for a row that is not there (deleted since): the id then means
    nothing outside this database and is written as null.
    """
    table = ACTION_ID_TABLE.get(action)
    if table is None or not isinstance(detail, str):
        return detail
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return detail
    keys = [k for k in ("id", *ACTION_MORE_IDS.get(action, ()))
            if isinstance(data.get(k), int) and not isinstance(data[k], bool)]
    if not keys:
        return detail
    for key in keys:
        data[key] = new_id(table, data[key])
    return json.dumps(data, ensure_ascii=False, default=str)


class ActionsMixin:
    """Append to and read the actions log of an event."""

    def log(self, event_id: str, actor: str, action: str, detail: dict | None = None) -> None:
        """Append to the facilitator actions log (call inside write())."""
        self.db["actions"].insert(
            {
                "event_id": event_id,
                "actor": actor,
                "action": action,
                "detail": json.dumps(detail or {}, ensure_ascii=False, default=str),
                "at": self.now(),
            }
        )

    def actions(self, event_id: str) -> list[dict]:
        """The actions log of an event, oldest first."""
        with self.read():
            rows = self.rows("SELECT * FROM actions WHERE event_id = ? ORDER BY id", [event_id])
        for r in rows:
            r["detail"] = json.loads(r["detail"])
        return rows
