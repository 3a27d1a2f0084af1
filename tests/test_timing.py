"""The pure clock arithmetic of rounds: no Flask, no database, time injected."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitation import timing
from facilitation.timing import ClockError, RoundClock

T0 = 1_795_341_600_000  # some server epoch ms
MIN = timing.MINUTE_MS


def test_a_round_counts_down_and_ends_by_itself():
    clock = timing.start(RoundClock(duration_ms=20 * MIN), T0)
    assert timing.remaining(clock, T0) == 20 * MIN
    assert timing.remaining(clock, T0 + 5 * MIN) == 15 * MIN
    assert timing.effective_state(clock, T0 + 20 * MIN - 1) == "running"
    assert timing.effective_state(clock, T0 + 20 * MIN) == "ended"
    assert timing.remaining(clock, T0 + 25 * MIN) == 0


def test_pause_keeps_the_time_left_and_resume_continues_from_it():
    clock = timing.start(RoundClock(duration_ms=20 * MIN), T0)
    paused = timing.pause(clock, T0 + 7 * MIN)
    assert timing.remaining(paused, T0 + 60 * MIN) == 13 * MIN  # frozen while paused
    resumed = timing.resume(paused, T0 + 60 * MIN)
    assert resumed.ends_at == T0 + 73 * MIN
    assert timing.remaining(resumed, T0 + 70 * MIN) == 3 * MIN


def test_extend_adds_five_minutes_running_or_paused():
    clock = timing.start(RoundClock(duration_ms=20 * MIN), T0)
    assert timing.extend(clock, T0).ends_at == T0 + 25 * MIN
    paused = timing.pause(clock, T0 + 10 * MIN)
    assert timing.remaining(timing.extend(paused, T0 + 11 * MIN), T0 + 99 * MIN) == 15 * MIN
    with pytest.raises(ClockError):
        timing.extend(clock, T0 + 21 * MIN)  # already over: nothing to extend


def test_the_warning_covers_the_last_two_minutes_only():
    clock = timing.start(RoundClock(duration_ms=20 * MIN), T0)
    assert not timing.in_warning(clock, T0 + 18 * MIN - 1)
    assert timing.in_warning(clock, T0 + 18 * MIN)
    assert timing.in_warning(clock, T0 + 20 * MIN - 1)
    assert not timing.in_warning(clock, T0 + 20 * MIN)  # over, not warning
    assert not timing.in_warning(RoundClock(), T0)  # not started


def test_input_is_locked_only_between_rounds_and_only_if_configured():
    idle = RoundClock(duration_ms=20 * MIN)
    assert not timing.input_locked(idle, T0, lock_between=True)  # before round 1: open
    running = timing.start(idle, T0)
    assert not timing.input_locked(running, T0 + MIN, lock_between=True)
    assert not timing.input_locked(timing.pause(running, T0 + MIN), T0 + 2 * MIN, True)
    assert timing.input_locked(running, T0 + 20 * MIN, lock_between=True)  # time ran out
    ended = timing.end(running, T0 + 3 * MIN)
    assert timing.input_locked(ended, T0 + 3 * MIN, lock_between=True)
    assert not timing.input_locked(ended, T0 + 3 * MIN, lock_between=False)


def test_actions_that_do_not_fit_the_state_are_refused():
    idle = RoundClock()
    for fn in (timing.pause, timing.resume, timing.end, timing.extend):
        with pytest.raises(ClockError):
            fn(idle, T0)
    running = timing.start(idle, T0)
    with pytest.raises(ClockError):
        timing.start(running, T0 + 1)
    with pytest.raises(ClockError):
        timing.resume(running, T0 + 1)


@given(
    offset=st.integers(min_value=-30 * MIN, max_value=30 * MIN),
    delays=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), min_size=1, max_size=8),
)
def test_offset_estimate_is_within_half_the_shortest_round_trip(offset, delays):
    """A client clock `offset` ms behind the server; each ping takes (up, down) ms."""
    samples, t = [], 1_000_000.0
    for up, down in delays:
        sent = t
        server = sent + up + offset  # the server reads its clock when the ping arrives
        received = sent + up + down
        samples.append((sent, server, received))
        t = received + 100
    best = min(up + down for up, down in delays)
    assert abs(timing.estimate_offset(samples) - offset) <= best / 2 + 1e-9


@given(st.integers(1, 240), st.lists(st.sampled_from(["pause", "resume", "extend", "wait"]),
                                     max_size=12))
def test_remaining_never_negative_and_never_more_than_planned_plus_extensions(minutes, steps):
    clock, now, extra = timing.start(RoundClock(duration_ms=minutes * MIN), T0), T0, 0
    for step in steps:
        now += 37_000
        try:
            if step == "pause":
                clock = timing.pause(clock, now)
            elif step == "resume":
                clock = timing.resume(clock, now)
            elif step == "extend":
                clock = timing.extend(clock, now)
                extra += timing.EXTEND_MS
        except ClockError:
            pass
        left = timing.remaining(clock, now)
        assert 0 <= left <= minutes * MIN + extra
