"""The one snapshot object every exporter renders: plain data, built by a pure function.

`build_snapshot` turns what `Store.export_snapshot_rows` read in one transaction into a
readable picture of the event (tables, anonymous participants, contributions with their
history and dots, voting rounds with rankings, the actions log), next to the complete,
renumbered `database` section that import uses. Nothing here touches the database.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter, defaultdict

from .. import tally, urls

SCHEMA_VERSION = 1
FORMAT = "facilitation-session"


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """An event as exported at one moment; every exporter is a function of this alone."""

    exported_at: str
    generator: str
    language: str
    base_url: str
    event: dict
    tables: list[dict]
    participants: list[dict]
    contributions: list[dict]
    voting_rounds: list[dict]
    actions: list[dict]
    database: dict
    target_groups: list[str]
    surveys: list[dict] = dataclasses.field(default_factory=list)
    process: dict | None = None
    catalogue: list[dict] = dataclasses.field(default_factory=list)

    def join_url(self) -> str:
        """The event's join page, as in the join QR code."""
        return urls.join_url(self.base_url, self.event["id"])

    def table_url(self, code: str) -> str:
        """A table's phone page, as in its QR code."""
        return urls.table_url(self.base_url, self.event["id"], code)

    def host_url(self, code: str, key: str) -> str:
        """A table's secret host page (the key is never part of a snapshot's files)."""
        return urls.host_url(self.base_url, self.event["id"], code, key)


def rows_of(database: dict, table: str) -> list[dict]:
    """The rows of one table of the `database` section, as dicts."""
    data = database["tables"].get(table)
    if not data:
        return []
    cols = data["columns"]
    return [dict(zip(cols, r, strict=True)) for r in data["rows"]]


def _json(value, default):
    try:
        return json.loads(value) if isinstance(value, str) else (value or default)
    except ValueError:
        return default


def build_snapshot(read: dict, *, exported_at: str, generator: str, language: str,
                   base_url: str) -> Snapshot:
    """The snapshot of what one read transaction returned (see ExportMixin)."""
    db = {"migrations": read["migrations"], "tables": read["tables"]}
    numbering = read["numbering"]
    event = dict(read["event"])
    event.pop("version", None)  # a server counter for live clients, not event content
    tables = [
        {"number": t["id"], "code": t["code"], "theme": t["theme"],
         "questions": _json(t["questions"], []), "position": t["position"],
         "theme_i18n": _json(t.get("theme_i18n"), {}),
         "questions_i18n": _json(t.get("questions_i18n"), [])}
        for t in sorted(rows_of(db, "tables"), key=lambda t: (t["position"], t["id"]))
    ]
    by_table = {t["number"]: t for t in tables}
    participants = [
        {"number": p["id"], "target_group": p["target_group"], "joined_at": p["created_at"]}
        for p in rows_of(db, "participants")
    ]
    group_of = {p["number"]: p["target_group"] for p in participants}
    history = defaultdict(list)
    for e in rows_of(db, "contribution_edits"):
        history[e["contribution_id"]].append(
            {"field": e["field"], "old_value": e["old_value"], "new_value": e["new_value"],
             "actor": e["actor"], "at": e["at"]}
        )
    voting = _voting(read, numbering)
    translated = {}  # the newest German rendering per contribution (translation desk)
    for t in sorted(rows_of(db, "contribution_translations"), key=lambda t: t["id"]):
        translated[t["contribution_id"]] = {"text": t["text"], "by": t["entered_by"],
                                            "at": t["created_at"], "machine": bool(t["machine"])}
    dots = Counter()
    dots_by_group = defaultdict(Counter)
    for rnd in voting:
        for cand in rnd["candidates"]:
            if cand["contribution"] is not None:
                dots[cand["contribution"]] += cand["dots"]
                dots_by_group[cand["contribution"]].update(cand["dots_by_group"])
    contributions = []
    rows = rows_of(db, "contributions")
    # The card's number in its event (issue 12), as the console and projector show it.
    card_no = {c["id"]: c.get("number") or c["id"] for c in rows}
    for c in rows:
        table = by_table.get(c["table_id"], {"code": "?", "theme": "", "questions": []})
        q = c["question"]
        contributions.append({
            "number": card_no[c["id"]],
            "table": table["code"],
            "theme": table["theme"],
            "kind": c["kind"],
            "question": q,
            "question_text": table["questions"][q]
            if q is not None and 0 <= q < len(table["questions"]) else None,
            "text": c["text"],
            "round": c["round"],
            "hidden": bool(c["hidden"]),
            "merged_into": card_no.get(c["merged_into"], c["merged_into"]),
            "edited": any(h["field"] == "text" for h in history[c["id"]]),
            "entered_by": c["entered_by"],
            # Written in / the sender's interface language (None before migration m011).
            "language": c.get("language"),
            "ui_language": c.get("ui_language"),
            "participant": c["participant_id"],
            "target_group": group_of.get(c["participant_id"]),
            "created_at": c["created_at"],
            "updated_at": c["updated_at"],
            "dots": dots.get(c["id"], 0),
            "dots_by_group": dict(dots_by_group.get(c["id"], {})),
            "history": history[c["id"]],
            "translation": translated.get(c["id"]),
        })
    for rnd in voting:
        for cand in rnd["candidates"]:
            cand["contribution"] = card_no.get(cand["contribution"], cand["contribution"])
    actions = [
        {"actor": a["actor"], "action": a["action"], "detail": _json(a["detail"], {}),
         "at": a["at"]}
        for a in rows_of(db, "actions")
    ]
    groups = list(event.get("join_options") or [])
    groups += sorted({g for g in group_of.values() if g and g not in groups})
    return Snapshot(
        exported_at=exported_at, generator=generator, language=language,
        base_url=base_url.rstrip("/"), event=event, tables=tables, participants=participants,
        contributions=contributions, voting_rounds=voting, actions=actions, database=db,
        target_groups=groups, surveys=_surveys(db), process=read.get("process"),
        catalogue=_catalogue(db, voting, {c["number"]: c["dots"] for c in contributions}),
    )


