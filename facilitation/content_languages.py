"""Content in several languages: what a facilitator types (themes, guiding questions, the
join question and its answers, voting statements) given per language, German required.

German stays in the plain field (`theme`, `questions`, …), so every reader that knows
nothing of languages keeps working; the other languages sit beside it in a map per
field (`theme_i18n = {"ar": "…"}`) or, for lists, one map per item aligned with the
German list (`questions_i18n = [{"ar": "…"}, {}]`). A missing translation falls back to
German. Pure functions only: no Flask, no database.
"""

from __future__ import annotations

from .errors import AppError
from .rules import clean_short_text

GERMAN = "de"
# URL/lang codes of the eight languages; "de-simple" is Einfache Sprache (Babel: de@simple).
CONTENT_LANGUAGES = ("de", "de-simple", "en", "tr", "ar", "fa", "uk", "ru")
TRANSLATED = CONTENT_LANGUAGES[1:]
RIGHT_TO_LEFT = frozenset({"ar", "fa"})
# Each language named in its own language and script (for editors and exports).
NATIVE_NAMES = {
    "de": "Deutsch", "de-simple": "Einfache Sprache", "en": "English", "tr": "Türkçe",
    "ar": "العربية", "fa": "فارسی", "uk": "Українська", "ru": "Русский",
}


def content_language(locale) -> str:
    """The content language of a Babel locale (None → German): de@simple → 'de-simple'."""
    if locale is None:
        return GERMAN
    if getattr(locale, "modifier", None) == "simple":
        return "de-simple"
    code = getattr(locale, "language", None) or str(locale)
    return code if code in CONTENT_LANGUAGES else GERMAN


def base_language(code: str | None) -> str | None:
    """The written language behind a content language: Einfache Sprache is German."""
    return GERMAN if code == "de-simple" else code


def clean_translations(value, field: str, limit: int) -> dict[str, str]:
    """A map language → text for one field, German excluded; empty texts are dropped.

    Raises AppError('invalid_payload') naming the field for an unknown language or a
    text that is not a string.
    """
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AppError("invalid_payload", detail=field)
    out = {}
    for lang in TRANSLATED:  # a fixed order, whatever order the input had
        if lang not in value or value[lang] is None:
            continue
        text = value[lang]
        if not isinstance(text, str):
            raise AppError("invalid_payload", detail=f"{field}.{lang}")
        if text.strip():
            out[lang] = clean_short_text(text, f"{field}.{lang}", limit)
    unknown = sorted(set(value) - set(TRANSLATED))
    if unknown:
        raise AppError("invalid_payload", detail=f"{field}: unknown language {', '.join(map(str, unknown))}")
    return out


def clean_list_translations(values, count: int, field: str, limit: int) -> list[dict[str, str]]:
    """One translation map per item of a German list of `count` items (missing → {})."""
    if values is None:
        return [{} for _ in range(count)]
    if not isinstance(values, list) or len(values) > count:
        raise AppError("invalid_payload", detail=field)
    cleaned = [clean_translations(v, f"{field}[{i}]", limit) for i, v in enumerate(values)]
    return cleaned + [{} for _ in range(count - len(cleaned))]


def split_localized(value, field: str, limit: int) -> tuple[str, dict[str, str]]:
    """A plan's field: a plain German string, or {"de": …, "ar": …} with German required.

    Returns (German text, the other languages' map), both cleaned.
    """
    if isinstance(value, dict):
        if not isinstance(value.get(GERMAN), str):
            raise AppError("invalid_payload", detail=f'{field}: "de" is required')
        rest = {k: v for k, v in value.items() if k != GERMAN}
        return clean_short_text(value[GERMAN], field, limit), clean_translations(rest, field, limit)
    return clean_short_text(value, field, limit), {}


def localized(german: str, translations: dict[str, str] | None):
    """The plan form of a field: the plain string when there is no translation (so old
    readers still read it), else {"de": German, "ar": …}."""
    if not translations:
        return german
    return {GERMAN: german, **{k: translations[k] for k in TRANSLATED if k in translations}}


def pick(german: str, translations: dict[str, str] | None, language: str) -> str:
    """The text in `language`, or German where that translation is missing."""
    if language == GERMAN or not translations:
        return german
    return translations.get(language) or german


def languages_given(*maps: dict) -> list[str]:
    """The languages that at least one of these translation maps has, in the fixed order."""
    seen = set()
    for m in maps:
        seen.update(m)
    return [lang for lang in TRANSLATED if lang in seen]
