"""Stalls of the gevent loop, measured in the server itself (for the benchmarks).

Under gevent one thread serves every phone, so anything that holds the CPU without
yielding (a long handler, a garbage collection, a checkpoint) delays every message at
once. With FACILITATION_STALL_REPORT=<file>, `facilitation serve` measures two things
and writes them to that file as JSON every second:

- lateness: a greenlet asks to wake every 5 ms and records how late it woke; the worst
  figures are the longest stalls, wherever they came from (the collector's pauses too);
- causes: an operating-system thread looks every 10 ms whether that greenlet has woken
  and, when the loop has not let it for THRESHOLD, records the stack the loop's thread
  is running, which names the code that held the loop.

The second is our own rather than gevent's monitor thread: gevent's adds to each report
a rendering of every greenlet in the process (with 2,000 phones, 8,000 of them), which
cost more CPU than the stalls it reported — 26 % of the server's samples while a busy
machine made the loop look held — and held the loop itself meanwhile.

Off by default: an event needs neither, and the watching costs a little CPU.
"""

from __future__ import annotations

import gc
import heapq
import json
import os
import sys
import time
import traceback
from pathlib import Path

from . import collector

THRESHOLD = 0.02  # seconds: a stall longer than this is reported with its stack
PERIOD = 0.005  # seconds between the lateness greenlet's wake-ups
KEEP = 20  # worst stalls kept (and stacks)
LOOK_EVERY = 0.01  # seconds between two looks of the watching thread


class StallWatch:
    """Collects the loop's lateness and the monitor's reports; writes them to `path`."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.started = time.monotonic()
        self.started_epoch = time.time()  # lets a load generator place stalls in its phases
        self._gc_seconds = 0.0  # all collections' pauses so far
        self.samples = 0
        # heap (seconds late, at, CPU seconds of this thread, collector seconds) meanwhile
        self.late: list[tuple[float, float, float, float]] = []
        self.histogram = {"over_10ms": 0, "over_20ms": 0, "over_50ms": 0, "over_100ms": 0}
        self.blocked: list[tuple[float, float, list[str]]] = []  # heap (seconds, at, stack)
        self._found: list[tuple[float, float, list[str]]] = []  # the watching thread's finds
        self.ticks = 0  # the lateness greenlet's wake-ups: the loop moved
        self.gc_pauses: list[tuple[float, float, str]] = []  # heap (seconds, at, generation)
        # Lateness while a full collection ran at a quiet moment (collector.py): nobody
        # was waiting, so it is kept apart from the stalls that held messages up.
        self.quiet_collections: list[tuple[float, float, float]] = []
        self._gc_began = 0.0

    def start(self) -> None:
        """Start measuring (call in the loop's thread, before serving)."""
        import gevent
        from gevent import monkey

        gc.callbacks.append(self._on_gc)
        gevent.spawn(self._measure)
        gevent.spawn(self._write_every_second)
        loop_thread = monkey.get_original("_thread", "get_ident")()
        monkey.get_original("_thread", "start_new_thread")(self._watch, (loop_thread,))

    def _watch(self, loop_thread: int) -> None:
        """In an operating-system thread: when the loop has not let the lateness greenlet
        wake for THRESHOLD seconds, record once what the loop's thread is running."""
        from gevent import monkey

        sleep = monkey.get_original("time", "sleep")
        seen, since, recorded = self.ticks, time.perf_counter(), False
        while True:
            sleep(LOOK_EVERY)
            now = time.perf_counter()
            if self.ticks != seen:
                seen, since, recorded = self.ticks, now, False
            elif not recorded and now - since >= THRESHOLD:
                recorded = True
                frame = sys._current_frames().get(loop_thread)
                if frame is None or frame.f_code.co_name == "run" and "hub" in frame.f_code.co_filename:
                    continue  # the loop waits for the system (the machine ran others)
                stack = [line for entry in traceback.format_stack(frame)
                         for line in entry.splitlines()]
                if len(self._found) < 1000:  # list.append: safe beside the loop's thread
                    # How long it had been held when seen; the lateness figure at the same
                    # moment says how long it was in all.
                    self._found.append((now - since, self._at(), stack[-40:]))

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._gc_began = time.perf_counter()
        elif self._gc_began:
            seconds = time.perf_counter() - self._gc_began
            self._gc_seconds += seconds
            if seconds > 0.005:
                generation = str(info.get("generation"))  # str: heap items stay comparable
                if collector.collecting:
                    generation += " (scheduled, at a quiet moment)"
                self._keep(self.gc_pauses, (seconds, self._at(), generation))

    def _measure(self) -> None:
        import gevent

        while True:
            due = time.perf_counter() + PERIOD
            cpu = time.thread_time()
            collections, gc_before = collector.runs, self._gc_seconds
            gevent.sleep(PERIOD)
            self.ticks += 1
            late = time.perf_counter() - due
            if collector.runs != collections:  # a scheduled full collection, at a quiet time
                self._keep(self.quiet_collections, (late, self._at(), time.thread_time() - cpu))
                continue
            self.samples += 1
            for ms, key in ((0.01, "over_10ms"), (0.02, "over_20ms"), (0.05, "over_50ms"),
                            (0.1, "over_100ms")):
                if late > ms:
                    self.histogram[key] += 1
            if late > 0.002:
                # CPU this thread used meanwhile: about the stall's length when our own
                # code held the loop, much less when the machine ran other processes.
                # And the collector's pauses meanwhile: a stall's other usual cause.
                self._keep(self.late, (late, self._at(), time.thread_time() - cpu,
                                       self._gc_seconds - gc_before))

    def _write_every_second(self) -> None:
        import gevent

        while True:
            gevent.sleep(1.0)
            self.write()

    def _at(self) -> float:
        return round(time.monotonic() - self.started, 3)

    @staticmethod
    def _keep(heap: list, item) -> None:
        if len(heap) < KEEP:
            heapq.heappush(heap, item)
        elif item[0] > heap[0][0]:
            heapq.heapreplace(heap, item)

    def report(self) -> dict:
        ms = lambda s: round(s * 1000, 1)  # noqa: E731
        while self._found:
            self._keep(self.blocked, self._found.pop())
        return {
            "seconds": self._at(), "samples": self.samples, "period_ms": PERIOD * 1000,
            "lateness_counts": dict(self.histogram),
            "started_epoch": self.started_epoch,
            "worst_ms": [{"ms": ms(s), "at": at, "cpu_ms": ms(cpu), "gc_ms": ms(gc_s)}
                         for s, at, cpu, gc_s in sorted(self.late, reverse=True)],
            "blocked": [{"ms": ms(s), "at": at, "stack": stack}
                        for s, at, stack in sorted(self.blocked, reverse=True)],
            "gc_pauses": [{"ms": ms(s), "at": at, "generation": g}
                          for s, at, g in sorted(self.gc_pauses, reverse=True)],
            "quiet_collections": [{"ms": ms(s), "at": at, "cpu_ms": ms(cpu)}
                                  for s, at, cpu in sorted(self.quiet_collections, reverse=True)],
            "quiet_collection_runs": collector.runs,
            "gc_ms_total": ms(self._gc_seconds),  # every collection's pause, summed
        }

    def write(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.report(), indent=1))
        tmp.replace(self.path)
