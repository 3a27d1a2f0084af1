"""vergleich.xlsx: several events side by side (DOMAIN.md: the Ilm-Kreis ran one World
Café per target group and wanted to compare them).

Pure: bytes from a list of snapshots. Fields of action are matched across events by
their name, voted items by their text (ignoring case and surrounding space), so the same
Leitbild statements voted on at every event become one row with a column per event.
A blank cell means "not asked there", which is not the same as 0.
"""

from __future__ import annotations

from collections import Counter

from .csv_files import question_label
from .snapshot import Snapshot
from .words import Words
from .workbook import Book, table_sheet

SHEETS = ("Übersicht", "Handlungsfelder", "Punkte", "Beiträge")
OVERVIEW_COLUMNS = ["Veranstaltung", "Datum", "Art", "Teilnehmende", "Beiträge", "Abstimmungen",
                    "Punkte"]
CONTRIBUTION_COLUMNS = ["Veranstaltung", "Datum", "Tisch", "Handlungsfeld", "Leitfrage", "Art",
                        "Runde", "Zielgruppe", "Text", "Punkte", "Sprache"]


def event_labels(snaps: list[Snapshot]) -> list[str]:
    """One column header per event: its title, with the date where titles repeat."""
    titles = Counter(s.event["title"] for s in snaps)
    labels = []
    for s in snaps:
        label = s.event["title"]
        if titles[label] > 1:
            label = f"{label} ({s.event['date'] or s.event['id']})"
        while label in labels:  # same title and date: the id tells them apart
            label = f"{label} [{s.event['id']}]"
        labels.append(label)
    return labels


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _visible(snap: Snapshot) -> list[dict]:
    return [c for c in snap.contributions if not c["hidden"]]


def themes(snaps: list[Snapshot]) -> list[tuple[str, list[int | None]]]:
    """(field of action, visible contributions per event); None where the event had no
    such table. In the order the fields first appear."""
    names: dict[str, str] = {}
    per: list[Counter] = []
    asked: list[set[str]] = []
    for s in snaps:
        for t in s.tables:
            names.setdefault(_key(t["theme"]), t["theme"])
        asked.append({_key(t["theme"]) for t in s.tables})
        theme_of = {t["code"]: _key(t["theme"]) for t in s.tables}
        per.append(Counter(theme_of.get(c["table"], _key(c["theme"])) for c in _visible(s)))
    return [(name, [per[i][key] if key in asked[i] else None for i in range(len(snaps))])
            for key, name in names.items()]


def voted_items(snaps: list[Snapshot]) -> list[tuple[str, str, list[int | None]]]:
    """(item, field of action, dots per event over its voting rounds) for every visible
    candidate; None where the item was not on that event's ballot. Most dots first."""
    labels: dict[str, tuple[str, str]] = {}
    dots: list[Counter] = []
    for s in snaps:
        counts: Counter = Counter()
        for rnd in s.voting_rounds:
            for c in rnd["candidates"]:
                if c["hidden"]:
                    continue
                key = _key(c["label"])
                labels.setdefault(key, (c["label"], c["theme"] or ""))
                counts[key] += c["dots"]
        dots.append(counts)
    rows = [(label, theme, [d[key] if key in d else None for d in dots])
            for key, (label, theme) in labels.items()]
    rows.sort(key=lambda r: -sum(n or 0 for n in r[2]))  # stable: ties keep first-seen order
    return rows


def render(snaps: list[Snapshot]) -> bytes:
    """vergleich.xlsx as bytes (at least two events)."""
    if len(snaps) < 2:
        raise ValueError("a comparison needs at least two events")
    words = Words(snaps[0].language)
    labels = event_labels(snaps)
    total = "Gesamt"
    wb = Book()
    table_sheet(wb, SHEETS[0], OVERVIEW_COLUMNS, (
        [label, s.event["date"], words.event_kind(s.event["kind"]), len(s.participants),
         len(_visible(s)), len(s.voting_rounds),
         sum(c["dots"] for r in s.voting_rounds for c in r["candidates"] if not c["hidden"])]
        for label, s in zip(labels, snaps, strict=True)), wrap_columns=("Veranstaltung",))
    table_sheet(wb, SHEETS[1], ["Handlungsfeld", *labels, total], (
        [name, *counts, sum(n or 0 for n in counts)] for name, counts in themes(snaps)),
        wrap_columns=("Handlungsfeld", *labels))
    table_sheet(wb, SHEETS[2], ["Text", "Handlungsfeld", *labels, total], (
        [label, theme, *counts, sum(n or 0 for n in counts)]
        for label, theme, counts in voted_items(snaps)),
        wrap_columns=("Text", "Handlungsfeld", *labels))
    table_sheet(wb, SHEETS[3], CONTRIBUTION_COLUMNS, (
        [label, s.event["date"], c["table"], c["theme"], question_label(c, words),
         words.kind(c["kind"]), c["round"], c["target_group"] or "", c["text"], c["dots"],
         words.language_name(c.get("language"))]
        for label, s in zip(labels, snaps, strict=True) for c in _visible(s)),
        wrap_columns=("Text", "Handlungsfeld", "Leitfrage", "Veranstaltung"))
    return wb.bytes()
