"""A worksheet that writes a whole row at once: ergebnisse.xlsx's 250,000 cells in a third
of the time.

XlsxWriter (constant-memory mode) spends most of a large workbook in its per-cell path:
an A1-notation check, a dimension check, a tuple stored, and per cell several calls of
its XML writer and a write to the temporary file. `RowSheet.write_values` makes the same
XML for a whole row of plain values (text, numbers, date-times) in one string and one
write. The output is byte for byte what the per-cell path writes (tests/test_export_xlsx_rows.py
compares every sheet of a workbook written both ways), with one deliberate difference:
XlsxWriter copies a text that starts with "<r>" and ends with "</r>" into the file as raw
XML (its rich-string shortcut), so a contribution typed like that would make a broken
workbook; here every text is escaped like any other.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import Worksheet

# What XlsxWriter's _escape_control_characters changes (control characters, the two
# non-characters, and text that looks like one of its _xHHHH_ escapes): a text without
# any of them is written as it is.
_NEEDS_CONTROL_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_MAX_TEXT = 32767 // 2  # longer texts may need XlsxWriter's UTF-16 truncation
# The XlsxWriter internals the row path uses (checked with 3.2–3.3; the byte-for-byte test
# guards their meaning): should a later version lack one, every row takes the per-cell
# path instead of failing the export.
_INTERNALS = ("_write_single_row", "_write_row", "_check_dimensions", "_convert_date_time",
              "_escape_control_characters", "_xml_end_tag")
_SHEET_STATE = ("constant_memory", "previous_row", "table", "row_info", "comments",
                "col_info", "default_date_format", "fh")
_ROW_PATH = all(hasattr(Worksheet, name) for name in _INTERNALS)


class RowSheet(Worksheet):
    """An XlsxWriter worksheet with `write_values`, for constant-memory workbooks."""

    def write_values(self, row: int, values, formats=()) -> None:
        """Write one row: str as text, int/float as numbers, datetime as Excel date-time,
        None left empty; formats: a cell format per column (None: plain).

        Rows must come in order (constant-memory mode). Values of any other kind, and
        sheets not in constant-memory mode, take XlsxWriter's own per-cell path."""
        cells = []
        first = last = None
        for col, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                if len(value) > _MAX_TEXT:
                    return self._per_cell(row, values, formats)
            elif kind is int or kind is float:
                if not math.isfinite(value):
                    return self._per_cell(row, values, formats)
            elif kind is not dt.datetime:
                return self._per_cell(row, values, formats)
            if first is None:
                first = col
            last = col
            cells.append((col, value, formats[col] if col < len(formats) else None))
        if first is None:  # nothing to write: like XlsxWriter, the row is not touched
            return None
        if not _ROW_PATH or not all(hasattr(self, name) for name in _SHEET_STATE):
            return self._per_cell(row, values, formats)
        if (not self.constant_memory or row in self.row_info or row in self.comments
                or self.table.get(row)  # cells of this row already written one by one
                or self._check_dimensions(row, first) or self._check_dimensions(row, last)):
            return self._per_cell(row, values, formats)
        if row > self.previous_row:
            self._write_single_row(row)  # the row written before this one, if any
        number = str(row + 1)
        heads = self.__dict__.setdefault("_cell_heads", {})
        out = []
        for col, value, fmt in cells:
            kind = type(value)
            head = heads.get((col, fmt, kind))
            if head is None:
                head = heads[(col, fmt, kind)] = self._cell_head(col, fmt, kind)
            letters, style = head
            if kind is str:
                out.append(_text_cell(letters + number, style, value))
            else:
                if kind is dt.datetime:
                    value = self._convert_date_time(value)
                out.append(f'<c r="{letters}{number}"{style}><v>{value:.16G}</v></c>')
        self._write_row(row, None)
        self.fh.write("".join(out))
        self._xml_end_tag("row")
        return None

    def _cell_head(self, col: int, fmt, kind) -> tuple[str, str]:
        """(column letters, style attribute) of a cell, as XlsxWriter chooses its style."""
        if fmt is None and kind is dt.datetime:
            fmt = self.default_date_format
        if fmt is None and col in self.col_info:
            fmt = self.col_info[col].column_format
        style = f' s="{fmt._get_xf_index()}"' if fmt is not None else ""
        return xl_rowcol_to_cell_fast(0, col)[:-1], style

    def _per_cell(self, row: int, values, formats) -> None:
        for col, value in enumerate(values):
            if value is None:
                continue
            fmt = formats[col] if col < len(formats) else None
            if isinstance(value, str):
                self.write_string(row, col, value, fmt)
            elif isinstance(value, bool):
                self.write_boolean(row, col, value, fmt)
            elif isinstance(value, int | float):
                self.write_number(row, col, value, fmt)
            elif isinstance(value, dt.datetime):
                self.write_datetime(row, col, value, fmt)
            else:
                self.write_string(row, col, str(value), fmt)


def _text_cell(ref: str, style: str, text: str) -> str:
    """An inline-string cell, escaped as XlsxWriter escapes it."""
    if (not text.isprintable() or "_x" in text) and _NEEDS_CONTROL_ESCAPE.search(text):
        text = Worksheet._escape_control_characters(text)
    # XlsxWriter's test (^\s or \s$) is: the first or the last character is white space.
    preserve = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{preserve}>{text}</t></is></c>'
