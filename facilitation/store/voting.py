"""Store verbs for dot voting: voting rounds, their candidates, the dot ledger.

Budget and cap are checked and the dot recorded in ONE ``BEGIN IMMEDIATE``
transaction, so no interleaving of requests (two tabs, two sockets, a replay) can take
a device over its budget or a candidate over its cap: the second writer waits for the
first to commit, then reads the state the first one left.
"""

from __future__ import annotations

from .. import tally as arithmetic
from ..errors import AppError
from ..rules import clean_short_text, clean_text
from .tickets import TicketsMixin

_ROUND_FIELDS = (
    "id, title, status, budget, cap, hide_counts, require_ticket, require_prior_device,"
    " created_at, opened_at, closed_at"
)

_CANDIDATE_SQL = """
    SELECT vc.id, vc.round_id, vc.label, vc.contribution_id, t.code AS table_code, vc.theme,
           vc.position, coalesce(c.hidden, 0) AS hidden
    FROM voting_candidates vc
    LEFT JOIN tables t ON t.id = vc.table_id
    LEFT JOIN contributions c ON c.id = vc.contribution_id
"""

_LEDGER_SQL = """
    SELECT d.id, d.round_id, d.candidate_id, d.participant_id, p.target_group, d.delta, d.at
    FROM dots d JOIN participants p ON p.id = d.participant_id
"""


def _candidate_out(row: dict, with_hidden: bool) -> dict:
    out = {
        "id": row["id"],
        "label": row["label"],
        "contribution_id": row["contribution_id"],
        "table": row["table_code"],
        "theme": row["theme"],
        "position": row["position"],
    }
    if with_hidden:
        out["hidden"] = bool(row["hidden"])
    return out


def _round_out(row: dict, candidates: list[dict]) -> dict:
    return {
        "id": row["id"],
        "title": row["title"],
        "status": row["status"],
        "budget": row["budget"],
        "cap": row["cap"],
        "hide_counts": bool(row["hide_counts"]),
        "require_ticket": bool(row["require_ticket"]),
        "require_prior_device": bool(row["require_prior_device"]),
        "created_at": row["created_at"],
        "opened_at": row["opened_at"],
        "closed_at": row["closed_at"],
        "candidates": candidates,
    }


