"""Full garbage collections at quiet moments, not in the middle of a burst.

Under gevent one thread serves every phone, and a full collection stops all of them: with
2,000 phones connected it scans about a million objects, 150 ms during which no message
moves (the longest stall of the load benchmark, in the middle of the hall joining).
CPython starts a full collection whenever the heap has grown by a quarter, which is
exactly while a hall fills up or votes. So `facilitation serve` leaves the young
generations to CPython and runs full collections itself:

- after EVERY seconds, once no message and no request has come for QUIET seconds
  (nobody is waiting while it runs);
- at the latest after AT_MOST seconds, busy or not, so cyclic garbage of closed
  connections never piles up for long.

It also keeps the young generations small, so that their collections stay short:

- CPython collects the youngest generation after YOUNG more allocations than
  deallocations. A hall frees old objects as fast as it makes new ones (a phone's
  writer waits on a fresh timeout for each message, and the previous one dies), so that
  count stays low while tens of thousands of new objects pile up unseen: middle-
  generation collections then scanned 10,000–35,000 objects, 10–50 ms of CPU with
  2,000 phones, each a stall that acks and tallies queued behind. So the two young
  generations are also collected on a clock, every YOUNG_EVERY seconds: each
  collection then finds only what that slice of time left alive (a few thousand
  objects, a millisecond or two), and idle it costs microseconds.

`touch()` is called for every Socket.IO message and HTTP request; it only stores the time.
"""

from __future__ import annotations

import gc
import time

EVERY = 60.0  # least seconds between two full collections
QUIET = 1.0  # seconds without a message before one may run
AT_MOST = 600.0  # seconds after which one runs anyway
YOUNG_EVERY = 0.05  # seconds between two collections of the young generations
NEVER = 1_000_000_000  # CPython's full-collection threshold while we schedule them
# Young collections after this many new objects (CPython: 700). With 2,000 phones a young
# object costs the collector microseconds, not nanoseconds (a handler's greenlet and
# frames come with it): middle-generation pauses of 30–47 ms at 700, 59 ms at 7,000,
# at most 21 ms at 250, for the same CPU per contribution (bench/loadgen.py, 1,000
# contributions in 30 s to 2,000 phones, 2026-11-30, load < 1).
YOUNG = 250

_last_message = time.monotonic()
runs = 0  # full collections run so far (the stall watch tells them apart)
collecting = False


def touch() -> None:
    """Someone is waiting for an answer (a message or request arrived)."""
    global _last_message
    _last_message = time.monotonic()


def due(now: float, last_full: float, last_message: float, every: float = EVERY,
        quiet: float = QUIET, at_most: float = AT_MOST) -> bool:
    """Whether a full collection should run now (pure: times in, decision out)."""
    since = now - last_full
    return since >= at_most or (since >= every and now - last_message >= quiet)


def collect() -> int:
    """One full collection, counted; returns what gc.collect() found unreachable."""
    global runs, collecting
    collecting = True
    try:
        return gc.collect()
    finally:
        collecting = False
        runs += 1


def start(every: float = EVERY, quiet: float = QUIET, at_most: float = AT_MOST) -> None:
    """Take full collections over from CPython and collect the young generations on a clock
    (gevent only: a greenlet wakes every YOUNG_EVERY s)."""
    import gevent

    _, middle, _ = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, NEVER)

    def loop() -> None:
        last_full = time.monotonic()
        while True:
            gevent.sleep(YOUNG_EVERY)
            gc.collect(1)  # both young generations; survivors move to the oldest
            now = time.monotonic()
            if due(now, last_full, _last_message, every, quiet, at_most):
                collect()
                last_full = time.monotonic()

    gevent.spawn(loop)
