"""Text on the table cards in several languages and scripts.

Arabic and Persian need shaping (each letter takes its joined form) and right-to-left
ordering: Pillow does both through libraqm (FriBiDi + HarfBuzz). Without it Pillow draws
the letters unjoined and left to right, which an Arabic reader cannot read, so a card
that needs it fails with a clear message instead (scripts/system-deps.sh installs it).
Arabic-script lines use Vazirmatn (static/fonts, OFL); the others DejaVu Sans.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont, features

from ..config import ROOT
from ..content_languages import CONTENT_LANGUAGES, RIGHT_TO_LEFT
from ..i18n import TRANSLATIONS
from .words import Words

FONT_DIR = ROOT / "static" / "fonts"
ARABIC_SCRIPT_FONTS = {False: FONT_DIR / "Vazirmatn-Regular.ttf", True: FONT_DIR / "Vazirmatn-Bold.ttf"}
# Vazirmatn's letters are smaller than DejaVu's at the same size: drawn this much larger,
# an Arabic line looks as large as the Latin and Cyrillic ones beside it.
ARABIC_SCALE = 1.2
# The Babel locale of each content language's catalogue.
CATALOGUE_LOCALE = {"de-simple": "de@simple"}


class ShapingUnavailable(RuntimeError):
    """Pillow has no libraqm, so Arabic and Persian cannot be drawn readably."""

    def __init__(self):
        super().__init__(
            "The table cards need Arabic/Persian text shaping, and Pillow has no libraqm: "
            "install it (Debian: apt-get install libraqm0, or run scripts/system-deps.sh "
            "as root) and try again.")


def require_shaping() -> None:
    """Raise ShapingUnavailable unless Pillow can shape and order right-to-left text."""
    if not features.check("raqm"):
        raise ShapingUnavailable()


@lru_cache(maxsize=32)
def arabic_script_font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Vazirmatn looking as large as DejaVu at `size` px, laid out by libraqm (required:
    see require_shaping)."""
    require_shaping()
    return ImageFont.truetype(str(ARABIC_SCRIPT_FONTS[bold]), round(size * ARABIC_SCALE),
                              layout_engine=ImageFont.Layout.RAQM)


def translated_lines(msgid: str, directory: Path = TRANSLATIONS,
                     languages=CONTENT_LANGUAGES) -> list[tuple[str, str]]:
    """(language, text) of msgid in each language whose catalogue has it, German first;
    a language that would only repeat another line (no catalogue yet) is left out."""
    out: list[tuple[str, str]] = []
    for lang in languages:
        text = Words(CATALOGUE_LOCALE.get(lang, lang), directory)(msgid)
        if lang not in ("de", "en") and text == msgid:
            continue  # no catalogue for it: it would print the English msgid again
        if all(text != seen for _, seen in out):
            out.append((lang, text))
    return out


def draw_line(draw, xy_center: tuple[float, float], text: str, lang: str, fnt, rtl_fnt, fill):
    """Draw one line centred on x at y, shaped and ordered for its language."""
    x, y = xy_center
    if lang in RIGHT_TO_LEFT:
        width = draw.textlength(text, font=rtl_fnt, direction="rtl", language=lang)
        draw.text((x - width / 2, y), text, font=rtl_fnt, fill=fill, direction="rtl",
                  language=lang)
    else:
        width = draw.textlength(text, font=fnt)
        draw.text((x - width / 2, y), text, font=fnt, fill=fill)


def fit_size(draw, lines: list[tuple[str, str]], width: int, start: int, font_for, least=12) -> int:
    """The largest size (from start down) at which every line is at most width wide."""
    size = start
    while size > least:
        fits = True
        for lang, text in lines:
            fnt = arabic_script_font(size) if lang in RIGHT_TO_LEFT else font_for(size)
            kw = {"direction": "rtl", "language": lang} if lang in RIGHT_TO_LEFT else {}
            if draw.textlength(text, font=fnt, **kw) > width:
                fits = False
                break
        if fits:
            return size
        size -= 1
    return least
