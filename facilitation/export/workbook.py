"""ergebnisse.xlsx: Übersicht, Beiträge, Punkte and a pre-filled Maßnahmenkatalog.

Written with openpyxl in write-only mode (rows streamed, so 10,000 contributions stay
fast and small in memory). Every text is stored as a string cell, so a contribution
starting with "=" is shown as typed and never runs as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..formats import datetime_text, local_datetime
from .catalogue import catalogue
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

# Sheet names and the catalogue's columns are the documented format; the catalogue's
# are those of the real Braunschweig catalogue (DOMAIN.md) plus Punkte and Quelle.
SHEETS = ("Übersicht", "Beiträge", "Punkte", "Maßnahmenkatalog")
CATALOGUE_COLUMNS = [
    "Nr", "Handlungsfeld", "Ziel", "Maßnahme", "Zielgruppe", "Ort", "Wer", "Umsetzung",
    "Bemerkungen", "Punkte", "Quelle",
]
_WIDE = {"Text": 60, "Maßnahme": 60, "Handlungsfeld": 30, "Leitfrage": 36, "Quelle": 36,
         "Ziel": 30, "Bemerkungen": 30, "Wer": 20, "Zielgruppe": 18, "Ort": 14,
         "Abstimmung": 24, "Umsetzung": 16, "Zeit": 24, "Eingegeben von": 18}
DATETIME_FORMAT = "DD.MM.YYYY HH:MM:SS"  # in the event's time zone (Zeit column)
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_ONLY = Alignment(wrap_text=True)
_TOP = Alignment(vertical="top")


def _cell(ws, value, wrap=False, bold=False):
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    cell.alignment = _WRAP if wrap else _TOP
    if bold:
        cell.font = _BOLD
    return cell


class _Cells:
    """Cells for many rows, fast: only long texts get a style, and that style is shared.

    openpyxl spends most of its time on styled cells, so plain values (numbers, codes,
    short words) stay plain, which is also how Excel aligns them by default. The style
    array of a template cell is shared, not copied: the writer only reads it.
    """

    def __init__(self, ws):
        self.ws = ws
        template = WriteOnlyCell(ws, "")
        template.alignment = _WRAP_ONLY
        self.wrap = template._style

    def __call__(self, value, wrap: bool):
        if isinstance(value, dt.datetime):  # a real Excel date-time, shown the German way
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = DATETIME_FORMAT
            return cell
        if wrap:
            cell = WriteOnlyCell(self.ws, value=value)
            cell._style = self.wrap
        elif isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(self.ws, value=value)
        else:
            return value
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell


def table_sheet(wb, title: str, header: list[str], rows, wrap_columns=()) -> object:
    """A sheet with a frozen, bold, filterable header row, sensible widths, wrapped text."""
    ws = wb.create_sheet(title)
    for i, name in enumerate(header, 1):
        width = _WIDE.get(name, max(8, min(24, len(name) + 4)))
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    head = []
    for name in header:
        c = _cell(ws, name, wrap=True, bold=True)
        c.fill = _HEAD_FILL
        head.append(c)
    ws.append(head)
    wrap = [name in wrap_columns for name in header]
    make = _Cells(ws)
    count = 0
    for row in rows:
        ws.append([make(v, w) for v, w in zip(row, wrap, strict=False)])
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    return ws


def _overview(wb, snap: Snapshot, words: Words) -> None:
    ws = wb.create_sheet(SHEETS[0])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 44
    for letter in "CDEFGHIJKL":
        ws.column_dimensions[letter].width = 12
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
    ws.append([_cell(ws, ev["title"], bold=True)])
    ws.append([])
    for label, value in facts:
        ws.append([_cell(ws, label, bold=True), _cell(ws, value, wrap=True)])
    rounds = sorted({c["round"] for c in snap.contributions}) or [1]
    per = Counter((c["table"], c["round"]) for c in snap.contributions if not c["hidden"])
    ws.append([])
    ws.append([_cell(ws, words(_("Visible contributions per table and round")), bold=True)])
    ws.append([_cell(ws, words(_("Table")), bold=True), _cell(ws, words(_("Field of action")), bold=True)]
              + [_cell(ws, words(_("Round %(n)s"), n=r), bold=True) for r in rounds]
              + [_cell(ws, words(_("Total")), bold=True)])
    for t in snap.tables:
        counts = [per.get((t["code"], r), 0) for r in rounds]
        ws.append([_cell(ws, t["code"]), _cell(ws, t["theme"], wrap=True)] + counts + [sum(counts)])
    groups = Counter(p["target_group"] or "" for p in snap.participants)
    if groups:
        ws.append([])
        ws.append([_cell(ws, words(_("Participants per target group")), bold=True)])
        for g in snap.target_groups + sorted(set(groups) - set(snap.target_groups)):
            if g in groups:
                ws.append([_cell(ws, g or words.no_group()), groups[g]])


def render(snap: Snapshot) -> bytes:
    """ergebnisse.xlsx as bytes."""
    words = Words(snap.language)
    wb = Workbook(write_only=True)
    _overview(wb, snap, words)
    tz = snap.event.get("time_zone")
    contributions = (row[:-1] + [local_datetime(row[-1], tz)] for row in contribution_rows(snap, words))
    table_sheet(wb, SHEETS[1], CONTRIBUTION_COLUMNS, contributions,
                 wrap_columns=("Text", "Handlungsfeld", "Leitfrage"))
    groups = group_columns(snap)
    table_sheet(wb, SHEETS[2], RANKING_COLUMNS + [group_header(g) for g in groups],
                 ranking_rows(snap, words), wrap_columns=("Text", "Handlungsfeld", "Abstimmung"))
    rows = catalogue(snap, words)
    ws = table_sheet(
        wb, SHEETS[3], CATALOGUE_COLUMNS,
        ([r["number"], r["theme"], "", r["measure"], "", "", "", words.progress()[0], "",
          r["dots"], r["source"]] for r in rows),
        wrap_columns=("Handlungsfeld", "Maßnahme", "Quelle"),
    )
    # Umsetzung is picked from the catalogue's four states (a list in Excel/LibreOffice).
    choices = ",".join(words.progress())
    check = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    check.add(f"H2:H{max(2, len(rows) + 1)}")
    ws.data_validations.append(check)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
