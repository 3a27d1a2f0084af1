"""event.json round trip, schema coverage, and import refusing what it must (atomically)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from facilitation.cli import cli
from facilitation.errors import AppError
from facilitation.export import take_snapshot
from facilitation.export.event_json import document, render
from facilitation.session_import import import_session
from facilitation.store import Store
from facilitation.store.export import NOT_EVENT_DATA, is_secret_column
from tests.session_data import DUPLICATE, as_before, fill_event

BASE = "http://192.168.1.20:5000"


@pytest.fixture
def data(store):
    return fill_event(store)


@pytest.fixture
def raw(store, data):
    return render(take_snapshot(store, data["event"]["id"], base_url=BASE))


def comparable(store, event_id: str) -> dict:
    """event.json of an event without the moment of export and with the id written as EID."""
    doc = document(take_snapshot(store, event_id, base_url=BASE))
    doc.pop("exported_at")
    return json.loads(json.dumps(doc).replace(json.dumps(event_id), '"EID"'))


def all_rows(store) -> dict[str, int]:
    with store.read():
        return {t: store.row(f'SELECT count(*) AS n FROM "{t}"')["n"]
                for t in store.schema_tables()}


def test_round_trip_into_a_fresh_database_gives_the_same_export(store, data, raw, tmp_path):
    other = Store(tmp_path / "other.db")
    try:
        event = import_session(other, raw)
        assert event["id"] == data["event"]["id"]  # kept: it was free
        assert comparable(other, event["id"]) == comparable(store, event["id"])
        assert other.facilitator_key(event["id"]) != store.facilitator_key(event["id"])
    finally:
        other.close()


def test_a_file_from_before_merging_existed_still_imports(store, data, raw, tmp_path):
    # Session files written by the version before m004 (no merged_into column, one
    # migration fewer) are what organisers have from earlier events: they must import.
    doc = as_before(json.loads(raw), "m004_merge_contributions", {"contributions": ("merged_into",)})
    other = Store(tmp_path / "older.db")
    try:
        event = import_session(other, json.dumps(doc).encode())
        texts = {c["text"]: c for c in other.contributions(event["id"], include_hidden=True)}
        assert texts[DUPLICATE]["hidden"] and texts[DUPLICATE]["merged_into"] is None
        assert len(texts) == len(data["contributions"])
    finally:
        other.close()


def test_round_trip_into_the_same_database_remaps_every_id(store, data, raw):
    before = all_rows(store)
    event = import_session(store, raw)
    assert event["id"] != data["event"]["id"]
    assert comparable(store, event["id"]) == comparable(store, data["event"]["id"])
    after = all_rows(store)
    # Every event table gained exactly the rows of the event; nothing else changed.
    exported = json.loads(raw)["counts"]
    for table, n in before.items():
        assert after[table] == n + exported.get(table, 0), table
    # The copy's voting result is the original's, read through the voting store verbs.
    original = store.dot_ledger(data["event"]["id"])
    copy = store.dot_ledger(event["id"])
    assert [(d["delta"], d["target_group"]) for d in copy] == [
        (d["delta"], d["target_group"]) for d in original]


def test_every_database_table_is_covered_by_the_export(store, data, raw):
    shapes, unlinked = store.event_table_shapes()
    assert not unlinked, (
        f"tables not linked to an event, so not exported: {unlinked}. Give them an event_id "
        "or a foreign key to an event table, or list them in store/export.py NOT_EVENT_DATA."
    )
    every = set(store.schema_tables())
    assert {s.name for s in shapes} | NOT_EVENT_DATA >= every
    assert set(json.loads(raw)["database"]["tables"]) == {s.name for s in shapes}
    with store.read():
        for s in shapes:
            params = [data["event"]["id"]] * s.where.count("?")
            n = store.row(f'SELECT count(*) AS n FROM "{s.name}" WHERE {s.where}', params)["n"]
            assert json.loads(raw)["counts"][s.name] == n, s.name


def test_no_column_that_identifies_a_device_is_exported(raw):
    database = json.loads(raw)["database"]["tables"]
    for table, data in database.items():
        for column in data["columns"]:
            assert not is_secret_column(table, column), f"{table}.{column}"
    assert "device_hash" not in raw.decode() and "facilitator_key" not in raw.decode()
    assert is_secret_column("participants", "device_hash")
    assert is_secret_column("dots", "client_id") and is_secret_column("tables", "host_key")
    assert is_secret_column("voting_tickets", "code") and not is_secret_column("tables", "code")


def cut(raw: bytes, fraction: float) -> bytes:
    return raw[: int(len(raw) * fraction)]


def edited(raw: bytes, change) -> bytes:
    doc = json.loads(raw)
    change(doc)
    return json.dumps(doc).encode()


@pytest.mark.parametrize("name, make, code, words", [
    ("truncated early", lambda r: cut(r, 0.1), "invalid_session_file", "incomplete"),
    ("truncated late", lambda r: cut(r, 0.97), "invalid_session_file", "incomplete"),
    ("last byte missing", lambda r: r.rstrip()[:-1], "invalid_session_file", "incomplete"),
    ("a CSV", lambda r: b"Nr;Tisch\r\n1;A\r\n", "invalid_session_file", "not a session"),
    ("other JSON", lambda r: b'{"title": "x"}', "invalid_session_file", "not a session file"),
    ("binary", lambda r: bytes(range(256)), "invalid_session_file", "not a text file"),
    ("empty", lambda r: b"", "invalid_session_file", "empty"),
    ("newer schema", lambda r: edited(r, lambda d: d.update(schema_version=2)),
     "session_file_too_new", "schema_version 2"),
    ("newer database", lambda r: edited(
        r, lambda d: d["database"]["migrations"].append("m999_future")),
     "session_file_too_new", "m999_future"),
    ("rows dropped", lambda r: edited(
        r, lambda d: d["database"]["tables"]["contributions"]["rows"].pop()),
     "invalid_session_file", "incomplete"),
    ("unknown table", lambda r: edited(r, lambda d: (
        d["database"]["tables"].update(future={"columns": ["id"], "rows": []}),
        d["counts"].update(future=0))), "session_file_too_new", "future"),
])
def test_import_refuses_with_a_clear_message_and_changes_nothing(store, raw, name, make, code,
                                                                 words):
    before = all_rows(store)
    with pytest.raises(AppError) as refused:
        import_session(store, make(raw))
    assert refused.value.code == code, name
    assert words in refused.value.message(), refused.value.message()
    assert all_rows(store) == before


def test_an_import_that_fails_late_leaves_no_partial_event(store, raw):
    """The last table's rows break a constraint: everything before is rolled back too."""
    def break_dots(doc):
        dots = doc["database"]["tables"]["dots"]
        dots["rows"][-1][dots["columns"].index("delta")] = 5  # CHECK (delta IN (1, -1))

    def dangling(doc):
        dots = doc["database"]["tables"]["dots"]
        dots["rows"][-1][dots["columns"].index("candidate_id")] = 999

    before = all_rows(store)
    events = len(store.list_events())
    for change in (break_dots, dangling):
        with pytest.raises(AppError) as refused:
            import_session(store, edited(raw, change))
        assert refused.value.code == "invalid_session_file"
        assert all_rows(store) == before
        assert len(store.list_events()) == events


