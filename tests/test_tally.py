"""The arithmetic of dot voting, property-tested with hypothesis, and the store under it."""

from __future__ import annotations

from collections import Counter, defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitation import tally
from facilitation.errors import AppError
from tests.helpers import make_event

GROUPS = [None, "Ehrenamt", "Hauptamt", "Verwaltung"]

# A ledger row as the store returns it (only the fields the arithmetic reads).
rows_strategy = st.lists(
    st.fixed_dictionaries({
        "candidate_id": st.integers(1, 6),
        "participant_id": st.integers(1, 8),
        "delta": st.sampled_from([1, -1]),
        "target_group": st.sampled_from(GROUPS),
    }),
    max_size=80,
)


@given(rows_strategy)
def test_tally_is_placed_minus_removed(rows):
    counts = tally.tally(rows)
    for cid in range(1, 7):
        placed = sum(1 for r in rows if r["candidate_id"] == cid and r["delta"] == 1)
        removed = sum(1 for r in rows if r["candidate_id"] == cid and r["delta"] == -1)
        assert counts.get(cid, 0) == placed - removed


@given(rows_strategy)
def test_groups_add_up_to_the_tally(rows):
    by_group = tally.tally_by_group(rows)
    counts = tally.tally(rows)
    assert {c: sum(g.values()) for c, g in by_group.items() if sum(g.values())} == counts


@given(st.dictionaries(st.integers(1, 30), st.integers(0, 12)), st.permutations(range(1, 31)))
def test_ranking_is_ordered_with_explicit_ties(counts, order):
    ranked = tally.ranking(counts, list(order))
    assert sorted(r["candidate_id"] for r in ranked) == list(range(1, 31))
    dots = [r["dots"] for r in ranked]
    assert dots == sorted(dots, reverse=True)
    how_many = Counter(dots)
    for i, r in enumerate(ranked):
        assert r["rank"] == 1 + sum(1 for d in dots if d > r["dots"])
        assert r["tied"] == (how_many[r["dots"]] > 1)
        if i and ranked[i - 1]["dots"] == r["dots"]:
            # among equals, the candidates' own order decides: never dict order
            assert order.index(ranked[i - 1]["candidate_id"]) < order.index(r["candidate_id"])
    assert tally.ranking(counts, list(order)) == ranked  # deterministic


def test_ranking_example_with_ties():
    ranked = tally.ranking({1: 4, 2: 7, 3: 4, 4: 1}, [1, 2, 3, 4, 5])
    assert [(r["candidate_id"], r["rank"], r["tied"]) for r in ranked] == [
        (2, 1, False), (1, 2, True), (3, 2, True), (4, 4, False), (5, 5, False)]


# A sequence of attempts: (participant, candidate, place or remove).
attempts_strategy = st.lists(
    st.tuples(st.integers(1, 5), st.integers(1, 4), st.booleans()), max_size=120)


@given(attempts_strategy, st.integers(1, 6), st.integers(1, 4))
def test_checks_never_let_a_participant_over_budget_or_cap(attempts, budget, cap):
    ledger = []
    for participant, candidate, place in attempts:
        mine = tally.dots_of(ledger, participant)
        try:
            if place:
                tally.check_place(mine, candidate, budget, cap)
            else:
                tally.check_remove(mine, candidate)
        except AppError as exc:
            assert exc.code in ("budget_exhausted", "cap_reached", "no_dot_to_remove")
            continue
        ledger.append({"candidate_id": candidate, "participant_id": participant,
                       "delta": 1 if place else -1})
    for participant in range(1, 6):
        mine = tally.dots_of(ledger, participant)
        assert sum(mine.values()) <= budget
        assert all(0 < n <= cap for n in mine.values())
    assert all(n >= 0 for n in tally.tally(ledger).values())


