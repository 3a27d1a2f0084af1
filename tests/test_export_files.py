"""Every file of the session folder, read back with what organisers' tools use.

openpyxl for the workbook, the csv module (with BOM) for the CSVs, JSON Schema for
event.json, zxing-cpp for every QR code of the table cards (rasterised with Debian's
pdftoppm, and the card images themselves), and a look through the report for anything
that would load from elsewhere.
"""

from __future__ import annotations

import csv
import gc
import io
import re
import shutil
import subprocess

import jsonschema
import openpyxl
import pytest
import zxingcpp
from PIL import Image

from facilitation.export import FILES, cards, render_all, take_snapshot
from facilitation.export.csv_files import defuse
from facilitation.export.event_json import json_schema
from facilitation.store import device_hash
from tests.session_data import (
    DUPLICATE,
    EXPECTED_DOTS,
    FORMULAS,
    HIDDEN,
    MULTILINE,
    SCRIPT,
    fill_event,
)

BASE = "http://192.168.1.20:5000"


@pytest.fixture
def data(store):
    return fill_event(store)


@pytest.fixture
def snap(store, data):
    return take_snapshot(store, data["event"]["id"], base_url=BASE)


@pytest.fixture
def files(snap):
    return render_all(snap)


def read_csv(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte order mark: Excel would garble umlauts"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_folder_has_every_file(files):
    # massnahmen/ holds one file per responsible department once a catalogue is written.
    assert list(files) == ["event.json", "beitraege.csv", "punkte.csv", "umfragen.csv",
                           "ergebnisse.xlsx", "bericht.html", "tischkarten.pdf"]
    assert [n for n in FILES if n != "massnahmen/"] == list(files)
    assert all(len(body) > 200 for body in files.values())


def test_no_file_contains_a_device_hash_or_any_secret(store, data, files):
    eid = data["event"]["id"]
    secrets = [device_hash(t) for t in data["tokens"]] + data["tokens"]
    secrets += [store.facilitator_key(eid)] + list(store.host_keys(eid).values())
    secrets += [code.replace("-", "") for code in data["tickets"]] + data["tickets"]
    secrets += [f"client-{eid}-0000", f"dot-{eid}-0000", f"impulse-{eid}-1"]
    for name, body in files.items():
        if name.endswith((".xlsx", ".pdf")):
            continue  # compressed; their text is checked through openpyxl below
        text = body.decode("utf-8-sig")
        for secret in secrets:
            assert secret not in text, f"{name} contains {secret!r}"
    book = openpyxl.load_workbook(io.BytesIO(files["ergebnisse.xlsx"]))
    cells = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row)
    assert not any(s in cells for s in secrets)


def test_event_json_is_valid_against_its_schema_and_complete(files, data):
    import json

    doc = json.loads(files["event.json"])
    jsonschema.Draft202012Validator(json_schema()).validate(doc)
    assert doc["schema_version"] == 1 and doc["format"] == "facilitation-session"
    texts = {c["text"] for c in doc["contributions"]}
    assert HIDDEN in texts and MULTILINE in texts  # hidden ones too
    edited = next(c for c in doc["contributions"] if c["edited"])
    assert edited["history"][0]["old_value"].startswith("Mehr Sprachkurse für Mütter –")
    assert [p["number"] for p in doc["participants"]] == [1, 2, 3, 4, 5, 6]
    assert {"Ehrenamt", "Hauptamt", "Verwaltung", None} == {
        p["target_group"] for p in doc["participants"]}
    (rnd,) = doc["voting_rounds"]
    assert sum(d["delta"] for d in rnd["dots"]) == sum(EXPECTED_DOTS.values())
    assert len(rnd["dots"]) == 12  # every placement and the removal
    assert [a["action"] for a in doc["actions"]][0] == "event_created"


