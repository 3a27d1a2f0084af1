"""Store verbs for the rotation plan: compute it over the event's participants, read it."""

from __future__ import annotations

import json
import secrets

from .. import rotation
from ..errors import AppError


class RotationMixin:
    """The console's optional plan of who sits at which table in which round."""

    def make_rotation(self, event_id: str, seed: int | None = None,
                      actor: str = "facilitator", run=None) -> dict:
        """Compute and store the plan for every participant known so far; returns it.

        Participants are numbered 1… in order of arrival; the number is what the
        printed plan and the phone show (nothing else identifies anyone). `run(fn)`
        runs the pure computation (the server passes one that runs it off the loop).
        """
        seed = secrets.randbelow(2**31) if seed is None else seed
        # Rounds already held (ended) keep where people actually sat: the table of their
        # contributions in that round, else their seat in the previous plan. The running
        # round and those to come are planned.
        now = self.round_state(event_id)
        n_held = 0
        if now["planned"]:
            n_held = now["number"] - (0 if now["state"] == "ended" else 1)
        # Read, compute, then write: the computation (up to a second for 500 people)
        # must not hold the database's write lock.
        with self.read():
            self._require_event(event_id)
            tables = self.rows(
                "SELECT id, code FROM tables WHERE event_id = ? ORDER BY position, id", [event_id]
            )
            people = self.rows(
                "SELECT id, target_group FROM participants WHERE event_id = ?"
                " AND host_label IS NULL ORDER BY id",  # dots-only people a host entered sit nowhere
                [event_id],
            )
            clock = self.row("SELECT rounds FROM round_clocks WHERE event_id = ?", [event_id])
            sat = self.rows(
                "SELECT participant_id AS pid, round, table_id, count(*) AS n FROM contributions"
                " WHERE event_id = ? AND round <= ? AND participant_id IS NOT NULL"
                " GROUP BY participant_id, round, table_id ORDER BY n", [event_id, n_held])
            seated = self.rows(
                "SELECT participant_id AS pid, round, table_id FROM rotation_seats"
                " WHERE event_id = ? AND round <= ?", [event_id, n_held])
        n_rounds = clock["rounds"] if clock else 3
        n_held = min(n_held, n_rounds)
        if not tables:
            raise AppError("rotation_impossible", detail="no tables")
        if not people:
            raise AppError("rotation_impossible", detail="no participants")
        pairs = [(p["id"], p["target_group"]) for p in people]
        index = {t["id"]: i for i, t in enumerate(tables)}
        held = {pid: [None] * n_held for pid, _g in pairs}
        for r in seated + sat:  # contributions last, the most frequent table last: they win
            if r["pid"] in held and r["table_id"] in index and 1 <= r["round"] <= n_held:
                held[r["pid"]][r["round"] - 1] = index[r["table_id"]]

        def compute():
            plan = rotation.plan_after_held(pairs, len(tables), n_rounds, held, seed)
            ahead = {pid: seats[n_held:] for pid, seats in plan.items()}
            left = max(n_rounds - n_held, 1)
            random = rotation.random_plan(pairs, len(tables), left, seed)
            if not any(ahead.values()):
                ahead = random
            return plan, rotation.measure(ahead, pairs, len(tables)), rotation.measure(
                random, pairs, len(tables))

        plan, figures, baseline = run(compute) if run else compute()
        with self.write() as db:
            self._require_event(event_id)
            db.execute("DELETE FROM rotation_seats WHERE event_id = ?", [event_id])
            db["rotation_seats"].insert_all(
                {"event_id": event_id, "participant_id": pid, "number": number,
                 "round": r + 1, "table_id": tables[t]["id"]}
                for number, (pid, _g) in enumerate(pairs, start=1)
                for r, t in enumerate(plan[pid]) if t is not None
            )
            db["rotation_plans"].upsert(
                {"event_id": event_id, "seed": seed, "rounds": n_rounds,
                 "figures": json.dumps({"plan": figures, "random": baseline}),
                 "created_at": self.now()},
                pk="event_id",
            )
            self.bump(event_id)
            self.log(event_id, actor, "rotation_planned",
                     {"seed": seed, "people": len(pairs), "tables": len(tables),
                      "rounds": n_rounds, "rounds_held": n_held})
        return self.rotation(event_id)

    def seat_latecomer(self, event_id: str, participant_id: int) -> dict | None:
        """Seat a participant who arrived after the plan was computed; their seat plan.

        None when there is no plan or they already have a seat (the usual case: one
        read). Nobody else moves; the plan's figures stay those it was computed with.
        """
        check = ("SELECT (SELECT rounds FROM rotation_plans WHERE event_id = ?) AS rounds,"
                 " EXISTS (SELECT 1 FROM rotation_seats WHERE event_id = ?"
                 " AND participant_id = ?) AS seated")
        args = [event_id, event_id, participant_id]
        with self.read():
            state = self.row(check, args)
        if state["rounds"] is None or state["seated"]:
            return None
        with self.write() as db:
            state = self.row(check, args)  # again under the write lock: two tabs, one seat
            if state["rounds"] is None or state["seated"]:
                return None
            tables = [r["id"] for r in self.rows(
                "SELECT id FROM tables WHERE event_id = ? ORDER BY position, id", [event_id])]
            if not tables:
                return None
            seats = self.rows(
                "SELECT s.round, s.table_id, p.target_group FROM rotation_seats s"
                " JOIN participants p ON p.id = s.participant_id WHERE s.event_id = ?",
                [event_id],
            )
            group = self.row("SELECT target_group FROM participants WHERE id = ?",
                             [participant_id])["target_group"]
            number = self.row("SELECT coalesce(max(number), 0) + 1 AS n FROM rotation_seats"
                              " WHERE event_id = ?", [event_id])["n"]
            chosen = rotation.seat_latecomer(
                [(r["round"], r["table_id"], r["target_group"]) for r in seats],
                tables, state["rounds"], group)
            db["rotation_seats"].insert_all(
                {"event_id": event_id, "participant_id": participant_id, "number": number,
                 "round": rnd, "table_id": table_id}
                for rnd, table_id in enumerate(chosen, start=1)
            )
            self.bump(event_id)
            self.log(event_id, "server", "latecomer_seated", {"number": number})
        return self.seat_plan(event_id, participant_id)

    def rotation(self, event_id: str) -> dict | None:
        """The whole plan: per round, per table, the participant numbers; with figures."""
        with self.read():
            head = self.row("SELECT * FROM rotation_plans WHERE event_id = ?", [event_id])
            if head is None:
                return None
            rows = self.rows(
                "SELECT s.number, s.round, t.code, t.theme, p.target_group"
                " FROM rotation_seats s JOIN tables t ON t.id = s.table_id"
                " JOIN participants p ON p.id = s.participant_id"
                " WHERE s.event_id = ? ORDER BY s.round, t.position, t.id, s.number",
                [event_id],
            )
        rounds: dict[int, dict[str, dict]] = {}
        for r in rows:
            table = rounds.setdefault(r["round"], {}).setdefault(
                r["code"], {"table": r["code"], "theme": r["theme"], "numbers": [], "groups": {}}
            )
            table["numbers"].append(r["number"])
            group = r["target_group"] or ""
            table["groups"][group] = table["groups"].get(group, 0) + 1
        return {
            "seed": head["seed"],
            "rounds": head["rounds"],
            "created_at": head["created_at"],
            "figures": json.loads(head["figures"]),
            "people": len({r["number"] for r in rows}),
            "plan": [{"round": n, "tables": list(tables.values())}
                     for n, tables in sorted(rounds.items())],
        }

    def seat_plans(self, event_id: str, participant_id: int | None = None) -> dict[int, dict]:
        """participant id → {"number", "seats": [{"round", "table", "theme"}]} (one or all)."""
        sql = ("SELECT s.participant_id, s.number, s.round, t.code, t.theme, t.theme_i18n"
               " FROM rotation_seats s"
               " JOIN tables t ON t.id = s.table_id WHERE s.event_id = ?")
        params: list = [event_id]
        if participant_id is not None:
            sql += " AND s.participant_id = ?"
            params.append(participant_id)
        with self.read():
            rows = self.rows(sql + " ORDER BY s.participant_id, s.round", params)
        plans: dict[int, dict] = {}
        for r in rows:
            plan = plans.setdefault(r["participant_id"], {"number": r["number"], "seats": []})
            plan["seats"].append({"round": r["round"], "table": r["code"], "theme": r["theme"],
                                  "theme_i18n": json.loads(r["theme_i18n"])})
        return plans

    def seat_plan(self, event_id: str, participant_id: int) -> dict | None:
        """One participant's number and table per round, or None when not in the plan."""
        return self.seat_plans(event_id, participant_id).get(participant_id)
