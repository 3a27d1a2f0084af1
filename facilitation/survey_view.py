"""What people see of a survey: its questions in their language, and the results with
labels, for the phone, the paper-entry page, the projector and the exports.

`gettext` translates the fixed words (demographic questions and answers): Flask-Babel's
in a request, `export.words.Words` in the exporters, which run outside any request.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as flask_gettext

from .formats import date_text
from .survey_rules import DEMOGRAPHIC_OPTIONS, SCALE_POINTS, localized, results


def _(msgid: str) -> str:
    """Marks a msgid for extraction; `gettext` (below) translates it where it is shown."""
    return msgid


DEMOGRAPHIC_QUESTIONS = {
    "gender": _("Gender"),
    "age": _("Age"),
    "stay": _("How long have you been living in Germany?"),
}
DEMOGRAPHIC_LABELS = {
    "female": _("female"), "male": _("male"), "diverse": _("diverse"),
    "under_18": _("under 18"), "18_26": _("18 to 26"), "27_40": _("27 to 40"),
    "41_60": _("41 to 60"), "over_60": _("over 60"),
    "under_1": _("less than 1 year"), "1_3": _("1 to 3 years"), "3_5": _("3 to 5 years"),
    "5_10": _("5 to 10 years"), "over_10": _("more than 10 years"),
    "born_here": _("born in Germany"),
}
SCALE_ENDS = (_("not at all"), _("very much"))


def demographic_labels(field: str, gettext: Callable[[str], str] = flask_gettext) -> list[str]:
    """The answer labels of a demographic field, in DEMOGRAPHIC_OPTIONS order."""
    return [gettext(DEMOGRAPHIC_LABELS[key]) for key in DEMOGRAPHIC_OPTIONS[field]]


def question_view(question: dict, language: str,
                  gettext: Callable[[str], str] = flask_gettext) -> dict:
    """One question as a page shows it: kind, text and option labels in `language`."""
    kind = question["kind"]
    if kind == "demographic":
        return {"kind": "single", "demographic": question["field"],
                "text": gettext(DEMOGRAPHIC_QUESTIONS[question["field"]]),
                "options": demographic_labels(question["field"], gettext)}
    out = {"kind": kind, "text": localized(question["text"], language)}
    if kind in ("single", "multiple"):
        out["options"] = [localized(o, language) for o in question["options"]]
    if kind == "scale":
        out["options"] = [str(i) for i in range(1, SCALE_POINTS + 1)]
        out["low"] = localized(question.get("low"), language) or gettext(SCALE_ENDS[0])
        out["high"] = localized(question.get("high"), language) or gettext(SCALE_ENDS[1])
    return out


def survey_view(survey: dict, language: str,
                gettext: Callable[[str], str] = flask_gettext) -> dict:
    """The survey as phones and the paper-entry page show it."""
    return {
        "id": survey.get("id", survey.get("number")),
        "title": localized(survey["title"], language),
        "intro": localized(survey.get("intro"), language) if survey.get("intro") else "",
        "status": survey["status"],
        "closes_at": survey.get("closes_at"),
        "questions": [question_view(q, language, gettext) for q in survey["questions"]],
    }


def results_view(survey: dict, responses: list[dict], language: str,
                 groups: list[str] | None = None,
                 gettext: Callable[[str], str] = flask_gettext) -> dict:
    """The results with labels: counts per option, scale means, free texts, breakdown by
    target group with small cells shown as "< N" (survey_rules.results)."""
    data = results(survey["questions"], responses, survey["min_cell"], groups)
    view = survey_view(survey, language, gettext)
    for q, r in zip(view["questions"], data["questions"], strict=True):
        r["text"] = q["text"]
        if "options" in q:
            r["options"] = q["options"]
    return {"survey_id": view["id"], "title": view["title"], "status": survey["status"], **data}


def closing_text(closes_at: str | None, language: str = "de") -> str:
    """A closing time as people read it: '14.12.2026, 23:59 Uhr' (it is local time already)."""
    if not closes_at or len(closes_at) < 16:
        return closes_at or ""
    day = date_text(closes_at[:10], language)
    return f"{day}, {closes_at[11:16]} Uhr" if language.startswith("de") else f"{day}, {closes_at[11:16]}"
