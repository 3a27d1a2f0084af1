"""German formats where people read (issue 12)."""

import datetime as dt
import re

from facilitation.formats import date_text, datetime_text, decimal_text, local_datetime, rank_text


def test_dates_and_times_in_german_and_in_the_events_time_zone():
    assert date_text("2026-11-30") == "30.11.2026"
    assert date_text("2026-11-30", "en") == "30 Nov 2026"
    assert date_text("im Frühjahr") == "im Frühjahr"  # free text stays as typed
    assert datetime_text("2026-11-30T13:05:09.123+00:00") == "30.11.2026, 14:05 Uhr"
    assert datetime_text("2026-07-01T13:05:00+00:00") == "01.07.2026, 15:05 Uhr"  # summer time
    assert datetime_text("2026-11-30T13:05:00+00:00", "Europe/London") == "30.11.2026, 13:05 Uhr"
    assert datetime_text("2026-11-30T13:05:00+00:00", "Nowhere/Else") == "30.11.2026, 14:05 Uhr"
    assert local_datetime("2026-11-30T13:05:09+00:00") == dt.datetime(2026, 11, 30, 14, 5, 9)


def test_decimal_commas_and_ties():
    assert decimal_text(0.78) == "0,78"
    assert decimal_text(1234.5, digits=1) == "1.234,5"
    assert decimal_text(0.78, "en") == "0.78"
    assert rank_text(2, True) == "2. (gleichauf)"
    assert rank_text(1, False) == "1."
    assert rank_text(2, True, "en") == "2 (tied)"


def test_report_and_workbook_speak_german_formats(store):
    import io

    import openpyxl

    from facilitation.export import report, take_snapshot, workbook
    from tests.helpers import make_event

    event = make_event(store, date="2026-11-30")
    eid = event["id"]
    card, _ = store.add_contribution(eid, "A", "idea", "Sprachcafé im Stadtteiltreff")
    rnd = store.create_voting_round(eid, "Prioritäten", budget=3, cap=1,
                                    contribution_ids=[card["id"]], statements=["Mehr Kitaplätze", "Lotsen"])
    store.open_voting_round(eid, rnd["id"])
    person = store.participant(eid, "voter-1".ljust(43, "x"))["id"]
    first = rnd["candidates"][0]["id"]
    store.place_dot(eid, rnd["id"], first, person, "dot-aaaaaaaa")
    store.close_voting_round(eid, rnd["id"])
    snap = take_snapshot(store, eid, base_url="http://x")
    html = report.render(snap).decode()
    assert "30.11.2026" in html and "UTC" not in html and " Uhr" in html
    assert "1 Punkt<" in html or "1 Punkt " in html  # singular, not "1 Punkte"
    assert "1 Person hat abgestimmt" in html
    assert "2. (gleichauf)" in html  # the two items without dots tie for second place
    assert "=</td>" not in html
    book = openpyxl.load_workbook(io.BytesIO(workbook.render(snap)))
    sheet = book["Beiträge"]
    header = [c.value for c in sheet[1]]
    when = sheet.cell(row=2, column=header.index("Zeit") + 1)
    assert isinstance(when.value, dt.datetime)  # a real Excel date-time, in Berlin time
    assert when.number_format.upper() == "DD.MM.YYYY HH:MM:SS"


def test_csv_times_open_as_german_date_times_in_the_events_zone(store):
    from facilitation.export import csv_files, take_snapshot
    from tests.helpers import make_event

    event = make_event(store)
    store.add_contribution(event["id"], "A", "idea", "Sprachcafé")
    snap = take_snapshot(store, event["id"], base_url="http://x")
    text = csv_files.render_contributions(snap).decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    zeit = text.splitlines()[1].split(";")[header.index("Zeit")]
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", zeit), zeit
    stored = local_datetime(snap.contributions[0]["created_at"])
    assert zeit == stored.strftime("%d.%m.%Y %H:%M:%S")  # Berlin time, not UTC
