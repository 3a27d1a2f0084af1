"""A sliding-window rate limit per key (device), pure apart from the injected clock."""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections.abc import Callable


class RateLimiter:
    """At most `limit` accepted actions per `window` seconds for each key."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        # key -> times of its accepted actions within the window, oldest first: a list,
        # not a deque (a deque takes 600 bytes before its first item; with 2,000 phones
        # and two keys each that was 2 MB for a handful of times per phone)
        self._hits: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record an action for key and say whether it is within the limit."""
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, [])
            if hits and hits[0] <= now - self.window:
                del hits[:bisect_right(hits, now - self.window)]
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 100_000:  # forget idle keys so memory stays bounded
                idle = [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]
                for k in idle:
                    del self._hits[k]
            return True

    def forget(self, key: str) -> None:
        """Drop what is known about key (a closed connection will never send again)."""
        with self._lock:
            self._hits.pop(key, None)


class TokenBucket:
    """Per key: `burst` actions at once, refilled at `per_minute`; pure but for the clock."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.clock = clock
        self._state: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take one token for key; False (and nothing taken) when its bucket is empty."""
        now = self.clock()
        with self._lock:
            tokens, at = self._state.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            allowed = tokens >= 1.0
            self._state[key] = (tokens - 1.0 if allowed else tokens, now)
            if len(self._state) > 100_000:  # forget full buckets so memory stays bounded
                full = [k for k, (t, a) in self._state.items()
                        if t + (now - a) * self.rate >= self.burst]
                for k in full:
                    del self._state[k]
            return allowed
