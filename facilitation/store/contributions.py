"""Store verbs for contributions: send, resend, read, hide, merge, correct (participants:
participants.py)."""

from __future__ import annotations

import json

from ..content_languages import CONTENT_LANGUAGES
from ..errors import AppError
from ..rules import CONTRIBUTION_KINDS, clean_text

_CONTRIBUTION_SQL = """
    SELECT c.id, c.event_id, c.table_id, t.code AS table_code, c.kind, c.question, c.text,
           c.round, c.hidden, c.merged_into, c.entered_by, c.created_at, c.updated_at, c.client_id,
           c.participant_id, p.target_group, c.number, c.language, c.ui_language,
           (SELECT json_object('text', tr.text, 'by', tr.entered_by, 'at', tr.created_at,
                               'machine', json(CASE tr.machine WHEN 1 THEN 'true' ELSE 'false' END))
            FROM contribution_translations tr WHERE tr.contribution_id = c.id
            ORDER BY tr.id DESC LIMIT 1) AS translation,
           EXISTS (SELECT 1 FROM contribution_edits e
                   WHERE e.contribution_id = c.id AND e.field = 'text') AS edited
    FROM contributions c
    JOIN tables t ON t.id = c.table_id
    LEFT JOIN participants p ON p.id = c.participant_id
"""


def _contribution_out(row: dict) -> dict:
    return {
        "id": row["id"],
        "event_id": row["event_id"],
        "table": row["table_code"],
        "table_id": row["table_id"],
        "kind": row["kind"],
        "question": row["question"],
        "text": row["text"],
        "round": row["round"],
        "hidden": bool(row["hidden"]),
        "merged_into": row["merged_into"],
        "edited": bool(row["edited"]),
        "entered_by": row["entered_by"],
        "target_group": row["target_group"],
        "language": row["language"],
        "ui_language": row["ui_language"],
        # The newest German rendering from the translation desk, beside the original.
        "translation": json.loads(row["translation"]) if row.get("translation") else None,
        "created_at": row["created_at"],
        "client_id": row["client_id"],
        "number": row["number"],
    }


