"""Store verbs for the rounds of a World Café, all on the server's one clock.

The arithmetic lives in `facilitation.timing`; this mixin loads the round's clock,
applies one of its pure functions at `self.now_ms()` and saves the result, in one
transaction. The round number is the event's `current_round`, which every new
contribution records.
"""

from __future__ import annotations

from .. import timing
from ..errors import AppError

MAX_ROUNDS = 20
MAX_MINUTES = 240
_CLOCK_ERRORS = {
    "running": "round_running",
    "not_running": "round_not_running",
    "not_paused": "round_not_paused",
}


def _clock_of(row: dict | None) -> timing.RoundClock:
    if row is None:
        return timing.RoundClock()
    return timing.RoundClock(row["state"], row["duration_ms"], row["ends_at"], row["remaining_ms"])


class RoundsMixin:
    """Plan, start, pause, resume, extend and end rounds; say whether input is locked."""

    def now_ms(self) -> int:
        """The store's clock in milliseconds since the epoch (the one clock of rounds)."""
        return int(self.clock().timestamp() * 1000)

    def _round_row(self, event_id: str) -> dict | None:
        return self.row("SELECT * FROM round_clocks WHERE event_id = ?", [event_id])

    def round_state(self, event_id: str) -> dict:
        """The current round as every client receives it (see docs/api.md, `round_changed`)."""
        with self.read():
            event = self._require_event(event_id)
            row = self._round_row(event_id)
        now = self.now_ms()
        clock = _clock_of(row)
        lock = bool(row["lock_between"]) if row else True
        state = timing.effective_state(clock, now)
        return {
            "planned": row is not None,  # False: the event does not use rounds (yet)
            "number": event["current_round"],
            "rounds": row["rounds"] if row else 3,
            "state": state,
            "duration_ms": clock.duration_ms,
            "ends_at": clock.ends_at if state == "running" else None,
            "remaining_ms": timing.remaining(clock, now),
            "warning_ms": timing.WARNING_MS,
            "lock_between": lock,
            "sound": bool(row["sound"]) if row else False,
            "locked": timing.input_locked(clock, now, lock),
            "server_time": now,
        }

    def plan_rounds(
        self, event_id: str, rounds: int, minutes: int, lock_between: bool, sound: bool,
        actor: str = "facilitator",
    ) -> dict:
        """Set the number and length of rounds, the lock between rounds and the end sound.

        A new length applies from the next start; a running round keeps its end.
        """
        if not 1 <= rounds <= MAX_ROUNDS:
            raise AppError("invalid_payload", detail="rounds")
        if not 1 <= minutes <= MAX_MINUTES:
            raise AppError("invalid_payload", detail="minutes")
        with self.write() as db:
            event = self._require_event(event_id)
            if rounds < event["current_round"]:
                raise AppError("invalid_payload", detail="rounds")
            values = {
                "event_id": event_id, "rounds": rounds, "duration_ms": minutes * timing.MINUTE_MS,
                "lock_between": int(lock_between), "sound": int(sound), "updated_at": self.now(),
            }
            if self._round_row(event_id) is None:
                db["round_clocks"].insert(values)
            else:
                db["round_clocks"].update(event_id, values)
            self.bump(event_id)
            self.log(event_id, actor, "rounds_planned",
                     {"rounds": rounds, "minutes": minutes, "lock_between": lock_between,
                      "sound": sound})
        return self.round_state(event_id)

    def start_round(self, event_id: str, actor: str = "facilitator") -> dict:
        """Start round 1, or the next round once the current one has ended."""
        with self.write() as db:
            event = self._require_event(event_id)
            row = self._ensure_round_row(event_id)
            clock, now = _clock_of(row), self.now_ms()
            number = event["current_round"]
            if timing.effective_state(clock, now) == "ended":
                if number >= row["rounds"]:
                    raise AppError("no_more_rounds", rounds=row["rounds"])
                number += 1
            clock = self._apply(timing.start, clock, now)
            db["events"].update(event_id, {"current_round": number})
            self._save_clock(event_id, clock)
            self.bump(event_id)
            self.log(event_id, actor, "round_started", {"round": number})
        return self.round_state(event_id)

    def pause_round(self, event_id: str, actor: str = "facilitator") -> dict:
        """Halt the running round's countdown."""
        return self._change(event_id, timing.pause, "round_paused", actor)

    def resume_round(self, event_id: str, actor: str = "facilitator") -> dict:
        """Continue a paused round."""
        return self._change(event_id, timing.resume, "round_resumed", actor)

    def extend_round(self, event_id: str, actor: str = "facilitator") -> dict:
        """Give the running or paused round five more minutes."""
        return self._change(event_id, timing.extend, "round_extended", actor)

    def end_round(self, event_id: str, actor: str = "facilitator") -> dict:
        """End the round now."""
        return self._change(event_id, timing.end, "round_ended", actor)

    def require_input_open(self, event_id: str) -> None:
        """AppError('round_locked') between rounds when the event locks input then.

        Called inside the contribution's own write transaction, so a round that ends
        concurrently cannot let a contribution slip through.
        """
        row = self._round_row(event_id)
        if row and timing.input_locked(_clock_of(row), self.now_ms(), bool(row["lock_between"])):
            raise AppError("round_locked")

    # -- internals ----------------------------------------------------------------

    def _change(self, event_id, fn, action, actor) -> dict:
        with self.write():
            event = self._require_event(event_id)
            row = self._ensure_round_row(event_id)
            clock = self._apply(fn, _clock_of(row), self.now_ms())
            self._save_clock(event_id, clock)
            self.bump(event_id)
            self.log(event_id, actor, action, {"round": event["current_round"]})
        return self.round_state(event_id)

    @staticmethod
    def _apply(fn, clock, now):
        try:
            return fn(clock, now)
        except timing.ClockError as exc:
            raise AppError(_CLOCK_ERRORS[str(exc)]) from None

    def _ensure_round_row(self, event_id: str) -> dict:
        row = self._round_row(event_id)
        if row is None:
            self.db["round_clocks"].insert({"event_id": event_id, "updated_at": self.now()})
            row = self._round_row(event_id)
        return row

    def _save_clock(self, event_id: str, clock: timing.RoundClock) -> None:
        self.db["round_clocks"].update(
            event_id,
            {"state": clock.state, "ends_at": clock.ends_at, "remaining_ms": clock.remaining_ms,
             "updated_at": self.now()},
        )