def test_contributions_csv_opens_like_excel_would(files, data):
    raw = files["beitraege.csv"]
    assert b"\r\n" in raw and raw.count(b"\r\n") >= len(data["contributions"]) + 1
    rows = read_csv(raw)
    header, body = rows[0], rows[1:]
    assert header[:10] == ["Nr", "Tisch", "Handlungsfeld", "Leitfrage", "Art", "Runde",
                           "Zielgruppe", "Text", "Punkte", "Status"]
    assert len(body) == len(data["contributions"])  # hidden ones included
    text = {r[header.index("Text")] for r in body}
    assert MULTILINE in text  # line break, semicolon and quotes survive
    assert "Mehr Sprachkurse für Mütter, mit Kinderbetreuung" in text
    for formula in FORMULAS:
        assert "'" + formula in text, f"{formula!r} would run as a formula"
        assert formula not in text
    multi = next(r for r in body if r[header.index("Text")] == MULTILINE)
    assert multi[header.index("Punkte")] == str(EXPECTED_DOTS[0])
    assert multi[header.index("Tisch")] == "A"
    # the merged duplicate names the contribution that stayed, by its number in the file
    kept = next(r for r in body if r[header.index("Text")].startswith("Interkulturelle Öffnung"))
    duplicate = next(r for r in body if r[header.index("Text")] == DUPLICATE)
    assert duplicate[header.index("Status")] == f"zusammengeführt mit Nr. {kept[0]}"
    assert kept[header.index("Status")] == "sichtbar"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1",
                                   "＝1"])
def test_formula_starts_are_defused(value):
    assert defuse(value) == "'" + value
    assert defuse("Wohnen = Heimat") == "Wohnen = Heimat"
    assert defuse(42) == 42 and defuse(None) is None


def test_ranking_csv_matches_the_tally_per_round_and_target_group(files):
    rows = read_csv(files["punkte.csv"])
    header, body = rows[0], rows[1:]
    assert header[:9] == ["Abstimmung", "Status der Abstimmung", "Rang", "Gleichstand", "Punkte",
                          "Text", "Tisch", "Handlungsfeld", "Beitrag-Nr"]
    assert header[9:] == ["Punkte Ehrenamt", "Punkte Hauptamt", "Punkte Verwaltung",
                          "Punkte ohne Angabe"]
    dots = [int(r[4]) for r in body]
    assert dots == sorted(EXPECTED_DOTS.values(), reverse=True)
    assert [r[2] for r in body] == ["1", "2", "2", "4"]  # tie at 3 dots shares rank 2
    for r in body:
        assert sum(int(x) for x in r[9:]) == int(r[4])
    assert body[0][5] == MULTILINE and body[0][9:] == ["2", "0", "1", "1"]


