"""event.json is written line by line as bytes (export/event_json.py): the file is the
same as the layout built as one string (the way it was written before), parses back to
the document, and keeps one contribution, dot or database row per line."""

from __future__ import annotations

import json

from facilitation.export import take_snapshot
from facilitation.export.event_json import _LAYOUT, document, render
from tests.session_data import fill_event


def reference(value, how, pad: str) -> str:
    """The layout as one string: the earlier implementation, kept as the test's oracle."""
    inner, compact = pad + " ", json.JSONEncoder(ensure_ascii=False).encode
    if how == "records" and isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + compact(v) for v in value) + "\n" + pad + "]"
    if isinstance(how, list) and isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + reference(v, how[0], inner) for v in value) + "\n" + pad + "]"
    if isinstance(how, dict) and isinstance(value, dict) and value:
        body = [f"{inner}{compact(k)}: {reference(v, how.get(k, how.get('*')), inner)}"
                for k, v in value.items()]
        return "{\n" + ",\n".join(body) + "\n" + pad + "}"
    return compact(value)


def test_event_json_is_the_documented_layout_byte_for_byte(store):
    data = fill_event(store)
    snap = take_snapshot(store, data["event"]["id"], base_url="http://192.168.1.20:5000")
    raw = render(snap)
    doc = document(snap)
    assert raw == (reference(doc, _LAYOUT, "") + "\n").encode("utf-8")
    assert json.loads(raw) == json.loads(json.dumps(doc))
    lines = raw.decode("utf-8").splitlines()
    for c in snap.contributions:  # each contribution whole on one line, umlauts as typed
        assert "  " + json.dumps(c, ensure_ascii=False) in {line.rstrip(",") for line in lines}
