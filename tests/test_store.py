"""The store: what is written is what is read back, refusals change nothing."""

import sqlite3

import pytest

from facilitation.errors import AppError
from facilitation.store import Store, device_hash
from facilitation.store.schema import migrations
from tests.helpers import make_event


def test_migrations_are_recorded_once(tmp_path):
    path = tmp_path / "m.db"
    Store(path).close()
    s = Store(path)  # applying again on an existing database is a no-op
    applied = [m.name for m in migrations.applied(s.db)]
    assert applied == [m.name for m in migrations._migrations]
    assert migrations.pending(s.db) == []
    s.close()


def test_database_runs_in_wal_mode_with_a_busy_timeout(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_event_with_tables_round_trips(store):
    event = make_event(store, tables=3)
    assert event["status"] == "draft"
    tables = store.tables(event["id"])
    assert [t["code"] for t in tables] == ["A", "B", "C"]
    assert tables[0]["questions"] == ["Frage 1 A?", "Frage 2 A?"]
    assert store.get_event(event["id"])["join_options"] == ["Ehrenamt", "Hauptamt", "Verwaltung"]


def test_unknown_event_and_table_are_refused(store):
    with pytest.raises(AppError) as e:
        store.get_event("nope")
    assert e.value.code == "unknown_event"
    event = make_event(store)
    with pytest.raises(AppError) as e:
        store.add_contribution(event["id"], "Z", "idea", "Text")
    assert e.value.code == "unknown_table"


@pytest.mark.parametrize(
    "kind,text,question,code",
    [
        ("idea", "", None, "text_empty"),
        ("idea", "   \n\t ", None, "text_empty"),
        ("idea", "x" * 501, None, "text_too_long"),
        ("wish", "Text", None, "unknown_kind"),
        ("idea", "Text", 2, "unknown_question"),
        ("idea", "Text", -1, "unknown_question"),
    ],
)
def test_bad_contributions_are_refused_and_store_nothing(store, kind, text, question, code):
    event = make_event(store)
    with pytest.raises(AppError) as e:
        store.add_contribution(event["id"], "A", kind, text, question)
    assert e.value.code == code
    assert store.contributions(event["id"], include_hidden=True) == []
    assert store.get_event(event["id"])["version"] == event["version"]


def test_text_of_exactly_500_characters_is_kept_whole(store):
    event = make_event(store)
    text = "ä" * 500
    c, _ = store.add_contribution(event["id"], "A", "idea", text)
    assert c["text"] == text


def test_same_client_id_is_stored_once(store):
    event = make_event(store)
    pid = store.participant(event["id"], "t" * 43)["id"]
    first, created = store.add_contribution(event["id"], "A", "need", "Eins", 0, pid, "client-0001")
    again, created_again = store.add_contribution(
        event["id"], "A", "need", "Eins", 0, pid, "client-0001"
    )
    assert created and not created_again
    assert first["id"] == again["id"]
    assert len(store.contributions(event["id"])) == 1


def test_client_id_of_another_device_is_refused(store):
    event = make_event(store)
    a = store.participant(event["id"], "a" * 43)["id"]
    b = store.participant(event["id"], "b" * 43)["id"]
    store.add_contribution(event["id"], "A", "need", "Von A", None, a, "client-0001")
    with pytest.raises(AppError):
        store.add_contribution(event["id"], "A", "need", "Von B", None, b, "client-0001")
    assert [c["text"] for c in store.contributions(event["id"])] == ["Von A"]


def test_hide_and_edit_keep_history(store):
    event = make_event(store)
    c, _ = store.add_contribution(event["id"], "B", "idea", "Sprachcafe")
    store.set_hidden(event["id"], c["id"], True)
    assert store.contributions(event["id"]) == []
    assert store.contributions(event["id"], include_hidden=True)[0]["hidden"] is True
    store.set_hidden(event["id"], c["id"], False)
    edited = store.edit_contribution(event["id"], c["id"], "Sprachcafé")
    assert edited["text"] == "Sprachcafé" and edited["edited"]
    history = store.contribution_history(c["id"])
    assert [(h["field"], h["old_value"], h["new_value"]) for h in history] == [
        ("hidden", "0", "1"), ("hidden", "1", "0"), ("text", "Sprachcafe", "Sprachcafé"),
    ]
    assert [a["action"] for a in store.actions(event["id"])][-3:] == [
        "contribution_hidden", "contribution_shown", "contribution_edited",
    ]


def test_duplicates_merge_into_the_one_that_stays_and_showing_one_undoes_it(store):
    eid = make_event(store)["id"]
    kept, a, b, other = (store.add_contribution(eid, code, "idea", text)[0] for code, text in (
        ("A", "Sprachcafé im Stadtteil"), ("B", "Ein Sprachcafé"), ("C", "Sprach-Café!"),
        ("A", "Kita-Plätze")))
    store.merge_contributions(eid, a["id"], [b["id"]])  # b into a, then a into kept
    changed = store.merge_contributions(eid, kept["id"], [a["id"]])
    assert [c["id"] for c in changed] == [kept["id"], a["id"], b["id"]]
    assert [c["text"] for c in store.contributions(eid)] == ["Sprachcafé im Stadtteil", "Kita-Plätze"]
    every = {c["id"]: c for c in store.contributions(eid, include_hidden=True)}
    assert every[a["id"]]["merged_into"] == every[b["id"]]["merged_into"] == kept["id"]  # no chains
    assert every[kept["id"]]["merged_into"] is None and every[a["id"]]["hidden"]
    assert [x["detail"] for x in store.actions(eid) if x["action"] == "contribution_merged"] == [
        {"id": b["id"], "into": a["id"], "from": None},
        {"id": a["id"], "into": kept["id"], "from": None},
        {"id": b["id"], "into": kept["id"], "from": a["id"]}]
    # refused, and nothing changes: itself, nothing, a hidden target, twice, another event's
    store.set_hidden(eid, other["id"], True)
    elsewhere = store.add_contribution(make_event(store)["id"], "A", "idea", "Woanders")[0]
    before = store.contributions(eid, include_hidden=True)
    for target, sources, code in ((kept["id"], [kept["id"]], "merge_invalid"),
                                  (kept["id"], [], "merge_invalid"),
                                  (other["id"], [kept["id"]], "merge_invalid"),
                                  (kept["id"], [a["id"]], "merge_invalid"),
                                  (kept["id"], [elsewhere["id"]], "unknown_contribution")):
        with pytest.raises(AppError) as refused:
            store.merge_contributions(eid, target, sources)
        assert refused.value.code == code
    assert store.contributions(eid, include_hidden=True) == before
    # showing a merged contribution again undoes its merge
    shown = store.set_hidden(eid, b["id"], False)
    assert shown["merged_into"] is None and not shown["hidden"]
    assert store.get_contribution(eid, a["id"])["merged_into"] == kept["id"]


def test_contribution_of_another_event_cannot_be_touched(store):
    one, two = make_event(store), make_event(store)
    c, _ = store.add_contribution(one["id"], "A", "idea", "Text")
    with pytest.raises(AppError):
        store.set_hidden(two["id"], c["id"], True)
    assert store.get_contribution(one["id"], c["id"])["hidden"] is False


def test_table_with_contributions_cannot_be_deleted(store):
    event = make_event(store)
    tables = store.tables(event["id"])
    store.add_contribution(event["id"], "A", "idea", "Text")
    with pytest.raises(AppError) as e:
        store.delete_table(event["id"], tables[0]["id"])
    assert e.value.code == "table_has_contributions"
    store.delete_table(event["id"], tables[1]["id"])
    assert [t["code"] for t in store.tables(event["id"])] == ["A", "C"]


def test_duplicate_table_code_is_refused(store):
    event = make_event(store)
    with pytest.raises(AppError) as e:
        store.save_table(event["id"], {"code": "A", "theme": "Noch einmal", "questions": ["?"]})
    assert e.value.code == "duplicate_table"
    assert len(store.tables(event["id"])) == 3


def test_closed_event_takes_no_contributions(store):
    event = make_event(store)
    store.update_event(event["id"], {"status": "closed"})
    with pytest.raises(AppError) as e:
        store.add_contribution(event["id"], "A", "idea", "Zu spät")
    assert e.value.code == "event_closed"


def test_device_token_is_never_stored(store):
    event = make_event(store)
    token = "secret-device-token-".ljust(43, "z")
    store.participant(event["id"], token)
    dump = "\n".join(store.db.conn.iterdump())
    assert token not in dump
    assert device_hash(token) in dump


def test_target_group_must_be_an_offered_answer(store):
    event = make_event(store)
    pid = store.participant(event["id"], "d" * 43)["id"]
    with pytest.raises(AppError):
        store.set_target_group(event["id"], pid, "Astronaut*in")
    store.set_target_group(event["id"], pid, "Ehrenamt")
    c, _ = store.add_contribution(event["id"], "A", "idea", "Text", participant_id=pid)
    assert c["target_group"] == "Ehrenamt"


def test_a_failed_write_rolls_back_completely(store):
    event = make_event(store)
    with pytest.raises(sqlite3.IntegrityError):
        with store.write() as db:
            db["actions"].insert({"event_id": event["id"], "actor": "t", "action": "x",
                                  "detail": "{}", "at": "now"})
            db.execute("INSERT INTO tables (event_id, code, theme, host_key) VALUES (?, 'A', 't', 'k')",
                       [event["id"]])
    assert [a["action"] for a in store.actions(event["id"])] == ["event_created"]


def test_shared_reads_are_never_older_than_the_database(tmp_path):
    """A whole hall's snapshots share one read of the tables, but a change made here,
    by another process, or a write that was rolled back, is seen by the next reader."""
    path = tmp_path / "shared.db"
    here, other = Store(path), Store(path)  # two server processes on one database
    event = make_event(here, tables=2)
    first = here.shared("tables", event["id"])
    assert here.shared("tables", event["id"]) is first  # nothing changed: the same read
    assert [t["theme"] for t in first] == [t["theme"] for t in here.tables(event["id"])]

    table = dict(first[0], theme="Geänderter Handlungsfeld")
    here.save_table(event["id"], {"id": table["id"], "code": table["code"],
                                  "theme": table["theme"], "questions": table["questions"]})
    assert here.shared("tables", event["id"])[0]["theme"] == "Geänderter Handlungsfeld"

    other.save_table(event["id"], {"id": table["id"], "code": table["code"],
                                   "theme": "Aus dem anderen Prozess",
                                   "questions": table["questions"]})
    assert here.shared("tables", event["id"])[0]["theme"] == "Aus dem anderen Prozess"

    with pytest.raises(RuntimeError), here.write() as db:
        db.execute("UPDATE tables SET theme = 'nie gespeichert' WHERE id = ?", [table["id"]])
        assert here.shared("tables", event["id"])[0]["theme"] == "nie gespeichert"
        raise RuntimeError("rolled back")
    assert here.shared("tables", event["id"])[0]["theme"] == "Aus dem anderen Prozess"
    here.close()
    other.close()


def test_a_hall_joining_keeps_the_shared_reads_and_a_group_choice_is_seen(tmp_path):
    """Each new phone adds a participant; the event's tables and groups need not be read
    again for the next phone's snapshot. Choosing a group changes the groups, and the
    next reader sees it; so does a participant added by another process."""
    path = tmp_path / "join.db"
    here, other = Store(path), Store(path)
    event = make_event(here, tables=2)
    eid = event["id"]
    tables, groups = here.shared("tables", eid), here.shared("groups", eid)
    first = here.participant(eid, "a-new-device-token-000000000000000000000000")["id"]
    here.participant(eid, "a-new-device-token-000000000000000000000001")
    assert here.shared("tables", eid) is tables and here.shared("groups", eid) is groups

    here.choose_group(eid, first, "A")
    assert here.shared("groups", eid)[0]["members"] == 1
    groups = here.shared("groups", eid)
    other.participant(eid, "a-new-device-token-000000000000000000000002")
    assert here.shared("groups", eid) is not groups  # another process: read again
    assert here.shared("groups", eid) == groups
    with pytest.raises(ValueError):
        here.shared("participant_by_id", first)  # reads participants: never shared
    here.close()
    other.close()


def test_timestamps_are_iso_8601_in_utc_with_milliseconds_whatever_the_clock():
    import datetime as dt

    from facilitation.store import utc_iso

    berlin = dt.timezone(dt.timedelta(hours=1))
    start = dt.datetime(2026, 11, 30, 22, 59, 59, 998_765, tzinfo=dt.UTC)
    moments = [start + dt.timedelta(microseconds=417 * n) for n in range(20)]
    moments += [m.astimezone(berlin) for m in moments] + moments[::-1]  # seconds back and forth
    for moment in moments:
        assert utc_iso(moment) == moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    assert utc_iso(start) == "2026-11-30T22:59:59.998+00:00"
