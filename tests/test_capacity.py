"""The server raises its open-files limit itself: a stock desktop's 1,024 would cap the hall."""

import resource
import subprocess
import sys

from facilitation.capacity import raise_open_files_limit


def test_soft_limit_of_1024_is_raised_toward_the_hard_limit():
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    # In a child process, so the test runner's own limit stays as it was.
    code = (
        "import resource\n"
        "from facilitation.capacity import raise_open_files_limit\n"
        f"resource.setrlimit(resource.RLIMIT_NOFILE, (1024, {hard}))\n"
        "print(*raise_open_files_limit(8192))\n"
        "print(resource.getrlimit(resource.RLIMIT_NOFILE)[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    reported, actual = out.stdout.splitlines()
    expected = 8192 if hard == resource.RLIM_INFINITY else min(8192, hard)
    assert reported.split() == ["1024", str(expected)]
    assert int(actual) == expected


def test_a_higher_soft_limit_is_kept():
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    assert raise_open_files_limit(16) == (soft, soft)


def test_startup_objects_are_frozen_and_full_collections_are_rarer():
    code = (
        "import gc\n"
        "import facilitation.app\n"
        "from facilitation.capacity import FULL_COLLECTION_EVERY, freeze_startup_objects\n"
        "frozen = freeze_startup_objects()\n"
        "print(frozen, gc.get_freeze_count(), gc.get_threshold()[2] == FULL_COLLECTION_EVERY)\n"
        "gc.unfreeze()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    frozen, count, rarer = out.stdout.split()
    # Importing the app alone makes tens of thousands of objects the collector now skips.
    assert int(frozen) == int(count) > 10_000
    assert rarer == "True"
