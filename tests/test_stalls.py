"""The stall watch names what held the gevent loop: how long, and the blocking code's stack."""

import json
import subprocess
import sys

CODE = """
from gevent import monkey; monkey.patch_all()
import sys, time, gevent
from facilitation.stalls import StallWatch
watch = StallWatch(sys.argv[1]); watch.start()
gevent.sleep(0.3)
def long_handler():  # pure Python that never yields, like a plan computed on the loop
    t = time.thread_time()  # CPU time: 0.25 s of work however busy the machine is
    while time.thread_time() - t < 0.25:
        pass
gevent.spawn(long_handler).join()
gevent.sleep(1.3)  # the report is written every second
"""


def test_a_blocking_greenlet_is_reported_with_its_length_and_stack(tmp_path):
    report_path = tmp_path / "stalls.json"
    subprocess.run([sys.executable, "-c", CODE, str(report_path)], check=True, timeout=60,
                   capture_output=True)
    report = json.loads(report_path.read_text())
    # The stall our own code caused (its CPU time says so; on a busy machine the process
    # may also have waited longer for a core, which the report lists with little CPU).
    ours = [w for w in report["worst_ms"] if w["cpu_ms"] >= 150]
    assert ours, report["worst_ms"]
    assert ours[0]["ms"] >= 200, ours
    assert report["lateness_counts"]["over_100ms"] >= 1
    assert any("long_handler" in line for b in report["blocked"] for line in b["stack"]), \
        report["blocked"]
