"""Every user-visible string is translated: German complete, English complete (the msgids)."""

import re
import subprocess
import sys

from babel.messages.pofile import read_po

from tests.helpers import ROOT

PO = ROOT / "facilitation" / "translations" / "de" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def extracted(tmp_path) -> list[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-o", str(pot), "--no-location", "--ignore-dirs", ".* _* .venv test-artifacts", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as f:
        # a plural message (ngettext) is known by its singular msgid
        return [m.id[0] if isinstance(m.id, (tuple, list)) else m.id for m in read_po(f) if m.id]


def _key(value):
    """A message id or string, hashable and comparable for plural messages too."""
    return tuple(value) if isinstance(value, (tuple, list)) else value


def catalogue():
    with PO.open("rb") as f:
        return read_po(f)


def test_every_string_in_the_code_has_a_german_translation(tmp_path):
    german = catalogue()
    ids = extracted(tmp_path)
    assert len(ids) > 100
    def translated(m):
        forms = m.string if isinstance(m.string, (tuple, list)) else [m.string]
        return all(forms)

    missing = [i for i in ids if not (german.get(i) and translated(german.get(i)))]
    assert not missing, f"untranslated (run `make translations`, then translate): {missing}"


def test_translations_keep_their_placeholders():
    for message in catalogue():
        if message.id and message.string:
            ids = message.id if isinstance(message.id, (tuple, list)) else [message.id]
            forms = message.string if isinstance(message.string, (tuple, list)) else [message.string]
            for form in forms:  # every plural form keeps the singular's placeholders
                assert sorted(PLACEHOLDER.findall(ids[0])) == sorted(PLACEHOLDER.findall(form)), ids


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
        compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    assert compiled == {_key(m.id): _key(m.string) for m in catalogue() if m.id and m.string}
    assert sorted(p.name for p in target.iterdir()) == ["messages.mo", "messages.po"]  # no temp left
