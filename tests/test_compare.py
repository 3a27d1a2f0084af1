"""vergleich.xlsx: several events side by side, from the database and from session files."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from facilitation.cli import cli
from facilitation.export import render_all, take_snapshot
from facilitation.store import Store
from tests.helpers import device_cookie, make_event

SHARED = "Vielfalt ist eine Stärke unserer Stadt"
ONLY_FIRST = "Sprache öffnet Türen"


def world_cafe(store, title: str, group: str, dots: int, themes: list[str]) -> dict:
    """An event with the given table themes, contributions, a hidden one and a closed vote."""
    eid = store.create_event(
        title=title, date="2026-11-22",
        tables=[{"code": code, "theme": theme, "questions": ["Welche Bedarfe sehen Sie?"]}
                for code, theme in zip("AB", themes, strict=True)],
        join_question="Aus welchem Bereich kommen Sie?",
        join_options=["Ehrenamt", "Hauptamt", "Verwaltung"])["id"]
    people = [store.participant(eid, device_cookie(f"{eid}-{n}"))["id"] for n in range(dots)]
    for pid in people:
        store.set_target_group(eid, pid, group)
    store.add_contribution(eid, "A", "idea", f"=Idee aus {title}", 0, participant_id=people[0])
    store.add_contribution(eid, "A", "need", "Kinderbetreuung", participant_id=people[0])
    hidden, _ = store.add_contribution(eid, "B", "problem", "ausgeblendet", participant_id=people[0])
    store.set_hidden(eid, hidden["id"], True)
    statements = [SHARED, ONLY_FIRST] if "Ehrenamt" in title else [f"  {SHARED.upper()} "]
    rnd = store.create_voting_round(eid, "Leitbild", budget=5, cap=5, statements=statements)
    store.open_voting_round(eid, rnd["id"])
    for n, pid in enumerate(people):
        store.place_dot(eid, rnd["id"], rnd["candidates"][0]["id"], pid, f"d-{eid}-{n:04d}")
    store.close_voting_round(eid, rnd["id"])
    return store.get_event(eid)


def sheet(book, name) -> list[list]:
    return [list(r) for r in book[name].iter_rows(values_only=True)]


def test_two_world_cafes_side_by_side_one_from_a_session_file(tmp_path):
    db = tmp_path / "f.db"
    store = Store(db)
    volunteers = world_cafe(store, "World Café Ehrenamt", "Ehrenamt", 3, ["Wohnen", "Arbeitsmarkt"])
    staff = world_cafe(store, "World Café Hauptamt", "Hauptamt", 2, ["Arbeitsmarkt", "Sprache und Bildung"])
    folder = tmp_path / "folder"
    folder.mkdir()
    files = render_all(take_snapshot(store, staff["id"], base_url="http://10.0.0.2:5000"))
    (folder / "event.json").write_bytes(files["event.json"])
    events_before = store.list_events()
    store.close()

    out = tmp_path / "v.xlsx"
    result = CliRunner().invoke(cli, ["compare", volunteers["id"], str(folder / "event.json"),
                                      "--out", str(out), "--database", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames == ["Übersicht", "Handlungsfelder", "Punkte", "Beiträge"]
    overview = sheet(book, "Übersicht")
    assert overview[0] == ["Veranstaltung", "Datum", "Art", "Teilnehmende", "Beiträge",
                           "Abstimmungen", "Punkte"]
    assert [r[0] for r in overview[1:]] == ["World Café Ehrenamt", "World Café Hauptamt"]
    assert [r[3:] for r in overview[1:]] == [[3, 2, 1, 3], [2, 2, 1, 2]]  # hidden not counted
    themes = {r[0]: r[1:] for r in sheet(book, "Handlungsfelder")}
    assert themes["Handlungsfeld"] == ["World Café Ehrenamt", "World Café Hauptamt", "Gesamt"]
    assert themes["Wohnen"] == [2, None, 2]  # blank: no such table at the second event
    assert themes["Arbeitsmarkt"] == [0, 2, 2]
    assert themes["Sprache und Bildung"] == [None, 0, 0]
    dots = {r[0]: r[2:] for r in sheet(book, "Punkte")[1:]}
    assert dots == {SHARED: [3, 2, 5], ONLY_FIRST: [0, None, 0]}  # matched despite case/space
    rows = sheet(book, "Beiträge")
    assert len(rows) == 1 + 4 and "ausgeblendet" not in [r[8] for r in rows]
    ideas = [r for r in rows if r[8].startswith("=Idee")]
    assert [r[0] for r in ideas] == ["World Café Ehrenamt", "World Café Hauptamt"]
    for cell in book["Beiträge"]["I"]:
        assert cell.data_type == "s"  # "=Idee …" stays text, never a formula
    assert Store(db).list_events() == events_before  # the file was read, not imported


def test_compare_refuses_clearly_and_writes_nothing(tmp_path):
    db = tmp_path / "f.db"
    store = Store(db)
    one = make_event(store)["id"]
    store.close()
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": "world"}')
    out = tmp_path / "v.xlsx"
    for args, says in (([one], "at least two"), ([one, "nope00"], "nope00"),
                       ([one, str(bad)], "bad.json")):
        result = CliRunner().invoke(cli, ["compare", *args, "--out", str(out), "--database", str(db)])
        assert result.exit_code == 1 and says in result.output, result.output
        assert not Path(out).exists()
