"""Settings: defaults, overridden by FACILITATION_* environment variables, then by code."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every setting, its default and what it means (README lists them for users).
DEFAULTS: dict[str, object] = {
    "DATABASE": str(ROOT / "instance" / "facilitation.db"),
    "INSTANCE_DIR": str(ROOT / "instance"),
    "SESSIONS_DIR": str(ROOT / "sessions"),
    "PUBLIC_URL": "",  # e.g. http://192.168.1.20:5000; detected from the LAN address if empty
    "HOST": "0.0.0.0",
    "PORT": 5000,
    "ASYNC_MODE": "gevent",  # tests use "threading"
    "DEFAULT_LOCALE": "de",
    # A folder of catalogues (<lang>/LC_MESSAGES/messages.po) used instead of the shipped
    # facilitation/translations: a translator tries a corrected catalogue without a checkout.
    "TRANSLATIONS_DIR": "",
    "SECURE_COOKIES": False,  # set to 1 behind HTTPS
    # Largest Socket.IO message a client may send (Socket.IO's default is 1 MB). The
    # biggest legitimate one, a voting round with dozens of typed statements, stays well
    # under it; anything larger closes the connection.
    "MAX_MESSAGE_BYTES": 64 * 1024,
    "CONTRIBUTIONS_PER_MINUTE": 20,  # per device; human speed with a margin
    "CONTRIBUTIONS_PER_TABLE": 100,  # per device and table over the whole event
    "MESSAGES_PER_MINUTE": 120,  # any Socket.IO message, per connection
    "DEVICE_MESSAGES_PER_MINUTE": 240,  # any Socket.IO message, per device over all its tabs
    # One budget per person (docs/security.md). New devices per client address: a token
    # bucket that refills NEW_DEVICES_PER_MINUTE and holds NEW_DEVICES_BURST, so a hall of
    # phones behind one NAT still joins within minutes while a script gets no more.
    "NEW_DEVICES_PER_MINUTE": 30,
    "NEW_DEVICES_BURST": 60,
    "CONNECTIONS_PER_ADDRESS": 100,  # open HTTP requests and websockets at once, per address
    "SLOW_DOWN_SECONDS": 30,  # an address whose connection flooded is refused this long
    "HEADER_TIMEOUT_SECONDS": 10,  # a request line or headers not complete by then: closed
    "TICKET_ATTEMPTS_PER_MINUTE": 20,  # ticket codes typed per client address
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or
    # networks, e.g. "127.0.0.1, 10.0.0.0/8"); empty: the peer address is the client.
    "TRUSTED_PROXIES": "",
    "RETENTION_DAYS": 180,  # closed events are purged this long after closing; 0 keeps them
    "MESSAGE_QUEUE": "",  # e.g. redis://localhost:6379/0 for several server processes
    "ADMIN_TOKEN": "",  # generated at first start and kept in INSTANCE_DIR if empty
    # A machine translator on the organisers' own network (LibreTranslate's API), whose
    # suggestions pre-fill the translation desk, marked as machine translation; off if empty.
    "TRANSLATE_URL": "",
    "STALL_REPORT": "",  # a file: `serve` writes the event loop's longest stalls to it (bench/)
}

_INT_SETTINGS = {
    "PORT", "MAX_MESSAGE_BYTES", "CONTRIBUTIONS_PER_MINUTE", "CONTRIBUTIONS_PER_TABLE",
    "MESSAGES_PER_MINUTE", "DEVICE_MESSAGES_PER_MINUTE", "RETENTION_DAYS",
    "NEW_DEVICES_PER_MINUTE", "NEW_DEVICES_BURST", "CONNECTIONS_PER_ADDRESS",
    "SLOW_DOWN_SECONDS", "HEADER_TIMEOUT_SECONDS", "TICKET_ATTEMPTS_PER_MINUTE",
}
_BOOL_SETTINGS = {"SECURE_COOKIES"}


def from_environment(environ=os.environ) -> dict:
    """The settings given as FACILITATION_<NAME> environment variables."""
    found = {}
    for name in DEFAULTS:
        raw = environ.get(f"FACILITATION_{name}")
        if raw is None or raw == "":
            continue
        if name in _INT_SETTINGS:
            found[name] = int(raw)
        elif name in _BOOL_SETTINGS:
            found[name] = raw.strip().lower() in ("1", "true", "yes", "on")
        else:
            found[name] = raw
    return found


def resolve(config: dict | None = None, environ=os.environ) -> dict:
    """Defaults, then environment, then the explicit mapping: the last one wins."""
    settings = dict(DEFAULTS)
    settings.update(from_environment(environ))
    settings.update(config or {})
    return settings