class VotingMixin(TicketsMixin):
    """Facilitators create, open and close voting rounds; phones place and remove dots."""

    # -- reading ------------------------------------------------------------------

    def voting_rounds(self, event_id: str, with_hidden: bool = False) -> list[dict]:
        """The event's voting rounds, oldest first, each with its candidates in order.

        with_hidden adds `hidden` to each candidate (its contribution was hidden).
        """
        with self.read():
            rounds = self.rows(
                f"SELECT {_ROUND_FIELDS} FROM voting_rounds WHERE event_id = ? ORDER BY id",
                [event_id],
            )
            candidates = self.rows(
                _CANDIDATE_SQL + " JOIN voting_rounds r ON r.id = vc.round_id"
                " WHERE r.event_id = ? ORDER BY vc.round_id, vc.position, vc.id",
                [event_id],
            )
        by_round: dict[int, list[dict]] = {r["id"]: [] for r in rounds}
        for c in candidates:
            by_round[c["round_id"]].append(_candidate_out(c, with_hidden))
        return [_round_out(r, by_round[r["id"]]) for r in rounds]

    def voting_round(self, event_id: str, round_id: int, with_hidden: bool = False) -> dict:
        """One voting round; AppError('unknown_voting_round') when not in this event."""
        for r in self.voting_rounds(event_id, with_hidden=with_hidden):
            if r["id"] == round_id:
                return r
        raise AppError("unknown_voting_round")

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
            sql += " AND d.round_id = ?"
            params.append(round_id)
        with self.read():
            return self.rows(sql + " ORDER BY d.id", params)

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

    # -- facilitator verbs --------------------------------------------------------

    def create_voting_round(
        self,
        event_id: str,
        title: str,
        budget: int = arithmetic.DEFAULT_BUDGET,
        cap: int = arithmetic.DEFAULT_CAP,
        hide_counts: bool = False,
        require_ticket: bool = False,
        contribution_ids: list[int] = (),
        require_prior_device: bool = False,
        statements: list[str] = (),
        tables: list[str] = (),
        actor: str = "facilitator",
    ) -> dict:
        """A new voting round in preparation ('draft').

        Candidates, in this order: the chosen contributions, every visible contribution
        of the chosen tables (by table, oldest first), then the typed statements.
        A contribution chosen twice is a candidate once. Labels are copied, so the
        results keep the wording people voted on. require_prior_device: only devices that
        existed before the round opened (or hold a ticket) may place dots.
        """
        title = clean_short_text(title, "title", 200)
        if not (isinstance(budget, int) and isinstance(cap, int) and budget >= 1 and cap >= 1):
            raise AppError("invalid_payload", detail="budget/cap")
        texts = [clean_text(s) for s in statements]
        with self.write() as db:
            self._require_event(event_id)
            picked = self._contribution_candidates(event_id, list(contribution_ids), list(tables))
            candidates = picked + [
                {"label": s, "contribution_id": None, "table_id": None, "theme": None}
                for s in texts
            ]
            if not candidates:
                raise AppError("no_candidates")
            if len(candidates) > arithmetic.MAX_CANDIDATES:
                raise AppError("too_many_candidates", limit=arithmetic.MAX_CANDIDATES)
            round_id = db["voting_rounds"].insert(
                {
                    "event_id": event_id, "title": title, "status": "draft",
                    "budget": budget, "cap": cap, "hide_counts": int(bool(hide_counts)),
                    "require_ticket": int(bool(require_ticket)),
                    "require_prior_device": int(bool(require_prior_device)),
                    "created_at": self.now(),
                }
            ).last_pk
            db["voting_candidates"].insert_all(
                [{**c, "round_id": round_id, "position": i} for i, c in enumerate(candidates)]
            )
            self.bump(event_id)
            self.log(event_id, actor, "voting_round_created",
                     {"id": round_id, "title": title, "candidates": len(candidates)})
        return self.voting_round(event_id, round_id, with_hidden=True)

    def open_voting_round(self, event_id: str, round_id: int, actor: str = "facilitator") -> dict:
        """Start a voting round; at most one is open per event at a time."""
        with self.write() as db:
            rnd = self._require_round(event_id, round_id)
            if rnd["status"] == "closed":
                raise AppError("voting_closed")
            if rnd["status"] == "draft":
                other = self.row(
                    "SELECT id FROM voting_rounds WHERE event_id = ? AND status = 'open'",
                    [event_id],
                )
                if other is not None:
                    raise AppError("voting_round_open")
                db["voting_rounds"].update(round_id, {"status": "open", "opened_at": self.now()})
                self.bump(event_id)
                self.log(event_id, actor, "voting_round_opened", {"id": round_id})
        return self.voting_round(event_id, round_id, with_hidden=True)

    def close_voting_round(self, event_id: str, round_id: int, actor: str = "facilitator") -> dict:
        """Close an open voting round: its dots freeze and its result is final."""
        with self.write() as db:
            rnd = self._require_round(event_id, round_id)
            if rnd["status"] == "draft":
                raise AppError("voting_not_open")
            if rnd["status"] == "open":
                db["voting_rounds"].update(round_id, {"status": "closed", "closed_at": self.now()})
                self.bump(event_id)
                self.log(event_id, actor, "voting_round_closed", {"id": round_id})
        return self.voting_round(event_id, round_id, with_hidden=True)

    def delete_voting_round(self, event_id: str, round_id: int, actor: str = "facilitator") -> None:
        """Delete a voting round that has not started (it holds no dots)."""
        with self.write() as db:
            rnd = self._require_round(event_id, round_id)
            if rnd["status"] != "draft":
                raise AppError("voting_round_not_draft")
            db["voting_rounds"].delete(round_id)
            self.bump(event_id)
            self.log(event_id, actor, "voting_round_deleted", {"id": round_id})

    # -- participant verbs --------------------------------------------------------

    def place_dot(self, event_id, round_id, candidate_id, participant_id, client_id):
        """Place one dot; returns (my_dots state, created). See _move_dot."""
        return self._move_dot(event_id, round_id, candidate_id, participant_id, client_id, +1)

    def remove_dot(self, event_id, round_id, candidate_id, participant_id, client_id):
        """Take one dot back to the budget; returns (my_dots state, created)."""
        return self._move_dot(event_id, round_id, candidate_id, participant_id, client_id, -1)

    def _move_dot(self, event_id, round_id, candidate_id, participant_id, client_id, delta):
        """Check and record a placement or removal in one write transaction.

        client_id is the idempotency key: a replay of an accepted message returns the
        current state with created=False and records nothing. Dots do not bump the
        event version: phones and projector get the tally and their own dots as whole
        states, never as increments, so no client needs a version to heal.
        """
        with self.write():
            replay = self.row(
                "SELECT round_id, candidate_id, delta FROM dots"
                " WHERE participant_id = ? AND client_id = ?",
                [participant_id, client_id],
            )
            if replay is not None:
                if (replay["round_id"], replay["candidate_id"], replay["delta"]) != (
                    round_id, candidate_id, delta
                ):
                    raise AppError("invalid_payload", detail="client_id")
                return self.my_dots(event_id, round_id, participant_id), False
            event = self._require_event(event_id)
            rnd = self._require_round(event_id, round_id)
            if rnd["status"] == "draft":
                raise AppError("voting_not_open")
            if rnd["status"] == "closed":
                raise AppError("voting_closed")
            if event["status"] == "closed":
                raise AppError("event_closed")
            candidate = self.row(_CANDIDATE_SQL + " WHERE vc.id = ? AND vc.round_id = ?",
                                 [candidate_id, round_id])
            if candidate is None:
                raise AppError("unknown_candidate")
            mine = self._dots_of(round_id, participant_id)
            if delta > 0:
                # A withdrawn item takes no new dots; dots already on it may be taken back.
                if candidate["hidden"]:
                    raise AppError("candidate_hidden")
                if rnd["require_ticket"] and not self._has_ticket(event_id, participant_id):
                    raise AppError("ticket_required")
                if rnd["require_prior_device"] and not self._existed_before(
                        event_id, participant_id, rnd["opened_at"]):
                    raise AppError("device_too_new")
                arithmetic.check_place(mine, candidate_id, rnd["budget"], rnd["cap"])
            else:
                arithmetic.check_remove(mine, candidate_id)
            self.insert(
                "dots",
                {
                    "event_id": event_id, "round_id": round_id, "candidate_id": candidate_id,
                    "participant_id": participant_id, "delta": delta, "client_id": client_id,
                    "at": self.now(),
                },
            )
            mine[candidate_id] = mine.get(candidate_id, 0) + delta
        return {"round_id": round_id, **arithmetic.budget_state(mine, rnd["budget"])}, True

    # -- helpers (inside a transaction) ---------------------------------------------

    def _require_round(self, event_id: str, round_id: int) -> dict:
        row = self.row(
            f"SELECT {_ROUND_FIELDS} FROM voting_rounds WHERE id = ? AND event_id = ?",
            [round_id, str(event_id)],
        )
        if row is None:
            raise AppError("unknown_voting_round")
        return row

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

    def _contribution_candidates(self, event_id, contribution_ids, table_codes) -> list[dict]:
        """Candidate rows for chosen contributions and all visible ones of chosen tables."""
        base = (
            "SELECT c.id, c.text, c.table_id, t.theme FROM contributions c"
            " JOIN tables t ON t.id = c.table_id WHERE c.event_id = ?"
        )
        found = []
        for cid in contribution_ids:
            row = self.row(base + " AND c.id = ?", [event_id, cid])
            if row is None:
                raise AppError("unknown_contribution")
            found.append(row)
        for code in table_codes:
            table = self.row("SELECT id FROM tables WHERE event_id = ? AND code = ?",
                             [event_id, code])
            if table is None:
                raise AppError("unknown_table")
            found += self.rows(base + " AND c.table_id = ? AND c.hidden = 0 ORDER BY c.id",
                               [event_id, table["id"]])
        seen, out = set(), []
        for row in found:
            if row["id"] in seen:
                continue
            seen.add(row["id"])
            out.append({"label": row["text"], "contribution_id": row["id"],
                        "table_id": row["table_id"], "theme": row["theme"]})
        return out
