"""Socket.IO messages (facilitation/packets.py): what a hall shares is encoded once, and a
phone still receives exactly what the database holds."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation.packets import JsonPacket, RawJSON, dumps, encoded_once
from tests.helpers import make_event, messages

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(alphabet=st.characters(codec="utf-8")),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20,
)


def _with_raw_parts(value, draw_raw):
    """The value with some of its parts replaced by their JSON text (RawJSON)."""
    if draw_raw():
        return RawJSON(json.dumps(value, separators=(",", ":")))
    if isinstance(value, list):
        return [_with_raw_parts(v, draw_raw) for v in value]
    if isinstance(value, dict):
        return {k: _with_raw_parts(v, draw_raw) for k, v in value.items()}
    return value


@settings(max_examples=300, deadline=None)
@given(value=_JSON, data=st.data())
def test_a_message_with_raw_parts_is_the_message_encoded_whole(value, data):
    """Whichever parts were encoded beforehand, the message's text is the same as if it
    had been encoded in one go (Socket.IO's compact separators)."""
    mixed = _with_raw_parts(value, lambda: data.draw(st.booleans()))
    assert dumps(mixed, separators=(",", ":")) == json.dumps(value, separators=(",", ":"))


@given(text=st.text(alphabet=st.sampled_from(["\x00", "r", "a", "w", "-", "0", "1", '"'])))
def test_text_that_looks_like_a_stand_in_stays_as_typed(text):
    message = ["snapshot", {"text": text, "tables": RawJSON('[{"code":"A"}]')}]
    assert json.loads(dumps(message, separators=(",", ":"))) == [
        "snapshot", {"text": text, "tables": [{"code": "A"}]}]


def test_incoming_packets_still_refuse_huge_integers():
    """Decoding is engine.io's, unchanged: a number of more than 100 digits is refused."""
    with pytest.raises(ValueError):
        JsonPacket(encoded_packet='42["place_dot",{"round_id":' + "1" * 101 + "}]")
    assert JsonPacket(encoded_packet='42["place_dot",{"round_id":7}]').data == [
        "place_dot", {"round_id": 7}]


def test_a_shared_value_is_encoded_once_and_an_equal_new_one_anew():
    tables = [{"code": "A", "theme": "Sprache"}]
    assert encoded_once(tables) is encoded_once(tables)
    again = [{"code": "A", "theme": "Sprache"}]
    assert encoded_once(again) is not encoded_once(tables)
    assert encoded_once(again).text == encoded_once(tables).text


def test_after_a_table_changes_the_next_phone_sees_the_change(server_store, sio):
    """The tables in a snapshot are encoded once per state of the database: a theme the
    facilitator corrects reaches every phone that joins afterwards, the others got the old."""
    event = make_event(server_store)
    auth = {"event": event["id"], "role": "participant", "table": "A"}
    first = messages(sio(auth, device=7101), "snapshot")[0]
    assert [t["theme"] for t in first["tables"]] == ["Thema A", "Thema B", "Thema C"]
    table = server_store.get_table(event["id"], "B")
    server_store.save_table(event["id"], {"id": table["id"], "theme": "Sprache und Bildung"})
    later = messages(sio(auth, device=7102), "snapshot")[0]
    assert [t["theme"] for t in later["tables"]] == ["Thema A", "Sprache und Bildung", "Thema C"]
    assert later["tables"] == json.loads(json.dumps(server_store.tables(event["id"])))
    assert later["event"]["title"] == event["title"]
