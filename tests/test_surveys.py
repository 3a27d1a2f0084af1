"""Surveys (Umfragen): store, results with small groups protected, HTTP routes, live
results over a real socket, and phones and paper entry in a real Chromium."""

from __future__ import annotations

import datetime as dt
import time

import pytest
import requests

from facilitation.errors import AppError
from facilitation.store import Store
from facilitation.survey_rules import results, shown_count
from facilitation.survey_templates import template_definition
from tests.helpers import device_cookie, make_event, messages, wait_for

SIMPLE = {
    "title": {"de": "Kurze Umfrage", "ar": "استبيان قصير"},
    "questions": [
        {"kind": "single", "text": {"de": "Wie kamen Sie her?", "ar": "كيف وصلت؟"},
         "options": [{"de": "Bus", "ar": "حافلة"}, {"de": "Rad", "ar": "دراجة"}, "Auto"]},
        {"kind": "multiple", "text": "Was brauchen Sie?", "options": ["Kita", "Kurs", "Wohnung"]},
        {"kind": "scale", "text": "Wie zufrieden sind Sie?"},
        {"kind": "text", "text": "Was noch?"},
        {"kind": "demographic", "field": "age"},
    ],
}


def open_survey(store, event_id, definition=SIMPLE):
    survey = store.create_survey(event_id, definition)
    return store.set_survey_status(event_id, survey["id"], "open")


# -- store and rules ----------------------------------------------------------------------


def test_answers_are_stored_once_per_phone_and_a_resend_counts_once(store):
    event = make_event(store)
    survey = open_survey(store, event["id"])
    pid = store.participant(event["id"], device_cookie(1))["id"]
    answers = [0, [2, 0], 4, "  Mehr Sprachkurse  ", 1]
    first, created = store.add_survey_response(event["id"], survey["id"], answers,
                                               participant_id=pid, client_id="c1")
    again, created_again = store.add_survey_response(event["id"], survey["id"], answers,
                                                     participant_id=pid, client_id="c1")
    assert created and not created_again and again["id"] == first["id"]
    assert first["answers"] == [0, [0, 2], 4, "Mehr Sprachkurse", 1]
    with pytest.raises(AppError) as exc:
        store.add_survey_response(event["id"], survey["id"], [1, None, None, None, None],
                                  participant_id=pid, client_id="c2")
    assert exc.value.code == "survey_answered"
    assert store.get_survey(event["id"], survey["id"])["response_count"] == 1


@pytest.mark.parametrize("answers, code", [
    ([3, None, None, None, None], "invalid_option"),        # no fourth option
    ([None, [0, 5], None, None, None], "invalid_option"),
    ([None, None, 6, None, None], "invalid_option"),         # scale is 1–5
    ([None, None, None, None, None], "survey_empty"),
    ([0, None], "invalid_payload"),                          # one answer per question
    ([True, None, None, None, None], "invalid_option"),
])
def test_bad_answers_are_refused_and_change_nothing(store, answers, code):
    event = make_event(store)
    survey = open_survey(store, event["id"])
    with pytest.raises(AppError) as exc:
        store.add_survey_response(event["id"], survey["id"], answers, source="paper")
    assert exc.value.code == code
    assert store.survey_responses(event["id"], survey["id"]) == []


def test_a_survey_takes_answers_only_while_open_and_before_its_closing_time(tmp_path):
    now = [dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)]
    store = Store(tmp_path / "s.db", clock=lambda: now[0])
    event = make_event(store)
    survey = store.create_survey(event["id"], {**SIMPLE, "closes_at": "2026-12-14T23:59"})
    pid = store.participant(event["id"], device_cookie(1))["id"]
    with pytest.raises(AppError) as exc:  # draft: not open yet
        store.add_survey_response(event["id"], survey["id"], [0, None, None, None, None],
                                  participant_id=pid)
    assert exc.value.code == "survey_closed"
    store.set_survey_status(event["id"], survey["id"], "open")
    store.add_survey_response(event["id"], survey["id"], [0, None, None, None, None],
                              participant_id=pid)
    # 23:59 in Berlin is 22:59 UTC: one minute later the phones are refused …
    now[0] = dt.datetime(2026, 12, 14, 23, 0, tzinfo=dt.UTC)
    pid2 = store.participant(event["id"], device_cookie(2))["id"]
    with pytest.raises(AppError) as exc:
        store.add_survey_response(event["id"], survey["id"], [1, None, None, None, None],
                                  participant_id=pid2)
    assert exc.value.code == "survey_closed"
    # … while staff still type in the paper sheets that came back by post.
    store.add_survey_response(event["id"], survey["id"], [1, None, None, None, None],
                              source="paper", sheet="17")
    assert [r["source"] for r in store.survey_responses(event["id"], survey["id"])] == [
        "phone", "paper"]
    store.close()


