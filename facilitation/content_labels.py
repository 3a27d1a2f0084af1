"""Strings of the phone's content-language features (German original, read aloud) for the
pages' scripts, and the template helpers that pick a facilitator's text per language."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from .content_languages import NATIVE_NAMES, RIGHT_TO_LEFT, TRANSLATED, content_language, pick


def content_strings() -> dict:
    """The strings content-lang.js, read-aloud.js and the translation editor show."""
    return {
        "show_original": _("Show German original"),
        "show_translation": _("Show in my language"),
        "read_aloud": _("Read aloud"),
        "stop_reading": _("Stop reading"),
        "translations_saved": _("Translations saved."),
        "translation_of": _("Translation of: %(text)s"),
        "group_question": _("Question at join"),
        "language_names": NATIVE_NAMES,
    }


def current_content_language() -> str:
    """The content language of this request (its interface language; de@simple → de-simple)."""
    return content_language(get_locale())


def template_helpers() -> dict:
    """content_lang, and text_in(german, translations) → (text, its lang, its dir)."""
    lang = current_content_language()

    def text_in(german: str, translations: dict | None) -> tuple[str, str, str]:
        text = pick(german, translations, lang)
        shown = lang if lang != "de" and text != german else "de"
        # The German field's direction is its text's own: nobody checks what was typed there.
        direction = "auto" if shown == "de" else "rtl" if shown in RIGHT_TO_LEFT else "ltr"
        return text, "de" if shown == "de-simple" else shown, direction

    return {"content_lang": lang, "text_in": text_in, "translated_languages": TRANSLATED}
