"""The public interfaces are documented: a missing route, message or error code fails here."""

import re
from pathlib import Path

from facilitation.errors import MESSAGES

ROOT = Path(__file__).resolve().parent.parent
API = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
# Only the Socket.IO layer sends messages; other modules' strings are not message names.
SOURCES = "\n".join(
    p.read_text(encoding="utf-8") for p in (ROOT / "facilitation" / "sockets").rglob("*.py")
)


def _plain(path: str) -> str:
    """/e/<event_id>/qr.<any(png, svg):fmt> → /e/<event_id>/qr.<fmt>"""
    return re.sub(r"<(?:[^<>]*:)?([^<>:]+)>", r"<\1>", path)


def documented_routes() -> set[tuple[str, str]]:
    found = re.findall(r"^### (GET|POST|PUT|DELETE|PATCH) (\S+)$", API, re.M)
    return {(method, _plain(path)) for method, path in found}


def documented_messages() -> set[str]:
    return set(re.findall(r"^### `([a-z_]+)`$", API, re.M))


def test_every_route_is_documented(app):
    documented = documented_routes()
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (method, _plain(rule.rule)) not in documented
    ]
    assert len(list(app.url_map.iter_rules())) > 5
    assert not missing, f"routes missing from docs/api.md: {missing}"


def test_every_socket_handler_is_documented(app):
    from facilitation.extensions import socketio

    handlers = {name for name, _ in socketio.server.handlers["/"].items()}
    missing = sorted(handlers - documented_messages())
    assert handlers, "no Socket.IO handlers registered"
    assert not missing, f"Socket.IO handlers missing from docs/api.md: {missing}"


def test_every_message_the_server_sends_is_documented():
    sent = set(re.findall(r"""emit\(\s*["']([a-z_]+)["']""", SOURCES))
    # names chosen by an expression: `name = "a" if created else "b"`
    for pair in re.findall(r'"([a-z_]+)" if \w+ else "([a-z_]+)"', SOURCES):
        sent |= set(pair)
    missing = sorted(sent - documented_messages())
    assert "snapshot" in sent
    assert not missing, f"server messages missing from docs/api.md: {missing}"


def test_every_error_code_is_documented():
    missing = sorted(code for code in MESSAGES if f"`{code}`" not in API)
    assert not missing, f"error codes missing from docs/api.md: {missing}"
