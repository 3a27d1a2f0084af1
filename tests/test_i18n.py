"""Every user-visible string is translated in every UI language, placeholders and plural forms intact.

English is the msgids themselves. The other seven languages each have a catalogue; a
new string without a translation in any of them fails here (the translation team fills
the catalogues, see docs/translating.md).
"""

import re
import subprocess
import sys

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from facilitation.i18n import CATALOGUE_LANGUAGES, TRANSLATIONS, locale_of
from tests.helpers import ROOT

PO = TRANSLATIONS / "de" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
COUNT = {"%(n)s", "%(num)s"}  # a plural form may spell its number out ("one", "two")


def extracted(tmp_path) -> list:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "plural_forms:1,2", "-k", "_n:1,2",
         "-o", str(pot), "--no-location", "--ignore-dirs", ".* _* .venv test-artifacts", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        # a plural message (ngettext) is known by its singular msgid
        return [m.id[0] if isinstance(m.id, (tuple, list)) else m.id for m in read_po(f) if m.id]


def catalogue(code: str = "de"):
    path = TRANSLATIONS / locale_of(code) / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"no catalogue for {code}: {path.relative_to(ROOT)}"
    with path.open("rb") as f:
        return read_po(f)


def forms(message) -> list[str]:
    """The msgstr, or each plural form's msgstr."""
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def key(msgid) -> str | tuple:
    """A msgid as a dict key: plural msgids are a tuple (.po) or a list (.mo)."""
    return msgid if isinstance(msgid, str) else tuple(msgid)


@pytest.fixture(scope="module")
def ids(tmp_path_factory):
    return extracted(tmp_path_factory.mktemp("pot"))


@pytest.mark.parametrize("code", CATALOGUE_LANGUAGES)
def test_every_string_in_the_code_is_translated(ids, code):
    assert len(ids) > 100
    found = catalogue(code)
    missing = [i for i in ids if not (found.get(i) and all(forms(found.get(i))))]
    assert not missing, (f"{code}: {len(missing)} untranslated (run `make translations`, then "
                         f"translate): {missing[:20]}")


@pytest.mark.parametrize("code", CATALOGUE_LANGUAGES)
def test_translations_keep_their_placeholders(code):
    for message in catalogue(code):
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            wanted = set(PLACEHOLDER.findall(message.id[1])) | set(PLACEHOLDER.findall(message.id[0]))
            for form in forms(message):
                if form:
                    got = set(PLACEHOLDER.findall(form))
                    assert got <= wanted and wanted - got <= COUNT, (code, message.id, form)
        elif message.string:
            assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
                PLACEHOLDER.findall(message.string)), (code, message.id, message.string)


@pytest.mark.parametrize("code", CATALOGUE_LANGUAGES)
def test_plural_forms_follow_the_language(code):
    # Arabic has six forms, Ukrainian and Russian three, German and Turkish two: the
    # catalogue's Plural-Forms header is Babel's (CLDR) rule, and every counted message
    # has each form.
    found = catalogue(code)
    nplurals, _expr = get_plural(locale_of(code).split("@")[0])
    assert found.num_plurals == nplurals, (code, found.plural_forms)
    for message in found:
        if message.id and isinstance(message.id, tuple) and any(forms(message)):
            assert len(forms(message)) == nplurals and all(forms(message)), (code, message.id)


def test_no_german_text_hard_coded_in_the_scripts():
    # The browser scripts show text only through t(): a German word in a JS string
    # literal would bypass the translation layer.
    words = re.compile(r"""["'`][^"'`]*\b(Beitrag|Tisch|Runde|gespeichert|Punkte|Frage|bitte)\b""",
                       re.I)
    for js in (ROOT / "static" / "js").glob("*.js"):
        if js.name.startswith("socket.io"):
            continue
        hits = [line for line in js.read_text(encoding="utf-8").splitlines()
                if words.search(line) and not line.strip().startswith("//")]
        assert not hits, (js.name, hits)


def test_a_fresh_checkout_compiles_its_catalogue_and_speaks_german(tmp_path):
    # The .mo files are not in git: the first start compiles them from the .po files.
    from babel.messages.mofile import read_mo

    from facilitation.i18n import compile_catalogues

    target = tmp_path / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_bytes(PO.read_bytes())
    compile_catalogues(tmp_path)
    with (target / "messages.mo").open("rb") as f:
        compiled = {key(m.id): tuple(forms(m)) for m in read_mo(f) if m.id}
    assert compiled == {key(m.id): tuple(forms(m)) for m in catalogue() if m.id and any(forms(m))}
    assert sorted(p.name for p in target.iterdir()) == ["messages.mo", "messages.po"]  # no temp left


def test_einfache_sprache_falls_back_to_german_message_by_message(tmp_path):
    # A message the Einfache-Sprache catalogue leaves empty is German, not English.
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import write_po

    from facilitation.i18n import compile_catalogues

    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "de" / "LC_MESSAGES" / "messages.po").write_bytes(PO.read_bytes())
    simple = Catalog(locale="de")
    simple.add("Send", "Abschicken")
    simple.add("Your contribution", "")
    target = tmp_path / "de@simple" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as f:
        write_po(f, simple)
    compile_catalogues(tmp_path)
    with (target / "messages.mo").open("rb") as f:
        compiled = {key(m.id): m.string for m in read_mo(f) if m.id}
    assert compiled["Send"] == "Abschicken"
    assert compiled["Your contribution"] == catalogue().get("Your contribution").string
    first = "Please write something first."
    assert compiled[first] == catalogue().get(first).string
