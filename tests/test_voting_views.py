"""The voting pages over HTTP, and what each audience may see of a round and its tally."""

from __future__ import annotations

from facilitation.tally import summarize
from facilitation.voting_view import console_tally, current_round, projector_tally, public_round
from tests.helpers import make_event


def _round(status="open", hide_counts=False, hidden=()):
    return {
        "id": 7, "title": "Leitbild", "status": status, "budget": 5, "cap": 3,
        "hide_counts": hide_counts, "require_ticket": False, "created_at": "t0",
        "opened_at": "t1", "closed_at": "t2" if status == "closed" else None,
        "candidates": [
            {"id": i, "label": f"Aussage {i}", "contribution_id": None, "table": None,
             "theme": None, "position": i, "hidden": i in hidden}
            for i in (1, 2, 3)
        ],
    }


ROWS = summarize([
    {"id": 1, "candidate_id": 2, "participant_id": 10, "delta": 1, "target_group": "Ehrenamt"},
    {"id": 2, "candidate_id": 3, "participant_id": 11, "delta": 1, "target_group": None},
    {"id": 3, "candidate_id": 2, "participant_id": 11, "delta": 1, "target_group": None},
])


def test_projector_sees_no_counts_while_hidden_and_no_withdrawn_items():
    secret = projector_tally(_round(hide_counts=True), ROWS)
    assert secret["ranking"] is None and secret["voters"] == 2 and secret["seq"] == 3
    revealed = projector_tally(_round(status="closed", hide_counts=True), ROWS)
    assert [(r["candidate_id"], r["dots"], r["rank"]) for r in revealed["ranking"]] == [
        (2, 2, 1), (3, 1, 2), (1, 0, 3)]
    withdrawn = projector_tally(_round(hidden=(2,)), ROWS)
    assert [r["candidate_id"] for r in withdrawn["ranking"]] == [3, 1]
    assert withdrawn["dots"] == 1
    assert [c["id"] for c in public_round(_round(hidden=(2,)))["candidates"]] == [1, 3]
    assert "hidden" not in public_round(_round())["candidates"][0]


def test_console_sees_everything_per_target_group():
    tally = console_tally(_round(hide_counts=True, hidden=(2,)), ROWS, ["Ehrenamt", "Hauptamt"])
    assert tally["ranking"][0] == {"candidate_id": 2, "dots": 2, "rank": 1, "tied": False}
    assert tally["by_group"] == {"2": {"Ehrenamt": 1, "": 1}, "3": {"": 1}}
    assert tally["groups"] == ["Ehrenamt", "Hauptamt"]


def test_phones_show_the_open_round_else_the_last_closed():
    a = {**_round(status="closed"), "id": 1, "closed_at": "2026-11-22T10:00"}
    b = {**_round(status="closed"), "id": 2, "closed_at": "2026-11-22T11:00"}
    c = {**_round(status="draft"), "id": 3}
    assert current_round([a, b, c])["id"] == 2
    assert current_round([a, {**c, "status": "open"}, b])["id"] == 3
    assert current_round([c]) is None


def test_vote_page_gives_a_device_cookie_and_its_qr_code(client, app):
    store = app.extensions["store"]
    event = make_event(store)
    page = client.get(f"/e/{event['id']}/vote")
    assert page.status_code == 200 and "fac_device=" in page.headers["Set-Cookie"]
    assert b"vote-page.js" in page.data and b"group-box" in page.data  # the join question too
    qr = client.get(f"/e/{event['id']}/vote/qr.png")
    assert qr.status_code == 200 and qr.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get("/e/nosuch/vote").status_code == 404


def test_projector_view_and_ticket_sheet(client, app):
    store = app.extensions["store"]
    event = make_event(store)
    eid = event["id"]
    rnd = store.create_voting_round(eid, "Leitbild", statements=["Vielfalt"])
    assert client.get(f"/e/{eid}/projector/vote").status_code == 200
    assert client.get(f"/e/{eid}/projector/vote?round={rnd['id']}").status_code == 200
    assert client.get(f"/e/{eid}/projector/vote?round=999").status_code == 404
    codes = store.generate_tickets(eid, 3)
    assert client.get(f"/e/{eid}/tickets").status_code == 403
    assert client.get(f"/e/{eid}/tickets?key=wrong").status_code == 403
    sheet = client.get(f"/e/{eid}/tickets?key={store.facilitator_key(eid)}")
    assert sheet.status_code == 200
    assert all(code.encode() in sheet.data for code in codes)
    assert b"<script>" not in sheet.data  # printable, no inline code (CSP)


def test_ticket_sheet_can_list_only_unused_codes(client, app):
    store = app.extensions["store"]
    eid = make_event(store)["id"]
    used, free = store.generate_tickets(eid, 2)
    store.redeem_ticket(eid, store.participant(eid, "sheet-1-".ljust(43, "x"))["id"], used)
    key = store.facilitator_key(eid)
    everything = client.get(f"/e/{eid}/tickets?key={key}").data
    assert used.encode() in everything and free.encode() in everything
    unused = client.get(f"/e/{eid}/tickets?key={key}&free=1").data
    assert used.encode() not in unused and free.encode() in unused