def test_cli_export_import_and_cards(store, data, tmp_path):
    eid = data["event"]["id"]
    db = str(store.path)
    runner = CliRunner()
    out = tmp_path / "sessions"
    done = runner.invoke(cli, ["export", eid, "--out", str(out), "--database", db,
                               "--public-url", BASE])
    assert done.exit_code == 0, done.output
    folder = out / done.output.strip().splitlines()[-1].split("/")[-1]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["event.json", "beitraege.csv", "punkte.csv", "umfragen.csv", "ergebnisse.xlsx",
         "bericht.html", "tischkarten.pdf"])
    assert folder.name == "2026-11-22-weltcafe-integration-ehrenamt-verwaltung"

    target = tmp_path / "target.db"
    imported = runner.invoke(cli, ["import", str(folder / "event.json"), "--database", str(target)])
    assert imported.exit_code == 0, imported.output
    assert imported.output.splitlines()[0] == eid and "/console?key=" in imported.output

    cards = runner.invoke(cli, ["cards", eid, "--out", str(tmp_path / "k.pdf"), "--database", db])
    assert cards.exit_code == 0 and (tmp_path / "k.pdf").read_bytes().startswith(b"%PDF")


def test_cli_says_what_is_wrong_and_exits_non_zero(store, data, tmp_path):
    db = str(store.path)
    runner = CliRunner()
    unknown = runner.invoke(cli, ["export", "nope42", "--out", str(tmp_path), "--database", db])
    assert unknown.exit_code == 1 and "does not exist" in unknown.output
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    unwritable = runner.invoke(cli, ["export", data["event"]["id"], "--out", str(blocker / "x"),
                                     "--database", db])
    assert unwritable.exit_code == 1 and "could not be written" in unwritable.output
    assert list(tmp_path.glob("**/event.json")) == []
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "facilitation-session", "schema_version": 1, "eve')
    refused = runner.invoke(cli, ["import", str(bad), "--database", db])
    assert refused.exit_code == 1 and "incomplete" in refused.output


