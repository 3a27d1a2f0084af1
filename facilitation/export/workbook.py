"""ergebnisse.xlsx: Übersicht, Beiträge, Punkte and a pre-filled Maßnahmenkatalog.

Written with XlsxWriter in constant-memory mode: each row goes to disk as it is written,
so 10,000 contributions take a fraction of a second and little memory (openpyxl, which
the tests use to read the files back, took four times as long). Every text is written
as a string cell, so a contribution starting with "=" is shown as typed and never runs
as a formula.
"""

from __future__ import annotations

import io
from collections import Counter

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..content_languages import language_shares
from ..formats import datetime_text, local_datetime
from .catalogue import COLUMNS as CATALOGUE_COLUMNS
from .catalogue import department_file, departments, rows, values
from .csv_files import (
    CONTRIBUTION_COLUMNS,
    RANKING_COLUMNS,
    contribution_rows,
    group_columns,
    group_header,
    ranking_rows,
)
from .snapshot import Snapshot
from .words import Words, _
from .xlsx_rows import RowSheet

# Sheet names and the catalogue's columns are the documented format; the catalogue's
# are those of the real Braunschweig catalogue (DOMAIN.md) plus Punkte and Quelle.
SHEETS = ("Übersicht", "Beiträge", "Punkte", "Maßnahmenkatalog")
_WIDE = {"Text": 60, "Maßnahme": 60, "Handlungsfeld": 30, "Leitfrage": 36, "Quelle": 36,
         "Ziel": 30, "Bemerkungen": 30, "Wer": 20, "Zielgruppe": 18, "Ort": 14,
         "Abstimmung": 24, "Umsetzung": 16, "Zeit": 24, "Eingegeben von": 18}


class Book:
    """An xlsx workbook being written, with its few shared cell formats.

    Rows must be written in order (constant-memory mode keeps only the current row).
    """

    def __init__(self, per_cell: bool = False):
        # per_cell: XlsxWriter's own cell-by-cell path (the tests' reference for RowSheet)
        self._sheet_class = Worksheet if per_cell else RowSheet
        self._buf = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self._buf, {"constant_memory": True})
        self.head = self.wb.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                        "bg_color": "#DDE6F0", "pattern": 1})
        self.bold = self.wb.add_format({"bold": True, "valign": "top"})
        self.top = self.wb.add_format({"valign": "top"})
        self.top_wrap = self.wb.add_format({"text_wrap": True, "valign": "top"})
        self.wrap = self.wb.add_format({"text_wrap": True})
        self.percent = self.wb.add_format({"num_format": "0 %", "valign": "top"})
        # Zeit: a real Excel date-time in the event's time zone, shown the German way.
        self.datetime = self.wb.add_format({"num_format": "dd.mm.yyyy hh:mm:ss"})
        # Style numbers in the order the formats are made, not in the order rows first
        # use them (a sheet's last row is only written when the workbook is closed).
        for fmt in (self.head, self.bold, self.top, self.top_wrap, self.wrap, self.percent,
                    self.datetime):
            fmt._get_xf_index()

    def sheet(self, title: str):
        return self.wb.add_worksheet(title, worksheet_class=self._sheet_class)

    def bytes(self) -> bytes:
        """Finish the file; its bytes."""
        self.wb.close()
        return self._buf.getvalue()


def write_row(ws, row: int, values, formats=()) -> None:
    """One row: text always as text (never a formula), numbers as numbers, None left empty.

    formats: a format per column (None for plain); columns past its end are plain.
    """
    if isinstance(ws, RowSheet):
        ws.write_values(row, values, formats)
    else:
        RowSheet._per_cell(ws, row, values, formats)


def table_sheet(book: Book, title: str, header: list[str], rows, wrap_columns=()) -> object:
    """A sheet with a frozen, bold, filterable header row, sensible widths, wrapped text.

    Only the long-text columns get a style (wrapped); plain values (numbers, codes, short
    words) stay plain, which is also how Excel aligns them by default.
    """
    ws = book.sheet(title)
    for i, name in enumerate(header):
        ws.set_column(i, i, _WIDE.get(name, max(8, min(24, len(name) + 4))))
    ws.freeze_panes(1, 0)
    write_row(ws, 0, header, [book.head] * len(header))
    formats = [book.wrap if name in wrap_columns else book.datetime if name == "Zeit" else None
               for name in header]
    count = 0
    for count, row in enumerate(rows, 1):
        write_row(ws, count, row, formats)
    ws.autofilter(0, 0, count, len(header) - 1)
    return ws