def test_workbook_has_the_sheets_and_formatting_asked_for(files, data):
    book = openpyxl.load_workbook(io.BytesIO(files["ergebnisse.xlsx"]))
    assert book.sheetnames == ["Übersicht", "Beiträge", "Punkte", "Maßnahmenkatalog"]
    ws = book["Beiträge"]
    header = [c.value for c in ws[1]]
    assert header[:10] == ["Nr", "Tisch", "Handlungsfeld", "Leitfrage", "Art", "Runde",
                           "Zielgruppe", "Text", "Punkte", "Status"]
    assert ws.max_row == len(data["contributions"]) + 1
    for sheet in ("Beiträge", "Punkte", "Maßnahmenkatalog"):
        assert book[sheet].freeze_panes == "A2"
        assert book[sheet].auto_filter.ref.startswith("A1:")
        assert book[sheet]["A1"].font.bold
    text_col = header.index("Text") + 1
    assert ws.column_dimensions[openpyxl.utils.get_column_letter(text_col)].width >= 50
    texts = {}
    for row in ws.iter_rows(min_row=2):
        cell = row[text_col - 1]
        assert cell.alignment.wrap_text
        texts[cell.value] = cell
    for formula in FORMULAS:
        assert texts[formula].data_type == "s", f"{formula!r} is stored as a formula"
    assert MULTILINE in texts and SCRIPT in texts
    catalogue = book["Maßnahmenkatalog"]
    assert [c.value for c in catalogue[1]] == [
        "Nr", "Handlungsfeld", "Ziel", "Maßnahme", "Zielgruppe", "Ort", "Wer", "Zeithorizont",
        "Umsetzung", "Bemerkungen", "Priorität", "Quelle"]
    # No catalogue written yet: the proposal is the visible needs and ideas, most dots
    # first — not problems, not "works well", not Leitbild statements.
    first = [c.value for c in catalogue[2]]
    assert first[0] == 1 and first[3] == MULTILINE and first[10] == EXPECTED_DOTS[0]
    dots = [r[10].value for r in catalogue.iter_rows(min_row=2)]
    assert dots == sorted(dots, reverse=True)
    measures = [r[3].value for r in catalogue.iter_rows(min_row=2)]
    assert "Eine Integrationslotsin im Rathaus" not in measures and HIDDEN not in measures
    assert "Anerkennung ausländischer Abschlüsse dauert zu lange" not in measures  # a problem
    assert DUPLICATE not in measures  # merged: its origin is a source of the item that stayed
    numbers = {r[7].value: r[0].value for r in ws.iter_rows(min_row=2)}
    kept = next(r for r in catalogue.iter_rows(min_row=2)
                if r[3].value.startswith("Interkulturelle Öffnung"))
    assert f"Tisch C, Runde 1, Beitrag {numbers[DUPLICATE]}" in kept[11].value
    assert f"Beitrag {numbers[kept[3].value]}" in kept[11].value
    assert catalogue.data_validations.dataValidation, "Umsetzung offers its four states"
    overview = [[c.value for c in r] for r in book["Übersicht"].iter_rows()]
    assert overview[0][0] == data["event"]["title"]
    assert any(r[:2] == ["B", "Thema B"] for r in overview)
    points = book["Punkte"]
    assert [c.value for c in points[2]][4] == EXPECTED_DOTS[0]


def test_report_is_self_contained_and_holds_the_harvest(files, snap):
    html = files["bericht.html"].decode("utf-8")
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", html))
    allowed = {snap.join_url()} | {snap.table_url(t["code"]) for t in snap.tables}
    assert urls <= allowed, f"external references: {urls - allowed}"
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", html, re.I)
    assert "<svg" in html and "@page" in html and "A4" in html
    assert HIDDEN not in html  # hidden by the facilitation: not for the council
    assert "Interkulturelle Öffnung der Ämter: Schulungen für alle" in html
    assert SCRIPT not in html and "&lt;script&gt;" in html  # escaped, never markup
    for t in snap.tables:
        assert t["theme"] in html and t["questions"][0] in html


def decode(image: Image.Image) -> list[str]:
    # QR codes only, as a phone's camera reads them: with every format, zxing now and then
    # "finds" an EAN-13 in the lettering of a card (seen once in 2026-11).
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def test_every_card_image_carries_the_right_qr_code(snap):
    pages = cards.card_images(snap)
    assert [name for name, _ in pages] == ["join", "A", "B", "C"]
    assert decode(pages[0][1]) == [snap.join_url()]
    for code, image in pages[1:]:
        found = decode(image)
        assert found == [snap.table_url(code)] * 2, code  # both halves of the tent


def test_host_cards_carry_each_tables_secret_host_link(snap):
    keys = {t["code"]: f"geheim-{t['code']}-0123456789" for t in snap.tables}
    pages = cards.card_images(snap, keys)
    assert [name for name, _ in pages] == ["join", "A", "B", "C", "hosts-1", "hosts-2"]
    assert sorted(decode(pages[4][1])) == [snap.host_url("A", keys["A"]), snap.host_url("B", keys["B"])]
    assert decode(pages[5][1]) == [snap.host_url("C", keys["C"])]
    assert snap.host_url("C", keys["C"]) == f"{snap.table_url('C')}/host?key=geheim-C-0123456789"
    # Without the keys (as in every session folder) no host card is made.
    assert [name for name, _ in cards.card_images(snap)] == ["join", "A", "B", "C"]


