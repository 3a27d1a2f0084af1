"""The `facilitation` command as an organiser uses it."""

import json
import re
import subprocess
import sys
import time

import pytest
import requests
from click.testing import CliRunner

from facilitation.cli import cli
from facilitation.demo import STATIONS
from facilitation.network import lan_addresses
from facilitation.store import Store
from tests.helpers import ROOT, free_port


def run(args, db):
    result = CliRunner().invoke(cli, [*args], env={"FACILITATION_DATABASE": str(db)},
                                catch_exceptions=False)
    return result


def test_demo_creates_the_ilm_kreis_world_cafe(tmp_path):
    db = tmp_path / "d.db"
    result = run(["demo", "--public-url", "http://10.0.0.9:5000"], db)
    assert result.exit_code == 0
    event_id = result.output.splitlines()[0]
    assert "console: http://10.0.0.9:5000/e/" in result.output and "?key=" in result.output
    store = Store(db)
    assert [t["theme"] for t in store.tables(event_id)] == [theme for _, theme in STATIONS]
    assert store.contributions(event_id) == []
    store.close()


def test_demo_sample_data_has_several_rounds_and_target_groups(tmp_path):
    db = tmp_path / "d.db"
    result = run(["demo", "--sample-data"], db)
    event_id = result.output.splitlines()[0]
    store = Store(db)
    contributions = store.contributions(event_id)
    assert len(contributions) >= 30
    assert {c["round"] for c in contributions} == {1, 2, 3}
    assert len({c["target_group"] for c in contributions}) >= 4
    assert len({c["table"] for c in contributions}) == 6
    clock = store.round_state(event_id)  # the console says what the sample shows
    assert (clock["number"], clock["rounds"], clock["state"]) == (3, 3, "ended")
    assert not clock["locked"]  # a preview can still send from a phone
    store.close()


def test_events_lists_one_line_per_event_id_first(tmp_path):
    db = tmp_path / "d.db"
    first = run(["demo"], db).output.splitlines()[0]
    second = run(["demo"], db).output.splitlines()[0]
    assert first != second  # a second demo gets its own id
    lines = run(["events"], db).output.splitlines()
    assert sorted(line.split("\t")[0] for line in lines) == sorted([first, second])
    assert all(line.split("\t")[2:] == ["world_cafe", "draft"] for line in lines)


def test_import_plan_creates_an_event_and_refuses_a_bad_file(tmp_path):
    db = tmp_path / "d.db"
    plan = {"format": "facilitation-plan", "version": 1, "title": "Akteurskonferenz Neu-Ulm",
            "date": "2026-03-14", "kind": "akteurskonferenz",
            "tables": [{"code": "Bildung", "theme": "Sprache und Bildung", "questions": ["Was fehlt?"]}]}
    good = tmp_path / "plan.json"
    good.write_text(json.dumps(plan), encoding="utf-8")
    result = run(["import-plan", str(good)], db)
    assert result.exit_code == 0
    event_id = result.output.strip()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "facilitation-plan", "version": 9}', encoding="utf-8")
    refused = run(["import-plan", str(bad)], db)
    assert refused.exit_code != 0 and "version" in refused.output
    lines = run(["events"], db).output.splitlines()
    assert [line.split("\t")[0] for line in lines] == [event_id]


@pytest.mark.server
def test_serve_prints_reachable_urls_and_serves_them(tmp_path):
    port = free_port()
    env = {"FACILITATION_DATABASE": str(tmp_path / "s.db"),
           "FACILITATION_INSTANCE_DIR": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"}
    proc = subprocess.Popen([sys.executable, "run.py", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any("Admin" in line for line in lines):
            lines.append(proc.stdout.readline())
        output = "".join(lines)
        console = re.search(r"Facilitator console: (\S+)", output).group(1)
        join = re.search(r"Join \(participants\): (\S+)", output).group(1)
        addresses = lan_addresses()
        if addresses:  # phones must reach it: never loopback when a LAN address exists
            assert f"//{addresses[0]}:{port}/" in join
        else:
            assert "No network address found" in output
        local = lambda url: re.sub(r"//[^/]+/", f"//127.0.0.1:{port}/", url)  # noqa: E731
        deadline = time.monotonic() + 10
        while True:
            try:
                page = requests.get(local(console), timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert page.status_code == 200
        assert requests.get(local(join), timeout=2).status_code == 200
        assert (tmp_path / "instance" / "admin_token").exists()
    finally:
        proc.terminate()
        proc.wait(10)


def test_python_dash_m_works(tmp_path):
    out = subprocess.run([sys.executable, "-m", "facilitation", "--help"], cwd=ROOT,
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0 and "serve" in out.stdout and "demo" in out.stdout


@pytest.mark.server
def test_serve_in_threading_mode_runs_for_debugging_and_says_so(tmp_path):
    # FACILITATION_ASYNC_MODE=threading (README): real threads, no gevent patching, and a
    # plain warning that this is not for an event; phones still connect and get a snapshot.

    from tests.helpers import Client, ServerProcess, make_event, wait_for

    proc = ServerProcess(tmp_path, {"FACILITATION_ASYNC_MODE": "threading"})
    event_id = make_event(Store(proc.db_path), tables=2)["id"]
    proc.start()
    try:
        client = Client()
        got = []
        client.on("snapshot", got.append)
        client.connect(proc.url, auth={"event": event_id, "role": "projector"},
                       transports=["websocket"], wait_timeout=10)
        wait_for(lambda: got)
        assert [t["code"] for t in got[0]["tables"]] == ["A", "B"]
        client.disconnect()
        assert "Threading mode, for debugging" in proc.log_path.read_text()
    finally:
        proc.stop()