def _catalogue(db: dict, voting: list[dict], contribution_dots: dict[int, int]) -> list[dict]:
    """The measures catalogue as written, in order, with each row's dots: a vote on the
    catalogue's rows plus the dots of its source contributions (store/catalogue.py)."""
    row_dots: Counter = Counter()
    for rnd in voting:
        for c in rnd["candidates"]:
            if c.get("catalogue_row") is not None:
                row_dots[c["catalogue_row"]] += c["dots"]
    out = []
    for r in sorted(rows_of(db, "catalogue_rows"), key=lambda r: (r["position"], r["id"])):
        sources = _json(r["sources"], [])
        dots = row_dots[r["id"]] + sum(contribution_dots.get(n, 0) for n in sources)
        out.append({
            "number": r["id"], "position": r["position"], "field": r["field"], "goal": r["goal"],
            "measure": r["measure"], "target_group": r["target_group"], "place": r["place"],
            "who": r["who"], "horizon": r["horizon"], "status": r["status"], "remarks": r["remarks"],
            "sources": sources, "dots": dots,
            "priority": r["priority"] if r["priority"] is not None else dots,
        })
    return out


def _surveys(db: dict) -> list[dict]:
    """Surveys with their definition and every response, in export numbers."""
    responses = defaultdict(list)
    for r in rows_of(db, "survey_responses"):
        responses[r["survey_id"]].append({
            "number": r["id"], "source": r["source"], "sheet": r["sheet"],
            "target_group": r["target_group"], "language": r["language"],
            "answers": _json(r["answers"], []), "created_at": r["created_at"],
        })
    out = []
    for s in rows_of(db, "surveys"):
        definition = _json(s["definition"], {})
        out.append({
            "number": s["id"], "status": s["status"], **definition,
            "created_at": s["created_at"], "opened_at": s["opened_at"],
            "closed_at": s["closed_at"], "responses": responses[s["id"]],
        })
    return out


