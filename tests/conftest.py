"""Fixtures in the flaskr manner, plus a real server process and real clients.

- app / client / store: the Flask app in threading mode over a temporary database.
- server: the real `facilitation serve` (gevent) as a process on a random port, over a
  database file the tests also open, so they create events and check rows directly.
- sio: a factory of real python-socketio clients over real websockets to `server`.
- browser: Debian's headless Chromium through Playwright (skipped with a reason if absent).

Shared helpers (make_event, wait_for, messages …) live in tests/helpers.py. Every test
that uses `server` is marked `server`, every one that uses `browser` is marked `browser`
(see pytest_collection_modifyitems), so `pytest -m "not server and not browser"` runs
the in-process ones alone (`make test-fast`).
"""

from __future__ import annotations

import pytest

from facilitation.app import create_app
from facilitation.store import Store
from tests.browser_log import PageLog, log_tail, watch_browser
from tests.helpers import (
    ADMIN_TOKEN,
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ONE_ADDRESS_LIMITS,
    Client,
    ServerProcess,
    close_all,
    device_cookie,
    wait_for,
)

# A fixture a test uses (directly or through another fixture) -> the mark it gets.
MARK_BY_FIXTURE = {"server": "server", "browser": "browser"}

# Modules whose tests one parallel worker runs together, in order (`make test`, -n): each
# starts something for the whole module that is worth starting once (module-scoped
# fixtures are set up again on every worker, and each time a worker comes back to the
# module after a test of another one).
ONE_WORKER_MODULES = {
    "tests/test_scale_out.py",  # Redis and two server processes
    "tests/test_integrity_limits.py",  # a server with small limits
    "tests/test_rtl_browser.py",  # a server with an extra catalogue
    "tests/test_i18n.py",  # the string extraction (pybabel over the whole tree)
}


def pytest_collection_modifyitems(config, items):
    """Mark each test by what it needs, so `-m` can select without a list to keep up.

    In parallel runs (`-n`, pytest-xdist hands out tests in this order) the modules
    with slow tests come first, then those with browser tests, then server ones, then
    the quick in-process rest, which fills the gaps at the end: the run does not wait
    for one long test that started last. Within a module the order stays as written.
    """
    for item in items:
        for fixture, mark in MARK_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, mark))
    # The order matters where the tests are collected for a parallel run: on the workers
    # (xdist sets numprocesses to None there; `workerinput` says it is a worker).
    if hasattr(config, "workerinput"):
        weight = {}
        for item in items:
            rank = next((n for n, mark in enumerate(("slow", "browser", "server"))
                         if item.get_closest_marker(mark)), 3)
            if item.nodeid.split("::")[0] in ONE_WORKER_MODULES:
                rank = min(rank, 2)  # a long unit of work: not among the last
            weight[item.module] = min(weight.get(item.module, 3), rank)
        items.sort(key=lambda item: weight[item.module])


def pytest_xdist_make_scheduler(config, log):
    """Tests handed out one by one in the order above, ONE_WORKER_MODULES whole.

    (pytest-xdist's own `xdist_group` mark does not work with pytest 9.2: it renames
    node ids through an attribute pytest no longer reads.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            config.option.loadscopereorder = False  # keep the order of the collection

        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::")[0]
            return module if module in ONE_WORKER_MODULES else nodeid

    return Scheduling(config, log)


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "DATABASE": str(tmp_path / "test.db"),
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "SESSIONS_DIR": str(tmp_path / "sessions"),
            "ASYNC_MODE": "threading",
            "PUBLIC_URL": "http://test.invalid:5000",
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "TESTING": True,
            **ONE_ADDRESS_LIMITS,
        }
    )
    yield app
    app.extensions["store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "store.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """One real gevent server for the whole session; each test makes its own event."""
    proc = ServerProcess(tmp_path_factory.mktemp("server"))
    proc.start()
    yield proc
    proc.stop()


@pytest.fixture
def server_store(server):
    """A store over the running server's database file (WAL: both can use it at once)."""
    s = Store(server.db_path)
    yield s
    s.close()


@pytest.fixture
def sio(server):
    """Factory of connected python-socketio clients: sio(auth, device=…) → client."""
    clients = []

    def connect(auth: dict, device: int | str | None = None, url: str | None = None,
                wait: bool = True, **kw):
        client = Client(reconnection=kw.pop("reconnection", False))
        client.received = []
        client.on("*", lambda event, data: client.received.append((event, data)))
        headers = {"Cookie": f"fac_device={device_cookie(device)}"} if device is not None else {}
        client.connect(url or server.url, auth=auth, headers=headers, transports=["websocket"],
                       wait_timeout=10)
        clients.append(client)
        if wait:
            wait_for(lambda: any(e == "snapshot" for e, _ in client.received))
        return client

    yield connect
    close_all(clients)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright; skipped when not installed."""
    if not CHROMIUM:
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _browser_record(request, monkeypatch):
    """In a browser test, record what each page did; the report of a failure shows it
    (pytest_runtest_makereport), with the end of the test server's log."""
    if "browser" not in request.fixturenames:
        yield
        return
    log = PageLog()
    watch_browser(monkeypatch, request.getfixturevalue("browser"), log)
    request.node.stash[PAGE_LOG] = log
    yield


PAGE_LOG = pytest.StashKey[PageLog]()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    log = item.stash.get(PAGE_LOG, None)
    if log is None or report.when == "teardown" or not report.failed:
        return
    report.sections.append(("what the browser pages did", log.text() or "(nothing)"))
    for server in getattr(item, "funcargs", {}).values():  # `server`, `rtl_server` …
        if isinstance(server, ServerProcess):
            report.sections.append((f"end of the server's log ({server.log_path})",
                                    log_tail(server.log_path)))


@pytest.fixture
def shot(request):
    """Save a page's screenshot under test-artifacts/ (ignored by git) for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=False)

    return take
