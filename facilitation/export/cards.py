"""tischkarten.pdf: one A4 tent card per table and a join page, drawn with Pillow.

A tent card is folded across the middle: the lower half reads upright, the upper half
is the same card turned by 180°, so people on both sides of the table see the code,
the theme, the guiding questions and a QR code to scan. Pillow writes the PDF itself,
so no other PDF stack is needed.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..content_languages import RIGHT_TO_LEFT as RTL
from ..i18n import TRANSLATIONS
from ..qr import qr_image
from . import card_text
from .snapshot import Snapshot
from .words import Words, _

DPI = 150
PAGE = (round(210 / 25.4 * DPI), round(297 / 25.4 * DPI))  # A4 portrait in pixels
MARGIN = round(12 / 25.4 * DPI)
INK = 0
ACCENT = 90
_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]
_BOLD_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu (Debian's fonts-dejavu-core) at `size` px; Pillow's own font if it is missing."""
    for path in _BOLD_FONTS if bold else _FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def wrap(draw: ImageDraw.ImageDraw, text: str, fnt, width: int) -> list[str]:
    """Break text into lines no wider than width pixels (a word too long is cut)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=fnt) <= width:
                line = trial
                continue
            if line:
                lines.append(line)
            while draw.textlength(word, font=fnt) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and draw.textlength(word[:cut], font=fnt) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _fit(draw, text: str, width: int, height: int, start: int, bold=False, least=14):
    """The largest font size (from start down) at which text fits the box; its lines."""
    size = start
    while True:
        fnt = font(size, bold)
        lines = wrap(draw, text, fnt, width)
        line_h = round(size * 1.25)
        if len(lines) * line_h <= height or size <= least:
            return fnt, lines, line_h
        size -= 2


def _hints(draw, hints: list[tuple[str, str]], x: int, y: int, width: int) -> int:
    """The instruction under the QR code: the first language large, the others below it
    in two columns, each shaped for its script; returns the y below them."""
    first, rest = hints[0], hints[1:]
    size = card_text.fit_size(draw, [first], width, 26, lambda s: font(s, bold=True))
    card_text.draw_line(draw, (x + width / 2, y), first[1], first[0], font(size, bold=True),
                        card_text.arabic_script_font(size, True) if first[0] in RTL else None, INK)
    y += round(size * 1.4)
    column = width // 2
    size = card_text.fit_size(draw, rest, column - 8, 19, font)
    for i, (lang, text) in enumerate(rest):
        cx = x + column / 2 + (i % 2) * column
        cy = y + (i // 2) * round(size * 1.65)
        card_text.draw_line(draw, (cx, cy), text, lang, font(size),
                            card_text.arabic_script_font(size) if lang in RTL else None, INK)
    return y + ((len(rest) + 1) // 2) * round(size * 1.65) + 6


def _half(snap: Snapshot, table: dict, words: Words,
          hints: list[tuple[str, str]]) -> Image.Image:
    """One half of a tent card (A4 width, half its height), upright."""
    w, h = PAGE[0], PAGE[1] // 2
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    url = snap.table_url(table["code"])
    qr_size = round(h * 0.56)
    qr = qr_image(url, box_size=10, border=2).convert("L").resize(
        (qr_size, qr_size), Image.NEAREST)
    inner = w - 2 * MARGIN
    text_w = inner - qr_size - MARGIN
    y = MARGIN
    code_font = font(round(h * 0.16), bold=True)
    draw.text((MARGIN, y), table["code"], font=code_font, fill=INK)
    y += round(h * 0.19)
    theme_font, lines, line_h = _fit(draw, table["theme"], text_w, round(h * 0.2), 46, bold=True)
    for line in lines:
        draw.text((MARGIN, y), line, font=theme_font, fill=INK)
        y += line_h
    y += 12
    questions = "\n".join(f"{i}. {q}" for i, q in enumerate(table["questions"], 1))
    room = h - y - MARGIN - 40
    q_font, q_lines, q_h = _fit(draw, questions, text_w, room, 28, least=12)
    for line in q_lines:
        if y + q_h > h - MARGIN - 40:
            break
        draw.text((MARGIN, y), line, font=q_font, fill=ACCENT)
        y += q_h
    qx, qy = w - MARGIN - qr_size, MARGIN
    img.paste(qr, (qx, qy))
    uy = _hints(draw, hints, qx, qy + qr_size + 6, qr_size)
    url_font, url_lines, url_h = _fit(draw, url, qr_size + MARGIN, 80, 22, least=12)
    for line in url_lines:
        lw = draw.textlength(line, font=url_font)
        draw.text((qx + (qr_size - lw) / 2, uy), line, font=url_font, fill=INK)
        uy += url_h
    footer = f"{snap.event['title']} · {words(_('Table'))} {table['code']}"
    draw.text((MARGIN, h - MARGIN - 22), footer, font=font(20), fill=ACCENT)
    return img


def _dashed_middle(page: Image.Image) -> None:
    """A dashed line across the middle of an A4 page: where to fold or cut."""
    draw = ImageDraw.Draw(page)
    mid = PAGE[1] // 2
    for x in range(0, PAGE[0], 24):
        draw.line([(x, mid), (x + 12, mid)], fill=160, width=2)


def table_card(snap: Snapshot, table: dict, words: Words,
               hints: list[tuple[str, str]]) -> Image.Image:
    """A whole A4 tent card: the upper half turned by 180°, a dashed fold line between."""
    half = _half(snap, table, words, hints)
    page = Image.new("L", PAGE, 255)
    page.paste(half.rotate(180), (0, 0))
    page.paste(half, (0, PAGE[1] - half.height))
    _dashed_middle(page)
    return page


def join_page(snap: Snapshot, words: Words) -> Image.Image:
    """The join page: event title, a big QR code to the table choice, the address and code."""
    page = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(page)
    w, h = PAGE
    inner = w - 2 * MARGIN
    y = MARGIN * 2
    title_font, lines, line_h = _fit(draw, snap.event["title"], inner, 260, 72, bold=True)
    for line in lines:
        draw.text(((w - draw.textlength(line, font=title_font)) / 2, y), line,
                  font=title_font, fill=INK)
        y += line_h
    y += 20
    sub = words(_("Take part with your phone: scan the code and choose your table."))
    sub_font, sub_lines, sub_h = _fit(draw, sub, inner, 140, 40)
    for line in sub_lines:
        draw.text(((w - draw.textlength(line, font=sub_font)) / 2, y), line,
                  font=sub_font, fill=INK)
        y += sub_h
    url = snap.join_url()
    size = min(inner, h - y - 380)
    qr = qr_image(url, box_size=10, border=2).convert("L").resize((size, size), Image.NEAREST)
    page.paste(qr, ((w - size) // 2, y + 30))
    y += size + 60
    url_font, url_lines, url_h = _fit(draw, url, inner, 140, 48, bold=True)
    for line in url_lines:
        draw.text(((w - draw.textlength(line, font=url_font)) / 2, y), line, font=url_font, fill=INK)
        y += url_h
    code = words(_("Event code: %(code)s"), code=snap.event["id"])
    code_font = font(40)
    draw.text(((w - draw.textlength(code, font=code_font)) / 2, y + 20), code, font=code_font,
              fill=ACCENT)
    return page


def _host_half(snap: Snapshot, table: dict, key: str, words: Words) -> Image.Image:
    """A table host's card (half an A4 page): the secret host link as a QR code."""
    w, h = PAGE[0], PAGE[1] // 2
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    inner = w - 2 * MARGIN
    qr_size = round(h * 0.62)
    text_w = inner - qr_size - MARGIN
    y = MARGIN
    head = words(_("For the table host only"))
    head_font, lines, line_h = _fit(draw, head, text_w, round(h * 0.16), 40, bold=True)
    for line in lines:
        draw.text((MARGIN, y), line, font=head_font, fill=INK)
        y += line_h
    y += 16
    title = f"{words(_('Table'))} {table['code']}: {table['theme']}"
    title_font, lines, line_h = _fit(draw, title, text_w, round(h * 0.2), 36, bold=True)
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=INK)
        y += line_h
    y += 16
    hint = words(_("Scan to open the host view: the harvest of earlier rounds by question, "
                   "key points, and typing in for people without a phone. Keep this card "
                   "to yourself: whoever scans it can act as host of this table."))
    hint_font, lines, line_h = _fit(draw, hint, text_w, h - y - MARGIN - 40, 26, least=12)
    for line in lines:
        draw.text((MARGIN, y), line, font=hint_font, fill=ACCENT)
        y += line_h
    qr = qr_image(snap.host_url(table["code"], key), box_size=10, border=2).convert("L").resize(
        (qr_size, qr_size), Image.NEAREST)
    img.paste(qr, (w - MARGIN - qr_size, MARGIN))
    footer = f"{snap.event['title']} · {words(_('Table host'))} · {words(_('Table'))} {table['code']}"
    draw.text((MARGIN, h - MARGIN - 22), footer, font=font(20), fill=ACCENT)
    return img


