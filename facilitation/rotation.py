"""The rotation plan of a World Café: who sits at which table in which round.

Pure and seeded: the same participants, tables, rounds and seed give the same plan.

Goals, in order: nobody visits a table twice (guaranteed when tables ≥ rounds, and the
fewest possible repeats otherwise); every table's group is the same size (±1); people
meet as many different people as possible (few repeat pairings); every table mixes the
target groups like the whole room does.

How: a start that satisfies the hard goals by construction, then a seeded local
search that only swaps two people within one round (table sizes stay equal) and only
when the swap adds no repeat visit and lowers the cost (pairings + group imbalance).

Start: people, ordered by target group, are dealt in blocks of T (the number of
tables); each block follows the rows of its own random Latin square (T rows, one
column per round, taken cyclically when rounds > T). In every round a block's members
sit at T different tables, so tables stay balanced (±1, only the last block can be
short), nobody repeats a table within the first T rounds, and a block of one target
group spreads that group evenly over the tables. Different blocks use independent
squares, so people meet about as randomly as in a random assignment.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence

# Weight of a unit of group imbalance against one repeated meeting in the cost.
BALANCE_WEIGHT = 2.0
DEFAULT_SWEEPS = 100  # swap proposals per person (0.6 s for 500 people, 8 tables, 4 rounds)
# The search is bounded whatever the number of participants (made-up devices included):
# counting who meets whom costs people × rounds × table size steps and a swap proposal
# about one step per person at the two tables; together they stay within WORK_BUDGET
# steps (no search when the counting alone would take half of it). Tables of more than
# MAX_SEARCH_GROUP people (a large Akteurskonferenz in a few big groups) are not
# searched at all: everyone meets dozens of people anyway, and the construction
# already keeps every hard goal. So a plan costs
# O(people × rounds) plus a constant: 2,000 people in ≤ 2 s (bench/rotation_bench.py).
WORK_BUDGET = 3_000_000
MAX_SEARCH_GROUP = 100
DENSE_LIMIT = 1200


def initial_plan(
    people: Sequence[tuple[int, str | None]], n_tables: int, n_rounds: int, seed: int
) -> dict[int, list[int]]:
    """The construction described in the module docstring: person id → table index per round."""
    rng = random.Random(seed)
    order = list(people)
    rng.shuffle(order)
    order.sort(key=lambda p: "" if p[1] is None else str(p[1]))  # stable: shuffled within a group
    plan = {}
    for start in range(0, len(order), n_tables):
        # A fresh random Latin square per block: L[i][j] = sigma[(pi[i] + rho[j]) mod T].
        pi, rho, sigma = (rng.sample(range(n_tables), n_tables) for _ in range(3))
        for i, (pid, _group) in enumerate(order[start:start + n_tables]):
            plan[pid] = [sigma[(pi[i] + rho[r % n_tables]) % n_tables] for r in range(n_rounds)]
    return plan


def plan_rotation(
    people: Sequence[tuple[int, str | None]],
    n_tables: int,
    n_rounds: int,
    seed: int = 0,
    sweeps: int = DEFAULT_SWEEPS,
) -> dict[int, list[int]]:
    """Person id → table index (0 … n_tables-1) for each round, as described above.

    `people` are (id, target group or None) pairs with distinct ids.
    """
    if n_tables < 1 or n_rounds < 1:
        raise ValueError("at least one table and one round")
    ids = [p[0] for p in people]
    if len(set(ids)) != len(ids):
        raise ValueError("person ids must be distinct")
    plan = initial_plan(people, n_tables, n_rounds, seed)
    group = -(-len(people) // n_tables)
    setup = len(people) * n_rounds * group  # steps to count who meets whom at the start
    if len(people) > 1 and n_tables > 1 and group <= MAX_SEARCH_GROUP and setup <= WORK_BUDGET // 2:
        proposals = min(sweeps * len(people), (WORK_BUDGET - setup) // (2 * group))
        _improve(plan, dict(people), n_tables, n_rounds, random.Random(seed + 1), proposals)
    return plan


def random_plan(
    people: Sequence[tuple[int, str | None]], n_tables: int, n_rounds: int, seed: int = 0
) -> dict[int, list[int]]:
    """The baseline: each round, people dealt to equal-sized tables at random."""
    rng = random.Random(seed)
    plan: dict[int, list[int]] = {p[0]: [] for p in people}
    for _ in range(n_rounds):
        ids = [p[0] for p in people]
        rng.shuffle(ids)
        for k, pid in enumerate(ids):
            plan[pid].append(k % n_tables)
    return plan


def seat_latecomer(
    seats: Sequence[tuple[int, object, str | None]],
    tables: Sequence[object],
    n_rounds: int,
    group: str | None,
) -> list:
    """The tables, round by round, for someone who arrives after the plan was made.

    `seats` are (round 1…, table, target group) of everyone already seated; `tables` the
    event's tables in order. Everyone else keeps their seat. The newcomer's tables are
    the best choice over all rounds at once, in this order: repeat visits as few and as
    evenly spread as possible (none when tables ≥ rounds); then the least excess, summed
    over the rounds, over each round's least full table (so the tables stay within one
    person of each other whenever the plan allows it); then as few people of their own
    target group beside them as possible. An assignment problem, solved exactly.
    """
    size: Counter = Counter()
    same_group: Counter = Counter()
    for rnd, table, their_group in seats:
        size[(rnd, table)] += 1
        if their_group == group:
            same_group[(rnd, table)] += 1
    copies = -(-n_rounds // len(tables))  # each table offered this often (repeats when needed)
    bound = n_rounds * (len(seats) + 1) + 1  # more than any sum of the lower-ranked costs
    cost = []
    for rnd in range(1, n_rounds + 1):
        least = min(size[(rnd, t)] for t in tables)
        cost.append([(k * bound + size[(rnd, t)] - least) * bound + same_group[(rnd, t)]
                     for k in range(copies) for t in tables])
    return [tables[column % len(tables)] for column in _assignment(cost)]


def plan_after_held(
    people: Sequence[tuple[int, str | None]],
    n_tables: int,
    n_rounds: int,
    held: dict[int, list[int | None]],
    seed: int = 0,
) -> dict[int, list[int | None]]:
    """A plan computed mid-event: the rounds already held stay as they were.

    `held` maps a person to the table index they actually sat at in each round already
    held (None where unknown); every person's list has the same length H. Rounds H+1 …
    n_rounds are planned as usual (equal tables, many different contacts, mixed target
    groups); then, round by round, the planned groups are given to tables so that as few
    people as possible come back to a table they have visited (an assignment problem).
    """
    n_held = len(next(iter(held.values()), []))
    out = {pid: list(held.get(pid, [None] * n_held)) for pid, _g in people}
    remaining = n_rounds - n_held
    if remaining < 1:
        return out
    plan = plan_rotation(people, n_tables, remaining, seed)
    for r in range(remaining):
        groups: dict[int, list[int]] = {k: [] for k in range(n_tables)}
        for pid, _g in people:
            groups[plan[pid][r]].append(pid)
        cost = [[sum(out[pid].count(t) for pid in groups[k]) for t in range(n_tables)]
                for k in range(n_tables)]
        table_of = _assignment(cost)
        for k, members in groups.items():
            for pid in members:
                out[pid].append(table_of[k])
    _repair_repeats(out, n_held, n_tables)
    return out


def _repair_repeats(plan: dict[int, list[int | None]], start: int, n_tables: int) -> None:
    """Swap two people's seats within one planned round while that lowers the number of
    return visits of both (sizes stay equal); rounds before `start` are never touched."""
    def repeats(seats, r, t):
        return sum(1 for i, x in enumerate(seats) if i != r and x == t)

    ids = list(plan)
    changed = True
    while changed:
        changed = False
        for r in range(start, len(plan[ids[0]]) if ids else 0):
            for p in ids:
                tp = plan[p][r]
                if not repeats(plan[p], r, tp):
                    continue
                for q in ids:
                    tq = plan[q][r]
                    if tq == tp:
                        continue
                    before = repeats(plan[p], r, tp) + repeats(plan[q], r, tq)
                    after = repeats(plan[p], r, tq) + repeats(plan[q], r, tp)
                    if after < before:
                        plan[p][r], plan[q][r] = tq, tp
                        changed = True
                        break


def _assignment(cost: list[list[int]]) -> list[int]:
    """The column for each row that makes the total cost least, each column used once
    (rows ≤ columns). The Hungarian method with potentials, O(rows² · columns)."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u, v = [0] * (n + 1), [0] * (m + 1)
    owner, way = [0] * (m + 1), [0] * (m + 1)  # owner[j]: the row holding column j (1-based)
    for row in range(1, n + 1):
        owner[0], col = row, 0
        least, used = [inf] * (m + 1), [False] * (m + 1)
        while owner[col]:
            used[col] = True
            i, delta, nxt = owner[col], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    reduced = cost[i - 1][j - 1] - u[i] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, col
                    if least[j] < delta:
                        delta, nxt = least[j], j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            col = nxt
        while col:
            owner[col] = owner[way[col]]
            col = way[col]
    result = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            result[owner[j] - 1] = j - 1
    return result