class ContributionsMixin:
    """Participants send contributions; facilitators curate them."""

    # -- contributions ------------------------------------------------------------

    def add_contribution(
        self,
        event_id: str,
        table_code: str,
        kind: str,
        text: str,
        question: int | None = None,
        participant_id: int | None = None,
        client_id: str | None = None,
        entered_by: str = "participant",
        round: int | None = None,
        per_table_limit: int | None = None,
        language: str | None = None,
        ui_language: str | None = None,
    ) -> tuple[dict, bool]:
        """Store a contribution; returns (contribution, created).

        client_id is the sender's idempotency key: a resend of the same id returns the
        stored contribution and created=False instead of a second copy. per_table_limit
        caps how many contributions one participant may store at one table. language is
        the language it was written in, ui_language the sender's interface language
        (facilitation/text_language.py decides the first).
        """
        if kind not in CONTRIBUTION_KINDS:
            raise AppError("unknown_kind")
        text = clean_text(text)
        with self.write():
            event = self._require_event(event_id)
            if client_id is not None:
                existing = self.row(
                    _CONTRIBUTION_SQL + " WHERE c.event_id = ? AND c.client_id = ?",
                    [event_id, client_id],
                )
                if existing is not None:
                    # A client id is only ever reused by the device that made it.
                    if existing["participant_id"] != participant_id:
                        raise AppError("invalid_payload", detail="client_id")
                    return _contribution_out(existing), False
            if event["status"] == "closed":
                raise AppError("event_closed")
            if entered_by == "participant":
                # Between rounds phones may be locked out; a host may still type up notes.
                self.require_input_open(event_id)
            table = self.row(
                "SELECT id, questions FROM tables WHERE event_id = ? AND code = ?",
                [event_id, table_code],
            )
            if table is None:
                raise AppError("unknown_table")
            if question is not None and not 0 <= question < len(json.loads(table["questions"])):
                raise AppError("unknown_question")
            if per_table_limit is not None and participant_id is not None:
                # Counted inside the write transaction, so parallel sends cannot overshoot.
                mine = self.row(
                    "SELECT count(*) AS n FROM contributions"
                    " WHERE table_id = ? AND participant_id = ?",
                    [table["id"], participant_id],
                )["n"]
                if mine >= per_table_limit:
                    raise AppError("too_many_contributions", limit=per_table_limit)
            now = self.now()
            cid = self.insert(
                "contributions",
                {
                    "event_id": event_id,
                    "table_id": table["id"],
                    "participant_id": participant_id,
                    "client_id": client_id,
                    "kind": kind,
                    "question": question,
                    "text": text,
                    "round": event["current_round"] if round is None else round,
                    "hidden": 0,
                    "entered_by": entered_by,
                    "language": language if language in CONTENT_LANGUAGES else None,
                    "ui_language": ui_language if ui_language in CONTENT_LANGUAGES else None,
                    "created_at": now,
                    "updated_at": now,
                    "number": self.row(
                        "SELECT coalesce(max(number), 0) + 1 AS n FROM contributions"
                        " WHERE event_id = ?", [event_id])["n"],
                },
            )
            self.bump(event_id)
            row = self.row(_CONTRIBUTION_SQL + " WHERE c.id = ?", [cid])
        return _contribution_out(row), True

    def resent_contribution(self, event_id: str, participant_id: int, client_id: str) -> dict | None:
        """The contribution this device already stored under client_id, if any."""
        with self.read():
            row = self.row(
                _CONTRIBUTION_SQL + " WHERE c.event_id = ? AND c.client_id = ?"
                " AND c.participant_id IS ?",
                [event_id, client_id, participant_id],
            )
        return None if row is None else _contribution_out(row)

    def get_contribution(self, event_id: str, contribution_id: int) -> dict:
        """One contribution; AppError('unknown_contribution') when not in this event."""
        with self.read():
            row = self.row(
                _CONTRIBUTION_SQL + " WHERE c.id = ? AND c.event_id = ?",
                [contribution_id, event_id],
            )
        if row is None:
            raise AppError("unknown_contribution")
        return _contribution_out(row)

    def contributions(
        self, event_id: str, include_hidden: bool = False, table_code: str | None = None
    ) -> list[dict]:
        """The event's contributions, oldest first; hidden ones only when asked."""
        sql = _CONTRIBUTION_SQL + " WHERE c.event_id = ?"
        params: list = [event_id]
        if not include_hidden:
            sql += " AND c.hidden = 0"
        if table_code is not None:
            sql += " AND t.code = ?"
            params.append(table_code)
        with self.read():
            rows = self.rows(sql + " ORDER BY c.id", params)
        return [_contribution_out(r) for r in rows]

    def set_hidden(
        self, event_id: str, contribution_id: int, hidden: bool, actor: str = "facilitator"
    ) -> dict:
        """Hide or unhide a contribution; the change is logged with its history.

        Showing a merged contribution again undoes its merge.
        """
        with self.write() as db:
            row = self.row(
                "SELECT hidden, merged_into FROM contributions WHERE id = ? AND event_id = ?",
                [contribution_id, event_id],
            )
            if row is None:
                raise AppError("unknown_contribution")
            if bool(row["hidden"]) != hidden:
                values = {"hidden": int(hidden), "updated_at": self.now()}
                if not hidden:
                    values["merged_into"] = None
                db["contributions"].update(contribution_id, values)
                self._record_edit(contribution_id, "hidden", row["hidden"], int(hidden), actor)
                self.bump(event_id)
                self.log(
                    event_id, actor, "contribution_hidden" if hidden else "contribution_shown",
                    {"id": contribution_id},
                )
        return self.get_contribution(event_id, contribution_id)

    def merge_contributions(
        self, event_id: str, target_id: int, source_ids: list[int], actor: str = "facilitator"
    ) -> list[dict]:
        """Merge duplicates into one contribution that stays.

        Each source is hidden and names the target (`merged_into`); what was merged into a
        source before now names the target too, so there are never chains. The target must
        be visible; nothing changes unless every source can be merged. Returns the
        contributions that changed, the target first.
        """
        ids = list(dict.fromkeys(source_ids))
        if not ids:
            raise AppError("merge_invalid", detail="no contribution to merge")
        if target_id in ids:
            raise AppError("merge_invalid", detail="a contribution cannot be merged into itself")
        with self.write():
            marks = ", ".join("?" for _ in ids)
            rows = {
                r["id"]: r for r in self.rows(
                    f"SELECT id, hidden, merged_into FROM contributions"
                    f" WHERE event_id = ? AND id IN (?, {marks})", [event_id, target_id, *ids])
            }
            if len(rows) != len(ids) + 1:
                raise AppError("unknown_contribution")
            if rows[target_id]["hidden"]:
                raise AppError("merge_invalid", detail="the contribution that stays is hidden")
            merged = [i for i in ids if rows[i]["merged_into"] is not None]
            if merged:
                raise AppError("merge_invalid", detail=f"already merged: {merged[0]}")
            now = self.now()
            for source in ids:
                if not rows[source]["hidden"]:
                    self._record_edit(source, "hidden", 0, 1, actor)
                self._merge_one(event_id, source, None, target_id, now, actor)
            followers = self.rows(
                f"SELECT id, merged_into FROM contributions WHERE merged_into IN ({marks})", ids)
            for row in followers:
                self._merge_one(event_id, row["id"], row["merged_into"], target_id, now, actor)
            self.bump(event_id)
            changed = [target_id, *ids, *(r["id"] for r in followers)]
        return [self.get_contribution(event_id, i) for i in changed]

    def edit_contribution(
        self, event_id: str, contribution_id: int, text: str, actor: str = "facilitator"
    ) -> dict:
        """Correct a contribution's text (typos); the old text is kept in its history."""
        text = clean_text(text)
        with self.write() as db:
            row = self.row(
                "SELECT text FROM contributions WHERE id = ? AND event_id = ?",
                [contribution_id, event_id],
            )
            if row is None:
                raise AppError("unknown_contribution")
            if row["text"] != text:
                db["contributions"].update(
                    contribution_id, {"text": text, "updated_at": self.now()}
                )
                self._record_edit(contribution_id, "text", row["text"], text, actor)
                self.bump(event_id)
                self.log(event_id, actor, "contribution_edited", {"id": contribution_id})
        return self.get_contribution(event_id, contribution_id)

    def _merge_one(self, event_id, contribution_id, old_target, target_id, now, actor) -> None:
        # The link itself is the column (an export renumbers it like every reference) and
        # the action log; the edit history keeps texts and visibility, no raw ids.
        self.db["contributions"].update(
            contribution_id, {"hidden": 1, "merged_into": target_id, "updated_at": now})
        self.log(event_id, actor, "contribution_merged",
                 {"id": contribution_id, "into": target_id, "from": old_target})

    def contribution_history(self, contribution_id: int) -> list[dict]:
        """Every change made to a contribution, oldest first."""
        with self.read():
            return self.rows(
                "SELECT field, old_value, new_value, actor, at FROM contribution_edits"
                " WHERE contribution_id = ? ORDER BY id",
                [contribution_id],
            )

    def _record_edit(self, contribution_id, field, old, new, actor) -> None:
        self.db["contribution_edits"].insert(
            {
                "contribution_id": contribution_id,
                "field": field,
                "old_value": None if old is None else str(old),
                "new_value": None if new is None else str(new),
                "actor": actor,
                "at": self.now(),
            }
        )
