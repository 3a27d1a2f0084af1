"""The rotation plan: a pure, seeded function, measured against random assignment."""

import random
from itertools import product

from hypothesis import example, given, settings
from hypothesis import strategies as st

from facilitation.rotation import measure, plan_rotation, random_plan
from facilitation.rotation_changes import seat_latecomer

GROUPS = ["Ehrenamt", "Hauptamt", "Verwaltung", "Migrant*innen-Organisation", None]


def people_of(n, seed=1, groups=GROUPS):
    rng = random.Random(seed)
    return [(1000 + i, rng.choice(groups)) for i in range(n)]


@st.composite
def events(draw):
    n_tables = draw(st.integers(1, 9))
    n_rounds = draw(st.integers(1, 6))
    n = draw(st.integers(1, 70))
    groups = draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=5, unique=True))
    people = [(i * 7 + 3, draw(st.sampled_from(groups))) for i in range(n)]
    return people, n_tables, n_rounds, draw(st.integers(0, 2**31))


@settings(max_examples=60, deadline=None)
@given(events())
def test_every_plan_is_complete_balanced_and_repeats_no_table_when_it_can(case):
    people, n_tables, n_rounds, seed = case
    plan = plan_rotation(people, n_tables, n_rounds, seed, sweeps=10)
    assert set(plan) == {p for p, _ in people}
    assert all(len(seq) == n_rounds and all(0 <= t < n_tables for t in seq) for seq in plan.values())
    figures = measure(plan, people, n_tables)
    assert figures["size_spread"] <= 1  # every table's group the same size (±1)
    if n_tables >= n_rounds:
        assert figures["repeat_visits"] == 0
    else:
        # The fewest possible: everyone visits each table ⌊R/T⌋ or ⌈R/T⌉ times.
        for seq in plan.values():
            counts = [seq.count(t) for t in range(n_tables)]
            assert max(counts) - min(counts) <= 1
    # Never worse than random on repeat visits, whatever random drew.
    baseline = measure(random_plan(people, n_tables, n_rounds, seed), people, n_tables)
    assert figures["repeat_visits"] <= baseline["repeat_visits"]


@settings(max_examples=20, deadline=None)
@given(events())
def test_the_same_seed_gives_the_same_plan(case):
    people, n_tables, n_rounds, seed = case
    assert plan_rotation(people, n_tables, n_rounds, seed, sweeps=5) == plan_rotation(
        list(people), n_tables, n_rounds, seed, sweeps=5)


def test_beats_random_on_repeat_visits_and_group_balance_across_seeds():
    """40 people, 5 tables, 4 rounds (an Ilm-Kreis World Café): over 10 seeds the plan
    never repeats a table, random does; and each table mixes the groups far better."""
    people = people_of(40)
    for seed in range(10):
        plan = measure(plan_rotation(people, 5, 4, seed), people, 5)
        rand = measure(random_plan(people, 5, 4, seed), people, 5)
        assert plan["repeat_visits"] == 0 < rand["repeat_visits"]
        assert plan["imbalance"] < rand["imbalance"]


def test_people_meet_more_different_people_than_at_random_in_a_small_cafe():
    """Where the numbers allow it (30 people, 6 tables, 3 rounds) the plan nearly avoids
    meeting anyone twice; random assignment does not."""
    people = people_of(30)
    plan_pairs = [measure(plan_rotation(people, 6, 3, s), people, 6)["repeat_pairings"]
                  for s in range(8)]
    rand_pairs = [measure(random_plan(people, 6, 3, s), people, 6)["repeat_pairings"]
                  for s in range(8)]
    assert sum(plan_pairs) < sum(rand_pairs) / 2


def test_with_more_rounds_than_tables_repeats_are_spread_evenly():
    people = people_of(24)
    plan = plan_rotation(people, 3, 5, seed=4)
    for seq in plan.values():
        assert sorted(seq.count(t) for t in range(3)) == [1, 2, 2]


