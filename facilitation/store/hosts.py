"""Store verbs for table hosts (Tischgastgeber): their secret key and key points."""

from __future__ import annotations

import hmac

from ..errors import AppError


class HostsMixin:
    """Check a host's key, list the keys for the console, mark key points."""

    def check_host_key(self, event_id: str, code: str, key) -> bool:
        """True when key is the host key of table `code` (compared in constant time)."""
        if not key or not isinstance(key, str) or not isinstance(code, str):
            return False
        with self.read():
            row = self.row(
                "SELECT host_key FROM tables WHERE event_id = ? AND code = ?", [str(event_id), code]
            )
        # Compared as bytes: compare_digest refuses str with non-ASCII characters.
        return row is not None and hmac.compare_digest(
            row["host_key"].encode(), key.encode("utf-8", "surrogatepass"))

    def host_keys(self, event_id: str) -> dict[str, str]:
        """Table code → host key, for the facilitator console's host links only."""
        with self.read():
            rows = self.rows("SELECT code, host_key FROM tables WHERE event_id = ?", [event_id])
        return {r["code"]: r["host_key"] for r in rows}

    def mark_key_point(
        self, event_id: str, contribution_id: int, marked: bool, table_code: str | None = None,
        actor: str = "host",
    ) -> dict:
        """Mark (or unmark) a contribution as a key point; a host only at its own table.

        Returns {"id", "table", "key_point"}.
        """
        with self.write() as db:
            row = self.row(
                "SELECT c.id, t.code FROM contributions c JOIN tables t ON t.id = c.table_id"
                " WHERE c.id = ? AND c.event_id = ?",
                [contribution_id, event_id],
            )
            if row is None or (table_code is not None and row["code"] != table_code):
                raise AppError("unknown_contribution")
            exists = self.row("SELECT 1 FROM key_points WHERE contribution_id = ?", [contribution_id])
            if marked and not exists:
                db["key_points"].insert({"contribution_id": contribution_id, "event_id": event_id,
                                         "marked_by": actor, "marked_at": self.now()})
            elif not marked and exists:
                db["key_points"].delete(contribution_id)
            if bool(exists) != marked:
                self.bump(event_id)
                self.log(event_id, actor, "key_point_marked" if marked else "key_point_unmarked",
                         {"id": contribution_id, "table": row["code"]})
        return {"id": contribution_id, "table": row["code"], "key_point": marked}

    def key_points(self, event_id: str, table_code: str | None = None) -> list[int]:
        """Ids of the contributions marked as key points (of one table if given)."""
        sql = ("SELECT k.contribution_id AS id FROM key_points k"
               " JOIN contributions c ON c.id = k.contribution_id"
               " JOIN tables t ON t.id = c.table_id WHERE k.event_id = ?")
        params: list = [event_id]
        if table_code is not None:
            sql += " AND t.code = ?"
            params.append(table_code)
        with self.read():
            return [r["id"] for r in self.rows(sql + " ORDER BY k.contribution_id", params)]
