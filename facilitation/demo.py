"""The demo World Café (the six stations of the Ilm-Kreis) and its seeded sample harvest."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .content_languages import localized
from .demo_translations import translations_of
from .plan import PLAN_FORMAT, PLAN_VERSION, parse_plan
from .rules import DEFAULT_TARGET_GROUPS
from .voting_demo import create_demo_vote

if TYPE_CHECKING:  # for type hints only: no import of the store at run time
    from .store import Store

LEITFRAGEN = [
    "Welche Bedarfe sehen Sie?",
    "Was fällt Ihnen in Ihrer eigenen Arbeit auf?",
    "Welche Ziele oder Maßnahmen sollten wir in diesem Handlungsfeld verfolgen?",
    "Welche Probleme sollten gelöst werden?",
    "Was läuft gut und sollte erhalten bleiben?",
]

STATIONS = [
    ("A", "Interkulturelle Öffnung und gesellschaftliche Teilhabe"),
    ("B", "Sprache und Bildung"),
    ("C", "Arbeitsmarkt"),
    ("D", "Gesundheit und Soziales"),
    ("E", "Wohnen"),
    ("F", "Kultur, Religion, Freizeit und Sport"),
]

# (kind, question index, text) per station: the kind of thing people write on the cards.
SAMPLES = {
    "A": [
        ("need", 0, "Mehrsprachige Informationen der Verwaltung, auch in einfacher Sprache"),
        ("idea", 2, "Interkulturelle Schulungen für alle Mitarbeitenden im Bürgerbüro"),
        ("problem", 3, "Migrant*innen-Organisationen werden zu spät in Planungen einbezogen"),
        ("works_well", 4, "Der Integrationsbeirat ist gut vernetzt und wird gehört"),
        ("idea", 2, "Feste Sprechstunde des Integrationsmanagements im Stadtteiltreff"),
        ("need", 1, "Viele Vereine wissen nicht, wie sie neue Mitglieder mit Migrationsgeschichte erreichen"),
    ],
    "B": [
        ("need", 0, "Mehr Kita-Plätze mit Sprachförderung"),
        ("problem", 3, "Wartelisten für Integrationskurse sind zu lang, besonders für Mütter"),
        ("idea", 2, "Kinderbetreuung parallel zum Sprachkurs anbieten"),
        ("works_well", 4, "Lesepatenschaften an Grundschulen funktionieren sehr gut"),
        ("idea", 2, "Elternlotsen, die bei Schulanmeldung und Elternabenden begleiten"),
        ("need", 1, "Sprachkurse am Abend für Berufstätige"),
    ],
    "C": [
        ("problem", 3, "Anerkennung ausländischer Berufsabschlüsse dauert viel zu lange"),
        ("idea", 2, "Jobmesse mit regionalen Betrieben und Dolmetschenden"),
        ("need", 0, "Praktikumsplätze für junge Geflüchtete"),
        ("works_well", 4, "Die Zusammenarbeit mit dem Jobcenter hat sich verbessert"),
        ("idea", 2, "Mentoring von Azubis mit Migrationsgeschichte durch Ehrenamtliche"),
    ],
    "D": [
        ("need", 0, "Dolmetschende bei Arztbesuchen und in der Beratung"),
        ("problem", 3, "Psychosoziale Versorgung für traumatisierte Menschen fehlt"),
        ("idea", 2, "Gesundheitslotsen aus den Communities ausbilden"),
        ("works_well", 4, "Die Migrationsberatung ist gut erreichbar"),
        ("need", 1, "Informationen über das Gesundheitssystem in mehreren Sprachen"),
    ],
    "E": [
        ("problem", 3, "Diskriminierung bei der Wohnungssuche"),
        ("need", 0, "Bezahlbarer Wohnraum für große Familien"),
        ("idea", 2, "Wohnungspaten, die bei Besichtigungen begleiten"),
        ("works_well", 4, "Nachbarschaftsfeste im Quartier bringen Menschen zusammen"),
        ("idea", 2, "Gespräche mit Wohnungsbaugesellschaften über Belegung"),
    ],
    "F": [
        ("idea", 2, "Interkultureller Kalender mit Festen aller Religionen"),
        ("works_well", 4, "Sportvereine nehmen Kinder unkompliziert auf"),
        ("need", 0, "Räume für Begegnung, die nichts kosten"),
        ("problem", 3, "Mitgliedsbeiträge sind für viele Familien zu hoch"),
        ("idea", 2, "Gutscheine für Vereinsmitgliedschaften über das Bildungspaket bekannter machen"),
    ],
}


def demo_plan(title: str = "World Café Integrationskonzept (Demo)", date: str = "2026-11-22") -> dict:
    """The demo event as a plan (docs/plan-format.md, without format and version): six
    stations, five guiding questions, the target groups, each text in all eight languages
    (facilitation/demo_translations.py)."""
    def text(german: str):
        return localized(german, translations_of(german))

    return {
        "title": title,
        "date": date,
        "kind": "world_cafe",
        "join_question": text("Aus welchem Bereich kommen Sie?"),
        "join_options": [text(o) for o in DEFAULT_TARGET_GROUPS],
        "tables": [
            {"code": code, "theme": text(theme), "questions": [text(q) for q in LEITFRAGEN]}
            for code, theme in STATIONS
        ],
    }


def demo_event_fields(**kw) -> dict:
    """The demo plan read as every plan file is: the arguments of Store.create_event."""
    return parse_plan({"format": PLAN_FORMAT, "version": PLAN_VERSION, **demo_plan(**kw)})


def sample_contributions(seed: int = 2017, participants: int = 24, rounds: int = 3) -> list[dict]:
    """Seeded sample contributions from several rounds and target groups.

    Every participant visits one table per round, as in a World Café; each sample card
    of a station is written once, by someone at that table in one of the rounds.
    Returns plain dicts: participant number, group, table, round, kind, question, text.
    """
    rng = random.Random(seed)
    codes = [code for code, _ in STATIONS]
    visits = {p: rng.sample(codes, rounds) for p in range(participants)}
    out = []
    for code in codes:
        for i, (kind, question, text) in enumerate(SAMPLES[code]):
            round_no = 1 + i % rounds
            present = [p for p, v in visits.items() if v[round_no - 1] == code] or list(visits)
            person = rng.choice(present)
            out.append(
                {"participant": person,
                 "group": DEFAULT_TARGET_GROUPS[person % len(DEFAULT_TARGET_GROUPS)],
                 "table": code, "round": round_no, "kind": kind, "question": question,
                 "text": text}
            )
    out.sort(key=lambda s: (s["round"], rng.random()))
    return out


def create_demo(store: Store, sample_data: bool = False, event_id: str | None = "demo") -> dict:
    """Create the demo event (id 'demo' when free) and, if asked, fill it with samples."""
    taken = event_id is not None and any(e["id"] == event_id for e in store.list_events())
    event = store.create_event(**demo_event_fields(), event_id=None if taken else event_id)
    if sample_data:
        eid = event["id"]
        tokens = {}
        for s in sample_contributions():
            if s["participant"] not in tokens:
                token = f"demo-device-{eid}-{s['participant']:04d}-" + "x" * 24
                pid = store.participant(eid, token)["id"]
                store.set_target_group(eid, pid, s["group"])
                tokens[s["participant"]] = pid
            store.add_contribution(
                eid, s["table"], s["kind"], s["text"], s["question"],
                participant_id=tokens[s["participant"]], round=s["round"], language="de",
            )
        create_demo_vote(store, eid, tokens)  # a closed voting round with results
        _hold_rounds(store, eid, rounds=3)
        store.update_event(eid, {"status": "running"}, actor="demo")
        event = store.get_event(eid)
    return event


def _hold_rounds(store: Store, event_id: str, rounds: int) -> None:
    """Run the clock through the sample's rounds, so the console and phones say that
    round 3 of 3 has ended, as the sample contributions do. Input stays open, so a
    preview can still send from a phone (recorded in round 3)."""
    store.plan_rounds(event_id, rounds, 20, lock_between=False, sound=False, actor="demo")
    for _ in range(rounds):
        store.start_round(event_id, actor="demo")
        store.end_round(event_id, actor="demo")
