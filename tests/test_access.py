"""Nobody in where they do not belong: every socket handler and every route, enumerated.

The tables below classify each registered Socket.IO handler (which connection roles may
send it) and each Flask endpoint (which secret it needs). The tests enumerate what is
actually registered, so a handler or route added later fails here until it is classified,
and then is checked like the others: refused without the right key, allowed with it.
"""

from __future__ import annotations

import json

import pytest

from facilitation.extensions import socketio
from facilitation.sockets.connection import ROLES
from tests.helpers import ADMIN_TOKEN, device_cookie, make_event

EVERYONE = set(ROLES)

# Socket.IO handler -> roles whose connection may send it (all others get `forbidden`).
SOCKET_ROLES: dict[str, set[str]] = {
    "request_snapshot": EVERYONE,
    "submit_contribution": {"participant"},
    "set_target_group": {"participant"},
    "hide_contribution": {"console"},
    "edit_contribution": {"console"},
    "merge_contributions": {"console"},
    "update_event": {"console"},
    "save_table": {"console"},
    "delete_table": {"console"},
    "order_tables": {"console"},
    "copy_questions": {"console"},
    "save_translations": {"console"},
    # rounds, table hosts, rotation, Akteurskonferenz
    "sync_clock": EVERYONE,
    "plan_rounds": {"console"},
    "start_round": {"console"},
    "pause_round": {"console"},
    "resume_round": {"console"},
    "extend_round": {"console"},
    "end_round": {"console"},
    "make_rotation": {"console"},
    "mark_key_point": {"host", "console"},
    "enter_contribution": {"host"},
    "enter_dot": {"host"},
    "set_phase": {"console"},
    "hide_impulse": {"console"},
    "set_group_capacity": {"console"},
    "submit_impulse": {"participant"},
    "choose_group": {"participant"},
    # dot voting
    "place_dot": {"participant"},
    "remove_dot": {"participant"},
    "redeem_ticket": {"participant"},
    "create_voting_round": {"console"},
    "open_voting_round": {"console"},
    "close_voting_round": {"console"},
    "delete_voting_round": {"console"},
    "generate_tickets": {"console"},
    "get_integrity": {"console"},
}
# Handled by Socket.IO's own life cycle, checked separately below.
LIFECYCLE = {"connect", "disconnect"}

