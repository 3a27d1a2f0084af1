"""Socket.IO room names, one helper each; nothing else builds a room name."""


def event_room(event_id: str) -> str:
    """Everyone who sees all visible contributions of an event: projector and console."""
    return f"event:{event_id}"


def console_room(event_id: str) -> str:
    """Facilitator consoles: also hidden contributions and facilitator-only data."""
    return f"console:{event_id}"


def table_room(event_id: str, table_code: str) -> str:
    """Phones (and hosts) at one table: that table's harvest only."""
    return f"table:{event_id}:{table_code}"


def phones_room(event_id: str) -> str:
    """Every phone of an event: for changes that concern all of them (setup, rounds)."""
    return f"phones:{event_id}"


def everyone(event_id: str) -> list[str]:
    """Every client of the event: projector, consoles, phones and hosts (hosts are in
    `phones_room` too)."""
    return [event_room(event_id), console_room(event_id), phones_room(event_id)]


def device_room(event_id: str, participant_id: int) -> str:
    """Every socket of one device (two tabs, a reconnect): its own dots and budget."""
    return f"device:{event_id}:{participant_id}"
