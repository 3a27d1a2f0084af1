"""beitraege.csv and punkte.csv, made to open by double-click in German Excel and LibreOffice.

UTF-8 with a byte order mark (without it Excel guesses Windows-1252 and breaks umlauts),
semicolons (the German list separator), CRLF line ends, every field with a line break or
separator quoted, and text that a spreadsheet would run as a formula defused.
"""

from __future__ import annotations

import csv
import io

from ..formats import local_datetime
from .snapshot import Snapshot
from .words import Words, _

# Column headers are part of the documented file format (docs/export-format.md).
CONTRIBUTION_COLUMNS = [
    "Nr", "Tisch", "Handlungsfeld", "Leitfrage", "Art", "Runde", "Zielgruppe", "Text",
    "Punkte", "Status", "Bearbeitet", "Eingegeben von", "Teilnehmende-Nr", "Zeit", "Sprache",
    "Deutsch (Übersetzung)", "Übersetzt von",
]
RANKING_COLUMNS = [
    "Abstimmung", "Status der Abstimmung", "Rang", "Gleichstand", "Punkte", "Text",
    "Tisch", "Handlungsfeld", "Beitrag-Nr",
]

# A cell starting with one of these is a formula (or becomes one) in Excel or LibreOffice.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def defuse(value):
    """Text that a spreadsheet would evaluate gets a leading apostrophe; numbers stay numbers.

    Excel hides the apostrophe and shows the text as typed (OWASP's advice for CSV
    injection); a leading tab or line break is defused too, since Excel strips them and
    then sees the formula behind.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(header: list[str], rows) -> bytes:
    # Encoded row by row into bytes: the file never exists as one str beside its bytes.
    buf = io.BytesIO()
    text = io.TextIOWrapper(buf, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else defuse(v) for v in row])
    text.flush()
    text.detach()  # leaves buf open
    return buf.getvalue()


def question_label(c: dict, words: Words) -> str:
    """'2. Welche Bedarfe …?' or 'General' for a contribution without a guiding question."""
    if c["question"] is None:
        return words(_("General"))
    return f"{c['question'] + 1}. {c['question_text'] or ''}".strip()


def contribution_rows(snap: Snapshot, words: Words):
    """One row per contribution, every state included, in the order they were sent."""
    for c in snap.contributions:
        yield [
            c["number"], c["table"], c["theme"], question_label(c, words), words.kind(c["kind"]),
            c["round"], c["target_group"] or "", c["text"], c["dots"],
            words.visibility(c["hidden"], c["merged_into"]),
            words(_("yes")) if c["edited"] else "",
            words(_("table host")) if c["entered_by"] == "host" else words(_("participant")),
            c["participant"] or "", c["created_at"], words.language_name(c["language"]),
            *_translation(c, words),
        ]


def _translation(c: dict, words: Words) -> list[str]:
    """The German rendering from the translation desk and who entered it ('' if none)."""
    t = c.get("translation")
    if not t:
        return ["", ""]
    by = words(_("%(name)s (machine translation, checked)"), name=t["by"]) if t["machine"] else t["by"]
    return [t["text"], by]


def ranking_rows(snap: Snapshot, words: Words):
    """One row per candidate of every voting round, best first, with dots per target group."""
    groups = group_columns(snap)
    for rnd in snap.voting_rounds:
        by_number = {c["number"]: c for c in rnd["candidates"]}
        for number in rnd["ranking"]:
            c = by_number[number]
            yield [
                rnd["title"], words.voting_status(rnd["status"]), c["rank"],
                words(_("yes")) if c["tied"] else "", c["dots"], c["label"], c["table"] or "",
                c["theme"] or "", c["contribution"] or "",
            ] + [c["dots_by_group"].get(g, 0) for g in groups]


def group_columns(snap: Snapshot) -> list[str]:
    """The target groups that get a column in the rankings ('' = no answer), in offer order."""
    seen = set()
    for rnd in snap.voting_rounds:
        for c in rnd["candidates"]:
            seen.update(c["dots_by_group"])
    ordered = [g for g in snap.target_groups if g in seen]
    return ordered + sorted(seen - set(ordered))


def group_header(group: str) -> str:
    """The column header of a target group's dots (part of the file format, like the rest)."""
    return f"Punkte {group or 'ohne Angabe'}"


def render_contributions(snap: Snapshot) -> bytes:
    """beitraege.csv; Zeit as German Excel reads a date-time (30.11.2026 14:05:09) in the
    event's time zone, so a double-click opens it as a date, not as text."""
    words = Words(snap.language)
    tz = snap.event.get("time_zone")

    def local(iso):
        moment = local_datetime(iso, tz)
        return moment.strftime("%d.%m.%Y %H:%M:%S") if moment else iso

    at = CONTRIBUTION_COLUMNS.index("Zeit")
    rows = ([*row[:at], local(row[at]), *row[at + 1:]] for row in contribution_rows(snap, words))
    return _csv(CONTRIBUTION_COLUMNS, rows)


def render_ranking(snap: Snapshot) -> bytes:
    """punkte.csv."""
    words = Words(snap.language)
    header = RANKING_COLUMNS + [group_header(g) for g in group_columns(snap)]
    return _csv(header, ranking_rows(snap, words))
