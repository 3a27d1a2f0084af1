"""Integrity of a vote: refused attempts kept in memory, and the facilitator's warnings.

`RefusalLog` remembers, per event, when and why something was refused (a new device
over the address limit, a flood, a device too new for the voting round, a guessed
ticket). It lives in the server process only: cheap to write during a flood, gone after
a restart, bounded in size. `assess` is pure: figures in, warnings out.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, deque

from flask_babel import lazy_gettext as _l

# Reasons a refusal is counted under (the error code the sender got, or "flood").
REASONS = ("too_many_devices", "too_many_connections", "flood", "device_too_new",
           "ticket_required", "unknown_ticket", "ticket_used", "rate_limited")

WARNINGS = {
    "shared_address": _l(
        "Voting devices from one network address: %(devices)s of %(voters)s. That is normal"
        " behind a shared router, but it can also be one person voting many times."),
    "new_devices": _l(
        "Voting devices that joined only after the voting round opened: %(devices)s of"
        " %(voters)s. If few people arrived late, someone may be voting with made-up devices."),
    "refused": _l(
        "Attempts refused during this voting round: %(count)s (new devices over the limit,"
        " floods, devices too new, wrong ticket codes). Someone may be trying to vote more"
        " than once."),
}


class RefusalLog:
    """(time, reason) per event, the newest `per_event` kept; thread-safe."""

    def __init__(self, per_event: int = 50_000, clock=time.time):
        self.per_event = per_event
        self.clock = clock
        self._log: dict[str, deque] = {}
        self._lock = threading.Lock()

    def record(self, event_id: str, reason: str) -> None:
        """Count one refusal of `reason` in this event, now."""
        with self._lock:
            log = self._log.get(event_id)
            if log is None:
                log = self._log[event_id] = deque(maxlen=self.per_event)
            log.append((self.clock(), reason))

    def counts(self, event_id: str, since: float, until: float | None = None) -> dict[str, int]:
        """Refusals by reason between two moments (seconds since the epoch)."""
        with self._lock:
            entries = list(self._log.get(event_id, ()))
        end = until if until is not None else float("inf")
        return dict(Counter(reason for at, reason in entries if since <= at <= end))


def assess(figures: dict) -> list[dict]:
    """Plain warnings for the integrity panel: [{code, message}], empty when all looks fine.

    The thresholds are deliberately loose: a warning asks the facilitator to look at the
    room, it never changes a count.
    """
    voters = figures["voters"]
    out = []
    shared = figures["most_devices_one_address"]
    if voters >= 5 and shared >= max(5, voters // 4):
        out.append(("shared_address", {"devices": shared, "voters": voters}))
    late = figures["new_voters"]
    if voters >= 5 and late >= max(5, (voters * 3) // 10):
        out.append(("new_devices", {"devices": late, "voters": voters}))
    refused = sum(figures["refused"].values())
    if refused >= 5:
        out.append(("refused", {"count": refused}))
    return [{"code": code, "message": str(WARNINGS[code]) % params} for code, params in out]
