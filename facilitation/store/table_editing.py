"""Set-up helpers of the table editor: reorder tables, give every table the same Leitfragen."""

from __future__ import annotations

from ..errors import AppError


class TableEditingMixin:
    """Changes to several tables at once, each in one transaction."""

    def order_tables(self, event_id: str, ids: list[int], actor: str = "facilitator") -> list[dict]:
        """Put the event's tables in the order of `ids` (every table exactly once)."""
        with self.write() as db:
            self._require_event(event_id)
            have = [r["id"] for r in self.rows(
                "SELECT id FROM tables WHERE event_id = ? ORDER BY position, id", [event_id])]
            if sorted(have) != sorted(ids) or len(set(ids)) != len(ids):
                raise AppError("invalid_payload", detail="ids")
            for position, table_id in enumerate(ids):
                db["tables"].update(table_id, {"position": position})
            codes = [self.row("SELECT code FROM tables WHERE id = ?", [i])["code"] for i in ids]
            self.bump(event_id)
            self.log(event_id, actor, "tables_ordered", {"codes": codes})
        return self.tables(event_id)

    def copy_questions(self, event_id: str, table_id: int, actor: str = "facilitator") -> list[dict]:
        """Give every table of the event the guiding questions of table `table_id`."""
        with self.write() as db:
            row = self.row("SELECT * FROM tables WHERE id = ? AND event_id = ?", [table_id, event_id])
            if row is None:
                raise AppError("unknown_table")
            # The Leitfragen travel with their translations (issue 11), so every table
            # shows them in the same languages.
            db.execute(
                "UPDATE tables SET questions = ?, questions_i18n = ? WHERE event_id = ?",
                [row["questions"], row["questions_i18n"], event_id],
            )
            self.bump(event_id)
            self.log(event_id, actor, "questions_copied", {"id": table_id, "code": row["code"]})
        return self.tables(event_id)

    def begin_event(self, event_id: str, actor: str = "facilitator") -> bool:
        """In Vorbereitung → Läuft, when the first round, vote or agenda phase starts.

        Returns True when the status changed (the caller tells every client).
        """
        with self.write() as db:
            row = self._require_event(event_id)
            if row["status"] != "draft":
                return False
            db["events"].update(event_id, {"status": "running"})
            self.bump(event_id)
            self.log(event_id, actor, "event_updated", {"status": "running"})
        return True