def host_pages(snap: Snapshot, host_keys: dict[str, str], words: Words) -> list[Image.Image]:
    """Two host cards per A4 page, a dashed line to cut along between them."""
    halves = [_host_half(snap, t, host_keys[t["code"]], words)
              for t in snap.tables if t["code"] in host_keys]
    pages = []
    for first in range(0, len(halves), 2):
        page = Image.new("L", PAGE, 255)
        page.paste(halves[first], (0, 0))
        if first + 1 < len(halves):
            page.paste(halves[first + 1], (0, PAGE[1] - halves[first + 1].height))
            _dashed_middle(page)
        pages.append(page)
    return pages


def card_images(snap: Snapshot, host_keys: dict[str, str] | None = None,
                catalogues: Path = TRANSLATIONS) -> list[tuple[str, Image.Image]]:
    """(name, page) for the join page and every table's card, in print order; with
    host_keys, then the table hosts' cards, two to a page (named "hosts-1", "hosts-2"…).

    The line under each table's QR code is said in every language whose catalogue (in
    `catalogues`) translates it; raises card_text.ShapingUnavailable when one of them is
    Arabic or Persian and Pillow cannot shape it.
    """
    words = Words(snap.language)
    hints = card_text.translated_lines(_("Scan to take part"), catalogues)
    if any(lang in RTL for lang, _text in hints):
        card_text.require_shaping()
    pages = [("join", join_page(snap, words))]
    pages += [(t["code"], table_card(snap, t, words, hints)) for t in snap.tables]
    if host_keys:
        pages += [(f"hosts-{n}", page)
                  for n, page in enumerate(host_pages(snap, host_keys, words), 1)]
    return pages


def render(snap: Snapshot, host_keys: dict[str, str] | None = None,
           catalogues: Path = TRANSLATIONS) -> bytes:
    """tischkarten.pdf: the join page, then one tent card per table; with host_keys, the
    table hosts' cards after them (never in a session folder: the keys are secrets)."""
    pages = [img for _name, img in card_images(snap, host_keys, catalogues)]
    buf = io.BytesIO()
    pages[0].save(buf, format="PDF", save_all=True, append_images=pages[1:], resolution=DPI,
                  title=snap.event["title"], producer=snap.generator)
    return buf.getvalue()