def test_a_lone_table_or_a_lone_person_is_fine():
    assert plan_rotation([(1, None)], 4, 3, seed=1)[1] == plan_rotation([(1, None)], 4, 3, 1)[1]
    assert plan_rotation(people_of(5), 1, 3, seed=1) == {p: [0, 0, 0] for p, _ in people_of(5)}


def _latecomer_cost(choice, seats, group, tables):
    """What seat_latecomer promises to minimise, in its order: repeat visits (Σ C(visits, 2)),
    the excess over each round's least full table, people of the same group alongside."""
    size = {(r, t): sum(1 for r2, t2, _ in seats if (r2, t2) == (r, t)) for r in range(1, 9) for t in tables}
    repeats = sum(choice.count(t) * (choice.count(t) - 1) // 2 for t in set(choice))
    excess = sum(size[(r, t)] - min(size[(r, u)] for u in tables) for r, t in enumerate(choice, 1))
    alongside = sum(1 for r, t in enumerate(choice, 1) for r2, t2, g in seats
                    if (r2, t2, g) == (r, t, group))
    return repeats, excess, alongside


@settings(max_examples=80, deadline=None)
@example(n_tables=3, n_rounds=2, n=0, seed=0, late_groups=["Ehrenamt"] * 3)  # empty tables count
@given(st.integers(1, 5), st.integers(1, 4), st.integers(0, 14), st.integers(0, 2**31),
       st.lists(st.sampled_from(GROUPS), min_size=1, max_size=4))
def test_a_latecomers_tables_are_the_best_there_are(n_tables, n_rounds, n, seed, late_groups):
    """Checked against every possible choice (brute force), for latecomer after latecomer."""
    people = people_of(n, seed) if n else []
    plan = plan_rotation(people, n_tables, n_rounds, seed, sweeps=5) if people else {}
    before = {pid: list(seq) for pid, seq in plan.items()}
    everyone = list(people)
    tables = list(range(n_tables))
    for k, group in enumerate(late_groups):
        seats = [(r + 1, plan[pid][r], g) for pid, g in everyone for r in range(n_rounds)]
        chosen = seat_latecomer(seats, tables, n_rounds, group)
        best = min(_latecomer_cost(list(c), seats, group, tables)
                   for c in product(tables, repeat=n_rounds))
        assert _latecomer_cost(chosen, seats, group, tables) == best
        if n_tables >= n_rounds:
            assert len(set(chosen)) == n_rounds  # a new Handlungsfeld every round
        plan[-1 - k] = chosen
        everyone.append((-1 - k, group))
    assert all(plan[pid] == seq for pid, seq in before.items())  # nobody else moved


def test_latecomers_to_a_real_plan_keep_its_tables_within_one_person():
    people = people_of(500, seed=3)
    plan = plan_rotation(people, 8, 4, seed=3)
    everyone = list(people)
    for k in range(40):
        group = GROUPS[k % len(GROUPS)]
        seats = [(r + 1, plan[pid][r], g) for pid, g in everyone for r in range(4)]
        plan[-1 - k] = seat_latecomer(seats, list(range(8)), 4, group)
        everyone.append((-1 - k, group))
    figures = measure(plan, everyone, 8)
    assert figures["size_spread"] <= 1 and figures["repeat_visits"] == 0


def test_a_latecomer_goes_where_there_is_room_and_few_of_their_group():
    # Round 1: table "A" has 2 people, "B" 1 (a Hauptamt), "C" 1 (an Ehrenamt).
    seats = [(1, "A", "Ehrenamt"), (1, "A", "Hauptamt"), (1, "B", "Hauptamt"), (1, "C", "Ehrenamt"),
             (2, "A", "Hauptamt"), (2, "B", "Ehrenamt"), (2, "B", "Hauptamt"), (2, "C", "Ehrenamt")]
    assert seat_latecomer(seats, ["A", "B", "C"], 2, "Ehrenamt") == ["B", "A"]
    assert seat_latecomer(seats, ["A", "B", "C"], 2, "Hauptamt") == ["C", "A"]
