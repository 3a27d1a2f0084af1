"""bericht.html: the report for the council, one self-contained file that prints on A4.

No external reference of any kind: styles inline in the document, charts as inline SVG
drawn here, no fonts, scripts or images from elsewhere. The template is
templates/export/bericht.html (Jinja, autoescaped), rendered without Flask.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict

from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..config import ROOT
from ..content_languages import language_shares
from ..formats import date_text, datetime_text, rank_text
from ..i18n import html_lang, text_direction
from ..survey_view import results_view
from .catalogue import rows as catalogue_rows
from .csv_files import group_columns
from .snapshot import Snapshot
from .words import Words, _

CHART_LIMIT = 15  # bars per chart; the full ranking follows as a table
_PALETTE = ["#1f5f99", "#e07b00", "#2e8540", "#a23b72", "#6b4c9a", "#8c6d1f", "#3a7d8c",
            "#c0392b", "#555555", "#7f8c8d", "#16a085", "#d35400"]


def _short(label: str, limit: int = 38) -> str:
    """A chart label that fits left of the bars; the full text is in its tooltip and table."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(items: list[tuple[str, int]], title: str, width: int = 640) -> Markup:
    """A horizontal bar chart as inline SVG: one labelled bar per (label, value)."""
    bar, gap, label_w = 18, 8, 250
    height = len(items) * (bar + gap) + gap
    top = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-label="{escape(title)}">'
    ]
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar + gap)
        w = round((width - label_w - 60) * value / top)
        short = _short(label)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="11">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1)}" height="{bar}" fill="#1f5f99"/>'
            f'<text x="{label_w + w + 6}" y="{y + 13}" font-size="11">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_legend(groups: list[str], words: Words) -> list[tuple[str, str]]:
    """(colour, label) per target group, as used by group_chart."""
    return [(_PALETTE[i % len(_PALETTE)], g or words.no_group()) for i, g in enumerate(groups)]


def group_chart(candidates: list[dict], groups: list[str], title: str, width: int = 640) -> Markup:
    """Stacked bars: each candidate's dots split by target group (colours as in the legend)."""
    bar, gap, label_w = 18, 8, 250
    height = len(candidates) * (bar + gap) + gap
    top = max((c["dots"] for c in candidates), default=0) or 1
    scale = (width - label_w - 60) / top
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' role="img" aria-label="{escape(title)}">'
    ]
    for i, c in enumerate(candidates):
        y = gap + i * (bar + gap)
        label = _short(c["label"])
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="11">'
            f'<title>{escape(c["label"])}</title>{escape(label)}</text>'
        )
        x = label_w
        for j, g in enumerate(groups):
            n = c["dots_by_group"].get(g, 0)
            if n > 0:
                w = round(n * scale)
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{max(w, 1)}" height="{bar}"'
                    f' fill="{_PALETTE[j % len(_PALETTE)]}"><title>{escape(g)}: {n}</title></rect>'
                )
                x += w
        parts.append(f'<text x="{x + 6}" y="{y + 13}" font-size="11">{c["dots"]}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def harvest(snap: Snapshot) -> list[dict]:
    """Visible contributions per table, grouped by guiding question (then 'general')."""
    by_table = defaultdict(lambda: defaultdict(list))
    for c in snap.contributions:
        if not c["hidden"]:
            by_table[c["table"]][c["question"]].append(c)
    out = []
    for t in snap.tables:
        groups = by_table.get(t["code"], {})
        questions = [
            {"text": q, "items": groups.get(i, [])} for i, q in enumerate(t["questions"])
        ]
        general = groups.get(None, [])
        out.append({"table": t, "questions": questions, "general": general,
                    "count": sum(len(v) for v in groups.values())})
    return out


def figures(snap: Snapshot) -> dict:
    """Participation figures: people, contributions per table and round, target groups."""
    visible = [c for c in snap.contributions if not c["hidden"]]
    rounds = sorted({c["round"] for c in snap.contributions}) or [1]
    per = Counter((c["table"], c["round"]) for c in visible)
    groups = Counter(p["target_group"] or "" for p in snap.participants)
    order = snap.target_groups + sorted(set(groups) - set(snap.target_groups))
    return {
        "participants": len(snap.participants),
        "writers": len({c["participant"] for c in snap.contributions if c["participant"]}),
        "visible": len(visible),
        "hidden": len(snap.contributions) - len(visible),
        "rounds": rounds,
        "per_table": [
            {"code": t["code"], "theme": t["theme"],
             "counts": [per.get((t["code"], r), 0) for r in rounds],
             "total": sum(per.get((t["code"], r), 0) for r in rounds)}
            for t in snap.tables
        ],
        "groups": [(g, groups[g]) for g in order if g in groups],
        "languages": language_shares(c.get("language") for c in visible),
        "voters": max((r["voters"] for r in snap.voting_rounds), default=0),
    }


def _environment(words: Words) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(ROOT / "templates" / "export")),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True, lstrip_blocks=True,
    )
    env.install_gettext_callables(
        lambda s, **kw: words(s, **kw),
        words.plural,  # Jinja fills in num and the other %(name)s itself
        newstyle=True,
    )
    return env


