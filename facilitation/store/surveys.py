"""Store verbs for surveys (Umfragen): define, open and close, answer from a phone or from
paper, and read the responses back. The arithmetic of results is in survey_rules.py."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from ..errors import AppError
from ..survey_rules import clean_answers, clean_definition

SURVEY_STATUSES = ("draft", "open", "closed")
DEFAULT_ZONE = ZoneInfo("Europe/Berlin")  # a closing time without offset is local time


def closing_moment(closes_at: str | None) -> dt.datetime | None:
    """The closing time as an aware datetime (no offset given: Europe/Berlin)."""
    if not closes_at:
        return None
    try:
        moment = dt.datetime.fromisoformat(closes_at)
    except ValueError as exc:
        raise AppError("invalid_payload", detail="closes_at") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=DEFAULT_ZONE)


def _survey_out(row: dict, responses: int | None = None) -> dict:
    definition = json.loads(row["definition"])
    out = {
        "id": row["id"],
        "event_id": row["event_id"],
        "status": row["status"],
        "created_at": row["created_at"],
        "opened_at": row["opened_at"],
        "closed_at": row["closed_at"],
        **definition,
    }
    if responses is not None:
        out["response_count"] = responses
    return out


def _response_out(row: dict) -> dict:
    return {
        "id": row["id"],
        "source": row["source"],
        "sheet": row["sheet"],
        "group": row["target_group"],
        "language": row["language"],
        "answers": json.loads(row["answers"]),
        "created_at": row["created_at"],
    }


class SurveysMixin:
    """Questionnaires of an event and their responses."""

    def create_survey(self, event_id: str, definition: dict, actor: str = "facilitator") -> dict:
        """Store a new survey (status draft) from its definition (docs/surveys.md)."""
        clean = clean_definition(definition)
        closing_moment(clean["closes_at"])  # refuse an unreadable date now, not at use
        with self.write() as db:
            self._require_event(event_id)
            sid = db["surveys"].insert({
                "event_id": event_id, "definition": json.dumps(clean, ensure_ascii=False),
                "status": "draft", "created_at": self.now(),
            }).last_pk
            self.bump(event_id)
            self.log(event_id, actor, "survey_created", {"id": sid})
            row = self.row("SELECT * FROM surveys WHERE id = ?", [sid])
        return _survey_out(row, 0)

    def surveys(self, event_id: str) -> list[dict]:
        """The event's surveys, oldest first, each with its number of responses."""
        with self.read():
            rows = self.rows(
                "SELECT s.*, (SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id)"
                " AS n FROM surveys s WHERE s.event_id = ? ORDER BY s.id", [event_id])
        return [_survey_out(r, r["n"]) for r in rows]

    def get_survey(self, event_id: str, survey_id: int) -> dict:
        """One survey of the event, with its response count; unknown_survey otherwise."""
        with self.read():
            row = self.row(
                "SELECT s.*, (SELECT count(*) FROM survey_responses r WHERE r.survey_id = s.id)"
                " AS n FROM surveys s WHERE s.id = ? AND s.event_id = ?", [survey_id, event_id])
        if row is None:
            raise AppError("unknown_survey")
        return _survey_out(row, row["n"])

    def survey_accepts(self, survey: dict) -> bool:
        """True while the survey takes answers: open and before its closing time."""
        if survey["status"] != "open":
            return False
        closes = closing_moment(survey.get("closes_at"))
        return closes is None or self.clock() < closes

    def set_survey_status(self, event_id: str, survey_id: int, status: str,
                          actor: str = "facilitator") -> dict:
        """Open or close a survey (a closed one can be opened again, e.g. a late deadline)."""
        if status not in ("open", "closed"):
            raise AppError("invalid_payload", detail="status")
        with self.write() as db:
            survey = self.get_survey(event_id, survey_id)
            now = self.now()
            change = {"status": status}
            if status == "open":
                change.update(opened_at=survey["opened_at"] or now, closed_at=None)
            else:
                change["closed_at"] = now
            db["surveys"].update(survey_id, change)
            self.bump(event_id)
            self.log(event_id, actor, f"survey_{'opened' if status == 'open' else 'closed'}",
                     {"id": survey_id})
        return self.get_survey(event_id, survey_id)

    def set_survey_closing(self, event_id: str, survey_id: int, closes_at: str | None,
                           actor: str = "facilitator") -> dict:
        """Set or clear the survey's closing time (ISO date-time; local time without offset)."""
        closing_moment(closes_at)
        with self.write() as db:
            survey = self.get_survey(event_id, survey_id)
            definition = {k: survey[k] for k in ("title", "intro", "questions", "min_cell")}
            definition["closes_at"] = closes_at or None
            db["surveys"].update(survey_id, {
                "definition": json.dumps(clean_definition(definition), ensure_ascii=False)})
            self.bump(event_id)
            self.log(event_id, actor, "survey_changed", {"id": survey_id})
        return self.get_survey(event_id, survey_id)

    def add_survey_response(self, event_id: str, survey_id: int, answers, *,
                            participant_id: int | None = None, client_id: str | None = None,
                            source: str = "phone", sheet: str | None = None,
                            language: str | None = None) -> tuple[dict, bool]:
        """Store one response; returns (response, created).

        A phone (participant_id) answers once per survey; its resend with the same
        client_id returns the stored response. Paper responses are typed in by staff, any
        number, each optionally with the number written on the sheet.
        """
        if source not in ("phone", "paper"):
            raise AppError("invalid_payload", detail="source")
        with self.write() as db:
            survey = self.get_survey(event_id, survey_id)
            if client_id is not None:
                old = self.row("SELECT * FROM survey_responses WHERE survey_id = ? AND client_id = ?",
                               [survey_id, client_id])
                if old is not None:
                    if old["participant_id"] != participant_id:
                        raise AppError("invalid_payload", detail="client_id")
                    return _response_out(old), False
            if source == "phone" and not self.survey_accepts(survey):
                raise AppError("survey_closed")
            clean = clean_answers(survey["questions"], answers)
            group = None
            if participant_id is not None:
                if self.row("SELECT 1 FROM survey_responses WHERE survey_id = ? AND participant_id = ?",
                            [survey_id, participant_id]):
                    raise AppError("survey_answered")
                group = self.participant_by_id(participant_id)["target_group"]
            rid = db["survey_responses"].insert({
                "survey_id": survey_id, "participant_id": participant_id, "client_id": client_id,
                "source": source, "sheet": sheet, "target_group": group, "language": language,
                "answers": json.dumps(clean, ensure_ascii=False), "created_at": self.now(),
            }).last_pk
            self.bump(event_id)
            row = self.row("SELECT * FROM survey_responses WHERE id = ?", [rid])
        return _response_out(row), True

    def has_answered(self, survey_id: int, participant_id: int) -> bool:
        """Whether this device has already answered the survey."""
        with self.read():
            return self.row("SELECT 1 FROM survey_responses WHERE survey_id = ? AND participant_id = ?",
                            [survey_id, participant_id]) is not None

    def survey_responses(self, event_id: str, survey_id: int) -> list[dict]:
        """Every response of a survey, oldest first."""
        self.get_survey(event_id, survey_id)
        with self.read():
            rows = self.rows("SELECT * FROM survey_responses WHERE survey_id = ? ORDER BY id",
                             [survey_id])
        return [_response_out(r) for r in rows]

    def delete_survey_response(self, event_id: str, survey_id: int, response_id: int,
                               actor: str = "facilitator") -> None:
        """Remove a response typed in by mistake (paper entry's "undo last")."""
        with self.write() as db:
            self.get_survey(event_id, survey_id)
            row = self.row("SELECT id FROM survey_responses WHERE id = ? AND survey_id = ?",
                           [response_id, survey_id])
            if row is None:
                raise AppError("unknown_survey_response")
            db["survey_responses"].delete(response_id)
            self.bump(event_id)
            self.log(event_id, actor, "survey_response_deleted", {"id": survey_id})
