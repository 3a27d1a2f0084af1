"""Table cards in several languages: the line under the QR code in every language whose
catalogue has it, Arabic and Persian shaped and right to left (libraqm), codes still
scannable in the printed PDF, and a clear failure where Pillow cannot shape."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from facilitation.export import card_text, cards, take_snapshot
from tests.helpers import ARTIFACTS
from tests.test_export_files import BASE, decode

MSGID = "Scan to take part"
LINES = {
    "tr": "Katılmak için tarayın",
    "ar": "امسحوا الرمز للمشاركة",
    "fa": "برای شرکت، کد را اسکن کنید",
    "uk": "Скануйте, щоб долучитися",
    "ru": "Сканируйте, чтобы участвовать",
}


@pytest.fixture
def catalogues(tmp_path):
    """A translations folder like facilitation/translations, with the card's line in
    German (the real catalogue's) and five more languages."""
    folder = tmp_path / "translations"
    for lang, text in {"de": "Scannen und mitmachen", **LINES}.items():
        catalog = Catalog(locale=lang.split("@")[0])
        catalog.add(MSGID, text)
        po = folder / lang / "LC_MESSAGES" / "messages.po"
        po.parent.mkdir(parents=True)
        with po.open("wb") as f:
            write_po(f, catalog)
    return folder


@pytest.fixture
def snap(store):
    from tests.helpers import make_event
    event = make_event(store, tables=2)
    return take_snapshot(store, event["id"], base_url=BASE)


def test_lines_come_from_the_catalogues_german_first_and_none_twice(catalogues):
    lines = card_text.translated_lines(MSGID, catalogues)
    assert lines[0] == ("de", "Scannen und mitmachen")
    assert dict(lines) == {"de": "Scannen und mitmachen", "en": MSGID, **LINES}
    # Without catalogues (today's German and English only) nothing is printed twice.
    assert card_text.translated_lines(MSGID) == [("de", "Scannen und mitmachen"), ("en", MSGID)]


def test_arabic_is_shaped_and_right_to_left_latin_unchanged():
    assert features.check("raqm"), "Pillow without libraqm: scripts/system-deps.sh installs it"
    path = str(card_text.ARABIC_SCRIPT_FONTS[False])
    shaped = ImageFont.truetype(path, 32, layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(path, 32, layout_engine=ImageFont.Layout.BASIC)

    def draw(text, fnt, **kw):
        img = Image.new("L", (700, 60), 255)
        ImageDraw.Draw(img).text((10, 5), text, font=fnt, fill=0, **kw)
        return img

    arabic = LINES["ar"]
    # Unshaped, every letter stands alone and the word runs left to right: it differs.
    assert ImageChops.difference(draw(arabic, shaped, direction="rtl", language="ar"),
                                 draw(arabic, basic)).getbbox() is not None
    # Joined letters are narrower than the same letters standing alone.
    assert shaped.getlength(arabic, direction="rtl") < basic.getlength(arabic)
    # Right to left: the first word of the sentence ends up at the right-hand end.
    first_word = arabic.split()[0]

    def right_aligned(text):
        img = Image.new("L", (700, 60), 255)
        width = shaped.getlength(text, direction="rtl", language="ar")
        ImageDraw.Draw(img).text((690 - width, 5), text, font=shaped, fill=0, direction="rtl",
                                 language="ar")
        return img

    word_width = round(shaped.getlength(first_word, direction="rtl", language="ar"))
    box = (690 - word_width, 0, 690, 60)
    assert ImageChops.difference(right_aligned(arabic).crop(box),
                                 right_aligned(first_word).crop(box)).getbbox() is None


def test_cards_carry_every_language_and_scan(snap, catalogues):
    pages = cards.card_images(snap, catalogues=catalogues)
    for code, image in pages[1:]:
        assert decode(image) == [snap.table_url(code)] * 2, code
    ARTIFACTS.mkdir(exist_ok=True)
    pages[1][1].save(ARTIFACTS / "tischkarte-languages.png")


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) missing")
def test_printed_pdf_scans(snap, catalogues, tmp_path):
    pdf = tmp_path / "tischkarten.pdf"
    pdf.write_bytes(cards.render(snap, catalogues=catalogues))
    subprocess.run(["pdftoppm", "-r", "100", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(snap.tables) + 1
    for path, table in zip(pages[1:], snap.tables, strict=True):
        assert decode(Image.open(path)) == [snap.table_url(table["code"])] * 2
    shutil.copy(pages[1], ARTIFACTS / "tischkarte-languages-pdf.png")


def test_without_libraqm_cards_with_arabic_fail_with_a_clear_message(snap, catalogues, monkeypatch):
    monkeypatch.setattr(card_text.features, "check", lambda name: False if name == "raqm" else True)
    with pytest.raises(card_text.ShapingUnavailable, match="libraqm0"):
        cards.card_images(snap, catalogues=catalogues)
    # Cards in German and English only need no shaping and still work.
    assert len(cards.card_images(snap)) == len(snap.tables) + 1
