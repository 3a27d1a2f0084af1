"""Store verb for the console's translation editor: one language of a whole event at once."""

from __future__ import annotations

import json

from ..content_languages import TRANSLATED
from ..errors import AppError
from ..rules import clean_short_text, clean_text
from .events import aligned


def _set(maps: dict, language: str, text, field: str, limit: int, long: bool = False) -> dict:
    """maps with `language` set to the cleaned text, or removed when the text is empty."""
    out = dict(maps)
    if text is None or (isinstance(text, str) and not text.strip()):
        out.pop(language, None)
    elif long:
        out[language] = clean_text(text, limit)
    else:
        out[language] = clean_short_text(text, field, limit)
    return out


class TranslationsMixin:
    """Give an event's facilitator-typed texts in one more language."""

    def save_translations(self, event_id: str, language: str, texts: dict,
                          actor: str = "facilitator") -> None:
        """Set one language's texts in one transaction; an empty text removes it.

        texts may hold: "join_question" (str), "join_options" (list aligned with the
        German answers), "tables" ({code: {"theme": str, "questions": [str, …]}}) and
        "candidates" ({candidate id: str}, any voting round of the event). What is not
        named stays as it was. Nothing is written when any part is refused.
        """
        if language not in TRANSLATED:
            raise AppError("invalid_payload", detail="language")
        with self.write() as db:
            event = self._require_event(event_id)
            values = {}
            if "join_question" in texts:
                maps = json.loads(event["join_question_i18n"])
                if event["join_question"]:
                    values["join_question_i18n"] = json.dumps(
                        _set(maps, language, texts["join_question"], "join_question", 200),
                        ensure_ascii=False)
            if "join_options" in texts:
                german = json.loads(event["join_options"])
                given = texts["join_options"]
                if not isinstance(given, list) or len(given) > len(german):
                    raise AppError("invalid_payload", detail="join_options")
                maps = aligned(json.loads(event["join_options_i18n"]), len(german))
                for i, text in enumerate(given):
                    maps[i] = _set(maps[i], language, text, "join_options", 80)
                values["join_options_i18n"] = json.dumps(maps, ensure_ascii=False)
            if values:
                db["events"].update(event_id, values)
            for code, fields in (texts.get("tables") or {}).items():
                row = self.row("SELECT * FROM tables WHERE event_id = ? AND code = ?",
                               [event_id, code])
                if row is None:
                    raise AppError("unknown_table")
                if not isinstance(fields, dict):
                    raise AppError("invalid_payload", detail=f"tables.{code}")
                update = {}
                if "theme" in fields:
                    update["theme_i18n"] = json.dumps(_set(
                        json.loads(row["theme_i18n"]), language, fields["theme"], "theme", 200),
                        ensure_ascii=False)
                if "questions" in fields:
                    german = json.loads(row["questions"])
                    given = fields["questions"]
                    if not isinstance(given, list) or len(given) > len(german):
                        raise AppError("invalid_payload", detail=f"tables.{code}.questions")
                    maps = aligned(json.loads(row["questions_i18n"]), len(german))
                    for i, text in enumerate(given):
                        maps[i] = _set(maps[i], language, text, "questions", 300)
                    update["questions_i18n"] = json.dumps(maps, ensure_ascii=False)
                if update:
                    db["tables"].update(row["id"], update)
            for cid, text in (texts.get("candidates") or {}).items():
                if not str(cid).isdigit():
                    raise AppError("invalid_payload", detail="candidates")
                row = self.row(
                    "SELECT vc.id, vc.label_i18n FROM voting_candidates vc"
                    " JOIN voting_rounds r ON r.id = vc.round_id"
                    " WHERE vc.id = ? AND r.event_id = ?", [int(cid), event_id])
                if row is None:
                    raise AppError("unknown_candidate")
                db["voting_candidates"].update(row["id"], {"label_i18n": json.dumps(
                    _set(json.loads(row["label_i18n"]), language, text, "label", 500, long=True),
                    ensure_ascii=False)})
            self.bump(event_id)
            self.log(event_id, actor, "translations_saved", {"language": language})
