"""Pure arithmetic of a round's clock: start, pause, extend, end, remaining time, warnings.

Every function takes the state and the current server time in milliseconds since the
epoch (`now_ms`, injected by the caller) and returns a new state or a value; nothing here
reads a clock, touches the database or knows Flask. Times are integers in milliseconds.

A round is in one of four states:

- ``idle``: not started yet (round 1 before the facilitator pressed start);
- ``running``: counting down towards ``ends_at`` (server epoch ms);
- ``paused``: halted with ``remaining_ms`` left;
- ``ended``: over, by the facilitator or because its time ran out.

A running round whose ``ends_at`` has passed counts as ended (see `effective_state`), so
no server timer is needed: every device and the server agree from the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MINUTE_MS = 60_000
WARNING_MS = 2 * MINUTE_MS  # the calm warning two minutes before the end
EXTEND_MS = 5 * MINUTE_MS  # what "+5 min" adds
STATES = ("idle", "running", "paused", "ended")


@dataclass(frozen=True)
class RoundClock:
    """The clock of the current round; `duration_ms` is the planned length."""

    state: str = "idle"
    duration_ms: int = 20 * MINUTE_MS
    ends_at: int | None = None  # set while running
    remaining_ms: int | None = None  # set while paused


class ClockError(ValueError):
    """An action that does not fit the round's state (e.g. pausing an ended round)."""


def start(clock: RoundClock, now_ms: int) -> RoundClock:
    """Start the round from its full planned duration."""
    if effective_state(clock, now_ms) in ("running", "paused"):
        raise ClockError("running")
    return RoundClock("running", clock.duration_ms, now_ms + clock.duration_ms, None)


def pause(clock: RoundClock, now_ms: int) -> RoundClock:
    """Halt a running round, keeping what is left of it."""
    if effective_state(clock, now_ms) != "running":
        raise ClockError("not_running")
    return RoundClock("paused", clock.duration_ms, None, clock.ends_at - now_ms)


def resume(clock: RoundClock, now_ms: int) -> RoundClock:
    """Continue a paused round where it stopped."""
    if clock.state != "paused":
        raise ClockError("not_paused")
    return RoundClock("running", clock.duration_ms, now_ms + clock.remaining_ms, None)


def extend(clock: RoundClock, now_ms: int, by_ms: int = EXTEND_MS) -> RoundClock:
    """Add time to a running or paused round (the facilitator's "+5 min")."""
    state = effective_state(clock, now_ms)
    if state == "running":
        return replace(clock, ends_at=clock.ends_at + by_ms)
    if state == "paused":
        return replace(clock, remaining_ms=clock.remaining_ms + by_ms)
    raise ClockError("not_running")


def end(clock: RoundClock, now_ms: int) -> RoundClock:
    """End the round now (also a round whose time has already run out)."""
    if clock.state not in ("running", "paused"):
        raise ClockError("not_running")
    return RoundClock("ended", clock.duration_ms, None, None)


def effective_state(clock: RoundClock, now_ms: int) -> str:
    """The state as the room experiences it: a running round past its end has ended."""
    if clock.state == "running" and now_ms >= clock.ends_at:
        return "ended"
    return clock.state


def remaining(clock: RoundClock, now_ms: int) -> int:
    """Milliseconds left: the full duration before the start, 0 once ended."""
    state = effective_state(clock, now_ms)
    if state == "running":
        return clock.ends_at - now_ms
    if state == "paused":
        return clock.remaining_ms
    if state == "idle":
        return clock.duration_ms
    return 0


def in_warning(clock: RoundClock, now_ms: int, warning_ms: int = WARNING_MS) -> bool:
    """True during the last two minutes of a running or paused round."""
    return effective_state(clock, now_ms) in ("running", "paused") and (
        0 < remaining(clock, now_ms) <= warning_ms
    )


def input_locked(clock: RoundClock, now_ms: int, lock_between: bool) -> bool:
    """True when phones may not send: between rounds, if the event locks then.

    Before the first round starts nothing is locked, so an event that never uses
    rounds is never affected.
    """
    return lock_between and effective_state(clock, now_ms) == "ended"


def estimate_offset(samples: list[tuple[float, float, float]]) -> float:
    """Server minus client clock from NTP-style samples (sent, server_time, received).

    Each sample assumes the server read its clock halfway through the round trip; the
    sample with the shortest round trip has the smallest possible error (± half of it),
    so it alone decides. Mirrors `static/js/clocksync.js`.
    """
    if not samples:
        raise ValueError("no samples")
    sent, server, received = min(samples, key=lambda s: s[2] - s[0])
    return server - (sent + received) / 2