def survey_chapter(snap: Snapshot, words: Words) -> list[dict]:
    """Each survey's results for the report: charts of the choices, the scale's mean, the
    written answers and the breakdown by target group with small groups protected."""
    out = []
    for survey in snap.surveys:
        responses = [{"answers": r["answers"], "group": r["target_group"]} for r in survey["responses"]]
        view = results_view(survey, responses, snap.language, snap.target_groups, words)
        for q in view["questions"]:
            if "counts" in q:
                q["chart"] = bar_chart(list(zip(q["options"], q["counts"], strict=True)), q["text"])
            if "mean" in q:
                q["mean_text"] = format_decimal(q["mean"], locale=_babel_locale(snap.language))
        view["paper"] = sum(1 for r in survey["responses"] if r["source"] == "paper")
        out.append(view)
    return out


def _babel_locale(language: str) -> str:
    return language.split("-")[0].split("@")[0] if language else "de"


def render(snap: Snapshot) -> bytes:
    """bericht.html as UTF-8 bytes."""
    words = Words(snap.language)
    groups = group_columns(snap)
    votes = []
    for rnd in snap.voting_rounds:
        by_number = {c["number"]: c for c in rnd["candidates"]}
        ranked = [by_number[n] for n in rnd["ranking"]]
        title = rnd["title"]
        votes.append({
            "round": rnd, "ranked": ranked,
            "chart": group_chart(ranked[:CHART_LIMIT], groups, title) if groups
            else bar_chart([(c["label"], c["dots"]) for c in ranked[:CHART_LIMIT]], title),
        })
    facts = figures(snap)
    table_chart = bar_chart([(f"{t['code']} · {t['theme']}", t["total"]) for t in facts["per_table"]],
                            words(_("Contributions per table")))
    chunks = _environment(words).get_template("bericht.html").generate(
        snap=snap, words=words, facts=facts, votes=votes, groups=groups,
        legend=stacked_legend(groups, words), harvest=harvest(snap),
        catalogue=catalogue_rows(snap, words), written=bool(snap.catalogue),
        table_chart=table_chart,
        kind=words.kind, lang=html_lang(snap.language), dir=text_direction(snap.language),
        surveys=survey_chapter(snap, words),
        when=lambda iso: datetime_text(iso, snap.event.get("time_zone"), snap.language),
        day=lambda value: date_text(value, snap.language),
        rank=lambda r, tied: rank_text(r, tied, snap.language),
    )
    # Encoded a few thousand pieces at a time: the report never exists as one str (and
    # Jinja's list of every piece) beside its bytes.
    out, part = io.BytesIO(), []
    for chunk in chunks:
        part.append(chunk)
        if len(part) == 4096:
            out.write("".join(part).encode("utf-8"))
            part.clear()
    out.write("".join(part).encode("utf-8"))
    return out.getvalue()
