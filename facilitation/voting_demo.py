"""The demo's closed voting round: seeded dots from every target group.

So the console, the projector's bars and the exports can be previewed with results
before any real event. Each target group leans towards different items, as the
Ilm-Kreis saw when it compared volunteers, staff and migrants.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type hints only: no import of the store at run time
    from .store import Store

LEITBILD = [
    "Vielfalt ist eine Stärke unserer Stadt.",
    "Alle Menschen sollen gleichberechtigt teilhaben können.",
    "Integration ist eine Aufgabe für alle: Verwaltung, Vereine und Nachbarschaft.",
]

# The kinds of sample card offered as candidates: ideas and needs, the stuff of measures.
CANDIDATE_KINDS = ("idea", "need")


def seed_votes(candidate_ids: list[int], groups: dict[int, str | None], budget: int, cap: int,
               seed: int = 2017) -> list[tuple[int, int, int]]:
    """The demo's votes as (participant, candidate, delta), pure and seeded.

    Every participant spends most of the budget, leaning towards the items their group
    prefers; some take a dot back and place it elsewhere, as people do.
    """
    rng = random.Random(seed)
    names = sorted({g for g in groups.values() if g})
    taste = {g: rng.sample(candidate_ids, k=min(4, len(candidate_ids))) for g in names}
    out = []
    for person, group in sorted(groups.items(), key=lambda kv: kv[0]):
        mine: dict[int, int] = {}
        favourites = taste.get(group, [])
        for _ in range(rng.randint(budget - 2, budget)):
            pool = favourites * 3 + candidate_ids
            choice = next((c for c in rng.sample(pool, len(pool)) if mine.get(c, 0) < cap), None)
            if choice is None:
                break
            mine[choice] = mine.get(choice, 0) + 1
            out.append((person, choice, 1))
        if mine and rng.random() < 0.25:  # changed their mind about one dot
            took = rng.choice(sorted(mine))
            out.append((person, took, -1))
            mine[took] -= 1
    return out


def create_demo_vote(store: Store, event_id: str, participants: dict[int, int]) -> dict:
    """Add the closed voting round "Leitbild" to the demo event; participants maps the
    demo's person number to its participant id. Returns the round."""
    picked = [c["id"] for c in store.contributions(event_id) if c["kind"] in CANDIDATE_KINDS]
    rnd = store.create_voting_round(
        event_id, "Leitbild: Was ist uns am wichtigsten?", budget=5, cap=3,
        contribution_ids=picked[:12], statements=LEITBILD, actor="demo",
    )
    store.open_voting_round(event_id, rnd["id"], actor="demo")
    groups = {pid: store.participant_by_id(pid)["target_group"] for pid in participants.values()}
    ids = [c["id"] for c in rnd["candidates"]]
    for n, (pid, cid, delta) in enumerate(seed_votes(ids, groups, rnd["budget"], rnd["cap"])):
        verb = store.place_dot if delta > 0 else store.remove_dot
        verb(event_id, rnd["id"], cid, pid, f"demo-vote-{n:05d}")
    return store.close_voting_round(event_id, rnd["id"], actor="demo")
