"""Privacy (DSGVO): purge an event completely, purge closed events after the retention
period (also at server start), and say so in the privacy note."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3

import requests
from click.testing import CliRunner

from facilitation import retention
from facilitation.cli import cli
from facilitation.export import write_session
from facilitation.store import Store
from tests.helpers import ServerProcess, device_cookie, make_event

MARK = "Datenschutzmarke"  # appears in every text of the purged event, nowhere else


def fill_event(store: Store, title: str, mark: str) -> dict:
    """An event with something in every kind of row: devices, contributions with their
    history, host key points, an impulse, rounds, a voting round with dots, tickets."""
    event = make_event(store, tables=2, title=f"{title} {mark}",
                       join_options=[f"Ehrenamt {mark}", "Hauptamt"])
    eid = event["id"]
    store.update_event(eid, {"status": "running"})
    people = [store.participant(eid, device_cookie(f"{title}{n}"))["id"] for n in range(3)]
    store.set_target_group(eid, people[0], f"Ehrenamt {mark}")
    ids = []
    for n, pid in enumerate(people):
        c, _ = store.add_contribution(eid, "AB"[n % 2], "idea", f"Idee {n} {mark}",
                                      participant_id=pid, client_id=f"{title}-client-{n}")
        ids.append(c["id"])
    store.edit_contribution(eid, ids[0], f"Korrigiert {mark}")
    store.set_hidden(eid, ids[1], True)
    store.set_hidden(eid, ids[1], False)
    store.mark_key_point(eid, ids[0], True, table_code="A")
    store.add_impulse(eid, f"Impuls {mark}", participant_id=people[0], client_id=f"{title}-imp-1")
    store.start_round(eid)
    vote = store.create_voting_round(eid, f"Abstimmung {mark}", contribution_ids=ids,
                                     statements=[f"Aussage {mark}"])
    store.open_voting_round(eid, vote["id"])
    candidate = store.voting_round(eid, vote["id"])["candidates"][0]["id"]
    for n, pid in enumerate(people):
        store.place_dot(eid, vote["id"], candidate, pid, f"{title}-dot-{n}")
    store.generate_tickets(eid, 3)
    return store.get_event(eid)


def rows_of(path, event_id: str, mark: str = MARK) -> dict[str, int]:
    """Rows per table that belong to event_id or contain mark in any column."""
    db = sqlite3.connect(path)
    found = {}
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info([{table}])")]
        conditions = [f"CAST([{c}] AS TEXT) LIKE ?" for c in columns]
        params = [f"%{mark}%"] * len(columns)
        if "event_id" in columns:
            conditions.append("event_id = ?")
            params.append(event_id)
        if table == "events":
            conditions.append("id = ?")
            params.append(event_id)
        n = db.execute(f"SELECT count(*) FROM [{table}] WHERE {' OR '.join(conditions)}",
                       params).fetchone()[0]
        if n:
            found[table] = n
    db.close()
    return found


def test_purge_command_leaves_nothing_of_the_event(tmp_path):
    path = tmp_path / "purge.db"
    store = Store(path)
    doomed = fill_event(store, "Weg", MARK)
    kept = fill_event(store, "Bleibt", "anders")
    before_kept = rows_of(path, kept["id"], "anders")
    before = rows_of(path, doomed["id"])
    assert {"events", "contributions", "participants", "dots", "contribution_edits",
            "actions"} <= set(before), before
    sessions = tmp_path / "sessions"
    base = "http://192.168.1.20:5000"
    folder = write_session(store, doomed["id"], sessions, base_url=base)
    other = write_session(store, kept["id"], sessions, base_url=base)
    assert MARK in (folder / "bericht.html").read_text(encoding="utf-8")
    legacy = sessions / f"2026-11-22-weg-{doomed['id']}"  # as earlier versions named it
    shutil.copytree(folder, legacy)  # found by the event.json inside, not by its name
    store.close()

    result = CliRunner().invoke(cli, ["purge", doomed["id"], "--database", str(path), "--yes"],
                                env={"FACILITATION_SESSIONS_DIR": str(sessions)})
    assert result.exit_code == 0, result.output
    assert f"purged {doomed['id']}" in result.output and "2 session folders" in result.output

    assert rows_of(path, doomed["id"]) == {}, "rows of the purged event remain"
    assert rows_of(path, kept["id"], "anders") == before_kept, "the other event was touched"
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    # Not in the database files either: freed pages are overwritten, the WAL truncated.
    for file in tmp_path.glob("purge.db*"):
        assert MARK.encode() not in file.read_bytes(), f"{file.name} still holds the texts"
    assert not folder.exists() and not legacy.exists()
    assert sorted(sessions.iterdir()) == [other]

    again = CliRunner().invoke(cli, ["purge", doomed["id"], "--database", str(path), "--yes"])
    assert again.exit_code != 0 and "does not exist" in again.output


def test_closed_events_are_purged_after_the_retention_period(tmp_path):
    now = {"t": dt.datetime(2026, 1, 10, 18, 0, tzinfo=dt.UTC)}
    store = Store(tmp_path / "r.db", clock=lambda: now["t"])
    closed = make_event(store, title="Geschlossen")
    still_open = make_event(store, title="Läuft noch")
    store.update_event(closed["id"], {"status": "closed"})
    sessions = tmp_path / "sessions"
    write_session(store, closed["id"], sessions, base_url="http://192.168.1.20:5000")

    now["t"] += dt.timedelta(days=29, hours=23)
    assert retention.purge_expired(store, 30, sessions) == []
    now["t"] += dt.timedelta(hours=2)
    assert retention.purge_expired(store, 0, sessions) == []  # 0: keep for ever
    assert retention.purge_expired(store, 30, sessions) == [closed["id"]]
    assert store.event_ids() == {still_open["id"]}
    assert list(sessions.iterdir()) == []
    store.close()


def test_an_event_nobody_closed_is_purged_once_its_date_and_last_activity_are_old(tmp_path):
    now = {"t": dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)}
    store = Store(tmp_path / "r.db", clock=lambda: now["t"])
    left_running = make_event(store, title="Nie geschlossen", date="2026-03-01")
    store.update_event(left_running["id"], {"status": "running"})
    prepared = make_event(store, title="Im Herbst", date="2026-10-15")  # planned months ahead
    free_date = make_event(store, title="Freies Datum", date="Frühjahr 2026")
    now["t"] += dt.timedelta(days=20)
    store.add_contribution(left_running["id"], "A", "idea", "Noch ein später Gedanke", 0)
    now["t"] += dt.timedelta(days=25)  # 45 days after the event, 25 after its last activity
    assert store.expired_events(30) == [free_date["id"]]  # nothing in it for 45 days
    now["t"] += dt.timedelta(days=6)
    assert store.expired_events(30) == [free_date["id"], left_running["id"]]
    assert prepared["id"] not in store.expired_events(30)
    assert retention.purge_expired(store, 30) == [free_date["id"], left_running["id"]]
    assert store.event_ids() == {prepared["id"]}
    store.close()


def test_the_server_purges_expired_events_when_it_starts(tmp_path):
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    server = ServerProcess(tmp_path, extra_env={"FACILITATION_RETENTION_DAYS": "30"})
    store = Store(server.db_path, clock=lambda: long_ago)
    old = make_event(store, title="Alt")
    store.update_event(old["id"], {"status": "closed"})
    # Made 40 days ago too, but for an event still to come: kept.
    recent = make_event(store, title="Neu", date=(dt.date.today() + dt.timedelta(days=7)).isoformat())
    store.close()
    server.start()
    try:
        assert requests.get(f"{server.url}/e/{old['id']}", timeout=5).status_code == 404
        page = requests.get(f"{server.url}/e/{recent['id']}", timeout=5)
        assert page.status_code == 200
        assert "30" in page.text.split('class="privacy"')[1]
    finally:
        server.stop()


def test_the_privacy_note_states_the_retention_period(app, client):
    store = app.extensions["store"]
    event = make_event(store)
    for url in (f"/e/{event['id']}", f"/e/{event['id']}/t/A"):
        note = client.get(url, query_string={"lang": "en"}).get_data(as_text=True)
        note = note.split('class="privacy"')[1].split("</details>")[0]
        assert "anonymously" in note
        assert f"{app.config['RETENTION_DAYS']} days after the event has ended" in note
    app.config["RETENTION_DAYS"] = 30
    note = client.get(f"/e/{event['id']}", query_string={"lang": "en"}).get_data(as_text=True)
    assert "30 days after the event has ended" in note
