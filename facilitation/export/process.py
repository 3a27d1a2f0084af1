"""prozess.xlsx and prozessbericht.html: a whole participation process in one workbook and
one report (issue: four World Cafés → Akteurskonferenz → survey → feedback).

Pure: bytes from the process and the snapshots of its events, in process order. The
workbook extends vergleich.xlsx (the comparison is this without a process): participation
by event, target group and language; the top priorities per Handlungsfeld across events
with how each target group voted; the survey results with small groups protected; every
visible contribution.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..config import ROOT
from ..survey_view import results_view
from .comparison import CONTRIBUTION_COLUMNS, _key, _visible, event_labels, themes, voted_items
from .csv_files import question_label
from .snapshot import Snapshot
from .words import Words, _
from .workbook import Book, table_sheet

SHEETS = ("Übersicht", "Teilnahme", "Prioritäten", "Handlungsfelder", "Punkte", "Umfragen",
          "Beiträge")
TOP_PER_FIELD = 10


def participation(snaps: list[Snapshot]) -> tuple[list[str], list[list]]:
    """(target groups, one row per event: participants per target group, then 'no answer')."""
    groups: list[str] = []
    for s in snaps:
        groups += [g for g in s.target_groups if g not in groups]
    rows = []
    for s in snaps:
        count = Counter(p["target_group"] for p in s.participants)
        rows.append([count.get(g, 0) for g in groups] + [count.get(None, 0)])
    return groups, rows


def languages(snaps: list[Snapshot]) -> list[tuple[str, list[int]]]:
    """(language code, visible contributions per event) for every language written in;
    contributions without a recorded language count as German (the default UI)."""
    per = [Counter(c.get("language") or "de" for c in _visible(s)) for s in snaps]
    codes = sorted({code for p in per for code in p}, key=lambda c: (c != "de", c))
    return [(code, [p.get(code, 0) for p in per]) for code in codes]


def priorities(snaps: list[Snapshot], groups: list[str]) -> list[dict]:
    """Per Handlungsfeld the items with the most dots over all events of the process (top
    ten per field), each with its dots per event and per target group."""
    by_group: dict[str, Counter] = defaultdict(Counter)
    for s in snaps:
        for rnd in s.voting_rounds:
            for c in rnd["candidates"]:
                if not c["hidden"]:
                    by_group[_key(c["label"])].update(c["dots_by_group"])
    fields: dict[str, list] = defaultdict(list)
    for label, theme, counts in voted_items(snaps):
        fields[theme].append((label, counts))
    out = []
    for theme, items in fields.items():
        for rank, (label, counts) in enumerate(items[:TOP_PER_FIELD], start=1):
            total = sum(n or 0 for n in counts)
            if not total:
                continue
            g = by_group[_key(label)]
            out.append({"theme": theme, "rank": rank, "label": label, "total": total,
                        "per_event": counts, "per_group": [g.get(x, 0) for x in groups],
                        "no_group": g.get("", 0)})
    return out


def survey_results(snaps: list[Snapshot], words: Words) -> list[dict]:
    """Every survey of the process's events with its results (small groups protected)."""
    out = []
    for s in snaps:
        for survey in s.surveys:
            responses = [{"answers": r["answers"], "group": r["target_group"]}
                         for r in survey["responses"]]
            out.append({"event": s.event["title"],
                        **results_view(survey, responses, s.language, s.target_groups, words)})
    return out


def _survey_rows(surveys: list[dict]):
    for sv in surveys:
        for q in sv["questions"]:
            if q["kind"] == "text":
                for text in q["texts"]:
                    yield [sv["event"], sv["title"], q["text"], "", text, ""]
                continue
            for option, count in zip(q["options"], q["counts"], strict=True):
                yield [sv["event"], sv["title"], q["text"], option, count, q.get("mean", "")]


