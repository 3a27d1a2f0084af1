"""Store verbs for the measures catalogue (catalogue_rules.py has the rules): rows added,
edited, moved, split, joined and deleted; their dots read from the votes; a vote on the
draft catalogue whose dots flow back into each row's priority."""

from __future__ import annotations

import json

from ..catalogue_rules import MAX_ROWS, TEXT_FIELDS, clean_changes, clean_sources, joined
from ..errors import AppError
from ..rules import clean_short_text
from ..tally import DEFAULT_BUDGET, MAX_CANDIDATES

_COLUMNS = (*TEXT_FIELDS, "horizon", "status", "priority")


def _row_out(row: dict, dots: int) -> dict:
    out = {"id": row["id"], "position": row["position"], **{k: row[k] for k in _COLUMNS},
           "sources": json.loads(row["sources"]), "dots": dots,
           "created_at": row["created_at"], "updated_at": row["updated_at"]}
    out["shown_priority"] = row["priority"] if row["priority"] is not None else dots
    return out


class CatalogueMixin:
    """The Ziel- und Maßnahmenkatalog of an event."""

    def catalogue(self, event_id: str) -> list[dict]:
        """Every row in order, each with its dots: those of a vote on the catalogue for this
        row, plus those its source contributions got in any voting round."""
        with self.read():
            self._require_event(event_id)
            rows = self.rows("SELECT * FROM catalogue_rows WHERE event_id = ? ORDER BY position, id",
                             [event_id])
            by_row, by_contribution = self._candidate_dots(event_id)
        out = []
        for r in rows:
            sources = json.loads(r["sources"])
            dots = by_row.get(r["id"], 0) + sum(by_contribution.get(c, 0) for c in sources)
            out.append(_row_out(r, dots))
        return out

    def contribution_dots(self, event_id: str) -> dict[int, int]:
        """Dots per contribution over every voting round of the event (the proposals'
        order on the catalogue page)."""
        with self.read():
            return self._candidate_dots(event_id)[1]

    def _candidate_dots(self, event_id: str) -> tuple[dict[int, int], dict[int, int]]:
        """(dots per catalogue row, dots per contribution), summed over every candidate of
        every voting round of the event."""
        sums = self.rows(
            "SELECT vc.catalogue_row_id AS row_id, vc.contribution_id AS cid,"
            " coalesce(sum(d.delta), 0) AS n FROM voting_candidates vc"
            " JOIN voting_rounds r ON r.id = vc.round_id"
            " LEFT JOIN dots d ON d.candidate_id = vc.id"
            " WHERE r.event_id = ? GROUP BY vc.id", [event_id])
        by_row: dict[int, int] = {}
        by_contribution: dict[int, int] = {}
        for s in sums:
            if s["row_id"] is not None:
                by_row[s["row_id"]] = by_row.get(s["row_id"], 0) + s["n"]
            elif s["cid"] is not None:
                by_contribution[s["cid"]] = by_contribution.get(s["cid"], 0) + s["n"]
        return by_row, by_contribution

    def catalogue_row(self, event_id: str, row_id: int) -> dict:
        """One row (with dots); AppError('unknown_catalogue_row') otherwise."""
        for r in self.catalogue(event_id):
            if r["id"] == row_id:
                return r
        raise AppError("unknown_catalogue_row")

    def add_catalogue_row(self, event_id: str, values: dict | None = None,
                          after: int | None = None, actor: str = "facilitator") -> dict:
        """A new row (empty, or with values; `sources` names contributions of this event),
        at the end or right after row `after`."""
        values = clean_changes(values) if values else {}
        with self.write() as db:
            self._require_event(event_id)
            n = self.row("SELECT count(*) AS n FROM catalogue_rows WHERE event_id = ?", [event_id])["n"]
            if n >= MAX_ROWS:
                raise AppError("invalid_payload", detail=f"at most {MAX_ROWS} rows")
            self._check_sources(event_id, values.get("sources", []))
            position = self._slot_after(event_id, after)
            now = self.now()
            rid = db["catalogue_rows"].insert({
                "event_id": event_id, "position": position, "created_at": now, "updated_at": now,
                **{k: v for k, v in values.items() if k != "sources"},
                "sources": json.dumps(values.get("sources", [])),
            }).last_pk
            self.bump(event_id)
            self.log(event_id, actor, "catalogue_row_added", {"id": rid})
        return self.catalogue_row(event_id, rid)

    def update_catalogue_row(self, event_id: str, row_id: int, changes: dict,
                             actor: str = "facilitator") -> dict:
        """Change cells of a row (any of the catalogue's columns); returns the row."""
        values = clean_changes(changes)
        with self.write() as db:
            self._require_row(event_id, row_id)
            if "sources" in values:
                self._check_sources(event_id, values["sources"])
                values["sources"] = json.dumps(values["sources"])
            db["catalogue_rows"].update(row_id, {**values, "updated_at": self.now()})
            self.bump(event_id)
        return self.catalogue_row(event_id, row_id)

    def move_catalogue_row(self, event_id: str, row_id: int, to: int,
                           actor: str = "facilitator") -> list[dict]:
        """Put a row at position `to` (0 = first) and renumber; returns the catalogue."""
        if isinstance(to, bool) or not isinstance(to, int) or to < 0:
            raise AppError("invalid_payload", detail="to")
        with self.write() as db:
            self._require_row(event_id, row_id)
            ids = [r["id"] for r in self.rows(
                "SELECT id FROM catalogue_rows WHERE event_id = ? ORDER BY position, id", [event_id])]
            ids.remove(row_id)
            ids.insert(min(to, len(ids)), row_id)
            for position, rid in enumerate(ids):
                db.execute("UPDATE catalogue_rows SET position = ? WHERE id = ?", [position, rid])
            self.bump(event_id)
        return self.catalogue(event_id)

    def split_catalogue_row(self, event_id: str, row_id: int, actor: str = "facilitator") -> dict:
        """A copy of the row right after it (same sources), to divide one measure in two;
        returns the new row."""
        row = self.catalogue_row(event_id, row_id)
        values = {k: row[k] for k in (*TEXT_FIELDS, "horizon", "status")}
        values["sources"] = row["sources"]
        return self.add_catalogue_row(event_id, values, after=row_id, actor=actor)

    def join_catalogue_rows(self, event_id: str, keep_id: int, other_id: int,
                            actor: str = "facilitator") -> dict:
        """Join row `other_id` into `keep_id` (catalogue_rules.joined) and delete it."""
        if keep_id == other_id:
            raise AppError("invalid_payload", detail="a row cannot be joined with itself")
        with self.write() as db:
            keep = self.catalogue_row(event_id, keep_id)
            other = self.catalogue_row(event_id, other_id)
            values = joined(keep, other)
            values["sources"] = json.dumps(values["sources"])
            db["catalogue_rows"].update(keep_id, {**values, "updated_at": self.now()})
            # Votes on the joined row count for the one that stays.
            db.execute("UPDATE voting_candidates SET catalogue_row_id = ? WHERE catalogue_row_id = ?",
                       [keep_id, other_id])
            db["catalogue_rows"].delete(other_id)
            self.bump(event_id)
            self.log(event_id, actor, "catalogue_rows_joined", {"id": keep_id})
        return self.catalogue_row(event_id, keep_id)

    def delete_catalogue_row(self, event_id: str, row_id: int, actor: str = "facilitator") -> None:
        """Delete a row (its source contributions stay, and are proposed again)."""
        with self.write() as db:
            self._require_row(event_id, row_id)
            db["catalogue_rows"].delete(row_id)
            self.bump(event_id)
            self.log(event_id, actor, "catalogue_row_deleted", {"id": row_id})

    def create_catalogue_vote(self, event_id: str, title: str, row_ids: list[int] | None = None,
                              budget: int = DEFAULT_BUDGET, cap: int = 3,
                              actor: str = "facilitator") -> int:
        """A voting round in preparation whose candidates are catalogue rows (all, or the
        given ones): the Feedbackveranstaltung votes on the draft measures, and the dots
        flow back into each row. Returns the round's id."""
        title = clean_short_text(title, "title", 200)
        if not (isinstance(budget, int) and isinstance(cap, int) and budget >= 1 and cap >= 1):
            raise AppError("invalid_payload", detail="budget/cap")
        rows = self.catalogue(event_id)
        if row_ids is not None:
            wanted = clean_sources(row_ids)
            known = {r["id"]: r for r in rows}
            if any(i not in known for i in wanted):
                raise AppError("unknown_catalogue_row")
            rows = [known[i] for i in wanted]
        rows = [r for r in rows if r["measure"] or r["goal"]]
        if not rows:
            raise AppError("no_candidates")
        if len(rows) > MAX_CANDIDATES:
            raise AppError("too_many_candidates", limit=MAX_CANDIDATES)
        with self.write() as db:
            round_id = db["voting_rounds"].insert({
                "event_id": event_id, "title": title, "status": "draft", "budget": budget,
                "cap": cap, "hide_counts": 0, "require_ticket": 0, "created_at": self.now(),
            }).last_pk
            db["voting_candidates"].insert_all([
                {"round_id": round_id, "position": i, "label": r["measure"] or r["goal"],
                 "contribution_id": None, "table_id": None, "theme": r["field"] or None,
                 "catalogue_row_id": r["id"]}
                for i, r in enumerate(rows)])
            self.bump(event_id)
            self.log(event_id, actor, "voting_round_created", {"id": round_id})
        return round_id

    # -- helpers -------------------------------------------------------------------------

    def _require_row(self, event_id: str, row_id: int) -> dict:
        row = self.row("SELECT * FROM catalogue_rows WHERE id = ? AND event_id = ?", [row_id, event_id])
        if row is None:
            raise AppError("unknown_catalogue_row")
        return row

    def _check_sources(self, event_id: str, sources: list[int]) -> None:
        if not sources:
            return
        marks = ",".join("?" * len(sources))
        found = self.row(f"SELECT count(*) AS n FROM contributions WHERE event_id = ? AND id IN ({marks})",
                         [event_id, *sources])["n"]
        if found != len(sources):
            raise AppError("unknown_contribution")

    def _slot_after(self, event_id: str, after: int | None) -> int:
        """The position for a new row: the end, or right after `after` (later rows move)."""
        if after is None:
            last = self.row("SELECT max(position) AS p FROM catalogue_rows WHERE event_id = ?",
                            [event_id])["p"]
            return 0 if last is None else last + 1
        anchor = self._require_row(event_id, after)
        self.db.execute("UPDATE catalogue_rows SET position = position + 1"
                        " WHERE event_id = ? AND position > ?", [event_id, anchor["position"]])
        return anchor["position"] + 1