def _voting(read: dict, numbering: dict) -> list[dict]:
    """Voting rounds with candidates, ledger and ranking, in export numbers.

    The counting is the voting feature's own (facilitation.tally), so the files show
    exactly what the projector showed.
    """
    rounds_no = numbering.get("voting_rounds", {})
    cands_no = numbering.get("voting_candidates", {})
    contrib_no = numbering.get("contributions", {})
    rows_no = numbering.get("catalogue_rows", {})
    ledger = _ledger(read)
    out = []
    for rnd in read.get("voting_rounds", []):
        rows = ledger[rounds_no.get(rnd["id"], rnd["id"])]
        counts = tally.tally(rows)
        groups = tally.tally_by_group(rows)
        ids = [cands_no.get(c["id"], c["id"]) for c in rnd["candidates"]]
        ranked = tally.ranking(counts, ids)
        place = {r["candidate_id"]: r for r in ranked}
        candidates = []
        for c, number in zip(rnd["candidates"], ids, strict=True):
            candidates.append({
                "number": number,
                "label": c["label"],
                "label_i18n": c.get("label_i18n") or {},
                "contribution": contrib_no.get(c["contribution_id"]),
                "table": c.get("table"),
                "theme": c.get("theme"),
                "position": c["position"],
                "hidden": bool(c.get("hidden", False)),
                "dots": counts.get(number, 0),
                "dots_by_group": {g or "": n for g, n in groups.get(number, {}).items()},
                "rank": place[number]["rank"],
                "tied": place[number]["tied"],
                **({"catalogue_row": rows_no.get(c["catalogue_row"], c["catalogue_row"])}
                   if c.get("catalogue_row") is not None else {}),
                **({"provenance": c["provenance"]} if c.get("provenance") else {}),
            })
        out.append({
            "number": rounds_no.get(rnd["id"], rnd["id"]),
            "title": rnd["title"],
            "status": rnd["status"],
            "budget": rnd["budget"],
            "cap": rnd["cap"],
            "hide_counts": bool(rnd.get("hide_counts")),
            "require_ticket": bool(rnd.get("require_ticket")),
            "require_prior_device": bool(rnd.get("require_prior_device")),
            "created_at": rnd.get("created_at"),
            "opened_at": rnd.get("opened_at"),
            "closed_at": rnd.get("closed_at"),
            "voters": tally.voters(rows),
            "candidates": candidates,
            "ranking": [r["candidate_id"] for r in ranked],
            "dots": [
                {"candidate": d["candidate_id"], "participant": d["participant_id"],
                 "target_group": d["target_group"], "delta": d["delta"], "at": d["at"],
                 "entered_by": d["entered_by"] or "participant"}
                for d in rows
            ],
        })
    return out


def _ledger(read: dict) -> defaultdict[int, list[dict]]:
    """The dot ledger per voting round, in export numbers: every placement (+1) and
    removal (-1) in the order they were accepted, with the participant's current target
    group (what Store.dot_ledger returns). Made from the `database` section's dots and
    participants, which were read already: 50,000 dots are not read a second time."""
    tables = read["tables"]
    dots, people = tables.get("dots"), tables.get("participants")
    ledger: defaultdict[int, list[dict]] = defaultdict(list)
    if not dots or not dots["rows"]:
        return ledger
    pcols = people["columns"]
    pid, tg = pcols.index("id"), pcols.index("target_group")
    group = {p[pid]: p[tg] for p in people["rows"]}
    cols = dots["columns"]
    rnd, cand, who, delta, at = (cols.index(c) for c in (
        "round_id", "candidate_id", "participant_id", "delta", "at"))
    by = cols.index("entered_by") if "entered_by" in cols else None
    for d in dots["rows"]:
        ledger[d[rnd]].append({
            "candidate_id": d[cand], "participant_id": d[who], "target_group": group.get(d[who]),
            "delta": d[delta], "at": d[at], "entered_by": d[by] if by is not None else None})
    return ledger
