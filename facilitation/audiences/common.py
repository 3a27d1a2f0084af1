"""What every audience module shares: the socket's identity, the admission, the two
shapes of a contribution."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Fields no phone or projector ever receives: the idempotency key and the target group
# of whoever wrote it (the console sees the target group; it is anonymous, but phones
# have no need for it), the merge link (only merged, hence hidden, ones have one), and
# the sender's interface language (`language`, what the card is written in, stays).
_PRIVATE = ("client_id", "target_group", "merged_into", "ui_language")


@dataclass
class Connection:
    """What the server knows about one socket, fixed at connect."""

    event_id: str
    role: str
    table: str | None = None
    participant_id: int | None = None
    device: str | None = None
    address: str = ""  # the client address (see guard.py), for limits per address
    address_tag: str | None = None  # what the database keeps of it (a keyed hash)
    # Called before a device new to the event is created; raises AppError to refuse it
    # (the limit of new devices per address).
    new_device_check: Callable[[], None] | None = field(default=None, repr=False)
    key: str | None = None  # a host's key, checked again on every message it sends


@dataclass
class Admission:
    """An audience's answer to a connect: the rooms the socket joins, and whether seating
    a latecomer changed the rotation plan (then the consoles hear `rotation_planned`)."""

    rooms: list[str] = field(default_factory=list)
    rotation_grew: bool = False


def public_contribution(c: dict) -> dict:
    """A contribution as phones, hosts and the projector see it."""
    return {k: v for k, v in c.items() if k not in _PRIVATE}


def console_contribution(c: dict) -> dict:
    """A contribution as the facilitator console sees it."""
    return {k: v for k, v in c.items() if k != "client_id"}
