"""The sliding-window limit: at most `limit` accepted actions in any `window` seconds per key."""

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation.ratelimit import RateLimiter


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_the_fourth_action_within_the_window_is_refused_until_the_first_has_aged_out():
    clock = Clock()
    limiter = RateLimiter(3, window=10.0, clock=clock)
    for t in (0.0, 1.0, 2.0):
        clock.now = t
        assert limiter.allow("phone")
    clock.now = 9.9
    assert not limiter.allow("phone")  # refused, and not counted
    assert limiter.allow("other phone")  # keys are apart
    clock.now = 10.0  # the action at 0.0 has left the window
    assert limiter.allow("phone")
    clock.now = 10.5
    assert not limiter.allow("phone")
    limiter.forget("phone")
    assert limiter.allow("phone")


@settings(max_examples=200, deadline=None)
@given(limit=st.integers(1, 5), gaps=st.lists(st.floats(0, 4, allow_nan=False), max_size=60))
def test_it_accepts_exactly_what_a_log_of_every_accepted_action_would(limit, gaps):
    clock = Clock()
    limiter = RateLimiter(limit, window=10.0, clock=clock)
    accepted: list[float] = []
    for gap in gaps:
        clock.now += gap
        expected = sum(1 for t in accepted if t > clock.now - 10.0) < limit
        assert limiter.allow("k") == expected
        if expected:
            accepted.append(clock.now)
