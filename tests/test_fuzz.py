"""Bad input: arbitrary payloads to every Socket.IO handler and every route.

Hypothesis generates JSON-shaped values (and near-valid objects built from the real
payload field names). The tests prove: every message is answered with an
acknowledgement, never an internal error; every route answers below 500; the
connections survive; and the database keeps its invariants. Handlers and routes are
enumerated from what is registered, so ones added later are fuzzed too.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitation import payloads
from facilitation.app import create_app
from facilitation.errors import MESSAGES
from facilitation.extensions import socketio
from facilitation.rules import CONTRIBUTION_KINDS, MAX_TABLES, MAX_TEXT
from facilitation.sockets.connection import ROLES
from tests.helpers import ADMIN_TOKEN, device_cookie, make_event
from tests.test_access import SOCKET_ROLES

SOCKET_EXAMPLES = 2500
CONNECT_EXAMPLES = 150
ROUTE_EXAMPLES = 400
FUZZ = settings(max_examples=SOCKET_EXAMPLES, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


def _field_names() -> list[str]:
    """Every field name of every payload model: fuzzed objects use the real keys."""
    names = set()
    for model in vars(payloads).values():
        if isinstance(model, type) and issubclass(model, payloads.Payload):
            names |= set(model.model_fields)
    return sorted(names)


FIELDS = _field_names()
leaf = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
        | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40)
        | st.sampled_from(["", "A", "idea", "need", "closed", "x" * 600, "<b>", "\x00", "ü" * 501,
                           "../../etc/passwd", "1; DROP TABLE events"]))
keys = st.sampled_from(FIELDS) | st.text(max_size=12)
json_value = st.recursive(
    leaf,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=20,
)
# Objects with real field names (they get past the first checks), or anything at all.
payload = st.dictionaries(keys, json_value, max_size=6) | json_value
PLAUSIBLE = ["", "   ", "A", "B", "Z", "a b", *CONTRIBUTION_KINDS, "draft", "running", "closed",
             "world_cafe", "akteurskonferenz", "Ehrenamt", "Verwaltung", "abcdefgh1234", "2026-11-22"]


def typed(annotation) -> st.SearchStrategy:
    """Values of the declared type, often valid, sometimes at or over the limits."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return typed(args[0])
    if origin in (typing.Union, types.UnionType):
        return st.one_of([st.none() if a is type(None) else typed(a) for a in args])
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is list:
        return st.lists(typed(args[0]), max_size=7)
    if isinstance(annotation, type) and issubclass(annotation, payloads.Payload):
        return model_payload(annotation)
    if annotation is bool:
        return st.booleans()
    if annotation is int:
        return st.integers(1, 40) | st.integers(1, 40) | st.integers(-(2**63), 2**63)
    if annotation is str:
        return st.one_of(st.sampled_from(PLAUSIBLE), st.sampled_from(PLAUSIBLE),
                         st.text(max_size=60), st.text(min_size=495, max_size=505),
                         st.text("<>&\"'/ščß😀\u202e", max_size=30))
    return json_value


def model_payload(model) -> st.SearchStrategy:
    """Objects for a payload model: typed values for its fields (required ones present),
    and now and then one field missing, mistyped, or an unexpected one added."""
    required = {n: typed(i.annotation) for n, i in model.model_fields.items() if i.is_required()}
    optional = {n: typed(i.annotation) for n, i in model.model_fields.items() if not i.is_required()}
    clean = st.fixed_dictionaries(required, optional=optional)

    def spoil(obj, draw):
        how = draw.draw(st.sampled_from(["drop", "retype", "add"]))
        if how == "add" or not obj:
            return {**obj, draw.draw(keys): draw.draw(json_value)}
        field = draw.draw(st.sampled_from(sorted(obj)))
        if how == "drop":
            return {k: v for k, v in obj.items() if k != field}
        return {**obj, field: draw.draw(json_value)}

    spoilt = st.tuples(clean, st.data()).map(lambda pair: spoil(*pair))
    return st.one_of(clean, clean, clean, spoilt)


def handler_model(name: str):
    """The payload model a registered handler validates with (None if not via @handler)."""
    wrapped = getattr(socketio.server.handlers["/"][name], "__wrapped__", None)
    return inspect.getclosurevars(wrapped).nonlocals.get("model") if wrapped else None


