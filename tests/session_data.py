"""A small event with something in every corner, for the export and import tests.

Umlauts, line breaks, semicolons and quotes, texts that a spreadsheet would run as a
formula, a hidden and a corrected contribution, a duplicate merged into another, one
typed by a table host, participants
with and without a target group, a voting round over contributions and a typed
statement with dots placed and taken back, ticket codes, a key point and a round clock.
"""

from __future__ import annotations

from tests.helpers import device_cookie, make_event

FORMULAS = ["=SUMME(A1:A9)", "+49 170 1234567", "-Weniger Bürokratie", "@Rathaus bitte"]
MULTILINE = "Erste Zeile; mit Semikolon\nZweite Zeile mit „Anführungszeichen“ und \"quotes\""
HIDDEN = "Dieser Beitrag wurde ausgeblendet"
DUPLICATE = "Schulungen zur interkulturellen Öffnung in allen Ämtern"  # merged into made[2]
SCRIPT = "<script>alert('x')</script> & <b>fett</b>"


def fill_event(store) -> dict:
    """Create the event; returns {'event', 'tokens', 'round', 'contributions'}."""
    event = make_event(store, tables=3, title="Weltcafé Integration – Ehrenamt & Verwaltung")
    eid = event["id"]
    tokens = [device_cookie(f"export-{eid}-{i}") for i in range(6)]
    people = [store.participant(eid, t)["id"] for t in tokens]
    for pid, group in zip(people, ["Ehrenamt", "Hauptamt", "Verwaltung", "Ehrenamt", None, None],
                          strict=True):
        if group:
            store.set_target_group(eid, pid, group)
    texts = [
        ("A", "need", 0, "Mehr Sprachkurse für Mütter – mit Kinderbetreuung"),
        ("A", "idea", 1, MULTILINE),
        ("B", "idea", 1, "Interkulturelle Öffnung der Ämter: Schulungen für alle"),
        ("B", "problem", None, "Anerkennung ausländischer Abschlüsse dauert zu lange"),
        ("C", "works_well", 0, "Der Integrationsbeirat ist gut vernetzt"),
        ("C", "idea", 1, SCRIPT),
        ("A", "idea", 1, HIDDEN),
    ] + [("B", "idea", 0, f) for f in FORMULAS]
    made = []
    for i, (table, kind, question, text) in enumerate(texts):
        c, _ = store.add_contribution(eid, table, kind, text, question,
                                      participant_id=people[i % len(people)],
                                      client_id=f"client-{eid}-{i:04d}", round=1 + i % 2)
        made.append(c)
    host, _ = store.add_contribution(eid, "C", "need", "Vom Tischgastgeber getippt", 0,
                                     entered_by="host")
    made.append(host)
    duplicate, _ = store.add_contribution(eid, "C", "idea", DUPLICATE, 1,
                                          participant_id=people[3], client_id=f"client-{eid}-dup")
    made.append(duplicate)
    store.merge_contributions(eid, made[2]["id"], [duplicate["id"]])
    store.set_hidden(eid, made[6]["id"], True)
    store.edit_contribution(eid, made[0]["id"], "Mehr Sprachkurse für Mütter, mit Kinderbetreuung")
    rnd = store.create_voting_round(
        eid, "Welche Ideen zuerst?", budget=3, cap=2,
        contribution_ids=[made[1]["id"], made[2]["id"], made[5]["id"]],
        statements=["Eine Integrationslotsin im Rathaus"],
    )
    store.open_voting_round(eid, rnd["id"])
    cands = [c["id"] for c in rnd["candidates"]]
    plan = {0: [0, 0, 1], 1: [1, 3], 2: [0, 3, 3], 3: [1], 4: [0, 2]}
    n = 0
    for person, picks in plan.items():
        for cand in picks:
            store.place_dot(eid, rnd["id"], cands[cand], people[person], f"dot-{eid}-{n:04d}")
            n += 1
    store.remove_dot(eid, rnd["id"], cands[2], people[4], f"dot-{eid}-{n:04d}")  # taken back
    store.close_voting_round(eid, rnd["id"])
    codes = store.generate_tickets(eid, 2)
    store.redeem_ticket(eid, people[5], codes[0])
    store.mark_key_point(eid, made[2]["id"], True)
    store.plan_rounds(eid, rounds=2, minutes=20, lock_between=False, sound=False)
    store.make_rotation(eid, seed=7)
    store.set_phase(eid, "thematic_groups")
    store.add_impulse(eid, "Impuls: Wohnen für alle", participant_id=people[1],
                      client_id=f"impulse-{eid}-1")
    store.set_group_capacity(eid, "B", 10)
    store.choose_group(eid, people[2], "B")
    survey = store.create_survey(eid, SURVEY)
    store.set_survey_status(eid, survey["id"], "open")
    store.add_survey_response(eid, survey["id"], [1, [0, 2], 4, "=Mehr Kurse; abends", 2],
                              participant_id=people[0], client_id=f"survey-{eid}-1", language="de")
    store.add_survey_response(eid, survey["id"], [None, None, 2, "دورات اللغة", 5],
                              participant_id=people[1], language="ar")
    store.add_survey_response(eid, survey["id"], [0, None, None, None, 0], source="paper",
                              sheet="17")
    store.update_event(eid, {"status": "running"})
    return {"event": store.get_event(eid), "tokens": tokens, "round": rnd,
            "contributions": made, "tickets": codes}


SURVEY = {
    "title": {"de": "Umfrage: Leben hier", "ar": "استبيان"},
    "questions": [
        {"kind": "single", "text": "Wie kamen Sie her?", "options": ["Bus", "Rad", "Auto"]},
        {"kind": "multiple", "text": "Was brauchen Sie?", "options": ["Kita", "Kurs", "Wohnung"]},
        {"kind": "scale", "text": "Wie wohl fühlen Sie sich?"},
        {"kind": "text", "text": "Was fehlt?"},
        {"kind": "demographic", "field": "stay"},
    ],
}

# After fill_event: dots per candidate (positions 0..3) and in total.
EXPECTED_DOTS = {0: 4, 1: 3, 2: 0, 3: 3}


def as_before(doc: dict, migration: str, dropped: dict[str, tuple[str, ...]]) -> dict:
    """An event.json (parsed) as the version before `migration` wrote it: that migration
    not applied, and the columns it added ({table: (column, …)}) not there."""
    doc["database"]["migrations"].remove(migration)
    for name, columns in dropped.items():
        table = doc["database"]["tables"][name]
        for column in columns:
            at = table["columns"].index(column)
            table["columns"].pop(at)
            for row in table["rows"]:
                row.pop(at)
    return doc
