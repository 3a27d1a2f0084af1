"""umfragen.csv: every answer of every survey, one row per answer (long format), so a
pivot table in Excel or LibreOffice counts them by survey, question, target group or
language. Answers are written as their labels in the organisers' language; the raw option
numbers are in event.json. Same CSV conventions as beitraege.csv (csv_files.py).
"""

from __future__ import annotations

from ..survey_view import survey_view
from .csv_files import _csv
from .snapshot import Snapshot
from .words import Words, _

SURVEY_COLUMNS = [
    "Umfrage", "Antwort-Nr", "Quelle", "Bogen-Nr", "Zielgruppe", "Sprache", "Zeit",
    "Frage-Nr", "Frage", "Antwort",
]


def answer_label(question: dict, answer) -> str | int:
    """An answer as the organisers read it: option labels, the scale value, the text."""
    if answer is None:
        return ""
    if question["kind"] == "scale" or question["kind"] == "text":
        return answer
    options = question["options"]
    if question["kind"] == "multiple":
        return "; ".join(options[i] for i in answer if 0 <= i < len(options))
    return options[answer] if 0 <= answer < len(options) else answer


def survey_rows(snap: Snapshot, words: Words):
    """One row per answered question of every response of every survey."""
    paper, phone = words(_("paper")), words(_("phone"))
    for survey in snap.surveys:
        view = survey_view(survey, snap.language, words)
        for r in survey["responses"]:
            for i, (q, a) in enumerate(zip(view["questions"], r["answers"], strict=False)):
                if a is None:
                    continue
                yield [
                    view["title"], r["number"], paper if r["source"] == "paper" else phone,
                    r["sheet"] or "", r["target_group"] or "", r["language"] or "",
                    r["created_at"], i + 1, q["text"], answer_label(q, a),
                ]


def render(snap: Snapshot) -> bytes | None:
    """umfragen.csv, or None (no file) when the event has no survey."""
    if not snap.surveys:
        return None
    return _csv(SURVEY_COLUMNS, survey_rows(snap, Words(snap.language)))