class _Row(dict):
    """A sparse row of the meetings matrix: a missing entry reads 0 and is not stored."""

    def __missing__(self, key):
        return 0


class _Seating:
    """The plan as seats per round plus running counts, so a swap's effect costs O(table)."""

    def __init__(self, plan, groups, n_tables, n_rounds):
        self.plan = plan
        self.ids = list(plan)
        n = len(self.ids)
        index = {pid: i for i, pid in enumerate(self.ids)}
        self.where = [list(plan[pid]) for pid in self.ids]
        self.seats = [[[] for _ in range(n_tables)] for _ in range(n_rounds)]
        for i, seq in enumerate(self.where):
            for r, t in enumerate(seq):
                self.seats[r][t].append(i)
        # met[i][j]: rounds in which i and j share a table. A full matrix up to
        # DENSE_LIMIT people (fastest); beyond, sparse rows that store only people who
        # meet, so memory grows with people × rounds × table size, not people².
        self.met = [[0] * n for _ in range(n)] if n <= DENSE_LIMIT else [_Row() for _ in range(n)]
        for tables in self.seats:
            for members in tables:
                for x in members:
                    row = self.met[x]
                    for y in members:
                        if x != y:
                            row[y] += 1
        names = sorted({str(groups[pid]) for pid in self.ids})
        gid = {g: k for k, g in enumerate(names)}
        self.group = [gid[str(groups[pid])] for pid in self.ids]
        share = Counter(self.group)
        self.share = [share[k] / n for k in range(len(names))]
        self.counts = [[[0] * len(names) for _ in range(n_tables)] for _ in range(n_rounds)]
        for r, tables in enumerate(self.seats):
            for t, members in enumerate(tables):
                for x in members:
                    self.counts[r][t][self.group[x]] += 1
        self.visits = [Counter(seq) for seq in self.where]
        del index

    def delta(self, r: int, x: int, y: int) -> float:
        """Change of cost if x and y (at different tables in round r) swapped seats."""
        tx, ty = self.where[x][r], self.where[y][r]
        here, there = self.seats[r][tx], self.seats[r][ty]
        mx, my = self.met[x], self.met[y]
        # Cost counts every pair's meetings as m(m-1)/2: one more meeting adds m.
        d = 0.0
        for k in here:
            if k != x:
                d += my[k] - (mx[k] - 1)
        for k in there:
            if k != y:
                d += mx[k] - (my[k] - 1)
        gx, gy = self.group[x], self.group[y]
        if gx != gy:
            # Squared deviation from the room's share; four distinct cells change.
            counts = self.counts[r]
            for t, g, step, size in ((tx, gx, -1, len(here)), (tx, gy, 1, len(here)),
                                     (ty, gy, -1, len(there)), (ty, gx, 1, len(there))):
                expected = size * self.share[g]
                c = counts[t][g]
                d += BALANCE_WEIGHT * ((c + step - expected) ** 2 - (c - expected) ** 2)
        return d

    def swap(self, r: int, x: int, y: int) -> None:
        """Swap the seats of x and y in round r (a second call undoes it)."""
        tx, ty = self.where[x][r], self.where[y][r]
        here, there = self.seats[r][tx], self.seats[r][ty]
        met = self.met
        for k in here:
            if k != x:
                met[x][k] -= 1
                met[k][x] -= 1
                met[y][k] += 1
                met[k][y] += 1
        for k in there:
            if k != y:
                met[y][k] -= 1
                met[k][y] -= 1
                met[x][k] += 1
                met[k][x] += 1
        gx, gy = self.group[x], self.group[y]
        counts = self.counts[r]
        counts[tx][gx] -= 1
        counts[tx][gy] += 1
        counts[ty][gy] -= 1
        counts[ty][gx] += 1
        here[here.index(x)] = y
        there[there.index(y)] = x
        self.where[x][r], self.where[y][r] = ty, tx
        self.visits[x][tx] -= 1
        self.visits[x][ty] += 1
        self.visits[y][ty] -= 1
        self.visits[y][tx] += 1

    def write_back(self) -> None:
        """Copy the seats into the caller's plan."""
        for i, pid in enumerate(self.ids):
            self.plan[pid] = list(self.where[i])


