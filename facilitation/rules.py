"""Pure rules for what the product accepts: kinds, limits and the cleaning of text.

Every function here takes plain values and either returns the cleaned value or raises
AppError; none touches the database or Flask.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from .errors import AppError

EVENT_KINDS = ("world_cafe", "akteurskonferenz")
CONTRIBUTION_KINDS = ("need", "idea", "problem", "works_well")
MAX_TEXT = 500
MAX_TABLES = 40
MAX_QUESTIONS = 5
MAX_JOIN_OPTIONS = 12
DEFAULT_TARGET_GROUPS = [
    "Ehrenamt",
    "Hauptamt",
    "Verwaltung",
    "Migrant*innen-Organisation",
    "Bürger*in",
]

# No 0/o, 1/l/i: the id is read aloud and typed from a slide.
_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_CODE_RE = re.compile(r"^[A-Za-z0-9ÄÖÜäöüß][A-Za-z0-9ÄÖÜäöüß_-]{0,19}$")


def new_event_id() -> str:
    """A short random event id that is easy to read aloud (6 characters, ~29 bits)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(6))


def _strip_controls(text: str) -> str:
    """Drop control characters except line breaks and tabs; normalise line breaks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )


def clean_text(text, limit: int = MAX_TEXT) -> str:
    """A contribution's text: 1 to `limit` characters after trimming."""
    if not isinstance(text, str):
        raise AppError("invalid_payload", detail="text")
    text = _strip_controls(unicodedata.normalize("NFC", text)).strip()
    if not text:
        raise AppError("text_empty")
    if len(text) > limit:
        raise AppError("text_too_long", limit=limit)
    return text


def clean_short_text(value, field: str, limit: int) -> str:
    """A one-line label (title, theme, question): trimmed, non-empty, at most `limit`."""
    if not isinstance(value, str):
        raise AppError("invalid_payload", detail=field)
    value = " ".join(_strip_controls(unicodedata.normalize("NFC", value)).split())
    if not value:
        raise AppError("invalid_payload", detail=field)
    if len(value) > limit:
        raise AppError("text_too_long", limit=limit)
    return value


def clean_code(code) -> str:
    """A table's short name, used in its URL: letters, digits, '-' and '_', up to 20."""
    if not isinstance(code, str) or not _CODE_RE.match(code.strip()):
        raise AppError("invalid_payload", detail="code")
    return code.strip()


def clean_questions(questions) -> list[str]:
    """A table's guiding questions: 1 to 5 one-line texts."""
    if not isinstance(questions, list) or not 1 <= len(questions) <= MAX_QUESTIONS:
        raise AppError("invalid_payload", detail="questions (1–5)")
    return [clean_short_text(q, "questions", 300) for q in questions]


def clean_join_options(options) -> list[str]:
    """The answers offered to the optional question at join (target groups)."""
    if not isinstance(options, list) or len(options) > MAX_JOIN_OPTIONS:
        raise AppError("invalid_payload", detail="join_options")
    cleaned = [clean_short_text(o, "join_options", 80) for o in options]
    if len(set(cleaned)) != len(cleaned):
        raise AppError("invalid_payload", detail="join_options")
    return cleaned


def table_codes(n: int) -> list[str]:
    """Default short names for n tables: A, B, C, …"""
    return [chr(ord("A") + i) if i < 26 else f"T{i + 1}" for i in range(n)]
