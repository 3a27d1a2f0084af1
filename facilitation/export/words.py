"""The words of the exported files in the organisers' language, without Flask.

Exports are written by the CLI and after closing an event, outside any request, so the
catalogue is read with Babel directly. Msgids are English like everywhere else; `_`
here only marks them for extraction and translation happens in `Words`.

Sheet names, file names and column headers are NOT translated: they are the documented
file format (docs/export-format.md), which organisers' spreadsheets and macros rely on,
and they are German because the real catalogues they continue are German.
"""

from __future__ import annotations

from babel.support import NullTranslations, Translations

from ..i18n import TRANSLATIONS, compile_catalogues, locale_of


def _(msgid: str) -> str:
    """Marks a msgid for extraction; `Words` translates it."""
    return msgid


KINDS = {"need": _("Need"), "idea": _("Idea"), "problem": _("Problem"),
         "works_well": _("Works well")}
EVENT_KINDS = {"world_cafe": _("World Café"), "akteurskonferenz": _("Akteurskonferenz")}
STATUSES = {"draft": _("In preparation"), "running": _("Running"), "closed": _("Closed")}
VOTING_STATUSES = {"draft": _("In preparation"), "open": _("Open"), "closed": _("Closed")}
# The language a contribution was written in (facilitation/content_languages.py codes).
LANGUAGE_NAMES = {"de": _("German"), "de-simple": _("Plain German (Einfache Sprache)"),
                  "en": _("English"), "tr": _("Turkish"), "ar": _("Arabic"), "fa": _("Persian"),
                  "uk": _("Ukrainian"), "ru": _("Russian")}
# The same, as said after "17 % of the contributions …" (German: "auf Arabisch", but
# "in Einfacher Sprache"), so each language gets its own whole phrase.
IN_LANGUAGE = {"de": _("in German"), "de-simple": _("in Plain German (Einfache Sprache)"),
               "en": _("in English"), "tr": _("in Turkish"), "ar": _("in Arabic"),
               "fa": _("in Persian"), "uk": _("in Ukrainian"), "ru": _("in Russian")}
# The Umsetzung column of the measures catalogue (DOMAIN.md, Braunschweig).
PROGRESS = [_("not started"), _("planned"), _("in progress"), _("done")]


class Words:
    """Translated labels for one language code ('de', 'en', 'de-simple', 'ar' …)."""

    def __init__(self, language: str = "de", directory=TRANSLATIONS):
        self.language = language
        compile_catalogues(directory)
        found = Translations.load(str(directory), [locale_of(language)])
        self._t = found if isinstance(found, Translations) else NullTranslations()

    def __call__(self, msgid: str, **params) -> str:
        """The translation of msgid, with %(name)s parameters filled in."""
        text = self._t.gettext(msgid)
        return text % params if params else text

    def plural(self, singular: str, plural: str, n: int, **params) -> str:
        """The translation for count n (e.g. "1 Punkt", "2 Punkte"), parameters filled in."""
        text = self._t.ngettext(singular, plural, n)
        return text % params if params else text

    def kind(self, kind: str) -> str:
        """The label of a kind of contribution."""
        return self(KINDS[kind]) if kind in KINDS else kind

    def event_kind(self, kind: str) -> str:
        """The label of a kind of event."""
        return self(EVENT_KINDS[kind]) if kind in EVENT_KINDS else kind

    def status(self, status: str) -> str:
        """The label of an event status."""
        return self(STATUSES[status]) if status in STATUSES else status

    def voting_status(self, status: str) -> str:
        """The label of a voting round's status."""
        return self(VOTING_STATUSES[status]) if status in VOTING_STATUSES else status

    def visibility(self, hidden: bool, merged_into: int | None = None) -> str:
        """A contribution's status in the files: visible, hidden by the facilitator, or
        merged into another contribution (named by its number)."""
        if merged_into is not None:
            return self(_("merged into no. %(number)s"), number=merged_into)
        return self(_("hidden")) if hidden else self(_("visible"))

    def language_name(self, code: str | None) -> str:
        """The name of a contribution's language; 'unknown' for older contributions."""
        if code is None:
            return self(_("unknown"))
        return self(LANGUAGE_NAMES[code]) if code in LANGUAGE_NAMES else code

    def in_language(self, code: str | None) -> str:
        """'in Arabic' ('auf Arabisch'), or 'in an unknown language' for older ones."""
        if code is None:
            return self(_("in an unknown language"))
        return self(IN_LANGUAGE[code]) if code in IN_LANGUAGE else code

    def progress(self) -> list[str]:
        """The choices of the measures catalogue's Umsetzung column."""
        return [self(p) for p in PROGRESS]

    def no_group(self) -> str:
        """How a participant without an answer to the join question is shown."""
        return self(_("no answer"))
