"""Store verbs for events: create, read, edit, apply a plan; the event's version.

The verbs of their tables are in tables.py; the actions log is in actions.py."""

from __future__ import annotations

import hmac
import json
import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..content_languages import (
    aligned,
    clean_list_translations,
    clean_translations,
    list_translations,
)
from ..errors import AppError
from ..rules import (
    EVENT_KINDS,
    MAX_TABLES,
    clean_join_options,
    clean_short_text,
    clean_text,
    new_event_id,
)

# store/export.py still imports these from here (it is being reworked in parallel); new code
# imports them from .actions.
from .actions import JSON_ID_LISTS, remap_action_detail, remap_id_list  # noqa: F401


def _closing_and_display(changes: dict) -> dict:
    """The issue-12 settings: what happens next (end screen), time zone, projector language."""
    from ..i18n import LANGUAGES

    values = {}
    if "next_steps" in changes:
        text = (changes["next_steps"] or "").strip()
        values["next_steps"] = clean_text(text, 2000) if text else None
    if "time_zone" in changes:
        try:
            ZoneInfo(changes["time_zone"] or "")
        except (ValueError, ZoneInfoNotFoundError):
            raise AppError("invalid_payload", detail="time_zone") from None
        values["time_zone"] = changes["time_zone"]
    if "projector_language" in changes:
        lang = changes["projector_language"] or None
        if lang is not None and lang not in LANGUAGES:
            raise AppError("invalid_payload", detail="projector_language")
        values["projector_language"] = lang
    return values


def _event_out(row: dict) -> dict:
    return {
        "id": row["id"],
        "title": row["title"],
        "date": row["date"],
        "kind": row["kind"],
        "status": row["status"],
        "join_question": row["join_question"],
        "join_options": json.loads(row["join_options"]),
        "join_question_i18n": json.loads(row["join_question_i18n"]),
        "join_options_i18n": aligned(json.loads(row["join_options_i18n"]),
                                     len(json.loads(row["join_options"]))),
        "current_round": row["current_round"],
        "version": row["version"],
        "created_at": row["created_at"],
        "closed_at": row["closed_at"],
        "next_steps": row.get("next_steps"),
        "time_zone": row.get("time_zone") or "Europe/Berlin",
        "projector_language": row.get("projector_language"),
        "process_id": row.get("process_id"),
        "audience": row.get("audience"),
    }


