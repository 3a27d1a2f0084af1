"""Store verbs for dot voting: voting rounds and their candidates (the dots: dots.py)."""

from __future__ import annotations

import json

from .. import tally as arithmetic
from ..content_languages import GERMAN, clean_translations
from ..errors import AppError
from ..rules import clean_short_text, clean_text
from .tickets import TicketsMixin

_ROUND_FIELDS = (
    "id, title, status, budget, cap, hide_counts, require_ticket, require_prior_device,"
    " created_at, opened_at, closed_at"
)

_CANDIDATE_SQL = """
    SELECT vc.id, vc.round_id, vc.label, vc.label_i18n, vc.contribution_id, t.code AS table_code,
           vc.theme, vc.position, coalesce(c.hidden, 0) AS hidden, vc.provenance,
           vc.catalogue_row_id
    FROM voting_candidates vc
    LEFT JOIN tables t ON t.id = vc.table_id
    LEFT JOIN contributions c ON c.id = vc.contribution_id
"""

def _candidate_out(row: dict, with_hidden: bool) -> dict:
    out = {
        "id": row["id"],
        "label": row["label"],
        "label_i18n": json.loads(row["label_i18n"] or "{}"),
        "contribution_id": row["contribution_id"],
        "table": row["table_code"],
        "theme": row["theme"],
        "position": row["position"],
    }
    if row.get("provenance"):  # carried forward from an earlier event (store/processes.py)
        out["provenance"] = json.loads(row["provenance"])
    if row.get("catalogue_row_id") is not None:  # a vote on the measures catalogue
        out["catalogue_row"] = row["catalogue_row_id"]
    if with_hidden:
        out["hidden"] = bool(row["hidden"])
    return out


def _statement(value) -> tuple[str, dict]:
    """A typed statement: German text, or {"de": …, "ar": …} (German required)."""
    if isinstance(value, dict):
        if not isinstance(value.get(GERMAN), str):
            raise AppError("invalid_payload", detail='statements: "de" is required')
        rest = {k: v for k, v in value.items() if k != GERMAN}
        translations = {k: clean_text(v) for k, v in clean_translations(rest, "statements", 10_000).items()}
        return clean_text(value[GERMAN]), translations
    return clean_text(value), {}


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
        texts = [_statement(s) for s in statements]
        with self.write() as db:
            self._require_event(event_id)
            picked = self._contribution_candidates(event_id, list(contribution_ids), list(tables))
            candidates = picked + [
                {"label": s, "label_i18n": json.dumps(tr, ensure_ascii=False),
                 "contribution_id": None, "table_id": None, "theme": None}
                for s, tr in texts
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

    # -- helpers (inside a transaction) ---------------------------------------------

    def _require_round(self, event_id: str, round_id: int) -> dict:
        row = self.row(
            f"SELECT {_ROUND_FIELDS} FROM voting_rounds WHERE id = ? AND event_id = ?",
            [round_id, str(event_id)],
        )
        if row is None:
            raise AppError("unknown_voting_round")
        return row

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
            out.append({"label": row["text"], "label_i18n": "{}", "contribution_id": row["id"],
                        "table_id": row["table_id"], "theme": row["theme"]})
        return out