def render_workbook(process: dict | None, snaps: list[Snapshot]) -> bytes:
    """prozess.xlsx as bytes."""
    words = Words(snaps[0].language if snaps else "de")
    labels = event_labels(snaps) if snaps else []
    total = "Gesamt"
    groups, part_rows = participation(snaps)
    wb = Book()
    table_sheet(wb, SHEETS[0], ["Veranstaltung", "Datum", "Art", "Für Zielgruppe", "Teilnehmende",
                                "Beiträge", "Abstimmungen", "Punkte", "Umfrage-Antworten"], (
        [label, s.event["date"], words.event_kind(s.event["kind"]), s.event.get("audience") or "",
         len(s.participants), len(_visible(s)), len(s.voting_rounds),
         sum(c["dots"] for r in s.voting_rounds for c in r["candidates"] if not c["hidden"]),
         sum(len(sv["responses"]) for sv in s.surveys)]
        for label, s in zip(labels, snaps, strict=True)), wrap_columns=("Veranstaltung",))
    no_answer = words.no_group()
    lang_rows = [[words(_("Contributions in %(language)s"), language=words.language_name(code)),
                  *counts, sum(counts)] for code, counts in languages(snaps)]
    table_sheet(wb, SHEETS[1], ["Teilnehmende nach", *labels, total], (
        [[g, *[r[i] for r in part_rows], sum(r[i] for r in part_rows)]
         for i, g in enumerate([*groups, no_answer])] + lang_rows),
        wrap_columns=("Teilnehmende nach", *labels))
    prios = priorities(snaps, groups)
    table_sheet(wb, SHEETS[2], ["Handlungsfeld", "Rang", "Text", total, *labels,
                                *[f"Punkte {g}" for g in groups], "Punkte ohne Angabe"], (
        [p["theme"], p["rank"], p["label"], p["total"], *p["per_event"], *p["per_group"],
         p["no_group"]] for p in prios), wrap_columns=("Handlungsfeld", "Text"))
    table_sheet(wb, SHEETS[3], ["Handlungsfeld", *labels, total], (
        [name, *counts, sum(n or 0 for n in counts)] for name, counts in themes(snaps)),
        wrap_columns=("Handlungsfeld", *labels))
    table_sheet(wb, SHEETS[4], ["Text", "Handlungsfeld", *labels, total], (
        [label, theme, *counts, sum(n or 0 for n in counts)]
        for label, theme, counts in voted_items(snaps)), wrap_columns=("Text", "Handlungsfeld"))
    table_sheet(wb, SHEETS[5], ["Veranstaltung", "Umfrage", "Frage", "Antwort", "Anzahl / Text",
                                "Durchschnitt"], _survey_rows(survey_results(snaps, words)),
                wrap_columns=("Frage", "Anzahl / Text"))
    table_sheet(wb, SHEETS[6], CONTRIBUTION_COLUMNS, (
        [label, s.event["date"], c["table"], c["theme"], question_label(c, words),
         words.kind(c["kind"]), c["round"], c["target_group"] or "", c["text"], c["dots"]]
        for label, s in zip(labels, snaps, strict=True) for c in _visible(s)),
        wrap_columns=("Text", "Handlungsfeld", "Leitfrage", "Veranstaltung"))
    return wb.bytes()


def render_report(process: dict, snaps: list[Snapshot]) -> bytes:
    """prozessbericht.html: one self-contained report for the whole process."""
    words = Words(snaps[0].language if snaps else "de")
    env = Environment(loader=FileSystemLoader(str(ROOT / "templates" / "export")),
                      autoescape=select_autoescape(["html"]), extensions=["jinja2.ext.i18n"],
                      trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(lambda s, **kw: words(s, **kw),
                                  lambda s, p, n, **kw: words(s if n == 1 else p, **{"num": n, **kw}),
                                  newstyle=True)
    labels = event_labels(snaps) if snaps else []
    groups, part_rows = participation(snaps)
    prios = priorities(snaps, groups)
    by_field: dict[str, list] = defaultdict(list)
    for p in prios:
        by_field[p["theme"] or words(_("no field of action"))].append(p)
    html = env.get_template("prozessbericht.html").render(
        process=process, events=list(zip(labels, snaps, strict=True)), groups=groups,
        participation=part_rows, no_answer=words.no_group(), languages=languages(snaps),
        priorities=by_field, surveys=survey_results(snaps, words), kind=words.event_kind,
        language_name=words.language_name,
        lang=snaps[0].language if snaps else "de")
    return html.encode("utf-8")