@pytest.mark.skipif(not shutil.which("pdftoppm"),
                    reason="Debian's poppler-utils (pdftoppm) is not installed (make test installs it)")
def test_table_cards_pdf_has_a_page_per_table_and_scannable_codes(files, snap, tmp_path):
    pdf = tmp_path / "tischkarten.pdf"
    pdf.write_bytes(files["tischkarten.pdf"])
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(snap.tables) + 1
    assert decode(Image.open(pages[0])) == [snap.join_url()]
    for path, table in zip(pages[1:], snap.tables, strict=True):
        assert decode(Image.open(path)) == [snap.table_url(table["code"])] * 2
    with Image.open(pages[1]) as page:  # A4 portrait at 72 dpi: 595 x 842 points
        assert abs(page.width - 595) <= 2 and abs(page.height - 842) <= 2


def test_an_event_without_anything_yet_exports_every_file(store):
    from facilitation.export.folder import folder_name

    event = store.create_event(title="Akteurskonferenz: Planung!", date="22. November 2026",
                               kind="akteurskonferenz")
    snap = take_snapshot(store, event["id"], base_url=BASE)
    files = render_all(snap)
    assert read_csv(files["beitraege.csv"])[1:] == [] and read_csv(files["punkte.csv"])[1:] == []
    book = openpyxl.load_workbook(io.BytesIO(files["ergebnisse.xlsx"]))
    assert book["Beiträge"].max_row == 1
    assert [name for name, _ in cards.card_images(snap)] == ["join"]
    # A date that is not YYYY-MM-DD: the folder is dated by the export instead.
    assert folder_name(snap) == f"{snap.exported_at[:10]}-akteurskonferenz-planung"


def test_a_live_event_exports_one_consistent_state(tmp_path):
    """A second connection keeps writing (like another server process) while we export.

    Every contribution bumps the event's version by one, so in a consistent snapshot
    the version and the number of contributions move together; reading them in two
    transactions would let them drift apart.
    """
    import threading

    from facilitation.export.snapshot import rows_of
    from facilitation.store import Store
    from tests.helpers import make_event

    writer, reader = Store(tmp_path / "live.db"), Store(tmp_path / "live.db")
    event = make_event(writer, tables=2)
    with writer.write():  # enough rows that reading them takes a while
        for n in range(3000):
            writer.add_contribution(event["id"], "AB"[n % 2], "need", f"Bedarf {n}", 1)
    base = writer.get_event(event["id"])["version"] - 3000
    stop = threading.Event()

    def keep_writing():
        n = 0
        while not stop.is_set():
            writer.add_contribution(event["id"], "AB"[n % 2], "idea", f"Idee Nummer {n}", 0)
            n += 1

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        seen = set()
        for _ in range(8):
            snap = take_snapshot(reader, event["id"], base_url=BASE)
            version = rows_of(snap.database, "events")[0]["version"]
            assert version - base == len(snap.contributions) == len(
                snap.database["tables"]["contributions"]["rows"])
            seen.add(len(snap.contributions))
        assert len(seen) > 1, "the writer never got in between: the test proved nothing"
    finally:
        stop.set()
        thread.join()
        writer.close()
        reader.close()


def test_short_cells_that_look_like_formulas_stay_text_in_the_workbook(store):
    from tests.helpers import device_cookie, make_event

    event = make_event(store, tables=1, join_options=["=Gruppe", "@Verein"])
    pid = store.participant(event["id"], device_cookie("formula"))["id"]
    store.set_target_group(event["id"], pid, "=Gruppe")
    store.add_contribution(event["id"], "A", "idea", "Sprachcafé", 0, participant_id=pid)
    files = render_all(take_snapshot(store, event["id"], base_url=BASE))
    ws = openpyxl.load_workbook(io.BytesIO(files["ergebnisse.xlsx"]))["Beiträge"]
    header = [c.value for c in ws[1]]
    group = ws.cell(row=2, column=header.index("Zielgruppe") + 1)
    assert group.value == "=Gruppe" and group.data_type == "s"
    assert read_csv(files["beitraege.csv"])[1][header.index("Zielgruppe")] == "'=Gruppe"


