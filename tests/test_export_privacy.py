"""Exports never contain a device token, its hash, or a piece of either.

End to end: the zip a facilitator downloads and the session folder written when the
event closes. Every byte is searched, including inside the compressed parts (the xlsx
is a zip of XML files, the PDF has deflated streams), so a secret cannot hide there.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from facilitation.export.folder import exported_event_id
from facilitation.store import device_hash
from tests.helpers import wait_for
from tests.session_data import fill_event


def _layers(name: str, body: bytes):
    """(name, bytes) of a file and of everything compressed inside it."""
    yield name, body
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            for inner in z.namelist():
                yield from _layers(f"{name}/{inner}", z.read(inner))
    if body[:5] == b"%PDF-":
        for n, stream in enumerate(re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)):
            try:
                yield f"{name}#stream{n}", zlib.decompress(stream)
            except zlib.error:
                continue  # not deflated (images): nothing textual to hide in


def _secrets(tokens: list[str]) -> list[str]:
    """Each token, its SHA-256 (both cases) and 16-character pieces of the hash."""
    found = []
    for token in tokens:
        h = device_hash(token)
        found += [token, token[:20], h, h.upper(), h[:16], h[-16:]]
    return found


def _assert_clean(files: dict[str, bytes], tokens: list[str]) -> int:
    secrets = _secrets(tokens)
    layers = 0
    for name, body in files.items():
        for where, data in _layers(name, body):
            text = data.decode("utf-8", "ignore") + data.decode("utf-16-le", "ignore")
            for secret in secrets:
                assert secret not in text, f"{where} contains a device secret"
            layers += 1
    return layers


def test_downloaded_export_has_no_device_token_or_hash(app, client):
    store = app.extensions["store"]
    data = fill_event(store)
    eid = data["event"]["id"]
    response = client.get(f"/e/{eid}/export.zip", query_string={"key": store.facilitator_key(eid)})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as z:
        files = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    assert any(n.endswith("event.json") for n in files) and len(files) >= 5
    layers = _assert_clean(files, data["tokens"])
    assert layers > len(files)  # the compressed insides were searched too


def test_session_folder_written_on_close_has_no_device_token_or_hash(app):
    store = app.extensions["store"]
    data = fill_event(store)
    eid = data["event"]["id"]
    store.update_event(eid, {"status": "closed"})
    sessions = Path(app.config["SESSIONS_DIR"])
    # The folder is renamed into place whole, so once it is there its event.json is too.
    folder = wait_for(lambda: next((p for p in sessions.glob("2026-11-22-weltcafe-integration-*")
                                    if exported_event_id(p) == eid), None), timeout=30)
    files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    _assert_clean(files, data["tokens"])
