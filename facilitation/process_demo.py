"""The demo process: the Ilm-Kreis arc in one go (seed 002) — four World Cafés, one per
target group, each with its harvest and a closed dot vote; a questionnaire for migrants
with answers from phones and from paper; and an Akteurskonferenz prepared from the cafés'
results (their top items as voting candidates, merged groups as briefs)."""

from __future__ import annotations

import random

from .demo import LEITFRAGEN, STATIONS, sample_contributions
from .survey_templates import template_definition
from .voting_demo import create_demo_vote

AUDIENCES = ["Ehrenamt", "Hauptamt", "Verwaltung", "Migrant*innen"]
DATES = ["2026-09-08", "2026-09-15", "2026-09-22", "2026-09-29"]


def create_process_demo(store, seed: int = 2017) -> dict:
    """Create the demo process with its events; returns the process."""
    process = store.create_process({
        "title": "Integrationskonzept Ilm-Kreis (Demo)", "town": "Ilm-Kreis",
        "fields": [{"theme": theme, "questions": list(LEITFRAGEN)} for _, theme in STATIONS],
        "target_groups": AUDIENCES,
        "languages": ["de", "de-simple", "en", "tr", "ar", "fa", "uk", "ru"],
    })
    cafes = []
    for n, (audience, date) in enumerate(zip(AUDIENCES, DATES, strict=True), start=1):
        event = store.create_event_in_process(process["id"], f"World Café {n}: {audience}", date,
                                              audience=audience)
        _fill_cafe(store, event["id"], audience, seed + n)
        cafes.append(event)
    _survey(store, cafes[-1]["id"], seed)
    conference = store.create_event_in_process(
        process["id"], "Akteurskonferenz Integrationskonzept", "2026-11-10",
        kind="akteurskonferenz")
    sources = [c["id"] for c in cafes]
    store.carry_forward(conference["id"], store.carry_candidates(sources, "top_voted", 2),
                        "candidates", title="Prioritäten aus den World Cafés")
    store.carry_forward(conference["id"], store.carry_candidates(sources, "merged", 3), "briefs")
    return store.get_process(process["id"])


def _fill_cafe(store, event_id: str, audience: str, seed: int) -> None:
    tokens = {}
    made = []
    for s in sample_contributions(seed=seed, participants=18):
        if s["participant"] not in tokens:
            token = f"demo-process-{event_id}-{s['participant']:04d}-".ljust(43, "x")
            pid = store.participant(event_id, token)["id"]
            store.set_target_group(event_id, pid, audience)
            tokens[s["participant"]] = pid
        c, _ = store.add_contribution(event_id, s["table"], s["kind"], s["text"], s["question"],
                                      participant_id=tokens[s["participant"]], round=s["round"])
        made.append(c)
    # A duplicate per café, merged by the facilitation: the "merged groups" to carry forward.
    first = made[0]
    dup, _ = store.add_contribution(event_id, first["table"], first["kind"], first["text"] + " (bitte!)",
                                    first["question"], participant_id=tokens[0] if 0 in tokens else None)
    store.merge_contributions(event_id, first["id"], [dup["id"]])
    create_demo_vote(store, event_id, tokens)
    store.update_event(event_id, {"status": "closed"}, actor="demo")


def _survey(store, event_id: str, seed: int) -> None:
    rng = random.Random(seed)
    survey = store.create_survey(event_id, template_definition("migrants"))
    store.set_survey_status(event_id, survey["id"], "open")
    texts = ["Deutschkurse am Abend fehlen", "Die Nachbarn sind freundlich",
             "Mehr Hilfe bei Behörden", "Arbeit finden ist schwer", "Die Schule hilft meinen Kindern"]
    for n in range(36):
        answers = [rng.randrange(3), rng.randrange(5), rng.randrange(6), rng.randint(1, 5),
                   rng.choice(texts) if rng.random() < 0.6 else None, None,
                   rng.choice(texts) if rng.random() < 0.3 else None]
        if n % 3:
            token = f"demo-survey-{event_id}-{n:04d}-".ljust(43, "x")
            pid = store.participant(event_id, token)["id"]
            store.add_survey_response(event_id, survey["id"], answers, participant_id=pid,
                                      language=rng.choice(["de", "ar", "tr", "fa", "uk"]))
        else:
            store.add_survey_response(event_id, survey["id"], answers, source="paper",
                                      sheet=str(n + 1))
