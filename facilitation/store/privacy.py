"""Store verbs for data protection: purge an event completely; find expired events."""

from __future__ import annotations

import datetime as dt


class PrivacyMixin:
    """Deleting an event and everything tied to it, also from the database file itself."""

    def purge_event(self, event_id: str) -> dict[str, int]:
        """Delete the event and every row tied to it; returns rows deleted per table.

        Every table with an `event_id` column is cleared explicitly (so a table added
        later is covered even if its foreign key forgot ON DELETE CASCADE), then the
        event row, whose cascades reach the rest (edits, candidates, …). secure_delete
        overwrites the freed pages and the WAL is checkpointed and truncated, so the
        texts are gone from the files on disk too, not only from query results.
        """
        with self._lock:
            self.db.execute("PRAGMA secure_delete = ON")
            deleted: dict[str, int] = {}
            with self.write() as db:
                self._require_event(event_id)
                # Checked at COMMIT: the order of the deletes below does not matter.
                db.execute("PRAGMA defer_foreign_keys = ON")
                for table in self._event_tables():
                    cursor = db.execute(f"DELETE FROM [{table}] WHERE event_id = ?", [event_id])
                    if cursor.rowcount:
                        deleted[table] = cursor.rowcount
                deleted["events"] = db.execute(
                    "DELETE FROM events WHERE id = ?", [event_id]
                ).rowcount
            if self.path != ":memory:":
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted

    def expired_events(self, retention_days: int) -> list[str]:
        """Events that ended more than retention_days ago (0: none), oldest first.

        An event has ended when it was closed; one that nobody closed has ended when its
        date (if written YYYY-MM-DD) and everything that happened in it — the facilitator's
        last action, the last contribution, participant or dot — lie that far back. So an
        event left running still goes when the privacy note says, and one prepared months
        ahead for a later date stays.
        """
        if retention_days <= 0:
            return []
        cutoff = self.clock() - dt.timedelta(days=retention_days)
        cutoff_text = cutoff.astimezone(dt.UTC).isoformat(timespec="milliseconds")
        with self.read():
            closed = self.rows(
                "SELECT id FROM events WHERE status = 'closed' AND closed_at IS NOT NULL"
                " AND closed_at < ? ORDER BY closed_at",
                [cutoff_text],
            )
            abandoned = self.rows(
                "SELECT id, last FROM (SELECT e.id, e.date, max(e.created_at,"
                " coalesce((SELECT max(at) FROM actions WHERE event_id = e.id), ''),"
                " coalesce((SELECT max(updated_at) FROM contributions WHERE event_id = e.id), ''),"
                " coalesce((SELECT max(created_at) FROM participants WHERE event_id = e.id), ''),"
                " coalesce((SELECT max(at) FROM dots WHERE event_id = e.id), '')) AS last"
                " FROM events e WHERE e.status != 'closed')"
                " WHERE last < ? AND (date NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
                " OR date < ?) ORDER BY last",
                [cutoff_text, cutoff_text[:10]],
            )
        return [r["id"] for r in closed] + [r["id"] for r in abandoned]

    def event_ids(self) -> set[str]:
        """The ids of every event in the database."""
        with self.read():
            return {r["id"] for r in self.rows("SELECT id FROM events")}

    def _event_tables(self) -> list[str]:
        """Every table except `events` that has an event_id column."""
        names = [r["name"] for r in self.rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE '\\_%' ESCAPE '\\'"
        )]
        return [
            n for n in names if n != "events"
            and any(c["name"] == "event_id" for c in self.rows(f"PRAGMA table_info([{n}])"))
        ]

