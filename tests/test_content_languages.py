"""Content in several languages and the language of each contribution: store, plan file,
session files (event.json round trip, beitraege.csv, ergebnisse.xlsx, bericht.html), the
detector's rule, and the console's translation message over a real socket."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import openpyxl
import pytest

from facilitation.content_languages import language_shares
from facilitation.demo import demo_event_fields
from facilitation.demo_translations import TEXTS
from facilitation.errors import AppError
from facilitation.export import render_all, take_snapshot
from facilitation.export.event_json import json_schema
from facilitation.plan import PLAN_FORMAT, parse_plan, plan_of
from facilitation.session_import import import_session
from facilitation.text_language import written_language
from tests.helpers import device_cookie, make_event, messages, wait_for
from tests.session_data import as_before

AR_THEME = "اللغة والتعليم"


def plan(**changes) -> dict:
    base = {"format": PLAN_FORMAT, "version": 1, "title": "Weltcafé", "date": "2026-11-22",
            "tables": [{"code": "B", "theme": {"de": "Sprache und Bildung", "ar": AR_THEME},
                        "questions": ["Welche Bedarfe sehen Sie?",
                                      {"de": "Was läuft gut?", "uk": "Що працює добре?"}]}],
            "join_question": {"de": "Aus welchem Bereich kommen Sie?", "en": "Which area?"},
            "join_options": ["Ehrenamt", {"de": "Verwaltung", "tr": "Yerel yönetim"}]}
    return {**base, **changes}


# -- plan file --------------------------------------------------------------------------

def test_plan_with_languages_reads_into_the_event_and_writes_back_the_same(store):
    event = store.create_event(**parse_plan(plan()))
    table = store.tables(event["id"])[0]
    assert table["theme"] == "Sprache und Bildung" and table["theme_i18n"] == {"ar": AR_THEME}
    assert table["questions_i18n"] == [{}, {"uk": "Що працює добре?"}]
    event = store.get_event(event["id"])
    assert event["join_question_i18n"] == {"en": "Which area?"}
    assert event["join_options_i18n"] == [{}, {"tr": "Yerel yönetim"}]
    written = plan_of(event, store.tables(event["id"]))
    # A text without translations stays a plain string: old readers read it as before.
    assert written["tables"][0]["questions"][0] == "Welche Bedarfe sehen Sie?"
    assert written["tables"][0]["theme"] == {"de": "Sprache und Bildung", "ar": AR_THEME}
    assert written["join_options"] == ["Ehrenamt", {"de": "Verwaltung", "tr": "Yerel yönetim"}]
    assert parse_plan(json.dumps(written)) == parse_plan(plan())


def test_plain_plan_without_languages_reads_as_before(store):
    parsed = parse_plan(plan(tables=[{"code": "A", "theme": "Wohnen", "questions": ["?"]}],
                             join_question="Wer sind Sie?", join_options=["A", "B"]))
    assert parsed["tables"][0]["theme"] == "Wohnen" and parsed["tables"][0]["theme_i18n"] == {}
    event = store.create_event(**parsed)
    assert plan_of(store.get_event(event["id"]), store.tables(event["id"]))["tables"] == [
        {"code": "A", "theme": "Wohnen", "questions": ["?"]}]


@pytest.mark.parametrize("bad,detail", [
    ({"ar": AR_THEME}, '"de" is required'),
    ({"de": "Wohnen", "xx": "?"}, "unknown language xx"),
    ({"de": "Wohnen", "ar": 5}, "theme.ar"),
])
def test_bad_language_fields_are_refused_naming_them(store, bad, detail):
    event = make_event(store)
    with pytest.raises(AppError) as info:
        parse_plan(plan(tables=[{"code": "A", "theme": bad, "questions": ["?"]}]))
    assert info.value.code == "invalid_plan" and detail in info.value.params["detail"]
    assert store.tables(event["id"])[0]["theme_i18n"] == {}  # nothing changed


def test_demo_has_every_station_and_question_in_all_eight_languages(store):
    event = store.create_event(**demo_event_fields())
    tables = store.tables(event["id"])
    assert len(tables) == 6
    for t in tables:
        assert set(t["theme_i18n"]) == {"de-simple", "en", "tr", "ar", "fa", "uk", "ru"}
        assert all(set(q) == set(t["theme_i18n"]) for q in t["questions_i18n"])
        assert len(t["questions_i18n"]) == 5
    ev = store.get_event(event["id"])
    assert all(len(o) == 7 for o in ev["join_options_i18n"]) and len(ev["join_question_i18n"]) == 7
    # The demo vote's Leitbild statements too (the sample harvest's cards stay as written).
    from facilitation.demo import create_demo
    demo = create_demo(store, sample_data=True, event_id=None)
    statements = [c for c in store.voting_rounds(demo["id"])[0]["candidates"]
                  if c["contribution_id"] is None]
    assert len(statements) == 3 and all(len(c["label_i18n"]) == 7 for c in statements)
    # Persian keeps its zero-width non-joiner (می‌بینید), Ukrainian its apostrophe.
    assert "\u200c" in TEXTS["Welche Bedarfe sehen Sie?"]["fa"]
    assert "’" in TEXTS["Gesundheit und Soziales"]["uk"]


# -- editing ------------------------------------------------------------------------------

def test_changing_german_questions_keeps_the_translations_that_still_fit(store):
    event = store.create_event(**parse_plan(plan()))
    table = store.tables(event["id"])[0]
    # Reordered and one new question: translations follow their German text.
    changed = store.save_table(event["id"], {"id": table["id"], "questions": [
        "Was läuft gut?", "Neue Frage?", "Welche Bedarfe sehen Sie?"]})
    assert changed["questions_i18n"] == [{"uk": "Що працює добре?"}, {}, {}]
    # A question edited in place keeps its translation (a typo fixed, say).
    changed = store.save_table(event["id"], {"id": table["id"], "questions": [
        "Was läuft richtig gut?", "Neue Frage?", "Welche Bedarfe sehen Sie?"]})
    assert changed["questions_i18n"][0] == {"uk": "Що працює добре?"}


def test_changing_join_answers_keeps_their_translations_and_clearing_the_question_clears(store):
    event = store.create_event(**parse_plan(plan()))
    eid = event["id"]
    changed = store.update_event(eid, {"join_options": ["Verwaltung", "Ehrenamt", "Neu"]})
    assert changed["join_options_i18n"] == [{"tr": "Yerel yönetim"}, {}, {}]
    changed = store.update_event(eid, {"join_options_i18n": [{"en": "Administration"}, {}, {}]})
    assert changed["join_options_i18n"] == [{"en": "Administration"}, {}, {}]
    with pytest.raises(AppError):
        store.update_event(eid, {"join_options_i18n": [{"xx": "?"}, {}, {}]})
    assert store.get_event(eid)["join_options_i18n"][0] == {"en": "Administration"}
    cleared = store.update_event(eid, {"join_question": None})
    assert cleared["join_question"] is None and cleared["join_question_i18n"] == {}


def test_save_translations_sets_one_language_and_empty_removes_it(store):
    event = make_event(store, tables=2)
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Was zuerst?", statements=[
        "Eine Integrationslotsin im Rathaus", {"de": "Mehr Kita-Plätze", "en": "More nursery places"}])
    statement, translated = rnd["candidates"]
    assert translated["label_i18n"] == {"en": "More nursery places"}
    store.save_translations(eid, "ar", {
        "join_question": "من أي مجال أنتم؟", "join_options": ["العمل التطوعي", "", ""],
        "tables": {"A": {"theme": AR_THEME, "questions": ["سؤال ١؟"]}},
        "candidates": {str(statement["id"]): "مرشدة اندماج في البلدية"}})
    ev = store.get_event(eid)
    assert ev["join_question_i18n"] == {"ar": "من أي مجال أنتم؟"}
    assert ev["join_options_i18n"] == [{"ar": "العمل التطوعي"}, {}, {}]
    a, b = store.tables(eid)
    assert a["theme_i18n"] == {"ar": AR_THEME} and a["questions_i18n"] == [{"ar": "سؤال ١؟"}, {}]
    assert b["theme_i18n"] == {}
    label = store.voting_round(eid, rnd["id"])["candidates"][0]["label_i18n"]
    assert label == {"ar": "مرشدة اندماج في البلدية"}
    store.save_translations(eid, "ar", {"tables": {"A": {"theme": ""}}})
    assert store.tables(eid)[0]["theme_i18n"] == {}
    assert store.tables(eid)[0]["questions_i18n"][0] == {"ar": "سؤال ١؟"}  # not named: kept


@pytest.mark.parametrize("language,texts,code", [
    ("de", {"tables": {"A": {"theme": "x"}}}, "invalid_payload"),
    ("ar", {"tables": {"Z": {"theme": "x"}}}, "unknown_table"),
    ("ar", {"tables": {"A": {"questions": ["1", "2", "3"]}}}, "invalid_payload"),
    ("ar", {"candidates": {"999": "x"}}, "unknown_candidate"),
])
def test_bad_translations_change_nothing(store, language, texts, code):
    event = make_event(store, tables=2)
    before = (store.get_event(event["id"]), store.tables(event["id"]))
    with pytest.raises(AppError) as info:
        store.save_translations(event["id"], language, {
            "join_question": "سؤال", **texts})
    assert info.value.code == code
    assert (store.get_event(event["id"]), store.tables(event["id"])) == before


# -- the language of each contribution ---------------------------------------------------

def fake(guess, confidence):
    return lambda text: (guess, confidence)


@pytest.mark.parametrize("ui,guess,confidence,expected", [
    ("ar", "ar", 0.99, "ar"),          # agree
    ("en", "de", 0.98, "de"),          # an English phone, a German card: the text wins
    ("de-simple", "de", 0.99, "de-simple"),  # Einfache Sprache is German to a detector
    ("de", "tr", 0.55, "de"),          # "Kita": not sure enough to overrule the phone
    (None, "uk", 0.9, "uk"),           # a host typing: the text alone decides
    (None, None, 0.0, None),
    ("xx", "ru", 0.95, "ru"),          # an unknown interface language counts as none
])
def test_written_language_rule(ui, guess, confidence, expected):
    assert written_language("…", ui, fake(guess, confidence)) == expected


def test_real_detector_on_short_cards():
    assert written_language("Wir brauchen mehr Kita-Plätze", "ar") == "de"
    assert written_language("Нужен переводчик у врача", "uk") == "ru"
    assert written_language("Потрібен перекладач у лікаря", "ru") == "uk"
    assert written_language("مدرک من به رسمیت شناخته نمی‌شود", "ar") == "fa"
    assert written_language("ok", "tr") == "tr"  # too short to say anything
    assert written_language("Ich brauche Hilfe bei der Wohnung", "de-simple") == "de-simple"


# -- session files -------------------------------------------------------------------------

@pytest.fixture
def multilingual(store):
    event = store.create_event(**parse_plan(plan()))
    eid = event["id"]
    pid = store.participant(eid, device_cookie("lang-1"))["id"]
    cards = [("Mehr Sprachkurse am Abend", "de", "de"), ("دورات لغة أكثر في المساء", "ar", "ar"),
             ("نحتاج مترجمين عند الطبيب", "ar", "ar"), ("Doktorda tercüman lazım", "tr", "de")]
    for text, lang, ui in cards:
        store.add_contribution(eid, "B", "need", text, participant_id=pid, language=lang,
                               ui_language=ui)
    store.add_contribution(eid, "B", "idea", "Ohne Sprache (alt)", participant_id=pid)
    store.create_voting_round(eid, "Was zuerst?", statements=[{"de": "Kita", "ar": "حضانة"}])
    return eid


def test_event_json_carries_languages_and_imports_them_back(store, multilingual):
    files = render_all(take_snapshot(store, multilingual, base_url="http://x.invalid"))
    doc = json.loads(files["event.json"])
    jsonschema.validate(doc, json_schema())
    assert [c["language"] for c in doc["contributions"]] == ["de", "ar", "ar", "tr", None]
    assert doc["contributions"][3]["ui_language"] == "de"
    assert doc["tables"][0]["theme_i18n"] == {"ar": AR_THEME}
    assert doc["event"]["join_options_i18n"] == [{}, {"tr": "Yerel yönetim"}]
    assert doc["voting_rounds"][0]["candidates"][0]["label_i18n"] == {"ar": "حضانة"}
    copy = import_session(store, files["event.json"])["id"]
    assert store.tables(copy)[0]["theme_i18n"] == {"ar": AR_THEME}
    assert [c["language"] for c in store.contributions(copy)] == ["de", "ar", "ar", "tr", None]
    assert store.voting_rounds(copy)[0]["candidates"][0]["label_i18n"] == {"ar": "حضانة"}


def test_csv_and_workbook_have_a_language_column_and_the_report_the_shares(store, multilingual):
    files = render_all(take_snapshot(store, multilingual, base_url="http://x.invalid"))
    rows = list(csv.reader(io.StringIO(files["beitraege.csv"].decode("utf-8-sig")), delimiter=";"))
    at = rows[0].index("Sprache")
    assert [r[at] for r in rows[1:]] == ["Deutsch", "Arabisch", "Arabisch", "Türkisch", "unbekannt"]
    sheet = openpyxl.load_workbook(io.BytesIO(files["ergebnisse.xlsx"]))["Beiträge"]
    values = list(sheet.values)
    at = values[0].index("Sprache")
    assert [r[at] for r in values[1:]] == ["Deutsch", "Arabisch", "Arabisch", "Türkisch", "unbekannt"]
    overview = list(openpyxl.load_workbook(io.BytesIO(files["ergebnisse.xlsx"]))["Übersicht"].values)
    at = [r[0] for r in overview].index("Beiträge nach Sprache")
    assert overview[at + 1][:3] == ("Arabisch", 2, 0.4)
    report = files["bericht.html"].decode()
    assert "40 % der Beiträge auf Arabisch (2)" in report
    assert "20 % der Beiträge auf Türkisch (1)" in report
    assert "20 % der Beiträge in unbekannter Sprache (1)" in report


def test_language_shares_add_up_to_a_hundred():
    rows = language_shares(["ar", "de", "tr"])
    assert sum(share for _, _, share in rows) == 100
    # 32/36 = 88.9, 2/36 = 5.6, 1/36 = 2.8 twice: rounded by largest remainder, not 89+6+3+3.
    assert language_shares(["de"] * 32 + ["ar"] * 2 + ["tr", None]) == [
        ("de", 32, 89), ("ar", 2, 5), ("tr", 1, 3), (None, 1, 3)]
    assert language_shares([]) == []


# -- over a real socket ----------------------------------------------------------------------

def test_console_saves_translations_and_phones_get_them_live(server, server_store, sio):
    event = make_event(server_store, tables=2)
    key = server_store.facilitator_key(event["id"])
    console = sio({"event": event["id"], "role": "console", "key": key})
    phone = sio({"event": event["id"], "role": "participant", "table": "A"}, device=1)
    ack = console.call("save_translations", {
        "language": "ar", "tables": {"A": {"theme": AR_THEME, "questions": ["سؤال؟", ""]}},
        "join_question": "من أي مجال أنتم؟"}, timeout=5)
    assert ack["ok"], ack
    wait_for(lambda: messages(phone, "event_updated"))
    table = messages(phone, "event_updated")[-1]["tables"][0]
    assert table["theme_i18n"] == {"ar": AR_THEME} and table["questions_i18n"] == [{"ar": "سؤال؟"}, {}]
    bad = console.call("save_translations", {"language": "xx", "tables": {}}, timeout=5)
    assert not bad["ok"] and bad["error"]["code"] == "invalid_payload"
    refused = phone.call("save_translations", {"language": "ar", "tables": {}}, timeout=5)
    assert not refused["ok"] and refused["error"]["code"] == "forbidden"


def test_phone_sends_its_language_and_the_stored_card_has_it(server, server_store, sio):
    event = make_event(server_store, tables=1)
    phone = sio({"event": event["id"], "role": "participant", "table": "A"}, device=2)
    ack = phone.call("submit_contribution", {"kind": "need", "language": "ar",
                                              "text": "نحتاج مترجمين عند الطبيب"}, timeout=5)
    assert ack["ok"] and ack["contribution"]["language"] == "ar"
    assert "ui_language" not in ack["contribution"]  # what phones see of it
    ack = phone.call("submit_contribution", {"kind": "need", "language": "ar",
                                              "text": "Wir brauchen Dolmetscher beim Arzt"}, timeout=5)
    assert ack["contribution"]["language"] == "de"
    stored = server_store.contributions(event["id"])
    assert [(c["language"], c["ui_language"]) for c in stored] == [("ar", "ar"), ("de", "ar")]
    bad = phone.call("submit_contribution", {"kind": "need", "language": "xx", "text": "x"}, timeout=5)
    assert not bad["ok"] and bad["error"]["code"] == "invalid_payload"


# -- pages rendered by the server ------------------------------------------------------------

def test_join_and_table_pages_are_rendered_in_the_participants_language(app, client):
    event = app.extensions["store"].create_event(**demo_event_fields())
    english = client.get(f"/e/{event['id']}?lang=en").get_data(as_text=True)
    assert '<bdi lang="en" dir="ltr">Language and education</bdi>' in english
    german = client.get(f"/e/{event['id']}?lang=de").get_data(as_text=True)
    assert '<bdi lang="de" dir="auto">Sprache und Bildung</bdi>' in german
    table = client.get(f"/e/{event['id']}/t/B?lang=en").get_data(as_text=True)
    assert 'data-content-lang="en"' in table
    assert 'id="theme" lang="en" dir="ltr">Language and education</p>' in table
    assert '<bdi lang="en" dir="ltr">What needs do you see?</bdi>' in table
    assert "1. What needs do you see?</option>" in table


def test_the_chosen_detector_still_gets_every_bench_sample_right():
    """bench/language_samples.py through the product's own detector (as configured in
    facilitation/text_language.py): the figures docs/languages.md chose it on."""
    import sys

    from tests.helpers import ROOT
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from language_samples import SAMPLES, SHORT
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from facilitation.text_language import MIN_LETTERS, detect

    def expected(lang, text):  # "İş": too short to judge, the phone's language counts
        return lang if sum(ch.isalpha() for ch in text) >= MIN_LETTERS else None

    wrong = [(lang, text, detect(text)) for samples in (SAMPLES, SHORT)
             for lang, texts in samples.items() for text in texts
             if detect(text)[0] != expected(lang, text)]
    assert wrong == []


def test_a_session_file_from_before_languages_still_imports(store, multilingual, tmp_path):
    """Files written before m011 (no *_i18n or language columns) are what organisers have
    from earlier events: they import, German only, languages unknown."""
    from facilitation.store import Store
    raw = render_all(take_snapshot(store, multilingual, base_url="http://x.invalid"))["event.json"]
    doc = as_before(json.loads(raw), "m011_content_languages", {
        "events": ("join_question_i18n", "join_options_i18n"),
        "tables": ("theme_i18n", "questions_i18n"),
        "voting_candidates": ("label_i18n",), "contributions": ("language", "ui_language")})
    other = Store(tmp_path / "older.db")
    try:
        event = import_session(other, json.dumps(doc).encode())
        table = other.tables(event["id"])[0]
        assert table["theme"] == "Sprache und Bildung" and table["theme_i18n"] == {}
        assert table["questions_i18n"] == [{}, {}]
        assert {c["language"] for c in other.contributions(event["id"])} == {None}
        # and its files say so rather than guess
        rows = render_all(take_snapshot(other, event["id"], base_url="http://x.invalid"))
        assert "100 % der Beiträge in unbekannter Sprache (5)" in rows["bericht.html"].decode()
    finally:
        other.close()


def test_the_warm_up_uses_every_detected_language_once():
    # At start the server detects one text per language, so that Lingua builds each
    # language's models then and not while the first cards of the day wait.
    from facilitation.text_language import _WARM_UP, DETECTED, detect

    assert [detect(text)[0] for text in _WARM_UP] == list(DETECTED)
