"""Store verbs of the translation desk: desks (secret links with a name), the cards that
need a German rendering, and the renderings, kept beside the originals (docs/desk.md)."""

from __future__ import annotations

import hmac
import secrets

from ..errors import AppError
from ..rules import clean_short_text, clean_text

# Cards written in these need no German rendering (Einfache Sprache is German).
GERMAN = ("de", "de-simple")
MAX_TRANSLATION = 1000


def _translation_out(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {"text": row["text"], "by": row["entered_by"], "at": row["created_at"],
            "machine": bool(row["machine"])}


class DeskMixin:
    """Translation desks and the German renderings of contributions."""

    def create_desk(self, event_id: str, name: str, actor: str = "facilitator") -> dict:
        """A new desk for a bilingual helper: {id, name, key} (the key opens the desk page)."""
        name = clean_short_text(name, "name", 80)
        with self.write() as db:
            self._require_event(event_id)
            key = secrets.token_urlsafe(12)
            did = db["translation_desks"].insert({"event_id": event_id, "name": name, "desk_key": key,
                                                  "created_at": self.now()}).last_pk
            self.log(event_id, actor, "desk_created", {"name": name})
        return {"id": did, "name": name, "key": key}

    def desks(self, event_id: str) -> list[dict]:
        """The event's desks with their keys (for the console only)."""
        with self.read():
            rows = self.rows("SELECT id, name, desk_key FROM translation_desks WHERE event_id = ?"
                             " ORDER BY id", [event_id])
        return [{"id": r["id"], "name": r["name"], "key": r["desk_key"]} for r in rows]

    def check_desk_key(self, event_id: str, key) -> dict:
        """The desk this key opens (compared in constant time); AppError('forbidden') else."""
        if isinstance(key, str) and key:
            for desk in self.desks(event_id):
                if hmac.compare_digest(desk["key"].encode(), key.encode("utf-8", "surrogatepass")):
                    return {"id": desk["id"], "name": desk["name"]}
        raise AppError("forbidden")

    def desk_cards(self, event_id: str) -> list[dict]:
        """Visible cards not written in German (or Einfache Sprache), oldest first, each with
        its newest German rendering (or None). Cards from before languages were recorded
        count as German."""
        marks = ",".join("?" * len(GERMAN))
        with self.read():
            rows = self.rows(
                "SELECT c.id, t.code AS table_code, t.theme, c.kind, c.text, c.language, c.round"
                " FROM contributions c JOIN tables t ON t.id = c.table_id"
                f" WHERE c.event_id = ? AND c.hidden = 0 AND c.language IS NOT NULL"
                f" AND c.language NOT IN ({marks}) ORDER BY c.id", [event_id, *GERMAN])
            latest = self.translations(event_id)
        return [{"id": r["id"], "table": r["table_code"], "theme": r["theme"], "kind": r["kind"],
                 "text": r["text"], "language": r["language"], "round": r["round"],
                 "translation": latest.get(r["id"])} for r in rows]

    def translations(self, event_id: str) -> dict[int, dict]:
        """The newest German rendering of every translated contribution of the event."""
        with self.read():
            rows = self.rows(
                "SELECT * FROM contribution_translations WHERE id IN ("
                " SELECT max(id) FROM contribution_translations WHERE event_id = ?"
                " GROUP BY contribution_id)", [event_id])
        return {r["contribution_id"]: _translation_out(r) for r in rows}

    def translate(self, event_id: str, contribution_id: int, text: str, desk: dict,
                  machine: bool = False) -> dict:
        """Store a German rendering of a card beside its original (which never changes);
        returns {"contribution", "translation"}."""
        text = clean_text(text, MAX_TRANSLATION)
        with self.write() as db:
            row = self.row("SELECT id FROM contributions WHERE id = ? AND event_id = ?",
                           [contribution_id, event_id])
            if row is None:
                raise AppError("unknown_contribution")
            tid = db["contribution_translations"].insert({
                "event_id": event_id, "contribution_id": contribution_id, "desk_id": desk.get("id"),
                "entered_by": desk["name"], "text": text, "machine": int(bool(machine)),
                "created_at": self.now()}).last_pk
            self.bump(event_id)
            saved = self.row("SELECT * FROM contribution_translations WHERE id = ?", [tid])
        return {"contribution": contribution_id, "translation": _translation_out(saved)}