def test_budget_state_and_voters():
    rows = [{"candidate_id": 1, "participant_id": 1, "delta": 1},
            {"candidate_id": 2, "participant_id": 2, "delta": 1},
            {"candidate_id": 2, "participant_id": 2, "delta": -1}]
    assert tally.voters(rows) == 1  # participant 2 took their only dot back
    assert tally.budget_state({1: 2, 3: 1}, 5) == {
        "dots": {"1": 2, "3": 1}, "used": 3, "left": 2, "budget": 5}


# -- the store: the same invariants through the real transaction ---------------------

def fresh_round(store):
    """A new event with an open round (budget 4, cap 2, 4 candidates) and 4 participants."""
    event = make_event(store, tables=2)
    contributions = [store.add_contribution(event["id"], "A", "idea", f"Idee {i}")[0]
                     for i in range(3)]
    rnd = store.create_voting_round(
        event["id"], "Leitbild", budget=4, cap=2,
        contribution_ids=[c["id"] for c in contributions], statements=["Vielfalt ist Stärke"])
    store.open_voting_round(event["id"], rnd["id"])
    participants = [store.participant(event["id"], f"device-{i}-".ljust(43, "x"))["id"]
                    for i in range(4)]
    for pid, group in zip(participants, ["Ehrenamt", "Hauptamt", None, "Ehrenamt"], strict=True):
        store.set_target_group(event["id"], pid, group)
    return event["id"], rnd, participants


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.booleans()), max_size=60))
def test_store_keeps_budget_cap_and_ledger_consistent(store, ops):
    eid, rnd, participants = fresh_round(store)
    accepted = defaultdict(int)  # our own recount of the accepted acknowledgements
    for n, (who, which, place) in enumerate(ops):
        pid, cid = participants[who], rnd["candidates"][which]["id"]
        verb = store.place_dot if place else store.remove_dot
        client_id = f"op-{n:04d}"
        try:
            state, created = verb(eid, rnd["id"], cid, pid, client_id)
        except AppError as exc:
            assert exc.code in ("budget_exhausted", "cap_reached", "no_dot_to_remove")
            continue
        assert created
        accepted[cid] += 1 if place else -1
        assert state["used"] <= rnd["budget"]
        # a replay of the same message changes nothing
        again, created = verb(eid, rnd["id"], cid, pid, client_id)
        assert not created and again == state
    ledger = store.dot_ledger(eid, rnd["id"])
    assert tally.tally(ledger) == {c: n for c, n in accepted.items() if n}
    for pid in participants:
        mine = tally.dots_of(ledger, pid)
        assert sum(mine.values()) <= rnd["budget"]
        assert all(n <= rnd["cap"] for n in mine.values())
    by_group = tally.tally_by_group(ledger)
    assert all(n > 0 for per in by_group.values() for n in per.values())


# One step of a voting round: a participant's dot (+1/-1), or a participant's new answer
# to the join question (the console's groups move with them).
step_strategy = st.one_of(
    st.tuples(st.just("dot"), st.integers(1, 8), st.integers(1, 6), st.sampled_from([1, -1])),
    st.tuples(st.just("group"), st.integers(1, 8), st.sampled_from(GROUPS)),
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.lists(step_strategy, max_size=12), max_size=10))
def test_running_tally_equals_summing_the_whole_ledger(batches):
    """The tally feed adds only new rows between two frames and moves a participant's dots
    when their group changes; every frame must equal summing the whole ledger again with
    everyone's current group (what a console would compute after a reload)."""
    running, ledger, group_of = tally.RunningTally(), [], {}
    for batch in batches:  # one batch: what arrives between two projector frames
        new, regrouped = [], False
        for step in batch:
            if step[0] == "group":
                group_of[step[1]] = step[2]
                regrouped = True
            else:
                _, pid, cid, delta = step
                new.append({"id": len(ledger) + len(new) + 1, "participant_id": pid,
                            "candidate_id": cid, "delta": delta})
        ledger += new
        if regrouped:
            running.regroup(group_of)
        running.add(new, group_of)
        full = tally.summarize([{**r, "target_group": group_of.get(r["participant_id"])}
                                for r in ledger])
        assert running.summary() == full
        assert running.rows == len(ledger)
