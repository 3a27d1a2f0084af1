"""Store verbs for the dots of dot voting: the ledger, a device's dots, final counts.

Budget and cap are checked and the dot recorded in ONE ``BEGIN IMMEDIATE``
transaction, so no interleaving of requests (two tabs, two sockets, a replay) can take
a device over its budget or a candidate over its cap: the second writer waits for the
first to commit, then reads the state the first one left.
"""

from __future__ import annotations

import sqlite3

from .. import tally as arithmetic
from ..errors import AppError

_LEDGER_SQL = """
    SELECT d.id, d.round_id, d.candidate_id, d.participant_id, p.target_group, d.delta, d.at,
           d.entered_by
    FROM dots d JOIN participants p ON p.id = d.participant_id
"""



# What placing or removing a dot checks, read at once: the round's rules, the event's
# status, whether the candidate belongs to the round and is withdrawn (hidden).
_CHECK_SQL = """
    SELECT r.status, r.budget, r.cap, r.require_ticket, r.require_prior_device, r.opened_at,
           e.status AS event_status, vc.id AS candidate, coalesce(c.hidden, 0) AS hidden
    FROM voting_rounds r
    JOIN events e ON e.id = r.event_id
    LEFT JOIN voting_candidates vc ON vc.id = ? AND vc.round_id = r.id
    LEFT JOIN contributions c ON c.id = vc.contribution_id
    WHERE r.id = ? AND r.event_id = ?
"""