def test_a_definition_without_german_or_with_bad_questions_is_refused(store):
    event = make_event(store)
    for bad in ({"title": {"ar": "x"}, "questions": SIMPLE["questions"]},
                {"title": "T", "questions": []},
                {"title": "T", "questions": [{"kind": "single", "text": "Q", "options": ["one"]}]},
                {"title": "T", "questions": [{"kind": "demographic", "field": "religion"}]},
                {"title": "T", "questions": SIMPLE["questions"], "closes_at": "morgen"}):
        with pytest.raises(AppError):
            store.create_survey(event["id"], bad)
    assert store.surveys(event["id"]) == []


def test_small_groups_are_never_shown_on_their_own():
    questions = [{"kind": "single", "text": {"de": "F"}, "options": [{"de": "a"}, {"de": "b"}]}]
    responses = ([{"answers": [0], "group": "Ehrenamt"}] * 6 + [{"answers": [1], "group": "Ehrenamt"}]
                 + [{"answers": [1], "group": "Verwaltung"}] * 2)
    out = results(questions, responses, min_cell=5, groups=["Ehrenamt", "Verwaltung"])
    q = out["questions"][0]
    assert q["counts"] == [6, 3]  # the totals are exact
    assert q["by_group"]["Ehrenamt"] == [6, "< 5"]  # one person chose b: not shown as 1
    assert q["by_group"]["Verwaltung"] is None  # two people: not broken down at all
    assert out["groups"] == {"Ehrenamt": 7, "Verwaltung": "< 5"}
    assert shown_count(0, 5) == 0 and shown_count(4, 5) == "< 5" and shown_count(5, 5) == 5


def test_every_template_is_a_valid_survey_with_german(store):
    event = make_event(store)
    for name in ("migrants", "staff"):
        survey = store.create_survey(event["id"], template_definition(name))
        assert survey["title"]["de"]
    migrants = store.surveys(event["id"])[0]
    assert set(migrants["title"]) >= {"de", "de-simple", "en", "tr", "ar", "fa", "uk", "ru"}


# -- HTTP --------------------------------------------------------------------------------


def test_phone_answers_over_http_and_the_page_then_says_thank_you(app, client):
    store = app.extensions["store"]
    event = make_event(store)
    survey = open_survey(store, event["id"])
    client.set_cookie("fac_device", device_cookie(7))
    page = client.get(f"/e/{event['id']}/s/{survey['id']}")
    assert page.status_code == 200 and "Wie kamen Sie her?" in page.text
    url = f"/api/events/{event['id']}/surveys/{survey['id']}/responses"
    r = client.post(url, json={"answers": [1, [0], 5, "Danke", None], "client_id": "abc"})
    assert r.json["ok"] and r.json["created"]
    r = client.post(url, json={"answers": [1, [0], 5, "Danke", None], "client_id": "abc"})
    assert r.json["ok"] and not r.json["created"]
    again = client.get(f"/e/{event['id']}/s/{survey['id']}")
    assert 'id="survey-form"' not in again.text
    bad = client.post(url, json={"answers": "nonsense"})
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_payload"


def test_staff_routes_need_the_facilitator_key(app, client):
    store = app.extensions["store"]
    event = make_event(store)
    survey = open_survey(store, event["id"])
    base = f"/api/events/{event['id']}/surveys"
    assert client.post(base, json={"template": "migrants"}).status_code == 403
    assert client.post(f"{base}/{survey['id']}/paper", json={"answers": [0] + [None] * 4}).status_code == 403
    assert client.get(f"/e/{event['id']}/s/{survey['id']}/paper?key=wrong").status_code == 403
    key = store.facilitator_key(event["id"])
    r = client.post(f"{base}/{survey['id']}/paper", json={"answers": [0] + [None] * 4, "sheet": "1"},
                    headers={"X-Facilitator-Key": key})
    assert r.json["ok"] and r.json["responses"] == 1
    r = client.delete(f"{base}/{survey['id']}/responses/{r.json['response_id']}",
                      headers={"X-Facilitator-Key": key})
    assert r.json["ok"] and store.survey_responses(event["id"], survey["id"]) == []


def test_unknown_survey_is_404(client, app):
    event = make_event(app.extensions["store"])
    assert client.get(f"/e/{event['id']}/s/999").status_code == 404


# -- live results over a real socket ---------------------------------------------------------