def _overview(book: Book, snap: Snapshot, words: Words) -> None:
    ws = book.sheet(SHEETS[0])
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 44)
    ws.set_column(2, 11, 12)
    line = iter(range(1_000_000))  # rows in order: constant-memory mode writes them as they come

    def row(values=(), formats=()):
        write_row(ws, next(line), values, formats)

    ev = snap.event
    visible = sum(1 for c in snap.contributions if not c["hidden"])
    writers = {c["participant"] for c in snap.contributions if c["participant"]}
    facts = [
        (words(_("Event")), ev["title"]),
        (words(_("Date")), ev["date"]),
        (words(_("Kind")), words.event_kind(ev["kind"])),
        (words(_("Status")), words.status(ev["status"])),
        (words(_("Exported at")), datetime_text(snap.exported_at, ev.get("time_zone"), snap.language)),
        (words(_("Participants (devices that joined)")), len(snap.participants)),
        (words(_("Participants who wrote contributions")), len(writers)),
        (words(_("Contributions (visible)")), visible),
        (words(_("Contributions (hidden by the facilitation)")), len(snap.contributions) - visible),
        (words(_("Voting rounds")), len(snap.voting_rounds)),
        (words(_("Dots placed")), sum(c["dots"] for r in snap.voting_rounds for c in r["candidates"])),
    ]
    row([ev["title"]], [book.bold])
    row()
    for label, value in facts:
        row([label, value], [book.bold, book.top_wrap])
    rounds = sorted({c["round"] for c in snap.contributions}) or [1]
    per = Counter((c["table"], c["round"]) for c in snap.contributions if not c["hidden"])
    row()
    row([words(_("Visible contributions per table and round"))], [book.bold])
    head = ([words(_("Table")), words(_("Field of action"))]
            + [words(_("Round %(n)s"), n=r) for r in rounds] + [words(_("Total"))])
    row(head, [book.bold] * len(head))
    for t in snap.tables:
        counts = [per.get((t["code"], r), 0) for r in rounds]
        row([t["code"], t["theme"], *counts, sum(counts)], [book.top, book.top_wrap])
    groups = Counter(p["target_group"] or "" for p in snap.participants)
    if groups:
        row()
        row([words(_("Participants per target group"))], [book.bold])
        for g in snap.target_groups + sorted(set(groups) - set(snap.target_groups)):
            if g in groups:
                row([g or words.no_group(), groups[g]], [book.top])
    shares = language_shares(c.get("language") for c in snap.contributions if not c["hidden"])
    if shares:
        row()
        row([words(_("Contributions by language"))], [book.bold])
        for code, n, share in shares:
            row([words.language_name(code), n, share / 100], [book.top, book.top, book.percent])


def catalogue_sheet(book: Book, title: str, catalogue: list[dict], words: Words):
    """The Maßnahmenkatalog: all columns, one row per measure, ready to print on landscape
    A4 with the header row on every page; Umsetzung and Zeithorizont offer their choices."""
    ws = table_sheet(book, title, CATALOGUE_COLUMNS, (values(r) for r in catalogue),
                     wrap_columns=("Handlungsfeld", "Ziel", "Maßnahme", "Bemerkungen", "Quelle", "Wer"))
    last = max(1, len(catalogue))
    ws.data_validation(1, 8, last, 8, {"validate": "list", "source": list(words.progress()),
                                       "ignore_blank": True})
    ws.data_validation(1, 7, last, 7, {"validate": "list", "ignore_blank": True, "source": [
        words(_("short-term")), words(_("medium-term")), words(_("long-term"))]})
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.repeat_rows(0)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.set_footer("&L&A&R&P / &N")
    return ws


def render_departments(snap: Snapshot) -> dict[str, bytes] | None:
    """massnahmen/<department>.xlsx: each responsible department's excerpt of the written
    catalogue (seed 004: each department receives the rows it is responsible for)."""
    if not snap.catalogue:
        return None
    words = Words(snap.language)
    taken: set[str] = set()
    out = {}
    for who, mine in sorted(departments(rows(snap, words)).items()):
        book = Book()
        catalogue_sheet(book, SHEETS[3], mine, words)
        out[department_file(who, taken)] = book.bytes()
    return out


def render(snap: Snapshot, per_cell: bool = False) -> bytes:
    """ergebnisse.xlsx as bytes (per_cell: with XlsxWriter's own, slower cell path)."""
    words = Words(snap.language)
    book = Book(per_cell)
    _overview(book, snap, words)
    tz = snap.event.get("time_zone")
    at = CONTRIBUTION_COLUMNS.index("Zeit")
    contributions = ([*row[:at], local_datetime(row[at], tz), *row[at + 1:]]
                     for row in contribution_rows(snap, words))
    table_sheet(book, SHEETS[1], CONTRIBUTION_COLUMNS, contributions,
                wrap_columns=("Text", "Handlungsfeld", "Leitfrage"))
    groups = group_columns(snap)
    table_sheet(book, SHEETS[2], RANKING_COLUMNS + [group_header(g) for g in groups],
                ranking_rows(snap, words), wrap_columns=("Text", "Handlungsfeld", "Abstimmung"))
    catalogue_sheet(book, SHEETS[3], rows(snap, words), words)
    return book.bytes()