# Flask endpoint -> the secret it needs: public, facilitator (event key), host (the
# table's host key), admin (server token).
ROUTE_ACCESS: dict[str, str] = {
    "static": "public",
    "pages.index": "public",
    "pages.join": "public",
    "pages.table": "public",
    "pages.projector": "public",
    "pages.favicon": "public",
    "qr.join_qr": "public",
    "qr.table_qr": "public",
    "api.healthz": "public",
    "pages.console": "facilitator",
    "api.export_plan": "facilitator",
    "api.import_plan": "facilitator",
    "admin.admin": "admin",
    "admin.create_event": "admin",
    "admin.compare": "admin",
    "mechanics.plenary": "public",
    "mechanics.rotation": "facilitator",
    "mechanics.host_qr": "facilitator",
    "mechanics.host": "host",  # the table's host key in ?key=
    "voting.vote": "public",
    "voting.vote_qr": "public",
    "voting.projector_vote": "public",
    "voting.tickets": "facilitator",
    "exports.export_zip": "facilitator",
    "exports.table_cards": "facilitator",
    # surveys: the phone's pages and results are public; answering needs a device cookie
    # and answers (tests/test_surveys.py), the rest the event's key
    "surveys.survey_page": "public",
    "surveys.survey_qr": "public",
    "surveys.projector_page": "public",
    "surveys.survey_results": "public",
    "surveys.answer": "public",
    "surveys.paper_page": "facilitator",
    "surveys.paper_answer": "facilitator",
    "surveys.delete_response": "facilitator",
    "surveys.manage_page": "facilitator",
    "surveys.list_surveys": "facilitator",
    "surveys.create_survey": "facilitator",
    "surveys.set_status": "facilitator",
    # the measures catalogue
    "catalogue.page": "facilitator",
    "catalogue.read": "facilitator",
    "catalogue.add": "facilitator",
    "catalogue.update": "facilitator",
    "catalogue.move": "facilitator",
    "catalogue.split": "facilitator",
    "catalogue.join": "facilitator",
    "catalogue.delete": "facilitator",
    "catalogue.vote": "facilitator",
    # the translation desk: its pages need the desk's key, making desks the event's key
    "desk.page": "desk",
    "desk.cards": "desk",
    "desk.translate": "desk",
    "desk.suggestion": "desk",
    "desk.create": "facilitator",
    "desk.listed": "facilitator",
    "desk.desks_page": "facilitator",
    # participation processes: the server's admin token; carrying forward the event's key
    "processes.create_process_form": "admin",
    "processes.create_event_form": "admin",
    "processes.export_process": "admin",
    "processes.list_processes": "admin",
    "processes.create_process": "admin",
    "processes.create_event": "admin",
    "processes.carry": "facilitator",
    "processes.carry_preview": "facilitator",
    "processes.carry_page": "facilitator",
    # grouping hints (the event's key) and the word view (public, like the projector)
    "grouping.groups": "facilitator",
    "grouping.words": "public",
}
# Routes that need more than their secret (a body, an object, a device cookie): with the
# right secret they may refuse the test's empty request (400/404), never with 403 or a
# server error; their real use is tested in their own modules.
NEEDS_PAYLOAD = {
    "surveys.answer", "surveys.paper_answer", "surveys.delete_response", "surveys.create_survey",
    "surveys.set_status", "catalogue.update", "catalogue.move", "catalogue.split",
    "catalogue.join", "catalogue.delete", "catalogue.vote", "desk.translate", "desk.suggestion",
    "desk.create", "processes.create_event_form", "processes.export_process",
    "processes.create_process", "processes.create_event", "processes.carry",
    "processes.carry_preview", "processes.carry_page", "processes.create_process_form",
    "grouping.words",
}


def _auth(role: str, event: dict, key: str | None = None) -> dict:
    """The connect auth of a client in `role`; key=None means the right key for the role."""
    if role == "participant":
        return {"event": event["id"], "role": role, "table": "A", "device": device_cookie(1)}
    if role == "projector":
        return {"event": event["id"], "role": role}
    if role == "console":
        return {"event": event["id"], "role": role, "key": event["key"] if key is None else key}
    if role == "host":
        return {"event": event["id"], "role": role, "table": "A",
                "key": event["host_key"] if key is None else key}
    raise AssertionError(f"role {role!r} has no auth builder in tests/test_access.py")


@pytest.fixture
def event(app):
    store = app.extensions["store"]
    ev = make_event(store, tables=2)
    store.add_contribution(ev["id"], "A", "idea", "Vorhandener Beitrag")
    survey = store.create_survey(ev["id"], {"title": "Umfrage", "questions": [{"kind": "text", "text": "?"}]})
    store.set_survey_status(ev["id"], survey["id"], "open")
    return {**ev, "key": store.facilitator_key(ev["id"]), "host_key": store.host_key(ev["id"], "A"),
            "host_key_b": store.host_key(ev["id"], "B"),
            "desk_key": store.create_desk(ev["id"], "Desk")["key"]}


@pytest.fixture
def other_event(app):
    store = app.extensions["store"]
    ev = make_event(store, tables=1, title="Anderes Café")
    return {**ev, "key": store.facilitator_key(ev["id"]), "host_key": store.host_key(ev["id"], "A")}


def _handlers() -> set[str]:
    return set(socketio.server.handlers["/"]) - LIFECYCLE


