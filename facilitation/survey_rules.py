"""Pure rules of surveys (Umfragen): what a questionnaire may hold, what an answer may be,
and the results with small groups protected.

A survey is a short anonymous questionnaire (docs/surveys.md): single choice, multiple
choice, a 1–5 scale, free text, and the demographic fields the Ilm-Kreis asked migrants
for (gender, age band, length of stay), each optional with "no answer". Texts may be given
per language ({"de": …, "ar": …}; German required). Answers refer to options by their
index, so a Turkish and a German phone answer the same option. Nothing here touches the
database or Flask; demographic labels are translated by the caller (labels passed in).
"""

from __future__ import annotations

from collections import Counter

from .errors import AppError
from .rules import clean_short_text, clean_text

QUESTION_KINDS = ("single", "multiple", "scale", "text", "demographic")
DEMOGRAPHIC_FIELDS = ("gender", "age", "stay")
# The options of each demographic field, as stable keys (labels are translated on display).
DEMOGRAPHIC_OPTIONS = {
    "gender": ("female", "male", "diverse"),
    "age": ("under_18", "18_26", "27_40", "41_60", "over_60"),
    "stay": ("under_1", "1_3", "3_5", "5_10", "over_10", "born_here"),
}
SCALE_POINTS = 5
MAX_QUESTIONS = 30
MAX_OPTIONS = 12
MAX_FREE_TEXT = 1000
DEFAULT_MIN_CELL = 5
LANGUAGE_KEY_MAX = 12


def clean_localized(value, field: str, limit: int) -> dict[str, str]:
    """A text given as a plain string (German) or per language ({"de": …, "tr": …}).

    Returns {language: text} with German present; refuses other shapes.
    """
    if isinstance(value, str):
        return {"de": clean_short_text(value, field, limit)}
    if not isinstance(value, dict) or not value:
        raise AppError("invalid_payload", detail=field)
    out = {}
    for lang, text in value.items():
        if not isinstance(lang, str) or not 2 <= len(lang) <= LANGUAGE_KEY_MAX:
            raise AppError("invalid_payload", detail=field)
        if text is None or text == "":
            continue
        out[lang] = clean_short_text(text, field, limit)
    if "de" not in out:
        raise AppError("invalid_payload", detail=f"{field}: German (de) is required")
    return out


def localized(texts: dict[str, str] | None, language: str) -> str:
    """The text in `language` ("de-simple" falls back to German), else German."""
    if not texts:
        return ""
    if language in texts:
        return texts[language]
    base = language.split("-")[0].split("@")[0]
    return texts.get(base) or texts.get("de") or next(iter(texts.values()))


def clean_question(q) -> dict:
    """One question of a survey definition, cleaned (see docs/surveys.md)."""
    if not isinstance(q, dict):
        raise AppError("invalid_payload", detail="questions")
    kind = q.get("kind")
    if kind not in QUESTION_KINDS:
        raise AppError("invalid_payload", detail="questions: kind")
    out: dict = {"kind": kind}
    if kind == "demographic":
        field = q.get("field")
        if field not in DEMOGRAPHIC_FIELDS:
            raise AppError("invalid_payload", detail="questions: field")
        out["field"] = field
        return out
    out["text"] = clean_localized(q.get("text"), "questions: text", 300)
    if kind in ("single", "multiple"):
        options = q.get("options")
        if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
            raise AppError("invalid_payload", detail="questions: options (2–12)")
        out["options"] = [clean_localized(o, "questions: options", 120) for o in options]
    if kind == "scale":
        for end in ("low", "high"):
            if q.get(end):
                out[end] = clean_localized(q[end], f"questions: {end}", 60)
    return out


def clean_definition(data) -> dict:
    """A survey's definition: title, optional intro, 1–30 questions, closing time, min cell."""
    if not isinstance(data, dict):
        raise AppError("invalid_payload", detail="survey")
    out = {"title": clean_localized(data.get("title"), "title", 200)}
    out["intro"] = clean_localized(data["intro"], "intro", 600) if data.get("intro") else None
    questions = data.get("questions")
    if not isinstance(questions, list) or not 1 <= len(questions) <= MAX_QUESTIONS:
        raise AppError("invalid_payload", detail="questions (1–30)")
    out["questions"] = [clean_question(q) for q in questions]
    closes = data.get("closes_at")
    out["closes_at"] = clean_short_text(closes, "closes_at", 40) if closes else None
    min_cell = data.get("min_cell", DEFAULT_MIN_CELL)
    if isinstance(min_cell, bool) or not isinstance(min_cell, int) or not 1 <= min_cell <= 50:
        raise AppError("invalid_payload", detail="min_cell (1–50)")
    out["min_cell"] = min_cell
    return out


