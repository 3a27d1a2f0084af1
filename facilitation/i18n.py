"""The translation layer: eight UI languages, German by default.

A language has a *code* (what `?lang=` and the `lang` cookie carry, and what the pages
and exports call it) and a *locale* (the catalogue directory under translations/).
They differ only for Einfache Sprache: the code `de-simple` is the locale `de@simple`
(Babel: Locale('de', modifier='simple')), whose pages say `<html lang="de">`.

Which language a request gets, first match wins: `?lang=` on the URL; a page's own
setting (the projector's language, chosen in the console); on a socket, the `lang` of
the client's auth at connect; the `lang` cookie (the device's remembered choice); the
browser's Accept-Language; German.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request
from flask_babel import Babel, get_locale, get_translations

# code -> (locale, the language's name in its own language and script), in menu order.
LANGUAGES: dict[str, tuple[str, str]] = {
    "de": ("de", "Deutsch"),
    "de-simple": ("de@simple", "Einfache Sprache"),
    "en": ("en", "English"),
    "tr": ("tr", "Türkçe"),
    "ar": ("ar", "العربية"),
    "fa": ("fa", "فارسی"),
    "uk": ("uk", "Українська"),
    "ru": ("ru", "Русский"),
}
DEFAULT = "de"
# English is the msgids themselves: it has no catalogue.
CATALOGUE_LANGUAGES = tuple(code for code in LANGUAGES if code != "en")
# Einfache Sprache is never asked for by a browser; a plain "de" gets German.
_BROWSER_CHOICES = [code for code in LANGUAGES if code != "de-simple"]
TRANSLATIONS = Path(__file__).parent / "translations"
LANG_COOKIE = "lang"
# Where a socket's connect handler leaves the language of its client's auth. The
# environ dict lives as long as the socket, so every later message finds it.
SOCKET_LANG_KEY = "facilitation.lang"


def locale_of(code: str) -> str:
    """The catalogue locale of a language code ('de-simple' -> 'de@simple')."""
    return LANGUAGES.get(code, LANGUAGES[DEFAULT])[0]


def code_of(locale: Locale | str | None) -> str:
    """The language code of a Babel locale (Locale('de', modifier='simple') -> 'de-simple')."""
    wanted = str(locale) if locale else DEFAULT
    for code, (loc, _name) in LANGUAGES.items():
        if loc == wanted:
            return code
    return DEFAULT


def html_lang(code: str) -> str:
    """The BCP 47 tag a page in this language declares: Einfache Sprache is German."""
    return code.split("-")[0] if code in LANGUAGES else DEFAULT


def text_direction(code: str) -> str:
    """'rtl' or 'ltr', as Babel's locale data says for the language."""
    return Locale.parse(locale_of(code)).text_direction


def valid(code) -> bool:
    """Whether code is one of our language codes."""
    return isinstance(code, str) and code in LANGUAGES


def select_locale() -> str:
    """?lang=, a page's own setting, a socket's auth, the remembered choice, the browser, German."""
    for wanted in (request.args.get("lang"), g.get("page_language"),
                   request.environ.get(SOCKET_LANG_KEY), request.cookies.get(LANG_COOKIE)):
        if valid(wanted):
            return locale_of(wanted)
    return locale_of(request.accept_languages.best_match(_BROWSER_CHOICES) or DEFAULT)


def compile_catalogues(directory: Path = TRANSLATIONS) -> None:
    """Compile each messages.po whose .mo is missing or older (no build step needed).

    The .mo files are build output and not in git: a fresh checkout compiles them at
    its first start. Each process writes its own temporary file and renames it into
    place, so servers starting at once never read or leave a half-written catalogue.

    A variant's catalogue (`de@simple`) takes each message it leaves untranslated from
    its base language (`de`): Einfache Sprache falls back to German message by message,
    never to the English msgid.
    """
    for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        base = po_path.parents[1].name.partition("@")
        base_po = directory / base[0] / "LC_MESSAGES" / "messages.po" if base[1] else None
        newest = max(p.stat().st_mtime for p in (po_path, base_po) if p and p.exists())
        if mo_path.exists() and mo_path.stat().st_mtime >= newest:
            continue
        with po_path.open("rb") as f:
            catalog = read_po(f)
        if base_po and base_po.exists():
            _fill_from(catalog, base_po)
        tmp = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            write_mo(f, catalog)
        tmp.replace(mo_path)


def _fill_from(catalog, base_po: Path) -> None:
    """Give the untranslated messages of catalog the base language's translation."""
    with base_po.open("rb") as f:
        base = read_po(f)
    for message in base:
        if not message.id:
            continue
        own = catalog.get(message.id)
        forms = own.string if own else None
        if own is None or not (all(forms) if isinstance(forms, tuple | list) else forms):
            if own is not None:
                own.string = message.string
            else:
                catalog.add(message.id, message.string, flags=message.flags)


def current_language() -> str:
    """The language code of the current request, e.g. 'de', 'de-simple', 'ar'."""
    return code_of(get_locale())


def plural_forms(singular: str, plural: str) -> dict[str, str]:
    """A counted message in every plural category of the current language, for scripts.

    Keys are CLDR categories (one, two, few, many, other, zero), as the browser's
    Intl.PluralRules names them; each value is the catalogue's form for a number of
    that category, with %(num)s left for the script to fill in.
    """
    locale = get_locale() or Locale.parse(locale_of(DEFAULT))
    translations = get_translations()
    return {category: translations.ungettext(singular, plural, n)
            for category, n in _category_samples(str(locale)).items()}


@lru_cache(maxsize=64)
def _category_samples(locale: str) -> dict[str, int]:
    """The smallest number of each plural category of a language (0–199 cover them all):
    worked out once per language, not for every counted message of every page."""
    rule = Locale.parse(locale).plural_form
    samples: dict[str, int] = {}
    for n in range(0, 200):
        samples.setdefault(rule(n), n)
    return samples


def switch_url(code: str) -> str:
    """This page's URL in another language: every query parameter (key, token …) kept."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.path}?{urlencode([*args, ('lang', code)])}"


def init_app(app: Flask) -> None:
    """Install flask-babel with our locale selector and remember ?lang= in a cookie."""
    directory = Path(app.config.get("TRANSLATIONS_DIR") or TRANSLATIONS)
    compile_catalogues(directory)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", locale_of(app.config.get("DEFAULT_LOCALE", DEFAULT)))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(directory)
    Babel(app, locale_selector=select_locale)

    @app.after_request
    def remember_language(response):
        lang = request.args.get("lang")
        if valid(lang) and request.cookies.get(LANG_COOKIE) != lang:
            response.set_cookie(
                LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                secure=app.config.get("SECURE_COOKIES", False),
            )
        return response

    @app.after_request
    def cache_fonts(response):
        # Font files never change under their name: a phone fetches one once per event.
        if request.path.startswith("/static/fonts/") and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    @app.context_processor
    def language_context():
        code = current_language()
        return {"lang": code, "html_lang": html_lang(code), "text_dir": text_direction(code),
                "languages": [(c, name, html_lang(c), text_direction(c))
                              for c, (_loc, name) in LANGUAGES.items()],
                "switch_url": switch_url}