def _repeats(counts) -> int:
    return sum(c * (c - 1) for c in counts)


def _improve(plan, groups, n_tables, n_rounds, rng, proposals) -> None:
    """Hill-climb by swapping two people's seats; edits `plan` in place.

    A swap in one round that would send someone back to a table they visit in another
    round is paired with the swap in that other round when it exactly undoes the repeat
    (x sat at y's table there and y at x's): with tables = rounds, every person visits
    every table, and only such paired swaps can move at all.
    """
    s = _Seating(plan, groups, n_tables, n_rounds)
    n = len(s.ids)
    for _ in range(proposals):
        r = rng.randrange(n_rounds)
        x = rng.randrange(n)
        tx = s.where[x][r]
        ty = rng.randrange(n_tables - 1)
        ty = ty + 1 if ty >= tx else ty
        if not s.seats[r][ty]:
            continue
        y = rng.choice(s.seats[r][ty])
        vx, vy = s.visits[x], s.visits[y]
        if vx[ty] == 0 and vy[tx] == 0:
            if s.delta(r, x, y) < 0:
                s.swap(r, x, y)
            continue
        partner = next((q for q in range(n_rounds) if q != r and s.where[x][q] == ty
                        and s.where[y][q] == tx), None)
        if partner is not None:
            first = s.delta(r, x, y)
            s.swap(r, x, y)
            if first + s.delta(partner, x, y) < 0:
                s.swap(partner, x, y)
            else:
                s.swap(r, x, y)
            continue
        # More rounds than tables: repeats are unavoidable; never add one.
        old = _repeats((vx[tx], vx[ty], vy[tx], vy[ty]))
        new = _repeats((vx[tx] - 1, vx[ty] + 1, vy[tx] + 1, vy[ty] - 1))
        if new <= old and s.delta(r, x, y) < 0:
            s.swap(r, x, y)
    s.write_back()