def option_count(question: dict) -> int:
    """How many options a choice question offers."""
    if question["kind"] == "demographic":
        return len(DEMOGRAPHIC_OPTIONS[question["field"]])
    if question["kind"] == "scale":
        return SCALE_POINTS
    return len(question.get("options") or ())


def clean_answers(questions: list[dict], answers) -> list:
    """A response's answers, one per question, each None for "no answer".

    single / demographic: an option index; multiple: a sorted list of distinct indexes;
    scale: 1–5; text: up to 1,000 characters. Every question is optional.
    """
    if not isinstance(answers, list) or len(answers) != len(questions):
        raise AppError("invalid_payload", detail="answers: one per question")
    out = []
    for q, a in zip(questions, answers, strict=True):
        if a is None or a == "" or a == []:
            out.append(None)
            continue
        kind = q["kind"]
        if kind in ("single", "demographic"):
            if isinstance(a, bool) or not isinstance(a, int) or not 0 <= a < option_count(q):
                raise AppError("invalid_option")
            out.append(a)
        elif kind == "multiple":
            if not isinstance(a, list) or any(
                isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < option_count(q)
                for i in a
            ):
                raise AppError("invalid_option")
            out.append(sorted(set(a)))
        elif kind == "scale":
            if isinstance(a, bool) or not isinstance(a, int) or not 1 <= a <= SCALE_POINTS:
                raise AppError("invalid_option")
            out.append(a)
        else:
            out.append(clean_text(a, MAX_FREE_TEXT))
    if all(a is None for a in out):
        raise AppError("survey_empty")
    return out


def shown_count(n: int, min_cell: int) -> int | str:
    """A breakdown cell as it may be shown: below `min_cell` answers (but not 0) it becomes
    "< min_cell", so nobody in a small group can be identified."""
    return f"< {min_cell}" if 0 < n < min_cell else n


def results(questions: list[dict], responses: list[dict], min_cell: int,
            groups: list[str] | None = None) -> dict:
    """The results of a survey: per question the counts (choices, scale) or texts.

    responses: [{"answers": [...], "group": str|None}]. Totals are exact; the breakdown by
    group shows each cell through `shown_count`; a group with fewer than min_cell
    responses is shown only as "< min_cell" and its free texts carry no group.
    """
    total = len(responses)
    by_group = Counter(r.get("group") for r in responses if r.get("group"))
    group_names = [g for g in (groups or sorted(by_group)) if g in by_group] + sorted(
        g for g in by_group if groups and g not in groups
    )
    out_questions = []
    for i, q in enumerate(questions):
        answered = [r for r in responses if r["answers"][i] is not None]
        item = {"kind": q["kind"], "answered": len(answered)}
        if q["kind"] == "text":
            item["texts"] = [r["answers"][i] for r in answered]
        else:
            n = option_count(q)
            counts = [0] * n
            per_group = {g: [0] * n for g in group_names}
            for r in answered:
                chosen = r["answers"][i] if q["kind"] == "multiple" else [r["answers"][i]]
                for c in chosen:
                    idx = c - 1 if q["kind"] == "scale" else c
                    counts[idx] += 1
                    if r.get("group") in per_group:
                        per_group[r["group"]][idx] += 1
            item["counts"] = counts
            # A group too small to show is not broken down at all (None): even its zeros
            # would tell what its few members answered.
            item["by_group"] = {
                g: ([shown_count(c, min_cell) for c in cs] if by_group[g] >= min_cell else None)
                for g, cs in per_group.items()
            }
            if q["kind"] == "scale" and answered:
                item["mean"] = round(sum(r["answers"][i] for r in answered) / len(answered), 2)
        out_questions.append(item)
    return {
        "responses": total,
        "min_cell": min_cell,
        "groups": {g: shown_count(by_group[g], min_cell) for g in group_names},
        "questions": out_questions,
    }