class DotsMixin:
    """Reads of the dot ledger, and the phones' two verbs: place a dot, remove one."""

    def dot_ledger(
        self, event_id: str, round_id: int | None = None, after_id: int = 0
    ) -> list[dict]:
        """Every placement (+1) and removal (-1) ever accepted, oldest first.

        The target group is the participant's current answer, so a participant who
        changes it moves all their dots with them and no group ever goes negative.
        after_id skips the rows up to that id (the tally feed reads only new ones).
        """
        sql, params = _LEDGER_SQL + " WHERE d.event_id = ? AND d.id > ?", [event_id, after_id]
        if round_id is not None:
            # Only new rows: walk the ids from after_id ("+" keeps SQLite from scanning
            # the whole round through its index and sorting it, 3 ms at 10,000 dots).
            sql += " AND +d.round_id = ?" if after_id else " AND d.round_id = ?"
            params.append(round_id)
        with self.read():
            return self.rows(sql + " ORDER BY d.id", params)

    def ledger_moves(self, event_id: str, round_id: int, after_id: int = 0) -> list:
        """A round's ledger rows after `after_id`, oldest first: id, participant_id,
        candidate_id and delta only, as rows that read like dicts (``sqlite3.Row``).

        For the tally feed, 20 times a second while dots come: its running tally takes
        each participant's group from the groups it holds, so the join with the
        participants and a dict per row (``dot_ledger``) were two thirds of reading the
        new rows (30 rows: 60 → 21 µs).
        """
        with self.read():
            cursor = self.db.conn.cursor()
            cursor.row_factory = sqlite3.Row
            # The ids are walked from after_id (the rowid), as in dot_ledger.
            return cursor.execute(
                "SELECT id, participant_id, candidate_id, delta FROM dots"
                " WHERE event_id = ? AND id > ? AND +round_id = ? ORDER BY id",
                [event_id, after_id, round_id]).fetchall()

    def dot_count(self, event_id: str, round_id: int) -> int:
        """How many ledger rows a voting round has."""
        with self.read():
            return self.row("SELECT count(*) AS n FROM dots WHERE event_id = ? AND round_id = ?",
                            [event_id, round_id])["n"]

    def final_counts(self, event_id: str, rnd: dict) -> dict[int, int]:
        """Dots per candidate of a closed voting round, hidden candidates included.

        A closed round's dots are frozen, so the sum is read once per process and kept
        (by round and closing time): phones that connect after the close get the result
        in their snapshot, and a hall reconnecting at once must not sum the ledger for
        each of them.
        """
        if rnd["status"] != "closed":
            raise ValueError("only a closed voting round has final counts")
        cache = self._final_counts
        key = (event_id, rnd["id"], rnd["closed_at"])
        if key not in cache:
            with self.read():
                rows = self.rows(
                    "SELECT candidate_id, SUM(delta) AS n FROM dots"
                    " WHERE event_id = ? AND round_id = ? GROUP BY candidate_id",
                    [event_id, rnd["id"]])
            while len(cache) >= 64:  # a handful of closed rounds per event: bound it anyway
                cache.pop(next(iter(cache)))
            cache[key] = {r["candidate_id"]: r["n"] for r in rows if r["n"]}
        return cache[key]

    def target_groups(self, event_id: str) -> dict[int, str | None]:
        """Each participant's current answer to the join question, by participant id."""
        with self.read():
            rows = self.rows("SELECT id, target_group FROM participants WHERE event_id = ?",
                             [event_id])
        return {r["id"]: r["target_group"] for r in rows}

    def my_dots(self, event_id: str, round_id: int, participant_id: int) -> dict:
        """A participant's dots in a voting round, with budget used and left."""
        with self.read():
            rnd = self._require_round(event_id, round_id)
            mine = self._dots_of(round_id, participant_id)
        return {"round_id": round_id, **arithmetic.budget_state(mine, rnd["budget"])}

    def place_dot(self, event_id: str, round_id: int, candidate_id: int, participant_id: int,
                  client_id: str) -> tuple[dict, bool]:
        """Place one dot; returns (my_dots state, created). See _move_dot."""
        return self._move_dot(event_id, round_id, candidate_id, participant_id, client_id, +1)

    def remove_dot(self, event_id: str, round_id: int, candidate_id: int, participant_id: int,
                   client_id: str) -> tuple[dict, bool]:
        """Take one dot back to the budget; returns (my_dots state, created)."""
        return self._move_dot(event_id, round_id, candidate_id, participant_id, client_id, -1)

    def _move_dot(self, event_id, round_id, candidate_id, participant_id, client_id, delta,
                  entered_by="participant"):
        """Check and record a placement or removal in one write transaction.

        client_id is the idempotency key: a replay of an accepted message returns the
        current state with created=False and records nothing (also when the round has
        closed or the budget is used up since). Dots do not bump the
        event version: phones and projector get the tally and their own dots as whole
        states, never as increments, so no client needs a version to heal.
        """
        with self.write():
            try:
                mine, budget = self._checked_move(event_id, round_id, candidate_id,
                                                  participant_id, delta)
                self.insert(
                    "dots",
                    {
                        "event_id": event_id, "round_id": round_id,
                        "candidate_id": candidate_id, "participant_id": participant_id,
                        "delta": delta, "client_id": client_id, "at": self.now(),
                        "entered_by": entered_by,
                    },
                )
            except (AppError, sqlite3.IntegrityError):
                # A replay is looked for only now: a new dot (almost every one) costs no
                # lookup of its own, the unique index on (participant, client_id) makes
                # the insert of a replay fail, and a refusal of the replay's round, budget
                # or cap must still answer the replay as accepted before.
                replay = self.row(
                    "SELECT round_id, candidate_id, delta FROM dots"
                    " WHERE participant_id = ? AND client_id = ?",
                    [participant_id, client_id],
                )
                if replay is None:
                    raise
                if (replay["round_id"], replay["candidate_id"], replay["delta"]) != (
                    round_id, candidate_id, delta
                ):
                    raise AppError("invalid_payload", detail="client_id") from None
                return self.my_dots(event_id, round_id, participant_id), False
            self.dot_recorded(round_id, participant_id, candidate_id, delta)
            mine[candidate_id] = mine.get(candidate_id, 0) + delta
        return {"round_id": round_id, **arithmetic.budget_state(mine, budget)}, True

    def _checked_move(self, event_id, round_id, candidate_id, participant_id, delta):
        """Refuse a move the round's rules forbid (AppError); else (the device's dots in
        the round, the round's budget). Call inside the write transaction."""
        # Kept between dots (StoreBase.kept): the same few rows, read for every dot, were
        # a join of four tables whose pages a busy server no longer has in its cache.
        rnd = self.kept_here("_move_check", candidate_id, round_id, event_id)
        if rnd is None:  # which one is unknown, in the order the errors are documented
            self._require_event(event_id)
            self._require_round(event_id, round_id)
        if rnd["status"] == "draft":
            raise AppError("voting_not_open")
        if rnd["status"] == "closed":
            raise AppError("voting_closed")
        if rnd["event_status"] == "closed":
            raise AppError("event_closed")
        if rnd["candidate"] is None:
            raise AppError("unknown_candidate")
        # A copy: the kept dots change only with dot_recorded, once the dot is in.
        mine = dict(self.kept_here("_dots_of", round_id, participant_id))
        if delta > 0:
            # A withdrawn item takes no new dots; dots already on it may be taken back.
            if rnd["hidden"]:
                raise AppError("candidate_hidden")
            if rnd["require_ticket"] and not self._has_ticket(event_id, participant_id):
                raise AppError("ticket_required")
            if rnd["require_prior_device"] and not self._existed_before(
                    event_id, participant_id, rnd["opened_at"]):
                raise AppError("device_too_new")
            arithmetic.check_place(mine, candidate_id, rnd["budget"], rnd["cap"])
        else:
            arithmetic.check_remove(mine, candidate_id)
        return mine, rnd["budget"]

    # -- helpers (inside a transaction) ---------------------------------------------

    def _move_check(self, candidate_id: int, round_id: int, event_id: str) -> dict | None:
        """_CHECK_SQL's row: the round's rules, the event's status, the candidate."""
        return self.row(_CHECK_SQL, [candidate_id, round_id, event_id])

    def _existed_before(self, event_id: str, participant_id: int, moment: str | None) -> bool:
        """True when the device was first seen before `moment`, or has redeemed a ticket."""
        row = self.row("SELECT created_at FROM participants WHERE id = ?", [participant_id])
        if row is not None and moment is not None and row["created_at"] < moment:
            return True
        return self._has_ticket(event_id, participant_id)

    def _dots_of(self, round_id: int, participant_id: int) -> dict[int, int]:
        rows = self.rows(
            "SELECT candidate_id, sum(delta) AS n FROM dots"
            " WHERE round_id = ? AND participant_id = ? GROUP BY candidate_id",
            [round_id, participant_id],
        )
        return {r["candidate_id"]: r["n"] for r in rows if r["n"]}
