"""Full garbage collections run at quiet moments, never while messages keep coming, and
at the latest after AT_MOST seconds; CPython's own full collections are off meanwhile."""

from __future__ import annotations

import json
import subprocess
import sys

from facilitation.collector import due


def test_a_full_collection_waits_for_a_quiet_moment_but_not_forever():
    # 60 s since the last one, but a message 0.2 s ago: someone is waiting.
    assert not due(now=100.0, last_full=40.0, last_message=99.8, every=60, quiet=1, at_most=600)
    # quiet for a second: now.
    assert due(now=100.0, last_full=40.0, last_message=99.0, every=60, quiet=1, at_most=600)
    # quiet, but the last one was only 30 s ago.
    assert not due(now=100.0, last_full=70.0, last_message=50.0, every=60, quiet=1, at_most=600)
    # busy for ten minutes without a pause: it runs anyway.
    assert due(now=700.0, last_full=99.0, last_message=700.0, every=60, quiet=1, at_most=600)


CODE = """
from gevent import monkey; monkey.patch_all()
import gc, json, sys, time, weakref, gevent
from facilitation import collector

class Node:  # cyclic garbage that only a full collection frees
    pass

def garbage_in_the_oldest_generation():
    nodes = [Node() for _ in range(50)]
    for a, b in zip(nodes, nodes[1:] + nodes[:1]):
        a.next = b
    gc.collect(1)  # survivors of the middle generation move to the oldest
    ref = weakref.ref(nodes[0])
    del nodes, a, b
    return ref

collector.start(every=0.3, quiet=0.5, at_most=5.0)
threshold = gc.get_threshold()[2]
ref = garbage_in_the_oldest_generation()
busy_until = time.monotonic() + 1.5
while time.monotonic() < busy_until:  # a message every 50 ms
    collector.touch()
    gevent.sleep(0.05)
freed_while_busy = ref() is None
gevent.sleep(1.2)  # quiet
print(json.dumps({"threshold": threshold, "freed_while_busy": freed_while_busy,
                  "freed_when_quiet": ref() is None, "runs": collector.runs}))
"""


def test_garbage_waits_while_messages_come_and_is_freed_when_quiet():
    out = subprocess.run([sys.executable, "-c", CODE], check=True, timeout=60,
                         capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    assert result["threshold"] >= 1_000_000  # CPython no longer starts full collections
    assert not result["freed_while_busy"], "a full collection ran while messages kept coming"
    assert result["freed_when_quiet"] and result["runs"] >= 1


YOUNG_PILE = """
from gevent import monkey; monkey.patch_all()
import gc, json, sys, time, gevent
from facilitation import collector

class Wait:  # what a phone's writer makes for each message it waits for
    pass

# A hall's pattern: every new object replaces an old one that dies, so CPython's count
# (allocations minus deallocations) hardly moves while new objects pile up.
pool = [Wait() for _ in range(300_000)]
gc.collect()
if sys.argv[1] == "clock":
    collector.start()
else:  # the same thresholds, no clock
    gc.set_threshold(collector.YOUNG, gc.get_threshold()[1], collector.NEVER)
biggest = 0

def watch(phase, info):
    global biggest
    if phase == "start" and info["generation"] >= 1:
        biggest = max(biggest, len(gc.get_objects(0)) + len(gc.get_objects(1)))

gc.callbacks.append(watch)
for i in range(len(pool)):
    pool[i] = Wait()
    if i % 2_000 == 0:
        gevent.sleep(0.002)  # other phones' turn
gevent.sleep(0.2)
gc.collect(1)
print(json.dumps({"biggest": biggest}))
"""


def test_young_collections_run_on_a_clock_so_none_has_a_pile_to_scan():
    def biggest(mode: str) -> int:
        out = subprocess.run([sys.executable, "-c", YOUNG_PILE, mode], check=True, timeout=120,
                             capture_output=True, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])["biggest"]

    # Without the clock the young generations collect everything replaced so far: one
    # long pause (300,000 objects here; 10,000–35,000 in a hall of 2,000 phones).
    assert biggest("count only") > 250_000
    # With it, each collection finds what 50 ms left behind.
    assert biggest("clock") < 100_000
