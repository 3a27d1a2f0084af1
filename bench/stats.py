"""Pure arithmetic for the reports: percentiles, latency summaries, readable sizes."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence


def percentile(sorted_values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0..100) by the nearest-rank method; None for no values."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def latency_summary(seconds: Iterable[float]) -> dict:
    """count, p50, p95, p99 and max of latencies given in seconds, reported in ms."""
    values = sorted(seconds)
    out = {"count": len(values)}
    for name, p in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
        v = percentile(values, p)
        out[f"{name}_ms"] = None if v is None else round(v * 1000, 1)
    return out


def first_reaching(counts_over_time: Sequence[tuple[float, int]], k: int) -> float | None:
    """The first time at which a count reached k, from (time, count) pairs in time order."""
    for at, count in counts_over_time:
        if count >= k:
            return at
    return None


def dot_visibility(dots: Sequence[tuple[float, float]], seen: Sequence[tuple[float, int]]
                   ) -> list[float]:
    """Latency of each accepted dot on one candidate until a tally showed it.

    `dots` are (send_time, ack_time) of the accepted placements on the candidate;
    `seen` are (receipt_time, count) of the tallies the projector received for it.
    Taken in acknowledgement order, the k-th dot is visible once a tally shows at least
    k dots (placements only, so counts never go down). A dot never shown is left out;
    the caller reports it as missing.
    """
    out = []
    for k, (sent, _acked) in enumerate(sorted(dots, key=lambda d: d[1]), start=1):
        at = first_reaching(seen, k)
        if at is not None:
            out.append(max(0.0, at - sent))
    return out


def mb(n_bytes: float) -> float:
    """Bytes as MB (10^6), one decimal."""
    return round(n_bytes / 1e6, 1)


def kb(n_bytes: float) -> float:
    """Bytes as KB (10^3), one decimal."""
    return round(n_bytes / 1e3, 1)