def test_every_socket_handler_is_classified(app):
    registered = _handlers()
    assert len(registered) >= 8
    unclassified = sorted(registered - set(SOCKET_ROLES))
    assert not unclassified, (
        f"Socket.IO handlers without an access rule: {unclassified}. Add them to "
        "SOCKET_ROLES in tests/test_access.py with the roles that may send them."
    )
    stale = sorted(set(SOCKET_ROLES) - registered)
    assert not stale, f"SOCKET_ROLES names handlers that do not exist: {stale}"
    for name, roles in SOCKET_ROLES.items():
        assert roles <= EVERYONE, f"{name}: unknown roles {roles - EVERYONE}"


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unclassified = sorted(endpoints - set(ROUTE_ACCESS))
    assert not unclassified, (
        f"routes without an access rule: {unclassified}. Add them to ROUTE_ACCESS in "
        "tests/test_access.py (public, facilitator or admin)."
    )
    assert not set(ROUTE_ACCESS) - endpoints, "ROUTE_ACCESS names endpoints that do not exist"


def test_connect_needs_the_right_key_for_privileged_roles(app, event, other_event):
    """Console (and host) connections are refused without their key, a wrong one, or
    another event's; participants need a device token; everyone needs a real event."""
    refused = [
        {"event": event["id"], "role": "console"},
        _auth("console", event, key=""),
        _auth("console", event, key="wrong-key-wrong-key"),
        _auth("console", event, key=other_event["key"]),
        _auth("console", event, key=event["host_key"]),
        {"event": event["id"], "role": "participant", "table": "A"},  # no device token
        {"event": event["id"], "role": "participant", "table": "A", "device": "short"},
        {"event": event["id"], "role": "participant", "table": "Z", "device": device_cookie(1)},
        {"event": "nope00", "role": "projector"},
        {"event": event["id"], "role": "admin"},
        {"event": event["id"]},
        None,
    ]
    if "host" in ROLES:
        refused += [_auth("host", event, key=""), _auth("host", event, key=other_event["host_key"]),
                    _auth("host", event, key=event["key"]), _auth("host", event, key=event["host_key_b"]),
                    {"event": event["id"], "role": "host", "table": "A"}]
    for auth in refused:
        client = socketio.test_client(app, auth=auth)
        assert not client.is_connected(), f"connected with {auth}"
    for role in ROLES:
        client = socketio.test_client(app, auth=_auth(role, event))
        assert client.is_connected(), f"{role} with the right key was refused"
        names = [m["name"] for m in client.get_received()]
        assert names[:1] == ["snapshot"], role
        client.disconnect()


def test_every_socket_handler_refuses_roles_it_does_not_allow(app, event):
    """Each handler × each role: forbidden for roles not in its rule, accepted for the rest.

    Accepted means the role check passed: the answer may still refuse the (empty) payload
    as invalid, but never with `forbidden` and never with an internal error.
    """
    clients = {role: socketio.test_client(app, auth=_auth(role, event)) for role in ROLES}
    checked = 0
    for name in sorted(_handlers()):
        for role, client in clients.items():
            ack = client.emit(name, {}, callback=True)
            assert isinstance(ack, dict) and "ok" in ack, f"{name} from {role}: no ack ({ack!r})"
            code = None if ack["ok"] else ack["error"]["code"]
            if role in SOCKET_ROLES[name]:
                assert code not in ("forbidden", "internal"), f"{name} refused {role}: {ack}"
            else:
                assert code == "forbidden", f"{name} let a {role} in: {ack}"
            checked += 1
    # A socket that never connected (or was refused) cannot send anything at all.
    stranger = socketio.test_client(app, auth={"event": event["id"], "role": "console"})
    assert not stranger.is_connected()
    for client in clients.values():
        client.disconnect()
    print(f"\nsocket authorisation: {len(_handlers())} handlers x {len(ROLES)} roles = {checked} checks")
    assert checked == len(_handlers()) * len(ROLES)


# -- HTTP routes --------------------------------------------------------------------------


def _url(rule, event: dict) -> str:
    """A URL for rule with real values: the event, table A, the first allowed format."""
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        if arg == "event_id":
            values[arg] = event["id"]
        elif arg == "code":
            values[arg] = "A"
        elif arg == "filename":
            values[arg] = "css/app.css"
        elif hasattr(converter, "items"):  # any(png, svg)
            values[arg] = sorted(converter.items)[0]
        else:
            values[arg] = "1"
    from flask import url_for

    return url_for(rule.endpoint, **values)


