"""The translation layer: German by default, English complete; `?lang=` or the browser picks."""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request
from flask_babel import Babel, get_locale

LANGUAGES = ("de", "en")
TRANSLATIONS = Path(__file__).parent / "translations"
LANG_COOKIE = "lang"


def select_locale() -> str:
    """?lang= first, then a page's own setting (the projector's language, chosen in the
    console), then the remembered choice, then the browser's languages, then German."""
    wanted = (request.args.get("lang") or g.get("page_language")
              or request.cookies.get(LANG_COOKIE))
    if wanted in LANGUAGES:
        return wanted
    return request.accept_languages.best_match(LANGUAGES) or "de"


def compile_catalogues(directory: Path = TRANSLATIONS) -> None:
    """Compile each messages.po whose .mo is missing or older (no build step needed).

    The .mo files are build output and not in git: a fresh checkout compiles them at
    its first start. Each process writes its own temporary file and renames it into
    place, so servers starting at once never read or leave a half-written catalogue.
    """
    for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f)
        tmp = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog)
        tmp.replace(mo_path)


def current_language() -> str:
    """The language of the current request, 'de' or 'en'."""
    locale = get_locale()
    return locale.language if locale else "de"


def init_app(app: Flask) -> None:
    """Install flask-babel with our locale selector and remember ?lang= in a cookie."""
    compile_catalogues()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config.get("DEFAULT_LOCALE", "de"))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=select_locale)

    @app.after_request
    def remember_language(response):
        lang = request.args.get("lang")
        if lang in LANGUAGES and request.cookies.get(LANG_COOKIE) != lang:
            response.set_cookie(
                LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                secure=app.config.get("SECURE_COOKIES", False),
            )
        return response

    @app.context_processor
    def language_context():
        return {"lang": current_language(), "languages": LANGUAGES}