def _app(tmp_path):
    return create_app({
        "DATABASE": str(tmp_path / "fuzz.db"), "INSTANCE_DIR": str(tmp_path / "instance"),
        "SESSIONS_DIR": str(tmp_path / "sessions"), "ASYNC_MODE": "threading",
        "ADMIN_TOKEN": ADMIN_TOKEN, "TESTING": True,
        # The fuzzer is faster than any human: limits off, so payloads reach the handlers.
        "MESSAGES_PER_MINUTE": 10**9, "DEVICE_MESSAGES_PER_MINUTE": 10**9,
        "CONTRIBUTIONS_PER_MINUTE": 10**9, "CONTRIBUTIONS_PER_TABLE": 10**9,
    })


def _auth(role, event, key):
    return {"participant": {"event": event["id"], "role": role, "table": "A",
                            "device": device_cookie("fuzz")},
            "projector": {"event": event["id"], "role": role},
            "console": {"event": event["id"], "role": role, "key": key},
            "host": {"event": event["id"], "role": role, "table": "A", "key": key}}[role]


def check_invariants(store, event_id: str | None = None) -> None:
    """What must hold after any sequence of inputs, valid or not."""
    db = store.db
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for c in db.query("SELECT * FROM contributions"):
        assert 1 <= len(c["text"]) <= MAX_TEXT and c["text"] == c["text"].strip(), c
        assert c["kind"] in CONTRIBUTION_KINDS
    ids = [c["client_id"] for c in db.query("SELECT client_id FROM contributions")
           if c["client_id"] is not None]
    assert len(ids) == len(set(ids))
    code_re = re.compile(r"^[A-Za-z0-9ÄÖÜäöüß][A-Za-z0-9ÄÖÜäöüß_-]{0,19}$")
    for e in db.query("SELECT * FROM events"):
        assert e["version"] >= 1 and e["title"].strip() and e["status"] in ("draft", "running", "closed")
        assert isinstance(json.loads(e["join_options"]), list)
        n = db.execute("SELECT count(*) FROM tables WHERE event_id = ?", [e["id"]]).fetchone()[0]
        assert n <= MAX_TABLES
    if db["dots"].exists():
        # Dots: never below zero on a candidate, never over the budget or the cap.
        for r in db.query(
            "SELECT d.round_id, d.participant_id, d.candidate_id, sum(d.delta) AS n, v.budget, v.cap"
            " FROM dots d JOIN voting_rounds v ON v.id = d.round_id"
            " GROUP BY d.round_id, d.participant_id, d.candidate_id"
        ):
            assert 0 <= r["n"] <= r["cap"], r
        for r in db.query(
            "SELECT d.round_id, d.participant_id, sum(d.delta) AS n, v.budget"
            " FROM dots d JOIN voting_rounds v ON v.id = d.round_id"
            " GROUP BY d.round_id, d.participant_id"
        ):
            assert 0 <= r["n"] <= r["budget"], r
    for t in db.query("SELECT * FROM tables"):
        assert code_re.match(t["code"]) and t["theme"].strip()
        questions = json.loads(t["questions"])
        assert isinstance(questions, list) and len(questions) <= 5


@pytest.mark.slow
def test_every_socket_handler_survives_arbitrary_payloads(tmp_path):
    app = _app(tmp_path)
    store = app.extensions["store"]
    event = make_event(store, tables=3)
    key = store.facilitator_key(event["id"])
    host_key = store.host_key(event["id"], "A")
    clients = {role: socketio.test_client(app, auth=_auth(role, event, key if role == "console"
                                                           else host_key)) for role in ROLES}
    assert all(c.is_connected() for c in clients.values())
    handlers = sorted(set(socketio.server.handlers["/"]) - {"connect", "disconnect"})
    sent = {"n": 0}
    codes: dict[str, int] = {}

    strategies = {}
    for name in handlers:
        model = handler_model(name)
        near_valid = model_payload(model) if model else payload
        strategies[name] = st.one_of(near_valid, near_valid, near_valid, near_valid, payload)
    reached = {"n": 0}

    @FUZZ
    @given(name=st.sampled_from(handlers), draw=st.data(), extra=st.lists(json_value, max_size=1))
    def fuzz(name, draw, extra):
        # Mostly a role the handler allows, so the payload reaches the handler's logic,
        # and a second argument only now and then (both are refused before anything else).
        allowed = sorted(SOCKET_ROLES.get(name, ROLES))
        role = draw.draw(st.sampled_from(allowed * 5 + sorted(ROLES)))
        data = draw.draw(strategies[name])
        extra = extra if draw.draw(st.sampled_from([False] * 9 + [True])) else []
        ack = clients[role].emit(name, data, *extra, callback=True)
        sent["n"] += 1
        assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), (name, data, ack)
        if not ack["ok"]:
            code = ack["error"]["code"]
            assert code in MESSAGES, (name, role, data, ack)  # never "internal"
            assert ack["error"]["message"]
            codes[code] = codes.get(code, 0) + 1
        if ack["ok"] or ack["error"]["code"] not in ("forbidden", "invalid_payload"):
            reached["n"] += 1  # got past validation into the handler's own logic

    fuzz()
    for role, client in clients.items():
        assert client.is_connected(), f"the {role} connection did not survive"
    check_invariants(store)
    # The server still works for an ordinary phone afterwards.
    # The server still works for an ordinary phone afterwards (a fresh event: the fuzzed
    # one may legitimately be closed, or between rounds).
    fresh = make_event(store, tables=1)
    phone = socketio.test_client(app, auth=_auth("participant", fresh, None))
    ack = phone.emit("submit_contribution", {"kind": "idea", "text": "Noch da?"}, callback=True)
    assert ack["ok"], ack
    print(f"\nsocket fuzz: {sent['n']} payloads to {len(handlers)} handlers, {reached['n']} past "
          f"validation into the handlers' logic; refusals {codes}")
    assert reached["n"] > sent["n"] // 5, "the fuzzer hardly reaches the handlers' logic"
    app.extensions["store"].close()


