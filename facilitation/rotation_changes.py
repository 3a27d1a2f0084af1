"""Changes to a rotation plan after it was made (rotation.py makes it): a latecomer seated
where there is room, and a plan computed mid-event that keeps the rounds already held as
people actually sat. Pure, like rotation.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .rotation import plan_rotation


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