class EventsMixin:
    """Create, read and edit events."""

    # -- events -------------------------------------------------------------------

    def create_event(
        self,
        title: str,
        date: str,
        kind: str = "world_cafe",
        tables: list[dict] | None = None,
        join_question: str | None = None,
        join_options: list[str] | None = None,
        event_id: str | None = None,
        facilitator_key: str | None = None,
        join_question_i18n: dict | None = None,
        join_options_i18n: list | None = None,
    ) -> dict:
        """Create an event with its tables in one transaction and return it.

        The *_i18n arguments (and a table's theme_i18n / questions_i18n) carry the
        other languages beside the German text (facilitation/content_languages.py).
        """
        title = clean_short_text(title, "title", 200)
        date = clean_short_text(date, "date", 40)
        if kind not in EVENT_KINDS:
            raise AppError("invalid_payload", detail="kind")
        options = clean_join_options(join_options or [])
        question = clean_short_text(join_question, "join_question", 200) if join_question else None
        question_i18n = clean_translations(join_question_i18n, "join_question", 200) if question else {}
        options_i18n = clean_list_translations(join_options_i18n, len(options), "join_options", 80)
        tables = tables or []
        if len(tables) > MAX_TABLES:
            raise AppError("too_many_tables", limit=MAX_TABLES)
        with self.write() as db:
            eid = event_id or new_event_id()
            while event_id is None and self.row("SELECT 1 FROM events WHERE id = ?", [eid]):
                eid = new_event_id()
            db["events"].insert(
                {
                    "id": eid,
                    "title": title,
                    "date": date,
                    "kind": kind,
                    "status": "draft",
                    "facilitator_key": facilitator_key or secrets.token_urlsafe(16),
                    "join_question": question,
                    "join_options": json.dumps(options, ensure_ascii=False),
                    "join_question_i18n": json.dumps(question_i18n, ensure_ascii=False),
                    "join_options_i18n": json.dumps(options_i18n, ensure_ascii=False),
                    "current_round": 1,
                    "version": 1,
                    "created_at": self.now(),
                }
            )
            for position, table in enumerate(tables):
                self._insert_table(eid, table, position)
            self.log(eid, "facilitator", "event_created", {"title": title})
        return self.get_event(eid)

    def get_event(self, event_id: str) -> dict:
        """The event's public fields; AppError('unknown_event') when there is none."""
        with self.read():
            row = self.row("SELECT * FROM events WHERE id = ?", [str(event_id)])
        if row is None:
            raise AppError("unknown_event")
        return _event_out(row)

    def list_events(self) -> list[dict]:
        """Every event, newest first."""
        with self.read():
            rows = self.rows("SELECT * FROM events ORDER BY created_at DESC, id")
        return [_event_out(r) for r in rows]

    def facilitator_key(self, event_id: str) -> str:
        """The secret key of an event's console (for the CLI and the admin page)."""
        with self.read():
            row = self.row("SELECT facilitator_key FROM events WHERE id = ?", [event_id])
        if row is None:
            raise AppError("unknown_event")
        return row["facilitator_key"]

    def check_facilitator_key(self, event_id: str, key: str | None) -> bool:
        """True when key is the event's facilitator key (compared in constant time)."""
        if not key or not isinstance(key, str):
            return False
        with self.read():
            row = self.row("SELECT facilitator_key FROM events WHERE id = ?", [str(event_id)])
        # Compared as bytes: compare_digest refuses str with non-ASCII characters.
        return row is not None and hmac.compare_digest(
            row["facilitator_key"].encode(), key.encode("utf-8", "surrogatepass")
        )

    def update_event(self, event_id: str, changes: dict, actor: str = "facilitator") -> dict:
        """Change title, date, kind, status or the join question; returns the event."""
        allowed = {"title", "date", "kind", "status", "join_question", "join_options",
                   "join_question_i18n", "join_options_i18n",
                   "next_steps", "time_zone", "projector_language"}
        unknown = set(changes) - allowed
        if unknown:
            raise AppError("invalid_payload", detail=", ".join(sorted(unknown)))
        values = {}
        if "title" in changes:
            values["title"] = clean_short_text(changes["title"], "title", 200)
        if "date" in changes:
            values["date"] = clean_short_text(changes["date"], "date", 40)
        if "kind" in changes:
            if changes["kind"] not in EVENT_KINDS:
                raise AppError("invalid_payload", detail="kind")
            values["kind"] = changes["kind"]
        if "status" in changes:
            if changes["status"] not in ("draft", "running", "closed"):
                raise AppError("invalid_payload", detail="status")
            values["status"] = changes["status"]
            values["closed_at"] = self.now() if changes["status"] == "closed" else None
        if "join_question" in changes:
            q = changes["join_question"]
            values["join_question"] = clean_short_text(q, "join_question", 200) if q else None
            if not q:
                values["join_question_i18n"] = "{}"
        values.update(_closing_and_display(changes))
        if "join_options" in changes:
            values["join_options"] = json.dumps(
                clean_join_options(changes["join_options"]), ensure_ascii=False
            )
        if "join_question_i18n" in changes:
            values["join_question_i18n"] = json.dumps(clean_translations(
                changes["join_question_i18n"], "join_question_i18n", 200), ensure_ascii=False)
        with self.write() as db:
            old = self._require_event(event_id)
            if "join_options" in values or "join_options_i18n" in changes:
                values["join_options_i18n"] = json.dumps(list_translations(
                    json.loads(old["join_options"]), old["join_options_i18n"],
                    json.loads(values.get("join_options", old["join_options"])),
                    changes.get("join_options_i18n"), "join_options_i18n", 80), ensure_ascii=False)
            if values:
                db["events"].update(event_id, values)
                self.bump(event_id)
                self.log(event_id, actor, "event_updated", changes)
        if values.get("status") == "closed":
            self.event_closed(event_id)  # after COMMIT, so an export sees the closed event
        return self.get_event(event_id)

    def bump(self, event_id: str) -> int:
        """Increase the event's version (call inside write()); returns the new version."""
        self.db.execute("UPDATE events SET version = version + 1 WHERE id = ?", [event_id])
        return self.row("SELECT version FROM events WHERE id = ?", [event_id])["version"]

    def _require_event(self, event_id: str) -> dict:
        row = self.row("SELECT * FROM events WHERE id = ?", [str(event_id)])
        if row is None:
            raise AppError("unknown_event")
        return row

    def apply_plan(self, event_id: str, plan: dict, actor: str = "facilitator") -> dict:
        """Apply a parsed plan to an event in one transaction.

        Title, date, kind and join question are replaced; tables are added, or updated
        where the code already exists. Tables missing from the plan stay: nothing that
        may hold contributions is deleted by an import.
        """
        with self.write() as db:
            self._require_event(event_id)
            db["events"].update(
                event_id,
                {
                    "title": plan["title"],
                    "date": plan["date"],
                    "kind": plan["kind"],
                    "join_question": plan["join_question"],
                    "join_options": json.dumps(plan["join_options"], ensure_ascii=False),
                    "join_question_i18n": json.dumps(plan.get("join_question_i18n", {}),
                                                     ensure_ascii=False),
                    "join_options_i18n": json.dumps(plan.get("join_options_i18n", []),
                                                    ensure_ascii=False),
                },
            )
            for table in plan["tables"]:
                old = self.row(
                    "SELECT id FROM tables WHERE event_id = ? AND code = ?",
                    [event_id, table["code"]],
                )
                self.save_table(event_id, {**table, "id": old["id"] if old else None}, actor)
            self.bump(event_id)
            self.log(event_id, actor, "plan_imported", {"tables": len(plan["tables"])})
        return self.get_event(event_id)