def test_connect_survives_arbitrary_auth(tmp_path):
    app = _app(tmp_path)
    event = make_event(app.extensions["store"], tables=1)
    tried = {"n": 0}
    auth = st.fixed_dictionaries(
        {}, optional={"event": st.just(event["id"]) | json_value,
                      "role": st.sampled_from([*ROLES, "admin", ""]) | json_value,
                      "table": st.just("A") | json_value, "key": json_value,
                      "device": st.just(device_cookie(7)) | json_value}) | json_value

    @settings(FUZZ, max_examples=CONNECT_EXAMPLES)
    @given(auth=auth)
    def fuzz(auth):
        client = socketio.test_client(app, auth=auth)
        tried["n"] += 1
        if client.is_connected():
            assert client.get_received()[0]["name"] == "snapshot"
            assert auth["role"] in ("participant", "projector")  # console needs its key
            client.disconnect()

    fuzz()
    check_invariants(app.extensions["store"])
    print(f"\nconnect fuzz: {tried['n']} auth payloads")
    app.extensions["store"].close()


@pytest.mark.slow
def test_every_route_survives_arbitrary_input(tmp_path):
    app = _app(tmp_path)
    store = app.extensions["store"]
    event = make_event(store, tables=2)
    key = store.facilitator_key(event["id"])
    client = app.test_client()
    rules = [(r, m) for r in app.url_map.iter_rules() for m in sorted(r.methods - {"HEAD", "OPTIONS"})]
    tried = {"n": 0}
    segment = st.just(event["id"]) | st.just("A") | st.text(min_size=1, max_size=30)
    body = (json_value.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=300)
            | st.just(b'{"version": 1, "title": "x", "tables": [{}]}'))
    query = st.dictionaries(st.sampled_from(["key", "token", "table", "code", "lang", "q"])
                            | st.text(max_size=8), st.text(max_size=30), max_size=3)

    @settings(FUZZ, max_examples=ROUTE_EXAMPLES)
    @given(rule_method=st.sampled_from(rules), args=st.data(), data=body, q=query,
           with_key=st.booleans())
    def fuzz(rule_method, args, data, q, with_key):
        rule, method = rule_method
        values = {a: args.draw(segment) for a in rule.arguments}
        for a in rule.arguments:
            converter = rule._converters[a]
            if hasattr(converter, "items"):
                values[a] = args.draw(st.sampled_from(sorted(converter.items)))
            elif type(converter).__name__ == "IntegerConverter":  # <int:…>: any whole number
                values[a] = args.draw(st.integers(min_value=0, max_value=2**63 - 1))
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        headers = {"X-Facilitator-Key": key} if with_key else {}
        if with_key:
            q = {**q, "key": key, "token": ADMIN_TOKEN}
        if method == "POST" and rule.rule.startswith("/admin"):
            response = client.post(url, data={"token": ADMIN_TOKEN if with_key else "x",
                                              "title": data.decode("utf-8", "replace")[:300],
                                              "date": "2026-01-01", "kind": "world_cafe"})
        else:
            response = client.open(url, method=method, data=data, query_string=q,
                                   headers={**headers, "Content-Type": "application/json"})
        tried["n"] += 1
        assert response.status_code < 500, (method, url, data[:100], response.status_code)
        if rule.rule.startswith("/api/") and response.status_code >= 400:
            assert response.is_json and response.json["ok"] is False, (url, response.data[:200])

    fuzz()
    check_invariants(store)
    print(f"\nroute fuzz: {tried['n']} requests to {len(rules)} route/method pairs")
    app.extensions["store"].close()
