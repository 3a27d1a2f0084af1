"""The event plan file (docs/plan-format.md): read and check one, or write one from an event."""

from __future__ import annotations

import json

from .errors import AppError
from .rules import (
    EVENT_KINDS,
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
            cleaned_tables.append(
                {
                    "code": clean_code(t.get("code")),
                    "theme": clean_short_text(t.get("theme"), "theme", 200),
                    "questions": clean_questions(t.get("questions")),
                }
            )
        codes = [t["code"] for t in cleaned_tables]
        if len(set(codes)) != len(codes):
            raise AppError("invalid_plan", detail="two tables share a code")
        question = raw.get("join_question")
        return {
            "title": clean_short_text(raw.get("title"), "title", 200),
            "date": clean_short_text(raw.get("date"), "date", 40),
            "kind": kind,
            "join_question": clean_short_text(question, "join_question", 200) if question else None,
            "join_options": clean_join_options(raw.get("join_options", [])),
            "tables": cleaned_tables,
        }
    except AppError as exc:
        if exc.code == "invalid_plan":
            raise
        raise AppError("invalid_plan", detail=exc.params.get("detail", exc.code)) from None


def plan_of(event: dict, tables: list[dict]) -> dict:
    """The plan of an existing event, ready to be saved and imported elsewhere."""
    return {
        "format": PLAN_FORMAT,
        "version": PLAN_VERSION,
        "title": event["title"],
        "date": event["date"],
        "kind": event["kind"],
        "join_question": event["join_question"],
        "join_options": event["join_options"],
        "tables": [
            {"code": t["code"], "theme": t["theme"], "questions": t["questions"]} for t in tables
        ],
    }