def test_session_folders_are_named_by_date_and_title_and_never_overwrite_another(store, tmp_path):
    from facilitation.export import write_session
    from tests.helpers import make_event

    first = make_event(store, title="Weltcafé Ilm-Kreis", date="2026-11-28")
    second = make_event(store, title="Weltcafé Ilm-Kreis", date="2026-11-28")
    sessions = tmp_path / "sessions"
    own = sessions / "2026-11-28-weltcafe-ilm-kreis-notizen"  # the organisers' own folder
    own.mkdir(parents=True)
    (own / "notizen.txt").write_text("unsere Notizen")
    a = write_session(store, first["id"], sessions, base_url=BASE)
    b = write_session(store, second["id"], sessions, base_url=BASE)
    assert a.name == "2026-11-28-weltcafe-ilm-kreis"
    assert b.name == f"2026-11-28-weltcafe-ilm-kreis-{second['id']}"  # same name taken
    store.add_contribution(first["id"], "A", "idea", "Nach dem ersten Export", 0)
    again = write_session(store, first["id"], sessions, base_url=BASE)
    assert again == a and "Nach dem ersten Export" in (a / "beitraege.csv").read_text("utf-8-sig")
    assert sorted(p.name for p in sessions.iterdir()) == sorted([a.name, b.name, own.name])
    assert (own / "notizen.txt").read_text() == "unsere Notizen"
    # A folder of that name holding something else is never replaced either.
    third = make_event(store, title="Notizen", date="2026-11-28")
    (sessions / "2026-11-28-notizen").mkdir()
    c = write_session(store, third["id"], sessions, base_url=BASE)
    assert c.name == f"2026-11-28-notizen-{third['id']}"


def test_rendering_the_workbook_in_a_second_process_gives_the_same_files(store, data):
    eid = data["event"]["id"]
    # A written catalogue: its department files (massnahmen/) come from the child too.
    store.add_catalogue_row(eid, {"field": "Sprache", "measure": "Abendkurse", "who": "VHS"})
    store.add_catalogue_row(eid, {"field": "Arbeit", "measure": "Beratung", "who": "Jobcenter"})
    snap = take_snapshot(store, eid, base_url=BASE)
    files = render_all(snap)
    together = render_all(snap, parallel=True)  # as `facilitation export` does
    assert gc.isenabled()  # paused while rendering only
    assert list(together) == list(files)
    assert [n for n in together if n.startswith("massnahmen/")] == [
        "massnahmen/jobcenter.xlsx", "massnahmen/vhs.xlsx"]
    for name in ("event.json", "beitraege.csv", "punkte.csv", "bericht.html"):
        assert together[name] == files[name], name

    def sheets(raw):
        book = openpyxl.load_workbook(io.BytesIO(raw))
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book}

    for name in ("ergebnisse.xlsx", "massnahmen/jobcenter.xlsx", "massnahmen/vhs.xlsx"):
        assert sheets(together[name]) == sheets(files[name]), name
    assert together["tischkarten.pdf"].startswith(b"%PDF")


def test_when_the_child_process_fails_the_parent_renders_the_workbook_itself(snap, files, monkeypatch):
    import os

    from facilitation import export

    parent, real = os.getpid(), export.FILES["ergebnisse.xlsx"]

    def only_in_the_parent(s):
        if os.getpid() != parent:
            raise MemoryError("the child ran out of memory")
        return real(s)

    monkeypatch.setitem(export.FILES, "ergebnisse.xlsx", only_in_the_parent)
    together = render_all(snap, parallel=True)
    assert list(together) == list(files)
    book = openpyxl.load_workbook(io.BytesIO(together["ergebnisse.xlsx"]))
    assert [ws.title for ws in book] == ["Übersicht", "Beiträge", "Punkte", "Maßnahmenkatalog"]
