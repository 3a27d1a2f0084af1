"""The built-in similarity of cards: character n-gram TF-IDF and cosine, in pure Python.

Character n-grams (3 to 5 letters, within words) match "Kita-Plätze", "Kitaplätze" and
"Kitaplatz" without a dictionary and survive typos typed on a phone. Stop words are left
out first so that "für die" does not make cards similar. It only sees shared spelling:
an Arabic and a German card saying the same thing are not similar here (the semantic
extra is for that, docs/grouping.md).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from .content_words import content_words, language_of, normalise

N_MIN, N_MAX = 3, 5


def _grams(card: dict) -> Counter:
    language = language_of(card["text"], card.get("language"))
    grams: Counter = Counter()
    for _stem, word in content_words(card["text"], language):
        padded = f" {normalise(word).replace('-', '').replace(chr(0x200c), '')} "
        for n in range(N_MIN, N_MAX + 1):
            for i in range(len(padded) - n + 1):
                grams[padded[i:i + n]] += 1
    return grams


def vectors(cards: list[dict]) -> list[dict[str, float]]:
    """One L2-normalised TF-IDF vector (n-gram → weight) per card; sublinear tf, smooth idf."""
    counts = [_grams(c) for c in cards]
    df: Counter = Counter()
    for grams in counts:
        df.update(grams.keys())
    n = len(cards)
    out = []
    for grams in counts:
        vec = {g: (1 + math.log(tf)) * (math.log((1 + n) / (1 + df[g])) + 1) for g, tf in grams.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        out.append({g: w / norm for g, w in vec.items()})
    return out


def similar_pairs(vecs: list[dict[str, float]], min_sim: float) -> dict[tuple[int, int], float]:
    """Cosine similarities ≥ min_sim, as {(i, j): sim} with i < j, through an inverted index.

    N-grams on more than a tenth of the cards (and at least 40) are skipped: their idf
    is low, they add little to any one similarity and would make the work quadratic.
    """
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vec in enumerate(vecs):
        for g, w in vec.items():
            postings[g].append((i, w))
    cap = max(40, len(vecs) // 10)
    acc: dict[tuple[int, int], float] = defaultdict(float)
    for plist in postings.values():
        if len(plist) < 2 or len(plist) > cap:
            continue
        for a in range(len(plist)):
            i, wi = plist[a]
            for j, wj in plist[a + 1:]:
                acc[(i, j)] += wi * wj
    return {pair: s for pair, s in acc.items() if s >= min_sim}
