"""Store verbs for participation processes: create and read them, create events inside
them (inheriting fields, Leitfragen and target groups), and carry earlier results forward
into a later event as voting candidates or table briefs, each with its provenance."""

from __future__ import annotations

import json

from ..errors import AppError
from ..process_rules import (
    CARRY_SOURCES,
    CARRY_TARGETS,
    clean_process,
    dedupe,
    inherited_plan,
    pick_top_voted,
    provenance,
    valid_process_id,
)
from ..rules import clean_short_text, new_event_id
from ..tally import MAX_CANDIDATES, ranking, tally


def _process_out(row: dict) -> dict:
    return {
        "id": row["id"], "title": row["title"], "town": row["town"],
        "fields": json.loads(row["fields"]), "target_groups": json.loads(row["target_groups"]),
        "languages": json.loads(row["languages"]), "created_at": row["created_at"],
    }


class ProcessesMixin:
    """Processes, their events, and what later events carry forward."""

    def create_process(self, data: dict, process_id: str | None = None) -> dict:
        """Store a new process from its definition (docs/processes.md); returns it."""
        clean = clean_process(data)
        with self.write() as db:
            if process_id is not None and not valid_process_id(process_id):
                raise AppError("invalid_payload", detail="process id")
            pid = process_id or f"p-{new_event_id()}"
            while self.row("SELECT 1 FROM processes WHERE id = ?", [pid]):
                if process_id:
                    raise AppError("invalid_payload", detail="process id in use")
                pid = f"p-{new_event_id()}"
            db["processes"].insert({
                "id": pid, "title": clean["title"], "town": clean["town"],
                "fields": json.dumps(clean["fields"], ensure_ascii=False),
                "target_groups": json.dumps(clean["target_groups"], ensure_ascii=False),
                "languages": json.dumps(clean["languages"]), "created_at": self.now(),
            })
        return self.get_process(pid)

    def get_process(self, process_id: str) -> dict:
        """A process with its events in order; AppError('unknown_process') otherwise."""
        with self.read():
            row = self.row("SELECT * FROM processes WHERE id = ?", [str(process_id)])
            if row is None:
                raise AppError("unknown_process")
            events = self.rows(
                "SELECT id, title, date, kind, status, audience, process_position FROM events"
                " WHERE process_id = ? ORDER BY process_position, date, created_at", [process_id])
        return {**_process_out(row), "events": [
            {k: e[k] for k in ("id", "title", "date", "kind", "status", "audience")}
            for e in events]}

    def list_processes(self) -> list[dict]:
        """Every process with its events, newest first."""
        with self.read():
            ids = [r["id"] for r in self.rows("SELECT id FROM processes ORDER BY created_at DESC, id")]
        return [self.get_process(pid) for pid in ids]

    def create_event_in_process(self, process_id: str, title: str, date: str,
                                kind: str = "world_cafe", audience: str | None = None,
                                fields: list[str] | None = None) -> dict:
        """A new event at the end of the process, with one table per Handlungsfeld (all or
        the chosen ones) and the process's target groups as the join question's answers.
        `audience`: the target group this event is for (one World Café per group)."""
        process = self.get_process(process_id)
        plan = inherited_plan(process, fields)
        if audience is not None:
            audience = clean_short_text(audience, "audience", 80)
        with self.write() as db:
            event = self.create_event(title, date, kind=kind, **plan)
            position = len(process["events"]) + 1
            db["events"].update(event["id"], {"process_id": process_id,
                                             "process_position": position, "audience": audience})
            self.log(event["id"], "facilitator", "event_added_to_process", {"process": process_id})
        return self.get_event(event["id"])

    def add_event_to_process(self, process_id: str, event_id: str | None,
                             audience: str | None = None) -> dict:
        """Put an existing event at the end of a process (process_id None takes it out)."""
        with self.write() as db:
            self._require_event(event_id)
            position = None
            if process_id is not None:
                position = len(self.get_process(process_id)["events"]) + 1
            change = {"process_id": process_id, "process_position": position}
            if audience is not None:
                change["audience"] = clean_short_text(audience, "audience", 80) if audience else None
            db["events"].update(event_id, change)
            self.bump(event_id)
        return self.event_process(event_id)

    def link_imported_process(self, event_id: str, process) -> None:
        """After an import: keep the event in its process. A process this database does
        not know is created from the file's `process` section (same id where free); a file
        without one leaves the event outside any process."""
        pid = self.event_process(event_id)["process_id"]
        if not pid:
            return
        with self.read():
            known = self.row("SELECT 1 FROM processes WHERE id = ?", [pid]) is not None
        if known:
            return
        if not isinstance(process, dict) or process.get("id") != pid:
            with self.write() as db:
                db["events"].update(event_id, {"process_id": None, "process_position": None})
            return
        # An id from a file names a folder on export: only one the app could have made.
        created = self.create_process(process, process_id=pid if valid_process_id(pid) else None)
        with self.write() as db:
            db["events"].update(event_id, {"process_id": created["id"]})

    def event_process(self, event_id: str) -> dict:
        """The event's place in its process: {process_id, process_position, audience}."""
        with self.read():
            row = self.row("SELECT process_id, process_position, audience FROM events WHERE id = ?",
                           [event_id])
        if row is None:
            raise AppError("unknown_event")
        return dict(row)

    # -- carrying forward ------------------------------------------------------------------

    def carry_candidates(self, source_ids: list[str], source: str, per_field: int) -> list[dict]:
        """What earlier events offer to carry forward: [{"text", "theme", "provenance"}].

        top_voted: per Handlungsfeld the best items of the events' closed voting rounds
        (by dots); merged: contributions that duplicates were merged into (the groups the
        facilitation formed), by the number merged, per Handlungsfeld.
        """
        if source not in CARRY_SOURCES:
            raise AppError("invalid_payload", detail="source")
        items = []
        with self.read():
            for eid in source_ids:
                event = self._require_event(eid)
                audience = self.row("SELECT audience FROM events WHERE id = ?", [eid])["audience"]
                if source == "top_voted":
                    found = self._voted(eid)
                    for c in pick_top_voted(found, per_field):
                        items.append({"text": c["label"], "theme": c["theme"],
                                      "provenance": provenance(event["title"], audience, c["dots"])})
                else:
                    rows = self.rows(
                        "SELECT t.id, t.text, tb.theme, count(m.id) AS merged FROM contributions t"
                        " JOIN contributions m ON m.merged_into = t.id"
                        " JOIN tables tb ON tb.id = t.table_id"
                        " WHERE t.event_id = ? AND t.hidden = 0 GROUP BY t.id"
                        " ORDER BY merged DESC, t.id", [eid])
                    count: dict = {}
                    for r in rows:
                        if count.get(r["theme"], 0) >= per_field:
                            continue
                        count[r["theme"]] = count.get(r["theme"], 0) + 1
                        items.append({"text": r["text"], "theme": r["theme"], "provenance":
                                      provenance(event["title"], audience, None, r["merged"] + 1)})
        return dedupe(items)

    def _voted(self, event_id: str) -> list[dict]:
        out = []
        for rnd in self.rows("SELECT id FROM voting_rounds WHERE event_id = ? AND status = 'closed'",
                             [event_id]):
            cands = self.rows(
                "SELECT vc.id, vc.label, vc.theme, vc.position FROM voting_candidates vc"
                " LEFT JOIN contributions c ON c.id = vc.contribution_id"
                " WHERE vc.round_id = ? AND coalesce(c.hidden, 0) = 0", [rnd["id"]])
            counts = tally(self.rows("SELECT candidate_id, delta FROM dots WHERE round_id = ?",
                                     [rnd["id"]]))
            order = {r["candidate_id"]: i for i, r in enumerate(ranking(counts, [c["id"] for c in cands]))}
            for c in cands:
                out.append({"label": c["label"], "theme": c["theme"], "dots": counts.get(c["id"], 0),
                            "position": order.get(c["id"], c["position"])})
        return out

    def carry_forward(self, event_id: str, items: list[dict], target: str,
                      title: str = "Aus früheren Veranstaltungen") -> dict:
        """Make carried items part of the event: a draft voting round whose candidates they
        are, or briefs on the tables with the same Handlungsfeld (items whose field has no
        table here go to no table and are reported back). Provenance stays with each."""
        if target not in CARRY_TARGETS:
            raise AppError("invalid_payload", detail="as")
        if not items:
            raise AppError("no_candidates")
        with self.write() as db:
            self._require_event(event_id)
            if target == "candidates":
                if len(items) > MAX_CANDIDATES:
                    raise AppError("too_many_candidates", limit=MAX_CANDIDATES)
                round_id = db["voting_rounds"].insert({
                    "event_id": event_id, "title": clean_short_text(title, "title", 200),
                    "status": "draft", "budget": 5, "cap": 2, "hide_counts": 0,
                    "require_ticket": 0, "created_at": self.now(),
                }).last_pk
                db["voting_candidates"].insert_all([
                    {"round_id": round_id, "position": i, "label": item["text"],
                     "contribution_id": None, "table_id": None, "theme": item["theme"],
                     "provenance": json.dumps(_prov(item), ensure_ascii=False)}
                    for i, item in enumerate(items)])
                self.bump(event_id)
                self.log(event_id, "facilitator", "voting_round_created", {"id": round_id})
                return {"voting_round": round_id, "unplaced": []}
            tables = {t["theme"]: t for t in self.rows(
                "SELECT id, theme FROM tables WHERE event_id = ?", [event_id])}
            unplaced, placed = [], 0
            for item in items:
                table = tables.get(item["theme"])
                if table is None:
                    unplaced.append(item)
                    continue
                db["table_briefs"].insert({
                    "event_id": event_id, "table_id": table["id"], "text": item["text"],
                    "provenance": json.dumps(_prov(item), ensure_ascii=False), "position": placed})
                placed += 1
            self.bump(event_id)
            self.log(event_id, "facilitator", "briefs_carried", {"count": placed})
        return {"briefs": placed, "unplaced": unplaced}

    def table_briefs(self, event_id: str, table_code: str | None = None) -> list[dict]:
        """The carried briefs of the event's tables (or of one table), in order."""
        sql = ("SELECT b.text, b.provenance, t.code AS table_code, t.theme FROM table_briefs b"
               " JOIN tables t ON t.id = b.table_id WHERE b.event_id = ?")
        params = [event_id]
        if table_code is not None:
            sql += " AND t.code = ?"
            params.append(table_code)
        with self.read():
            rows = self.rows(sql + " ORDER BY t.position, b.position, b.id", params)
        return [{"text": r["text"], "table": r["table_code"], "theme": r["theme"],
                 "provenance": json.loads(r["provenance"])} for r in rows]


def _prov(item: dict) -> dict:
    return dict(item["provenance"])
