"""Pure arithmetic of dot voting: tallies from the ledger, ranking, budget and cap.

The ledger is the list of accepted placements (+1) and removals (-1); every number
shown anywhere is computed from it here. Nothing in this module touches the database,
Flask or a clock: plain data in, plain data out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import AppError

DEFAULT_BUDGET = 5
DEFAULT_CAP = 3
MAX_CANDIDATES = 200


def tally(rows: Iterable[Mapping]) -> dict[int, int]:
    """Dots per candidate: placed minus removed (candidates without dots are absent)."""
    counts: dict[int, int] = defaultdict(int)
    for r in rows:
        counts[r["candidate_id"]] += r["delta"]
    return {c: n for c, n in counts.items() if n}


def tally_by_group(rows: Iterable[Mapping]) -> dict[int, dict[str | None, int]]:
    """Dots per candidate per target group (None: the participant gave no answer)."""
    counts: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        counts[r["candidate_id"]][r.get("target_group")] += r["delta"]
    return {
        c: {g: n for g, n in groups.items() if n}
        for c, groups in counts.items()
        if any(groups.values())
    }


def dots_of(rows: Iterable[Mapping], participant_id: int) -> dict[int, int]:
    """One participant's current dots per candidate."""
    return tally(r for r in rows if r["participant_id"] == participant_id)


def voters(rows: Iterable[Mapping]) -> int:
    """How many participants have at least one dot placed right now."""
    held: dict[int, int] = defaultdict(int)
    for r in rows:
        held[r["participant_id"]] += r["delta"]
    return sum(1 for n in held.values() if n > 0)


@dataclass(frozen=True)
class Summary:
    """What a tally message is made of: dots per candidate (non-zero only), per candidate
    per target group, how many participants hold a dot, the newest ledger row counted."""

    counts: dict[int, int]
    by_group: dict[int, dict[str | None, int]]
    voters: int
    seq: int


def summarize(rows: Sequence[Mapping]) -> Summary:
    """The summary of a whole ledger (each row with its participant's target group)."""
    return Summary(tally(rows), tally_by_group(rows), voters(rows),
                   max((r["id"] for r in rows), default=0))


class RunningTally:
    """A round's summary kept up to date row by row, so a tally does not re-add the ledger.

    Each new ledger row costs a few dictionary updates; a summary costs the number of
    candidates times target groups, however many dots the round holds (summing 10,000
    rows for every projector frame took 8 ms of CPU, twenty times a second). The dots of
    a participant are counted under their current target group, as `tally_by_group`
    does for a ledger read with current groups: `regroup` moves them when it changes.
    """

    def __init__(self) -> None:
        self.rows = 0  # ledger rows added
        self.seq = 0  # the newest row's id
        self.voters = 0
        self._held: dict[int, dict[int, int]] = {}  # participant → candidate → dots
        self._total: dict[int, int] = {}  # participant → dots held
        self._group: dict[int, str | None] = {}  # participant → group counted under
        self._counts: dict[int, int] = defaultdict(int)
        self._by_group: dict[int, dict[str | None, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, rows: Iterable[Mapping], group_of: Mapping[int, str | None]) -> None:
        """Count new ledger rows (ids ascending); group_of: each participant's group."""
        for r in rows:
            pid, cid, delta = r["participant_id"], r["candidate_id"], r["delta"]
            group = group_of.get(pid)
            held = self._held.get(pid)
            if held is None:
                held = self._held[pid] = defaultdict(int)
                self._total[pid] = 0
                self._group[pid] = group
            elif self._group[pid] != group:
                self._move(pid, group)
            held[cid] += delta
            self._counts[cid] += delta
            self._by_group[cid][group] += delta
            before = self._total[pid]
            self._total[pid] = before + delta
            self.voters += (before + delta > 0) - (before > 0)
            self.rows += 1
            self.seq = max(self.seq, r["id"])

    def regroup(self, group_of: Mapping[int, str | None]) -> None:
        """Participants' groups as they are now: move the dots of those who changed."""
        for pid, group in list(self._group.items()):
            if group_of.get(pid) != group:
                self._move(pid, group_of.get(pid))

    def _move(self, pid: int, group: str | None) -> None:
        old = self._group[pid]
        for cid, n in self._held[pid].items():
            self._by_group[cid][old] -= n
            self._by_group[cid][group] += n
        self._group[pid] = group

    def summary(self) -> Summary:
        """The summary now (the same as `summarize` of the rows added, with these groups)."""
        return Summary(
            {c: n for c, n in self._counts.items() if n},
            {c: {g: n for g, n in per.items() if n}
             for c, per in self._by_group.items() if any(per.values())},
            self.voters, self.seq)


def ranking(counts: Mapping[int, int], candidate_ids: Sequence[int]) -> list[dict]:
    """Candidates best first, with explicit ties.

    Order: more dots first, then the candidates' own order (their position), so the
    result never depends on dict order. `rank` is the competition rank ("1, 1, 3"):
    1 + the number of candidates with strictly more dots; `tied` says whether another
    candidate has the same number.
    """
    position = {cid: i for i, cid in enumerate(candidate_ids)}
    ordered = sorted(candidate_ids, key=lambda cid: (-counts.get(cid, 0), position[cid]))
    how_many: dict[int, int] = defaultdict(int)
    for cid in candidate_ids:
        how_many[counts.get(cid, 0)] += 1
    out, above = [], 0
    for i, cid in enumerate(ordered):
        n = counts.get(cid, 0)
        if i and n != counts.get(ordered[i - 1], 0):
            above = i
        out.append({"candidate_id": cid, "dots": n, "rank": above + 1, "tied": how_many[n] > 1})
    return out


def check_place(mine: Mapping[int, int], candidate_id: int, budget: int, cap: int) -> None:
    """Refuse a placement that would take the participant over budget or cap.

    `mine` is the participant's current dots per candidate in this voting round, read
    inside the same write transaction that will record the placement.
    """
    if sum(mine.values()) >= budget:
        raise AppError("budget_exhausted", budget=budget)
    if mine.get(candidate_id, 0) >= cap:
        raise AppError("cap_reached", cap=cap)


def check_remove(mine: Mapping[int, int], candidate_id: int) -> None:
    """Refuse a removal where the participant has no dot."""
    if mine.get(candidate_id, 0) <= 0:
        raise AppError("no_dot_to_remove")


def budget_state(mine: Mapping[int, int], budget: int) -> dict:
    """What a phone shows: its dots per candidate, how many used and left."""
    used = sum(mine.values())
    return {
        "dots": {str(c): n for c, n in sorted(mine.items()) if n},
        "used": used,
        "left": max(0, budget - used),
        "budget": budget,
    }