def _request(client, method: str, url: str, access: str, event: dict, secret: str | None):
    """Send method to url carrying `secret` the way this kind of route expects it."""
    headers, data, query = {}, None, {}
    if access in ("host", "desk") and secret is not None:
        query["key"] = secret
    if access == "facilitator" and secret is not None:
        if method == "GET":
            query["key"] = secret
        else:
            headers["X-Facilitator-Key"] = secret
    if access == "admin":
        if method == "GET" and secret is not None:
            query["token"] = secret
        elif method != "GET":
            data = {"title": "Neues Café", "date": "2026-12-01", "kind": "world_cafe"}
            if secret is not None:
                data["token"] = secret
    if url.endswith("/plan") and method == "POST":
        plan = client.get(url, query_string={"key": event["key"]}).get_data(as_text=True)
        return client.open(url, method=method, data=plan, query_string=query,
                           headers={**headers, "Content-Type": "application/json"})
    return client.open(url, method=method, data=data, query_string=query, headers=headers)


def test_every_route_refuses_without_its_secret_and_allows_with_it(app, client, event, other_event):
    checked = {"public": 0, "facilitator": 0, "admin": 0, "host": 0, "desk": 0}
    with app.test_request_context():
        rules = [(rule, _url(rule, event)) for rule in app.url_map.iter_rules()]
    for rule, url in rules:
        access = ROUTE_ACCESS[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            where = f"{method} {rule.rule}"
            if access == "public":
                response = _request(client, method, url, access, event, None)
                if rule.endpoint in NEEDS_PAYLOAD:
                    assert response.status_code < 500, f"{where}: {response.status_code}"
                else:
                    assert response.status_code < 400, f"{where}: {response.status_code}"
            else:
                right = {"facilitator": event["key"], "admin": ADMIN_TOKEN,
                         "host": event["host_key"], "desk": event["desk_key"]}[access]
                wrongs = [None, "", "wrong-secret-0123456789", other_event["key"],
                          other_event["host_key"], event["key"], event["host_key"],
                          event["host_key_b"], ADMIN_TOKEN, event["desk_key"]]
                wrongs.remove(right)
                for wrong in wrongs:
                    response = _request(client, method, url, access, event, wrong)
                    assert response.status_code == 403, f"{where} with {wrong!r}: {response.status_code}"
                response = _request(client, method, url, access, event, right)
                if rule.endpoint in NEEDS_PAYLOAD:
                    assert response.status_code not in (403,) and response.status_code < 500, \
                        f"{where} with the right secret: {response.status_code}"
                else:
                    assert response.status_code < 400, \
                        f"{where} with the right secret: {response.status_code}"
            checked[access] += 1
    print(f"\nroute authorisation: {sum(checked.values())} route/method pairs {checked}")
    assert checked["facilitator"] >= 3 and checked["admin"] >= 2


def test_the_console_page_does_not_hand_out_other_secrets(client, event):
    """The console page carries its own event key (the page needs it) and nothing else."""
    page = client.get(f"/e/{event['id']}/console", query_string={"key": event["key"]})
    body = page.get_data(as_text=True)
    assert ADMIN_TOKEN not in body
    projector = client.get(f"/e/{event['id']}/projector").get_data(as_text=True)
    for secret in (event["key"], event["host_key"], ADMIN_TOKEN):
        assert secret not in projector
        assert secret not in client.get(f"/e/{event['id']}").get_data(as_text=True)
        assert secret not in client.get(f"/e/{event['id']}/t/A").get_data(as_text=True)
    snapshot = socketio.test_client(
        client.application, auth=_auth("projector", event)).get_received()[0]["args"][0]
    assert event["key"] not in json.dumps(snapshot) and event["host_key"] not in json.dumps(snapshot)
