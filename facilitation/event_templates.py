"""Event templates to start from on the admin page: pure data, no Flask, no database.

The contents are what the seeds' facilitators wrote on their cards (German, as in the
room); the template names and descriptions shown on the page are translated in the view.
"""

from __future__ import annotations

from .demo import LEITFRAGEN, STATIONS

# The Ilm-Kreis ran one World Café per target group (seed 002).
ILM_KREIS_GROUPS = ["Ehrenamt", "Hauptamt", "Verwaltung", "Migrant*innen"]

KONFERENZ_GROUPS = [
    ("A", "Sprache, Bildung und Ausbildung"),
    ("B", "Arbeit und Wirtschaft"),
    ("C", "Wohnen und Zusammenleben im Quartier"),
    ("D", "Gesundheit, Kultur und gesellschaftliche Teilhabe"),
]
KONFERENZ_FRAGEN = [
    "Was ist Ihnen in diesem Themenfeld am wichtigsten?",
    "Welche Ziele und Maßnahmen schlagen Sie vor?",
    "Wer sollte mitmachen, und was bringen Sie selbst ein?",
]

TEMPLATES = {
    "ilm_kreis_world_cafe": {
        "title": "World Café Integrationskonzept",
        "kind": "world_cafe",
        "tables": [{"code": c, "theme": theme, "questions": list(LEITFRAGEN)} for c, theme in STATIONS],
        "join_question": "Aus welchem Bereich kommen Sie?",
        "join_options": ILM_KREIS_GROUPS,
        "rounds": {"rounds": 3, "minutes": 20, "lock_between": True, "sound": True},
    },
    "akteurskonferenz": {
        "title": "Akteurskonferenz Integrationskonzept",
        "kind": "akteurskonferenz",
        "tables": [{"code": c, "theme": theme, "questions": list(KONFERENZ_FRAGEN)}
                   for c, theme in KONFERENZ_GROUPS],
        "join_question": "Aus welchem Bereich kommen Sie?",
        "join_options": ["Öffentlichkeit", "Vereine und Verbände", "Wohlfahrtsverbände",
                         "Stadtverwaltung", "Migrant*innen-Organisationen"],
        # The agenda (Plenum – Themengruppen – Plenum) is built in; the plenary vote on
        # the groups' key points is one click in the console once the groups have met.
        "rounds": None,
    },
}


def template(name: str) -> dict | None:
    """A deep copy of the template `name`, or None when there is no such template."""
    t = TEMPLATES.get(name)
    if t is None:
        return None
    return {**t, "tables": [dict(x, questions=list(x["questions"])) for x in t["tables"]],
            "join_options": list(t["join_options"])}