def test_the_actions_log_names_the_same_rows_after_import_and_export(store, data, raw):
    """An action's detail names a contribution, table, voting round or impulse by id: the
    import shifts it with the row, and the export renumbers it like the row."""
    from facilitation.store.actions import ACTION_ID_TABLE

    edited_text = "Mehr Sprachkurse für Mütter, mit Kinderbetreuung"
    # Every action that names a row by "id" says which kind of row (a new one must too).
    assert {a["action"] for a in store.actions(data["event"]["id"]) if "id" in a["detail"]} <= set(
        ACTION_ID_TABLE)
    event = import_session(store, raw)  # into the same database: every id shifts
    for eid in (data["event"]["id"], event["id"]):
        logged = [a for a in store.actions(eid) if a["action"] in ACTION_ID_TABLE]
        assert {a["action"] for a in logged} >= {
            "contribution_hidden", "contribution_edited", "voting_round_created", "key_point_marked"}
        with store.read():
            for a in logged:
                table = ACTION_ID_TABLE[a["action"]]
                row = store.row(f'SELECT event_id FROM "{table}" WHERE id = ?', [a["detail"]["id"]])
                assert row is not None and row["event_id"] == eid, (eid, a)
        edited = next(a for a in logged if a["action"] == "contribution_edited")
        assert store.get_contribution(eid, edited["detail"]["id"])["text"] == edited_text
        merged = next(a for a in logged if a["action"] == "contribution_merged")
        duplicate = store.get_contribution(eid, merged["detail"]["id"])
        assert duplicate["text"] == DUPLICATE and duplicate["merged_into"] == merged["detail"]["into"]
        assert store.get_contribution(eid, duplicate["merged_into"])["text"].startswith(
            "Interkulturelle Öffnung")

    # The copy's export (its database ids are not 1, 2, 3…) names the exported numbers.
    doc = json.loads(render(take_snapshot(store, event["id"], base_url=BASE)))
    by_number = {c["number"]: c for c in doc["contributions"]}
    actions = {a["action"]: a["detail"] for a in doc["actions"]}
    assert by_number[actions["contribution_edited"]["id"]]["text"] == edited_text
    assert by_number[actions["contribution_hidden"]["id"]]["hidden"] is True
    merge = actions["contribution_merged"]
    assert by_number[merge["id"]]["text"] == DUPLICATE
    assert by_number[merge["id"]]["merged_into"] == merge["into"] != merge["id"]
    assert by_number[merge["into"]]["text"].startswith("Interkulturelle Öffnung")
    assert [v["title"] for v in doc["voting_rounds"]][actions["voting_round_created"]["id"] - 1] == (
        "Welche Ideen zuerst?")
