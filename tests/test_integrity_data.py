"""Issue 13, data side: content that cannot break an export, imports as untrusted input,
the purge by exact event id, the rotation plan's bound, host keys (findings 2–6, 10, 11, 13).

Each test names the finding it turns into a test; each failed on the code before.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from facilitation import retention
from facilitation.cli import cli
from facilitation.errors import AppError
from facilitation.export import render_all, take_snapshot, write_session
from facilitation.export.event_json import render
from facilitation.rotation import plan_rotation
from facilitation.rules import clean_text, printable
from facilitation.session_import import import_session
from facilitation.store import Store
from tests.helpers import device_cookie, make_event, wait_for
from tests.session_data import fill_event

BASE = "http://192.168.1.20:5000"
BREAKERS = "\ufffe\uffff\ufdd0\U0010fffe\x00\x07\x1b[31m\x85\x9b\ud800\udfff\u202e\u2066\u2069"


def _raw_text(store, contribution_id: int, text: str) -> None:
    """Write a text as an older version (or an import) might have stored it (SQLite
    cannot hold lone surrogates at all: those are left out)."""
    text = "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)
    with store.write():
        store.db.conn.execute("UPDATE contributions SET text = ? WHERE id = ?",
                              [text, contribution_id])


def _rename_event(store, old: str, new: str) -> None:
    """Give an event an id the app would never make (as older imports let in)."""
    conn = store.db.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    with store.write():
        for table in store.schema_tables():
            columns = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            if "event_id" in columns:
                conn.execute(f'UPDATE "{table}" SET event_id = ? WHERE event_id = ?', [new, old])
        conn.execute("UPDATE events SET id = ? WHERE id = ?", [new, old])
    conn.execute("PRAGMA foreign_keys = ON")


# -- finding 2: one participant can break the export ------------------------------------


def test_the_input_rule_removes_what_xml_csv_and_terminals_cannot_take():
    assert clean_text("Sprach\ufffekurs\uffff für\x07 alle\u202e!") == "Sprachkurs für alle!"
    assert clean_text("A\u2066B\u2069C\ufdd0D\U0001fffeE\x9bF\ud800") == "ABCDEF"
    assert clean_text("Zeile 1\r\nZeile 2\twie vorher") == "Zeile 1\nZeile 2\twie vorher"
    # Right-to-left scripts are text, not controls: Arabic and Hebrew stay as they are.
    assert clean_text("دورات لغة للأمهات — קורס") == "دورات لغة للأمهات — קורס"
    with pytest.raises(AppError):
        clean_text("\ufffe\u202e")  # nothing left: empty


def test_a_contribution_with_u_fffe_cannot_break_export_zip_even_hidden(app, client):
    store = app.extensions["store"]
    event = make_event(store)
    pid = store.participant(event["id"], device_cookie("fffe"))["id"]
    made, _ = store.add_contribution(event["id"], "A", "idea", "Kurs\ufffe für\uffff alle",
                                     participant_id=pid)
    assert made["text"] == "Kurs für alle"
    # As an older database holds it: the exporters must drop the characters themselves.
    _raw_text(store, made["id"], "Kurs\ufffe für\uffff alle" + BREAKERS)
    store.set_hidden(event["id"], made["id"], True)
    key = store.facilitator_key(event["id"])
    response = client.get(f"/e/{event['id']}/export.zip?key={key}")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as z:
        names = z.namelist()
        sheet = next(n for n in names if n.endswith("ergebnisse.xlsx"))
        load_workbook(io.BytesIO(z.read(sheet)))  # opens: valid XML
        text = z.read(next(n for n in names if n.endswith("beitraege.csv"))).decode("utf-8-sig")
        assert "Kurs für alle" in text and "\ufffe" not in text and "\x1b" not in text


def test_closing_writes_the_session_folder_despite_old_unexportable_texts(app, tmp_path):
    store = app.extensions["store"]
    event = make_event(store)
    made, _ = store.add_contribution(event["id"], "B", "need", "Wohnraum")
    _raw_text(store, made["id"], "Wohnraum" + BREAKERS)
    store.update_event(event["id"], {"status": "closed"})
    sessions = tmp_path / "sessions"
    # Not the hidden temporary folder the files are written into before it is renamed.
    folder = wait_for(lambda: next(iter(sessions.glob("[!.]*")), None), timeout=20)
    assert (folder / "tischkarten.pdf").exists()
    assert "Wohnraum" in (folder / "beitraege.csv").read_text(encoding="utf-8-sig")


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    event = make_event(store, tables=2)
    store.create_voting_round(event["id"], "Abstimmung", statements=["Erster Satz"])
    yield store, event["id"]
    store.close()


@settings(max_examples=20, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(codec=None), min_size=1, max_size=80))
def test_arbitrary_unicode_goes_through_submission_and_every_exporter(fuzz_store, tmp_path, text):
    store, eid = fuzz_store
    try:
        made, _ = store.add_contribution(eid, "A", "idea", text)
    except AppError:  # nothing left, or too long: refused with a message, nothing stored
        made = None
    other, _ = store.add_contribution(eid, "B", "need", "Platzhalter")
    _raw_text(store, other["id"], text)  # and as an old database may hold it
    files = render_all(take_snapshot(store, eid, base_url=BASE))
    doc = json.loads(files["event.json"])
    texts = [c["text"] for c in doc["contributions"]]
    assert printable(text) in texts
    if made is not None:
        assert made["text"] in texts
    load_workbook(io.BytesIO(files["ergebnisse.xlsx"]))
    files["beitraege.csv"].decode("utf-8")
    assert all(printable(t) == t for t in texts)
    folder = write_session(store, eid, tmp_path / "sessions", base_url=BASE)  # the close-time folder
    assert (folder / "event.json").exists()


# -- findings 3, 4, 6, 13: imports are untrusted input -----------------------------------


@pytest.fixture
def doc(store):
    data = fill_event(store)
    return json.loads(render(take_snapshot(store, data["event"]["id"], base_url=BASE)))


def _import(doc, tmp_path, name="target.db"):
    target = Store(tmp_path / name)
    try:
        return target, import_session(target, json.dumps(doc).encode())
    except Exception:
        target.close()
        raise


def _set(doc, table, column, value, row=0):
    data = doc["database"]["tables"][table]
    data["rows"][row][data["columns"].index(column)] = value


def _refused(doc, tmp_path, words):
    target = Store(tmp_path / "refused.db")
    try:
        with pytest.raises(AppError) as info:
            import_session(target, json.dumps(doc).encode() if not isinstance(doc, bytes) else doc)
        assert info.value.code == "invalid_session_file"
        assert words in info.value.message()
        assert target.list_events() == []  # nothing half-imported
    finally:
        target.close()


def test_an_event_id_that_climbs_out_of_the_folder_is_refused(doc, tmp_path):
    for bad in ("x/../../ESCAPED", "..", "a.b", "a b", "ä", "/abs"):
        _set(doc, "events", "id", bad)
        for table, data in doc["database"]["tables"].items():
            if table != "events" and "event_id" in data["columns"]:
                for n in range(len(data["rows"])):
                    _set(doc, table, "event_id", bad, n)
        _refused(doc, tmp_path, "event id")


def test_an_export_never_writes_outside_its_folder(store, tmp_path):
    event = make_event(store)
    _rename_event(store, event["id"], "x/../../ESCAPED")
    out = tmp_path / "deep" / "out"
    # The plain name is taken, so the event id is appended: <name>-x/../../ESCAPED, which
    # resolves to deep/ESCAPED once <name>-x exists.
    (out / "2026-11-22-testcafe").mkdir(parents=True)
    (out / "2026-11-22-testcafe-x").mkdir()
    (out / ".2026-11-22-testcafe-x").mkdir()  # where the temporary folder would go
    victim = tmp_path / "deep" / "ESCAPED"
    victim.mkdir()
    (victim / "keep.txt").write_text("organisers' file")
    with pytest.raises(AppError) as info:
        write_session(store, "x/../../ESCAPED", out, base_url=BASE)
    assert info.value.code == "export_failed"
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["ESCAPED", "out"]
    assert sorted(p.name for p in victim.iterdir()) == ["keep.txt"]


def test_table_codes_outside_the_apps_rules_are_refused(doc, tmp_path):
    _set(doc, "tables", "code", "../A")
    _refused(doc, tmp_path, "short name")


def test_keys_in_the_file_are_never_taken_over_and_new_ones_are_printed(doc, tmp_path):
    data = doc["database"]["tables"]
    data["events"]["columns"].append("facilitator_key")
    data["events"]["rows"][0].append("attacker-knows-this-key")
    data["tables"]["columns"].append("host_key")
    for n, row in enumerate(data["tables"]["rows"]):
        row.append(f"attacker-host-key-{n}")
    target, event = _import(doc, tmp_path)
    try:
        assert not target.check_facilitator_key(event["id"], "attacker-knows-this-key")
        assert all(not k.startswith("attacker") for k in target.host_keys(event["id"]).values())
    finally:
        target.close()
    path = tmp_path / "event.json"
    path.write_text(json.dumps(doc))
    result = CliRunner().invoke(cli, ["import", str(path), "--database", str(tmp_path / "cli.db")])
    assert result.exit_code == 0, result.output
    assert "attacker" not in result.output
    assert "/console?key=" in result.output and result.output.count("/host?key=") == 3


def test_huge_ids_are_renumbered_into_the_databases_own_range(doc, tmp_path):
    data = doc["database"]["tables"]
    old = data["contributions"]["rows"][0][data["contributions"]["columns"].index("id")]
    huge = 2**62
    for table, section in data.items():  # every reference to that contribution follows it
        for column in section["columns"]:
            if (table, column) == ("contributions", "id") or column in ("contribution_id",
                                                                          "merged_into"):
                at = section["columns"].index(column)
                for row in section["rows"]:
                    if row[at] == old:
                        row[at] = huge
    target, event = _import(doc, tmp_path)
    try:
        ids = [c["id"] for c in target.contributions(event["id"], include_hidden=True)]
        assert max(ids) < 1000
        made, _ = target.add_contribution(event["id"], "A", "idea", "Danach")
        assert made["id"] < 2**53  # what a browser can count
    finally:
        target.close()


def test_an_overfull_or_negative_ledger_is_refused(doc, tmp_path):
    dots = doc["database"]["tables"]["dots"]
    budget = doc["database"]["tables"]["voting_rounds"]
    rnd = dict(zip(budget["columns"], budget["rows"][0], strict=True))
    first = dict(zip(dots["columns"], dots["rows"][0], strict=True))
    extra = []
    for n in range(rnd["budget"] + 1):  # one device, more dots than its budget
        row = dict(first, id=10_000 + n, delta=1, client_id=None)
        extra.append([row[c] for c in dots["columns"]])
    over = json.loads(json.dumps(doc))
    over["database"]["tables"]["dots"]["rows"] += extra
    over["counts"]["dots"] += len(extra)
    _refused(over, tmp_path, "budget and cap")
    negative = json.loads(json.dumps(doc))
    row = dict(first, id=20_000, delta=-1)
    negative["database"]["tables"]["dots"]["rows"].insert(0, [row[c] for c in dots["columns"]])
    negative["counts"]["dots"] += 1
    _refused(negative, tmp_path, "never placed")


def test_deep_nesting_and_huge_texts_are_refused_with_a_message(doc, tmp_path):
    deep = '{"format": "facilitation-session", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    _refused(deep.encode(), tmp_path, "nested too deeply")
    _set(doc, "contributions", "text", "x" * 1_000_000)
    _refused(doc, tmp_path, "longer than")
    doc2 = json.loads(json.dumps(doc))
    _set(doc2, "contributions", "text", "kurz")
    _set(doc2, "tables", "theme", "y" * 50_000)
    _refused(doc2, tmp_path, "longer than")


# -- finding 5: the purge matched folders by suffix --------------------------------------


def test_the_purge_takes_only_folders_whose_event_json_names_the_event(store, tmp_path):
    sessions = tmp_path / "sessions"
    summer = make_event(store, title="Sommer World Café")
    kept = write_session(store, summer["id"], sessions, base_url=BASE)
    lookalike = sessions / "2026-07-01-sommer-world-cafe"
    kept.rename(lookalike)
    doomed = make_event(store, title="Anderes")
    _rename_event(store, doomed["id"], "world-cafe")
    own = write_session(store, "world-cafe", sessions, base_url=BASE)
    retention.purge(store, "world-cafe", sessions)
    assert lookalike.exists() and not own.exists()


# -- finding 10: the rotation plan grew quadratically ------------------------------------


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("people", "tables"), [(2700, 2), (2000, 20), (4000, 40)])
def test_the_rotation_plan_stays_bounded_for_any_number_of_participants(people, tables):
    # Before: 1,500 at 4 tables took 16.5 s, 2,700 at 2 tables gave no answer in 300 s.
    # bench/rotation_bench.py measures the time; here: it ends, and keeps its hard goals.
    group = ["Ehrenamt", "Hauptamt", "Verwaltung"]
    plan = plan_rotation([(i, group[i % 3]) for i in range(people)], tables, 4, seed=1)
    for r in range(4):
        sizes = [0] * tables
        for seats in plan.values():
            sizes[seats[r]] += 1
        assert max(sizes) - min(sizes) <= 1
    if tables >= 4:
        assert all(len(set(seats)) == 4 for seats in plan.values())  # no table twice


# -- finding 11: host keys ------------------------------------------------------------------


def test_a_non_ascii_host_key_is_a_clean_refusal(app, client):
    event = make_event(app.extensions["store"])
    for key in ("schlüssel", "%F0%9F%94%91", "ключ"):
        response = client.get(f"/e/{event['id']}/t/A/host?key={key}")
        assert response.status_code in (403, 404)
