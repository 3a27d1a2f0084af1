"""How good the grouping hints are on a labelled set: the figures of bench/grouping.py.

Pure. The labelled set (tests/data/grouping_cards.json) holds sub-topics with ideas; an
idea's German texts are duplicates of each other, its other languages translations.
"""

from __future__ import annotations

import json
from collections import Counter
from math import comb
from pathlib import Path


def load_cards(path: Path) -> list[dict]:
    """The labelled set as flat cards: id, text, language, table, kind, subtopic, idea."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    cards = []
    for topic in data["subtopics"]:
        for k, idea in enumerate(topic["ideas"]):
            idea_id = f"{topic['id']}/{k}"
            texts = [("de", t) for t in idea["de"]]
            texts += [(lang, idea[lang]) for lang in ("ar", "fa", "tr", "uk", "ru") if lang in idea]
            for language, text in texts:
                cards.append({"id": len(cards) + 1, "text": text, "language": language,
                              "table": topic["table"], "kind": idea["kind"],
                              "subtopic": topic["id"], "idea": idea_id})
    return cards


def _best(i: int, candidates: list[int], sims: dict) -> int | None:
    scored = [(sims.get((min(i, j), max(i, j)), 0.0), -j, j) for j in candidates if j != i]
    best = max(scored, default=None)
    return best[2] if best and best[0] > 0 else None


def duplicate_nn_accuracy(cards: list[dict], sims: dict) -> float:
    """Share of German cards with a known duplicate whose nearest German card is that duplicate."""
    german = [i for i, c in enumerate(cards) if c["language"] == "de"]
    ideas = Counter(cards[i]["idea"] for i in german)
    probes = [i for i in german if ideas[cards[i]["idea"]] > 1]
    hits = sum(1 for i in probes if (b := _best(i, german, sims)) is not None
               and cards[b]["idea"] == cards[i]["idea"])
    return hits / len(probes) if probes else 0.0


def cross_language_accuracy(cards: list[dict], sims: dict) -> float:
    """Share of non-German cards whose nearest German card states the same idea (top-1)."""
    german = [i for i, c in enumerate(cards) if c["language"] == "de"]
    probes = [i for i, c in enumerate(cards) if c["language"] != "de"]
    hits = sum(1 for i in probes if (b := _best(i, german, sims)) is not None
               and cards[b]["idea"] == cards[i]["idea"])
    return hits / len(probes) if probes else 0.0


def cross_language_grouped(cards: list[dict], groups: list[list[int]]) -> float:
    """Share of non-German cards put in one group with a German card of the same idea."""
    where = {i: members for members in groups for i in members}
    probes = [i for i, c in enumerate(cards) if c["language"] != "de"]
    hits = sum(1 for i in probes if any(cards[j]["language"] == "de" and cards[j]["idea"] == cards[i]["idea"]
                                        for j in where.get(i, [])))
    return hits / len(probes) if probes else 0.0


def pair_precision(cards: list[dict], groups: list[list[int]]) -> float:
    """Share of the pairs within suggested groups whose two cards share a sub-topic."""
    pairs = [(i, j) for members in groups for k, i in enumerate(members) for j in members[k + 1:]]
    same = sum(cards[i]["subtopic"] == cards[j]["subtopic"] for i, j in pairs)
    return same / len(pairs) if pairs else 1.0


def adjusted_rand_index(truth: list, found: list) -> float:
    """Adjusted Rand index of two labellings of the same items (1 = identical, ~0 = chance)."""
    n = len(truth)
    pairs_both = sum(comb(k, 2) for k in Counter(zip(truth, found, strict=True)).values())
    pairs_truth = sum(comb(k, 2) for k in Counter(truth).values())
    pairs_found = sum(comb(k, 2) for k in Counter(found).values())
    expected = pairs_truth * pairs_found / comb(n, 2) if n > 1 else 0.0
    top = (pairs_truth + pairs_found) / 2
    return 1.0 if top == expected else (pairs_both - expected) / (top - expected)


def cluster_labels(n: int, groups: list[list[int]]) -> list[int]:
    """A label per item from groups of positions; items in no group get their own label."""
    labels = list(range(n, 2 * n))
    for g, members in enumerate(groups):
        for i in members:
            labels[i] = g
    return labels
