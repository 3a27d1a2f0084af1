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


# Characters no export may carry: XML 1.0 (the workbook) refuses C0 controls, lone
# surrogates and U+FFFE/U+FFFF; CSV consumers and terminals act on C1 controls; the
# Unicode non-characters (U+FDD0–U+FDEF and the last two of every plane) are not text;
# bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) make a
# text display in another order than it reads ("Trojan Source"). Tab and newline stay.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unwanted(ch: str) -> bool:
    """True for a character that the input rule removes (see above)."""
    if ch in "\n\t":
        return False
    code = ord(ch)
    return (
        code < 0x20 or 0x7F <= code <= 0x9F  # C0 and C1 controls, DEL
        or 0xD800 <= code <= 0xDFFF  # surrogates (only lone ones reach a str)
        or 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE  # non-characters
        or ch in _BIDI_CONTROLS
    )


# The same characters as one regular expression (tests/test_rules_printable.py checks
# every code point against `unwanted`): a text that needs cleaning is cleaned in C.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\u202a-\u202e\u2066-\u2069"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
    + "]"
)
_PLAIN = frozenset({int, float, bool, type(None)})


def printable(text: str) -> str:
    """text without the characters the input rule removes (for data stored before it)."""
    # str.isprintable() is False for every removed character (controls, surrogates,
    # non-characters, format characters such as the bidi controls): the common case
    # returns here, umlauts and all, without looking at a character in Python.
    if text.isprintable():
        return text
    return _UNWANTED.sub("", text)


def exportable(value):
    """value (str, list, dict, nested) with `printable` applied to every string in it.

    Called on everything an export reads (a million values for a large event): numbers
    and clean strings are taken as they are without a call per value.
    """
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, dict):
        return {
            k if type(k) in _PLAIN or (type(k) is str and k.isprintable()) else exportable(k):
            v if type(v) in _PLAIN or (type(v) is str and v.isprintable()) else exportable(v)
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _PLAIN or (type(v) is str and v.isprintable()) else exportable(v)
                for v in value]
    return value


def _strip_controls(text: str) -> str:
    """Apply the input rule (see `unwanted`); normalise line breaks."""
    return printable(text.replace("\r\n", "\n").replace("\r", "\n"))


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
