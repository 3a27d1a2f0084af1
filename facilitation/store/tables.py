"""Store verbs for an event's tables (World Café stations): list, read, add, change, delete."""

from __future__ import annotations

import json
import secrets

from ..content_languages import clean_list_translations, clean_translations
from ..errors import AppError
from ..rules import MAX_TABLES, clean_code, clean_questions, clean_short_text


def _table_out(row: dict) -> dict:
    questions = json.loads(row["questions"])
    return {
        "id": row["id"],
        "code": row["code"],
        "theme": row["theme"],
        "questions": questions,
        "position": row["position"],
        "theme_i18n": json.loads(row["theme_i18n"]),
        "questions_i18n": aligned(json.loads(row["questions_i18n"]), len(questions)),
    }


def aligned(maps: list, count: int) -> list[dict]:
    """A list of translation maps cut or padded to the German list's length."""
    maps = [m if isinstance(m, dict) else {} for m in maps[:count]]
    return maps + [{} for _ in range(count - len(maps))]


def carried(old: list[str], old_maps: list[dict], new: list[str]) -> list[dict]:
    """The translations that still fit a changed German list: an item keeps those of the
    old item with the same German text, or of the item it replaced in place."""
    old_maps = aligned(old_maps, len(old))
    by_text = dict(zip(old, old_maps, strict=True))
    out = []
    for i, text in enumerate(new):
        if text in by_text:
            out.append(by_text[text])
        elif i < len(old) and old[i] not in new:
            out.append(old_maps[i])
        else:
            out.append({})
    return out


class TablesMixin:
    """The tables of an event, in display order; each with its host's secret key."""

    def tables(self, event_id: str) -> list[dict]:
        """The event's tables in display order."""
        with self.read():
            rows = self.rows(
                "SELECT * FROM tables WHERE event_id = ? ORDER BY position, id", [event_id]
            )
        return [_table_out(r) for r in rows]

    def get_table(self, event_id: str, code: str) -> dict:
        """One table by its short name; AppError('unknown_table') when there is none."""
        with self.read():
            self._require_event(event_id)
            row = self.row(
                "SELECT * FROM tables WHERE event_id = ? AND code = ?", [event_id, str(code)]
            )
        if row is None:
            raise AppError("unknown_table")
        return _table_out(row)

    def host_key(self, event_id: str, code: str) -> str:
        """The secret key of a table's host view."""
        with self.read():
            row = self.row(
                "SELECT host_key FROM tables WHERE event_id = ? AND code = ?", [event_id, code]
            )
        if row is None:
            raise AppError("unknown_table")
        return row["host_key"]

    def save_table(self, event_id: str, table: dict, actor: str = "facilitator") -> dict:
        """Add a table (no id) or change one (with id); returns the table."""
        with self.write() as db:
            self._require_event(event_id)
            if table.get("id") is None:
                count = self.row("SELECT count(*) AS n FROM tables WHERE event_id = ?", [event_id])
                if count["n"] >= MAX_TABLES:
                    raise AppError("too_many_tables", limit=MAX_TABLES)
                position = self.row(
                    "SELECT coalesce(max(position) + 1, 0) AS p FROM tables WHERE event_id = ?",
                    [event_id],
                )["p"]
                table_id = self._insert_table(event_id, table, position)
                self.log(event_id, actor, "table_added", {"code": table.get("code")})
            else:
                table_id = table["id"]
                old = self.row(
                    "SELECT * FROM tables WHERE id = ? AND event_id = ?", [table_id, event_id]
                )
                if old is None:
                    raise AppError("unknown_table")
                questions = clean_questions(table.get("questions", json.loads(old["questions"])))
                if "questions_i18n" in table:
                    maps = clean_list_translations(table["questions_i18n"], len(questions),
                                                   "questions_i18n", 300)
                else:
                    maps = carried(json.loads(old["questions"]), json.loads(old["questions_i18n"]),
                                   questions)
                values = {
                    "code": clean_code(table.get("code", old["code"])),
                    "theme": clean_short_text(table.get("theme", old["theme"]), "theme", 200),
                    "questions": json.dumps(questions, ensure_ascii=False),
                    "questions_i18n": json.dumps(maps, ensure_ascii=False),
                }
                if "theme_i18n" in table:
                    values["theme_i18n"] = json.dumps(
                        clean_translations(table["theme_i18n"], "theme_i18n", 200),
                        ensure_ascii=False)
                self._check_code_free(event_id, values["code"], table_id)
                db["tables"].update(table_id, values)
                self.log(event_id, actor, "table_changed", {"id": table_id, **table})
            self.bump(event_id)
            row = self.row("SELECT * FROM tables WHERE id = ?", [table_id])
        return _table_out(row)

    def delete_table(self, event_id: str, table_id: int, actor: str = "facilitator") -> None:
        """Delete a table that has no contributions yet (nothing is ever lost)."""
        with self.write() as db:
            row = self.row("SELECT * FROM tables WHERE id = ? AND event_id = ?", [table_id, event_id])
            if row is None:
                raise AppError("unknown_table")
            used = self.row("SELECT count(*) AS n FROM contributions WHERE table_id = ?", [table_id])
            if used["n"]:
                raise AppError("table_has_contributions")
            db["tables"].delete(table_id)
            self.bump(event_id)
            self.log(event_id, actor, "table_deleted", {"id": table_id, "code": row["code"]})

    def _check_code_free(self, event_id: str, code: str, table_id: int | None) -> None:
        clash = self.row(
            "SELECT id FROM tables WHERE event_id = ? AND code = ? AND id IS NOT ?",
            [event_id, code, table_id],
        )
        if clash:
            raise AppError("duplicate_table")

    def _insert_table(self, event_id: str, table: dict, position: int) -> int:
        code = clean_code(table.get("code"))
        self._check_code_free(event_id, code, None)
        questions = clean_questions(table.get("questions", []))
        theme_i18n = clean_translations(table.get("theme_i18n"), "theme_i18n", 200)
        questions_i18n = clean_list_translations(table.get("questions_i18n"), len(questions),
                                                 "questions_i18n", 300)
        return self.db["tables"].insert(
            {
                "event_id": event_id,
                "code": code,
                "theme": clean_short_text(table.get("theme"), "theme", 200),
                "questions": json.dumps(questions, ensure_ascii=False),
                "theme_i18n": json.dumps(theme_i18n, ensure_ascii=False),
                "questions_i18n": json.dumps(questions_i18n, ensure_ascii=False),
                "position": position,
                "host_key": table.get("host_key") or secrets.token_urlsafe(12),
            }
        ).last_pk