def measure(
    plan: dict[int, list[int]], people: Sequence[tuple[int, str | None]], n_tables: int
) -> dict:
    """The plan's quality figures (lower is better for all but `distinct_contacts`).

    - repeat_visits: times anyone sits at a table they already sat at;
    - repeat_pairings: meetings beyond the first, summed over all pairs;
    - distinct_contacts: mean number of different people each person meets;
    - imbalance: mean over tables and rounds of how many people would have to change
      table for the table's target-group mix to match the room's (half the L1 distance);
    - size_spread: largest minus smallest table size in any round.
    """
    groups = dict(people)
    n = len(plan)
    n_rounds = len(next(iter(plan.values()))) if plan else 0
    repeat_visits = sum(len(seq) - len(set(seq)) for seq in plan.values())
    pair_counts: Counter = Counter()
    imbalance, cells, spread = 0.0, 0, 0
    room = Counter(str(g) for g in groups.values())
    for r in range(n_rounds):
        tables = [[] for _ in range(n_tables)]
        for pid, seq in plan.items():
            tables[seq[r]].append(pid)
        sizes = [len(m) for m in tables]
        spread = max(spread, max(sizes) - min(sizes))
        for members in tables:
            members.sort()
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    pair_counts[(a, b)] += 1
            if members:
                mix = Counter(str(groups[p]) for p in members)
                imbalance += sum(
                    abs(mix[g] - len(members) * room[g] / n) for g in room
                ) / 2
                cells += 1
    contacts = Counter()
    for a, b in pair_counts:
        contacts[a] += 1
        contacts[b] += 1
    return {
        "repeat_visits": repeat_visits,
        "repeat_pairings": sum(c - 1 for c in pair_counts.values()),
        "distinct_contacts": sum(contacts.values()) / n if n else 0.0,
        "imbalance": imbalance / cells if cells else 0.0,
        "size_spread": spread,
    }
