"""How good and how fast the grouping hints are, per method (docs/grouping.md).

    .venv/bin/python bench/grouping.py [--cards 1000] [--method lexical|semantic]

On the labelled set (tests/data/grouping_cards.json): duplicate nearest-neighbour
accuracy (German cards with a known duplicate), cross-language top-1 accuracy (Arabic,
Farsi, Turkish, Ukrainian, Russian cards → the German card of the same idea), adjusted
Rand index of the suggested groups against the sub-topics (German cards); on all 300
cards: the precision of the groups (share of pairs within a group that share a
sub-topic) and the share of non-German cards grouped with their German idea. Then the time
for suggestions on --cards cards (the set repeated with small variations, cold: no
cached embeddings) and the memory the method added to the process.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from facilitation import grouping, grouping_semantic  # noqa: E402
from facilitation.grouping_quality import (  # noqa: E402
    adjusted_rand_index,
    cluster_labels,
    cross_language_accuracy,
    cross_language_grouped,
    duplicate_nn_accuracy,
    load_cards,
    pair_precision,
)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "grouping_cards.json"
SUFFIXES = ["", "!", " bitte", " – wichtig", " (Runde 2)", "!!", " im Ilm-Kreis", " auch in Arnstadt"]


def many_cards(cards: list[dict], n: int, seed: int = 14) -> list[dict]:
    """n cards: the labelled ones again and again, each copy slightly changed, as in a big event."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        c = rng.choice(cards)
        text = c["text"] + rng.choice(SUFFIXES) + " " * rng.randint(0, 2)
        out.append({**c, "id": len(out) + 1, "text": text})
    return out


def measure(method: str, n_big: int) -> dict:
    cards = load_cards(DATA)
    german = [c for c in cards if c["language"] == "de"]
    process = psutil.Process()
    rss0 = process.memory_info().rss
    sims = grouping.pairs(cards, method, -1.0 if method == "semantic" else 0.0)
    dup = duplicate_nn_accuracy(cards, sims)
    cross = cross_language_accuracy(cards, sims)
    result = grouping.suggest_groups(german, method=method)
    index = {c["id"]: i for i, c in enumerate(german)}
    found = cluster_labels(len(german), [[index[i] for i in g["contributions"]] for g in result["groups"]])
    ari = adjusted_rand_index([c["subtopic"] for c in german], found)
    everything = grouping.suggest_groups(cards, method=method)
    positions = {c["id"]: i for i, c in enumerate(cards)}
    groups_all = [[positions[i] for i in g["contributions"]] for g in everything["groups"]]
    big = many_cards(cards, n_big)
    grouping_semantic._cache.clear()
    start = time.perf_counter()
    grouping.suggest_groups(big, method=method)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    grouping.suggest_groups(big, method=method)
    warm = time.perf_counter() - start
    return {"method": method, "dup_nn": dup, "cross_top1": cross, "ari": ari,
            "precision": pair_precision(cards, groups_all),
            "cross_grouped": cross_language_grouped(cards, groups_all),
            "groups": len(result["groups"]), "n": n_big, "seconds": seconds, "warm": warm,
            "ms_per_card": 1000 * seconds / n_big, "rss_mb": (process.memory_info().rss - rss0) / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--method", choices=grouping.METHODS, action="append")
    args = parser.parse_args()
    methods = args.method or [m for m in grouping.METHODS
                              if m == "lexical" or grouping_semantic.available()]
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}, "
          f"labelled set: {len(load_cards(DATA))} cards")
    print(f"{'method':<9} {'dup NN':>7} {'x-lang':>7} {'ARI':>6} {'groups':>6} {'prec':>5} {'x-grp':>5} "
          f"{'cards':>6} {'cold s':>7} {'ms/card':>8} {'warm s':>7} {'+RSS MB':>8}")
    for method in methods:
        r = measure(method, args.cards)
        print(f"{r['method']:<9} {r['dup_nn']:>7.3f} {r['cross_top1']:>7.3f} {r['ari']:>6.3f} "
              f"{r['groups']:>6} {r['precision']:>5.2f} {r['cross_grouped']:>5.2f} {r['n']:>6} "
              f"{r['seconds']:>7.2f} {r['ms_per_card']:>8.2f} "
              f"{r['warm']:>7.2f} {r['rss_mb']:>8.1f}")
    if not grouping_semantic.available():
        print("semantic: not installed (pip install 'facilitation[semantic]')")


if __name__ == "__main__":
    main()