def test_the_projector_sees_each_answer_arrive_live(server, server_store, sio):
    event = make_event(server_store)
    survey = open_survey(server_store, event["id"])
    projector = sio({"event": event["id"], "role": "projector"})
    session = requests.Session()
    session.cookies.set("fac_device", device_cookie("survey-live"))
    url = f"{server.url}/api/events/{event['id']}/surveys/{survey['id']}/responses"
    assert session.post(url, json={"answers": [2, [1], 4, "Mehr Kurse", 0]}).json()["ok"]
    got = wait_for(lambda: messages(projector, "survey_results"))
    assert got[-1]["survey_id"] == survey["id"] and got[-1]["responses"] == 1
    assert got[-1]["questions"][0]["counts"] == [0, 0, 1]
    assert got[-1]["questions"][3]["texts"] == ["Mehr Kurse"]


# -- what a person sees ----------------------------------------------------------------------


@pytest.mark.browser
def test_answering_a_survey_in_arabic_on_a_small_phone(server, server_store, browser, shot):
    event = make_event(server_store)
    survey = open_survey(server_store, event["id"], template_definition("migrants"))
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{server.url}/e/{event['id']}/s/{survey['id']}?lang=ar")
    assert page.locator("h1").inner_text() == "استبيان: الحياة في منطقتنا"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "form")
    page.locator("fieldset.survey-q").nth(0).locator("input").nth(0).check()
    page.locator("fieldset.survey-q").nth(3).locator("input").nth(3).check()
    page.locator("fieldset.survey-q").nth(4).locator("textarea").fill("دورات اللغة قليلة")
    page.locator("#survey-form button[type=submit]").click()
    page.locator("#survey-done").wait_for(state="visible")
    shot(page, "done")
    [response] = server_store.survey_responses(event["id"], survey["id"])
    assert response["answers"][0] == 0 and response["answers"][3] == 4
    assert response["answers"][4] == "دورات اللغة قليلة" and response["language"] == "ar"
    page.close()


@pytest.mark.browser
def test_paper_sheets_are_typed_in_with_the_keyboard_only(server, server_store, browser, shot):
    event = make_event(server_store)
    survey = open_survey(server_store, event["id"], template_definition("migrants"))
    key = server_store.facilitator_key(event["id"])
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(f"{server.url}/e/{event['id']}/s/{survey['id']}/paper?key={key}")
    sheets = 10
    start = time.monotonic()
    keys_per_sheet = 0
    for n in range(sheets):
        # gender 2, age 3, stay: no answer, scale 4, two free texts, last one empty
        sequence = ["2", "3", "0", "4"]
        for k in sequence:
            page.keyboard.press(k)
        page.keyboard.type(f"Bogen {n}: Deutschkurs am Abend")
        page.keyboard.press("Enter")
        page.keyboard.press("Enter")  # no text
        page.keyboard.press("Enter")  # last question: saves the sheet
        keys_per_sheet = len(sequence) + len(f"Bogen {n}: Deutschkurs am Abend") + 3
        wait_for(lambda n=n: page.locator("#paper-count").inner_text() == str(n + 1), timeout=10)
    elapsed = time.monotonic() - start
    shot(page, "after")
    rows = server_store.survey_responses(event["id"], survey["id"])
    assert len(rows) == sheets and all(r["source"] == "paper" for r in rows)
    assert rows[0]["answers"][:4] == [1, 2, None, 4]
    assert rows[3]["answers"][4] == "Bogen 3: Deutschkurs am Abend" and rows[3]["answers"][5] is None
    print(f"\npaper entry: {sheets} sheets in {elapsed:.1f} s = {sheets / elapsed * 60:.0f} per minute"
          f" (scripted); {keys_per_sheet} keystrokes per sheet with a 30-character free text")
    page.close()


@pytest.mark.browser
def test_the_projector_page_grows_as_answers_arrive(server, server_store, browser, shot):
    event = make_event(server_store, join_options=["Ehrenamt", "Hauptamt"])
    survey = open_survey(server_store, event["id"])
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{server.url}/e/{event['id']}/projector/survey/{survey['id']}")
    page.locator("#conn").filter(has_text="live").wait_for()
    url = f"{server.url}/api/events/{event['id']}/surveys/{survey['id']}/responses"
    for n in range(7):
        s = requests.Session()
        s.cookies.set("fac_device", device_cookie(f"proj-{n}"))
        server_store.set_target_group(event["id"], server_store.participant(
            event["id"], device_cookie(f"proj-{n}"))["id"], "Ehrenamt" if n < 5 else "Hauptamt")
        assert s.post(url, json={"answers": [n % 3, [0, 1], 1 + n % 5, f"Idee {n}", None]}).json()["ok"]
    page.locator("#sr-responses").filter(has_text="7").wait_for()
    assert page.locator(".sr-texts li").first.inner_text() == "Idee 6"
    # Hauptamt has two answers: not broken down; Ehrenamt's five are.
    table = page.locator("table.sr-groups").first
    assert "Hauptamt" in table.inner_text() and "5" in table.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    shot(page, "projector")
    page.close()
