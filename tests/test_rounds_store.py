"""Store verbs of rounds, hosts, rotation and the conference, on an injected clock."""

import datetime as dt

import pytest

from facilitation.errors import AppError
from facilitation.store import Store
from tests.helpers import make_event


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)

    def __call__(self):
        return self.now

    def advance(self, **kw):
        self.now += dt.timedelta(**kw)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def cafe(tmp_path, clock):
    store = Store(tmp_path / "rounds.db", clock=clock)
    event = make_event(store, tables=4)
    yield store, event["id"]
    store.close()


def codes(err):
    return err.value.code


def test_an_event_without_rounds_is_never_locked(cafe):
    store, eid = cafe
    state = store.round_state(eid)
    assert state["planned"] is False and state["state"] == "idle" and not state["locked"]
    store.add_contribution(eid, "A", "idea", "Ohne Runden geht es auch")


def test_rounds_advance_and_contributions_record_their_round(cafe, clock):
    store, eid = cafe
    store.plan_rounds(eid, rounds=2, minutes=20, lock_between=True, sound=False)
    assert store.start_round(eid)["number"] == 1
    first, _ = store.add_contribution(eid, "A", "need", "In Runde eins")
    clock.advance(minutes=20)  # time runs out: no server timer needed
    assert store.round_state(eid)["state"] == "ended"
    with pytest.raises(AppError) as err:
        store.add_contribution(eid, "A", "need", "Zu spät")
    assert codes(err) == "round_locked"
    host, _ = store.add_contribution(eid, "A", "idea", "Vom Zettel", entered_by="host")
    assert host["entered_by"] == "host" and host["round"] == 1
    state = store.start_round(eid)
    assert state["number"] == 2 and state["state"] == "running"
    second, _ = store.add_contribution(eid, "A", "need", "In Runde zwei")
    assert (first["round"], second["round"]) == (1, 2)
    store.end_round(eid)
    with pytest.raises(AppError) as err:
        store.start_round(eid)
    assert codes(err) == "no_more_rounds"
    logged = [a["action"] for a in store.actions(eid) if a["action"].startswith("round")]
    assert logged == ["rounds_planned", "round_started", "round_started", "round_ended"]


def test_lock_between_rounds_can_be_switched_off(cafe):
    store, eid = cafe
    store.plan_rounds(eid, rounds=3, minutes=10, lock_between=False, sound=True)
    store.start_round(eid)
    store.end_round(eid)
    assert store.round_state(eid)["locked"] is False
    store.add_contribution(eid, "B", "idea", "Geht auch zwischen den Runden")


def test_pause_extend_and_resume_on_the_one_clock(cafe, clock):
    store, eid = cafe
    store.plan_rounds(eid, rounds=3, minutes=20, lock_between=True, sound=False)
    store.start_round(eid)
    clock.advance(minutes=5)
    paused = store.pause_round(eid)
    assert paused["state"] == "paused" and paused["remaining_ms"] == 15 * 60_000
    clock.advance(minutes=30)
    assert store.extend_round(eid)["remaining_ms"] == 20 * 60_000
    resumed = store.resume_round(eid)
    assert resumed["ends_at"] == resumed["server_time"] + 20 * 60_000
    with pytest.raises(AppError) as err:
        store.resume_round(eid)
    assert codes(err) == "round_not_paused"
    with pytest.raises(AppError) as err:
        store.start_round(eid)
    assert codes(err) == "round_running"


def test_planning_validates_its_numbers(cafe):
    store, eid = cafe
    for bad in ({"rounds": 0, "minutes": 20}, {"rounds": 3, "minutes": 0},
                {"rounds": 21, "minutes": 20}, {"rounds": 3, "minutes": 241}):
        with pytest.raises(AppError):
            store.plan_rounds(eid, lock_between=True, sound=False, **bad)
    store.plan_rounds(eid, 3, 20, True, False)
    store.start_round(eid)
    store.end_round(eid)
    store.start_round(eid)  # round 2
    with pytest.raises(AppError):
        store.plan_rounds(eid, 1, 20, True, False)  # fewer rounds than already held


def test_key_points_belong_to_a_table_and_a_host_marks_only_their_own(cafe):
    store, eid = cafe
    a, _ = store.add_contribution(eid, "A", "idea", "Wichtig")
    b, _ = store.add_contribution(eid, "B", "idea", "Anderer Tisch")
    assert store.mark_key_point(eid, a["id"], True, table_code="A")["key_point"] is True
    with pytest.raises(AppError) as err:
        store.mark_key_point(eid, b["id"], True, table_code="A")
    assert codes(err) == "unknown_contribution"
    assert store.key_points(eid) == [a["id"]] and store.key_points(eid, "B") == []
    store.mark_key_point(eid, a["id"], False, table_code="A")
    assert store.key_points(eid) == []
    assert store.check_host_key(eid, "A", store.host_key(eid, "A"))
    assert not store.check_host_key(eid, "B", store.host_key(eid, "A"))
    assert not store.check_host_key(eid, "A", None)


