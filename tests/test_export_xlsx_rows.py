"""ergebnisse.xlsx written a row at a time (export/xlsx_rows.py) is the same file, sheet by
sheet and byte by byte, as XlsxWriter's own cell-by-cell path writes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from facilitation.export import take_snapshot, workbook
from facilitation.export.xlsx_rows import RowSheet
from tests.session_data import fill_event

TRICKY = [
    "Mütter – „Kita“ 🙂", "  leading space", "trailing space ", "line\nbreak\n", "tab\there",
    "_x0041_ looks like an escape", "ctrl\x01\x1f chars", "non\ufffechar\uffff",
    "&amp; <b>fett</b> \"quoted\" 'single'", "=SUMME(A1:A9)", "", "x" * 20000,
    "\u00a0non-breaking at the start", "ends in a control\x1f", "space before a break \n", "\u2028",
]
VALUES = [
    ["Nr", "Text", "Zeit", "Punkte", None, "Anteil"],
    [1, TRICKY[0], dt.datetime(2026, 11, 30, 14, 5, 9), 5, None, 0.25],
    *([i, text, None, -i, None, 1e20] for i, text in enumerate(TRICKY[1:], 2)),
    [None, None, None],  # an empty row is not written at all
    [7, True, False, float("inf"), "after a value only the per-cell path takes"],
    [8, None, dt.datetime(2027, 1, 1), None, 3.5],  # a date-time without a format
]


def sheet_xml(sheet_class, rows, with_formats=True) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "nan_inf_to_errors": True})
    bold, wrap = wb.add_format({"bold": True}), wb.add_format({"text_wrap": True})
    stamp = wb.add_format({"num_format": "dd.mm.yyyy hh:mm:ss"})
    ws = wb.add_worksheet("Daten", worksheet_class=sheet_class)
    ws.set_column(3, 3, 12, wrap)  # a column format applies to cells without their own
    ws.set_column(1, 1, 60)
    ws.freeze_panes(1, 0)
    for r, values in enumerate(rows):
        formats = ([bold] * len(values) if r == 0 else [None, wrap, stamp]) if with_formats else ()
        if sheet_class is RowSheet:
            ws.write_values(r, values, formats)
        else:
            RowSheet._per_cell(ws, r, values, formats)
    ws.autofilter(0, 0, len(rows), 5)
    wb.close()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return z.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("with_formats", [True, False])
def test_rows_written_at_once_are_byte_for_byte_the_cells_written_one_by_one(with_formats):
    fast = sheet_xml(RowSheet, VALUES, with_formats)
    assert fast == sheet_xml(Worksheet, VALUES, with_formats)
    assert b"_x005F_x0041_" in fast and b"_x0001_" in fast and b'xml:space="preserve"' in fast


def test_a_text_written_like_rich_text_markup_is_escaped_and_the_file_stays_readable():
    text = "<r>Kita & Schule</r>"
    xml = sheet_xml(RowSheet, [["Text"], [text]])
    assert b"&lt;r&gt;Kita &amp; Schule&lt;/r&gt;" in xml
    # XlsxWriter's own path copies such a text into the file as raw XML (a broken sheet).
    assert b"<is><r>Kita & Schule</r></is>" in sheet_xml(Worksheet, [["Text"], [text]])


def test_the_whole_workbook_of_an_event_is_the_same_either_way(store):
    data = fill_event(store)
    snap = take_snapshot(store, data["event"]["id"], base_url="http://192.168.1.20:5000")
    fast, slow = (zipfile.ZipFile(io.BytesIO(workbook.render(snap, per_cell=p))) for p in (False, True))
    assert fast.namelist() == slow.namelist()
    assert len([n for n in fast.namelist() if n.startswith("xl/worksheets/")]) == len(workbook.SHEETS)
    for name in fast.namelist():
        if name != "docProps/core.xml":  # holds the moment the file was made
            assert fast.read(name) == slow.read(name), name
    book = openpyxl.load_workbook(io.BytesIO(workbook.render(snap)))
    texts = [row[7] for row in book["Beiträge"].iter_rows(min_row=2, values_only=True)]
    assert texts == [c["text"] for c in snap.contributions]


def test_without_the_internals_it_relies_on_every_row_takes_xlsxwriters_own_path(monkeypatch):
    from facilitation.export import xlsx_rows

    monkeypatch.setattr(xlsx_rows, "_ROW_PATH", False)  # as with an XlsxWriter that lacks them
    assert sheet_xml(RowSheet, VALUES) == sheet_xml(Worksheet, VALUES)
    assert b"<is><r>x</r></is>" in sheet_xml(RowSheet, [["<r>x</r>"]])  # XlsxWriter's own path
