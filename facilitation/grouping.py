"""Grouping hints: which cards say the same thing or are about the same sub-topic.

Pure: cards in, suggestions out; no Flask, no database, nothing is merged here. The
facilitator decides (docs/grouping.md). Two methods give pairwise similarities:
"lexical" (built in, grouping_lexical) and "semantic" (the optional extra,
grouping_semantic); average-linkage clustering over those similarities makes the groups,
and each group is labelled with its most characteristic content words.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter

from . import grouping_lexical, grouping_semantic
from .content_words import content_words, language_of, shown_as

METHODS = ("lexical", "semantic")
# Per method: similarities below `edge` are not considered at all; clusters join while
# their average similarity is ≥ `link`; a pair ≥ `duplicate` is flagged a near-duplicate.
# Tuned on tests/data/grouping_cards.json (bench/grouping.py prints the figures).
THRESHOLDS = {
    "lexical": {"edge": 0.10, "link": 0.30, "duplicate": 0.5},
    "semantic": {"edge": 0.05, "link": 0.40, "duplicate": 0.6},
}
# e5-small rates the same idea in two languages lower than in one (an Arabic card and
# its German twin about 0.2 below two German duplicates, after centring): added to the
# semantic similarity of cards in different languages, so translations join their twin.
CROSS_LANGUAGE_BONUS = 0.2


def choose_method(requested: str | None = None) -> str:
    """The method to use: the requested one if it can run, else semantic when installed."""
    if requested == "lexical":
        return "lexical"
    return "semantic" if grouping_semantic.available() else "lexical"


def pairs(cards: list[dict], method: str, min_sim: float) -> dict[tuple[int, int], float]:
    """Similarities ≥ min_sim between cards (by position), {(i, j): sim} with i < j."""
    if method == "semantic":
        languages = [language_of(c["text"], c.get("language")) for c in cards]
        return grouping_semantic.similar_pairs([c["text"] for c in cards], min_sim, languages,
                                               CROSS_LANGUAGE_BONUS)
    return grouping_lexical.similar_pairs(grouping_lexical.vectors(cards), min_sim)


def cluster(n: int, sims: dict[tuple[int, int], float], link: float) -> list[list[int]]:
    """Average-linkage clusters of n items; a missing pair counts as similarity 0.

    Merges the two clusters with the highest average similarity while it is ≥ link.
    Returns every cluster (singletons too) as sorted lists of positions.
    """
    members = {i: [i] for i in range(n)}
    between: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), s in sims.items():
        between[i][j] = between[j][i] = s
    heap = [(-s, i, j) for (i, j), s in sims.items() if s >= link]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        current = between[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(current + neg) > 1e-12:  # stale entry: the pair changed since it was pushed
            continue
        members[a] += members.pop(b)
        for c, s in between.pop(b).items():
            if c == a:
                continue
            between[c].pop(b, None)
            total = between[a].get(c, 0.0) + s
            between[a][c] = between[c][a] = total
        between[a].pop(b, None)
        for c, total in between[a].items():
            avg = total / (len(members[a]) * len(members[c]))
            if avg >= link:
                heapq.heappush(heap, (-avg, min(a, c), max(a, c)))
    return sorted(sorted(m) for m in members.values())


def _label_words(group: list[dict], document_freq: Counter, n_cards: int, limit: int = 3) -> list[str]:
    """The group's most characteristic content words: frequent in it, rare elsewhere.

    On a tie German words come first: the catalogue the groups feed is German.
    """
    inside: Counter = Counter()
    spelling: dict[str, Counter] = {}
    foreign: set[str] = set()
    for card in group:
        language = language_of(card["text"], card.get("language"))
        seen = set()
        if language != "de":
            foreign.update(key for key, _ in content_words(card["text"], language))
        for key, word in content_words(card["text"], language):
            spelling.setdefault(key, Counter())[word] += 1
            if key not in seen:
                seen.add(key)
                inside[key] += 1
    scored = sorted(inside, key=lambda k: (-round(inside[k] * math.log(1 + n_cards / document_freq[k]), 6),
                                           k in foreign, k))
    return [shown_as(spelling[k]) for k in scored[:limit]]


def suggest_groups(cards: list[dict], method: str | None = None, min_size: int = 2) -> dict:
    """Suggested groups of the cards: {"method", "groups": [...]}, biggest group first.

    cards: [{"id", "text", "kind"?, "table"?, "round"?, "target_group"?, "language"?}].
    Each group: {"label", "words", "contributions": [ids], "duplicates": [[id, id]],
    "tables": [codes], "similarity": average within the group}. Cards in no group of
    min_size or more are not listed.
    """
    method = choose_method(method)
    limits = THRESHOLDS[method]
    cards = [c for c in cards if c.get("text", "").strip()]
    sims = pairs(cards, method, limits["edge"])
    clusters = [c for c in cluster(len(cards), sims, limits["link"]) if len(c) >= min_size]
    document_freq: Counter = Counter()
    for card in cards:
        language = language_of(card["text"], card.get("language"))
        document_freq.update({key for key, _ in content_words(card["text"], language)})
    groups = []
    for members in clusters:
        inner = [sims.get((i, j), 0.0) for k, i in enumerate(members) for j in members[k + 1:]]
        words = _label_words([cards[i] for i in members], document_freq, len(cards))
        groups.append({
            "label": " · ".join(words),
            "words": words,
            "contributions": [cards[i]["id"] for i in members],
            "duplicates": [[cards[i]["id"], cards[j]["id"]] for k, i in enumerate(members)
                           for j in members[k + 1:] if sims.get((i, j), 0.0) >= limits["duplicate"]],
            "tables": sorted({cards[i].get("table") for i in members if cards[i].get("table")}),
            "similarity": round(sum(inner) / len(inner), 3) if inner else 1.0,
        })
    groups.sort(key=lambda g: (-len(g["contributions"]), g["contributions"][0]))
    return {"method": method, "groups": groups}