def test_rotation_is_stored_per_participant_with_numbers(cafe):
    store, eid = cafe
    store.plan_rounds(eid, 3, 20, True, False)
    pids = []
    for i in range(10):
        p = store.participant(eid, f"device-{i}-".ljust(43, "x"))
        store.set_target_group(eid, p["id"], ["Ehrenamt", "Hauptamt", "Verwaltung"][i % 3])
        pids.append(p["id"])
    plan = store.make_rotation(eid, seed=42)
    assert plan["people"] == 10 and plan["rounds"] == 3 and plan["seed"] == 42
    assert plan["figures"]["plan"]["repeat_visits"] == 0
    for rnd in plan["plan"]:
        assert sorted(n for t in rnd["tables"] for n in t["numbers"]) == list(range(1, 11))
    mine = store.seat_plan(eid, pids[0])
    assert mine["number"] == 1 and [s["round"] for s in mine["seats"]] == [1, 2, 3]
    assert len({s["table"] for s in mine["seats"]}) == 3
    assert store.make_rotation(eid, seed=42)["plan"] == plan["plan"]  # seeded: reproducible


def test_a_latecomer_is_seated_once_and_nobody_else_moves(cafe):
    store, eid = cafe
    store.plan_rounds(eid, 3, 20, True, False)
    first = [store.participant(eid, f"device-{i}-".ljust(43, "x"))["id"] for i in range(8)]
    assert store.seat_latecomer(eid, first[0]) is None  # no plan yet: nothing to do
    plan = store.make_rotation(eid, seed=1)
    assert store.seat_latecomer(eid, first[0]) is None  # already seated
    late = store.participant(eid, "latecomer-".ljust(43, "x"))["id"]
    seats = store.seat_latecomer(eid, late)
    assert seats["number"] == 9 and [s["round"] for s in seats["seats"]] == [1, 2, 3]
    assert len({s["table"] for s in seats["seats"]}) == 3  # three rounds, three tables
    assert store.seat_latecomer(eid, late) is None  # a second tab does not seat twice
    grown = store.rotation(eid)
    assert grown["people"] == 9 and grown["figures"] == plan["figures"]
    for old, new in zip(plan["plan"], grown["plan"], strict=True):
        for t_old, t_new in zip(old["tables"], new["tables"], strict=True):
            assert set(t_old["numbers"]) <= set(t_new["numbers"])  # nobody moved
        assert sorted(len(t["numbers"]) for t in new["tables"]) == [2, 2, 2, 3]
    assert store.actions(eid)[-1]["action"] == "latecomer_seated"


def test_rotation_needs_tables_and_people(tmp_path):
    store = Store(tmp_path / "empty.db")
    eid = make_event(store, tables=0)["id"]
    with pytest.raises(AppError) as err:
        store.make_rotation(eid)
    assert codes(err) == "rotation_impossible"
    store.close()


def test_a_full_group_refuses_politely_and_nothing_changes(cafe):
    store, eid = cafe
    store.set_group_capacity(eid, "A", 2)
    ps = [store.participant(eid, f"device-{i}-".ljust(43, "y"))["id"] for i in range(3)]
    store.choose_group(eid, ps[0], "A")
    store.choose_group(eid, ps[1], "B")
    groups = store.choose_group(eid, ps[1], "A")  # moving from B to A
    a = next(g for g in groups if g["table"] == "A")
    assert (a["members"], a["remaining"]) == (2, 0)
    store.choose_group(eid, ps[2], "C")
    with pytest.raises(AppError) as err:
        store.choose_group(eid, ps[2], "A")
    assert codes(err) == "group_full" and "Thema A" in err.value.message()
    assert store.my_group(eid, ps[2]) == "C"  # refused: still in the group it had
    store.choose_group(eid, ps[0], None)
    store.choose_group(eid, ps[2], "A")  # a place came free
    assert store.my_group(eid, ps[2]) == "A"


def test_impulses_are_idempotent_and_can_be_hidden(cafe):
    store, eid = cafe
    p = store.participant(eid, "device-imp-".ljust(43, "z"))["id"]
    first, created = store.add_impulse(eid, "Mehr Begegnung im Quartier", p, "imp-00001")
    again, created_again = store.add_impulse(eid, "Mehr Begegnung im Quartier", p, "imp-00001")
    assert created and not created_again and again["id"] == first["id"]
    store.hide_impulse(eid, first["id"], True)
    assert store.impulses(eid) == [] and len(store.impulses(eid, include_hidden=True)) == 1
    assert store.set_phase(eid, "plenary_input") == "plenary_input" == store.phase(eid)
    with pytest.raises(AppError):
        store.set_phase(eid, "coffee_break")
