"""The event plan file (docs/plan-format.md): read and check one, or write one from an event."""

from __future__ import annotations

import json

from .content_languages import localized, split_localized
from .errors import AppError
from .rules import (
    EVENT_KINDS,
    MAX_JOIN_OPTIONS,
    MAX_QUESTIONS,
    MAX_TABLES,
    clean_code,
    clean_join_options,
    clean_questions,
    clean_short_text,
)

PLAN_FORMAT = "facilitation-plan"
PLAN_VERSION = 1
MAX_PLAN_BYTES = 512 * 1024


def parse_plan(raw) -> dict:
    """Check a plan (bytes, str or already-parsed dict) and return it cleaned.

    Raises AppError('invalid_plan') naming what is wrong; nothing is half-accepted.
    """
    if isinstance(raw, (bytes, bytearray)):
        if len(raw) > MAX_PLAN_BYTES:
            raise AppError("invalid_plan", detail="file too large")
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AppError("invalid_plan", detail="not UTF-8 text") from None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise AppError("invalid_plan", detail=f"not JSON (line {exc.lineno})") from None
    if not isinstance(raw, dict):
        raise AppError("invalid_plan", detail="a JSON object is expected")
    if raw.get("format") != PLAN_FORMAT:
        raise AppError("invalid_plan", detail=f'"format" must be "{PLAN_FORMAT}"')
    if raw.get("version") != PLAN_VERSION:
        raise AppError("invalid_plan", detail=f'"version" must be {PLAN_VERSION}')
    known = {"format", "version", "title", "date", "kind", "join_question", "join_options", "tables"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise AppError("invalid_plan", detail="unknown field " + ", ".join(unknown))
    try:
        kind = raw.get("kind", "world_cafe")
        if kind not in EVENT_KINDS:
            raise AppError("invalid_plan", detail='"kind"')
        tables = raw.get("tables", [])
        if not isinstance(tables, list) or len(tables) > MAX_TABLES:
            raise AppError("invalid_plan", detail='"tables"')
        cleaned_tables = []
        for i, t in enumerate(tables):
            if not isinstance(t, dict) or set(t) - {"code", "theme", "questions"}:
                raise AppError("invalid_plan", detail=f"tables[{i}]")
            theme, theme_i18n = split_localized(t.get("theme"), f"tables[{i}].theme", 200)
            questions, questions_i18n = _localized_list(
                t.get("questions"), f"tables[{i}].questions", 300, MAX_QUESTIONS, least=1)
            cleaned_tables.append(
                {
                    "code": clean_code(t.get("code")),
                    "theme": theme,
                    "theme_i18n": theme_i18n,
                    "questions": clean_questions(questions),
                    "questions_i18n": questions_i18n,
                }
            )
        codes = [t["code"] for t in cleaned_tables]
        if len(set(codes)) != len(codes):
            raise AppError("invalid_plan", detail="two tables share a code")
        question, question_i18n = (
            split_localized(raw["join_question"], "join_question", 200)
            if raw.get("join_question") else (None, {}))
        options, options_i18n = _localized_list(
            raw.get("join_options", []), "join_options", 80, MAX_JOIN_OPTIONS)
        return {
            "title": clean_short_text(raw.get("title"), "title", 200),
            "date": clean_short_text(raw.get("date"), "date", 40),
            "kind": kind,
            "join_question": question,
            "join_question_i18n": question_i18n,
            "join_options": clean_join_options(options),
            "join_options_i18n": options_i18n,
            "tables": cleaned_tables,
        }
    except AppError as exc:
        if exc.code == "invalid_plan":
            raise
        raise AppError("invalid_plan", detail=exc.params.get("detail", exc.code)) from None


def _localized_list(values, field: str, limit: int, most: int, least: int = 0):
    """A list whose items are plain German strings or {"de": …, "ar": …} maps."""
    if not isinstance(values, list) or not least <= len(values) <= most:
        raise AppError("invalid_plan", detail=field)
    pairs = [split_localized(v, f"{field}[{i}]", limit) for i, v in enumerate(values)]
    return [german for german, _ in pairs], [tr for _, tr in pairs]


def plan_of(event: dict, tables: list[dict]) -> dict:
    """The plan of an existing event, ready to be saved and imported elsewhere.

    A text with translations is written as {"de": …, "ar": …}; one without stays a plain
    string, so a plan without translations reads as before.
    """
    options_i18n = event.get("join_options_i18n") or [{} for _ in event["join_options"]]
    return {
        "format": PLAN_FORMAT,
        "version": PLAN_VERSION,
        "title": event["title"],
        "date": event["date"],
        "kind": event["kind"],
        "join_question": localized(event["join_question"], event.get("join_question_i18n"))
        if event["join_question"] else None,
        "join_options": [localized(o, tr) for o, tr in
                         zip(event["join_options"], options_i18n, strict=True)],
        "tables": [
            {"code": t["code"], "theme": localized(t["theme"], t.get("theme_i18n")),
             "questions": [localized(q, tr) for q, tr in zip(
                 t["questions"], t.get("questions_i18n") or [{} for _ in t["questions"]],
                 strict=True)]}
            for t in tables
        ],
    }
