"""Plan files: a good one is read, a bad one is refused with a reason and changes nothing."""

import json

import pytest

from facilitation.demo import demo_plan
from facilitation.errors import AppError
from facilitation.plan import PLAN_FORMAT, parse_plan, plan_of
from tests.helpers import make_event


def plan_file(**changes):
    plan = {"format": PLAN_FORMAT, "version": 1, **demo_plan(), **changes}
    return json.dumps(plan, ensure_ascii=False).encode()


def test_plan_of_an_event_reads_back_the_same(store):
    event = make_event(store)
    exported = plan_of(store.get_event(event["id"]), store.tables(event["id"]))
    parsed = parse_plan(json.dumps(exported))
    assert parsed["title"] == event["title"]
    assert [t["code"] for t in parsed["tables"]] == ["A", "B", "C"]
    assert parsed["join_options"] == ["Ehrenamt", "Hauptamt", "Verwaltung"]


@pytest.mark.parametrize(
    "raw,detail",
    [
        (b"\xff\xfe not utf8", "UTF-8"),
        (b"{not json", "JSON"),
        (b"[]", "object"),
        (json.dumps({"format": "other", "version": 1}).encode(), "format"),
        (plan_file(version=2), "version"),
        (plan_file(extra=1), "extra"),
        (plan_file(kind="party"), "kind"),
        (plan_file(tables=[{"code": "A", "theme": "T", "questions": []}]), "questions"),
        (plan_file(tables=[{"code": "A", "theme": "T", "questions": ["?"]}] * 2), "share"),
        (plan_file(tables=[{"code": "A/B", "theme": "T", "questions": ["?"]}]), "code"),
    ],
)
def test_bad_plans_are_refused_with_a_reason(raw, detail):
    with pytest.raises(AppError) as e:
        parse_plan(raw)
    assert e.value.code == "invalid_plan"
    assert detail in e.value.message()


def test_plan_with_bom_is_accepted():
    assert parse_plan(b"\xef\xbb\xbf" + plan_file())["title"].startswith("World Café")


def test_apply_plan_adds_and_updates_tables_but_deletes_none(store):
    event = make_event(store, tables=2)  # A, B
    store.add_contribution(event["id"], "B", "idea", "bleibt")
    plan = parse_plan(plan_file(tables=[
        {"code": "A", "theme": "Neues Thema", "questions": ["Neu?"]},
        {"code": "Z", "theme": "Zusatz", "questions": ["Z?"]},
    ]))
    store.apply_plan(event["id"], plan)
    tables = {t["code"]: t for t in store.tables(event["id"])}
    assert set(tables) == {"A", "B", "Z"}
    assert tables["A"]["theme"] == "Neues Thema"
    assert store.get_event(event["id"])["title"] == plan["title"]
    assert [c["text"] for c in store.contributions(event["id"])] == ["bleibt"]
