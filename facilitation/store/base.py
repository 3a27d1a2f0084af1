"""The connection, its pragmas and the two kinds of transaction every store verb uses."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from ._sqlite_utils import dedupe_keys, sqlite_utils
from .schema import migrations

# Kept results (StoreBase.kept) at most: a device's dots per voter and round, a few
# rounds and candidates; beyond it all are dropped and read again.
KEPT_AT_MOST = 50_000


# The verbs `StoreBase.shared` keeps. None of them may read the participants table:
# a new participant's row leaves their results standing (`participant_recorded`).
SHARED_VERBS = frozenset({"get_event", "get_table", "tables", "groups"})


@functools.lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    """The INSERT statement for these columns, built once (names are ours, never input)."""
    names = ", ".join(f'"{name}"' for name in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


class _Stamped:
    """Results of store verbs, true while the database state they were read in lasts.

    `get` drops them all when the state it is given differs from theirs; `at_most`
    bounds how many are kept (beyond it all are dropped and read again).
    """

    def __init__(self, at_most: int | None = None):
        self.state: tuple[int, int, int] | None = None
        self.results: dict[tuple, object] = {}
        self.at_most = at_most

    def get(self, state: tuple[int, int, int], store: StoreBase, verb: str, args: tuple):
        if state != self.state:
            self.results.clear()
            self.state = state
        key = (verb, args)
        if key not in self.results:
            if self.at_most is not None and len(self.results) >= self.at_most:
                self.results.clear()
            self.results[key] = getattr(store, verb)(*args)
        return self.results[key]


class StoreBase:
    """One SQLite connection, guarded by a lock, shared by every thread or greenlet.

    Why one connection and a lock: a sqlite-utils ``Database`` refuses use from other
    threads unless built on a connection made with ``check_same_thread=False``, and a
    connection shared without a lock fails with "cannot start a transaction within a
    transaction". Under gevent the lock is a cooperative one (monkey-patched).
    Several server processes (Redis scale-out) each hold their own connection; the
    busy timeout and ``BEGIN IMMEDIATE`` serialise them.
    """

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit BEGIN; we open every transaction ourselves.
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 10000")
        if self.path != ":memory:":
            # enable_wal() fails inside a transaction, so it comes first, outside any.
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        self.db = sqlite_utils.Database(conn)
        self._lock = threading.RLock()
        self._shared = _Stamped()
        self._rollbacks = 0  # a rolled-back write: what was read inside may never have existed
        self._kept = _Stamped(KEPT_AT_MOST)
        self._transactions = 0  # BEGINs so far: data_version is read once per transaction
        self._data_version: tuple[int, int] = (-1, 0)  # (transaction, its data_version)
        with self._lock:
            migrations.apply(self.db)

    def close(self) -> None:
        """Close the connection (tests and the CLI call this; the server keeps it)."""
        with self._lock:
            self.db.close()

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction, opened with BEGIN IMMEDIATE.

        In WAL mode a transaction that reads and then writes can fail with "database is
        locked" despite the busy timeout; taking the write lock up front avoids that.
        The caller's acknowledgement goes out only after COMMIT has returned.
        """
        with self._lock:
            conn = self.db.conn
            if conn.in_transaction:  # nested use inside one verb: join the outer one
                yield self.db
                return
            conn.execute("BEGIN IMMEDIATE")
            self._transactions += 1
            try:
                yield self.db
            except BaseException:
                conn.execute("ROLLBACK")
                self._rollbacks += 1  # changes _state(): shared and kept reads are dropped
                raise
            conn.execute("COMMIT")

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite_utils.Database]:
        """A consistent read: several queries see one state of the database."""
        with self._lock:
            conn = self.db.conn
            if conn.in_transaction:
                yield self.db
                return
            conn.execute("BEGIN")
            self._transactions += 1
            try:
                yield self.db
            finally:
                conn.execute("COMMIT")

    def shared(self, verb: str, *args):
        """``verb(*args)`` of this store, one result shared while the database is unchanged.

        For the reads a whole hall repeats at once: after a restart 2,000 phones
        reconnect within seconds and each snapshot holds the same event, tables and
        groups. The result is kept until anything is written (``_state``), so it is never
        older than a fresh read; the one exception is a new participant's row, which no
        shared verb may read (``participant_recorded``). Callers must not modify what
        they get.
        """
        if verb not in SHARED_VERBS:
            raise ValueError(f"{verb} is not a shared verb (see SHARED_VERBS)")
        with self.read():
            return self._shared.get(self._state(), self, verb, args)

    def _state(self) -> tuple[int, int, int]:
        """What changes whenever the database may have (call inside a transaction): the
        connection's own writes (``total_changes``), its rolled-back writes, and commits
        by another connection or process (SQLite's ``data_version``)."""
        # No other connection commits within one of our transactions: read it once.
        if self._data_version[0] != self._transactions:
            self._data_version = (self._transactions,
                                  self.db.conn.execute("PRAGMA data_version").fetchone()[0])
        return self.db.conn.total_changes, self._rollbacks, self._data_version[1]

    def kept(self, verb: str, *args):
        """``verb(*args)`` of this store, kept while nothing but this process's dots changed.

        For what every dot and every tally reads again at 500 dots a second: a round's
        rules, its candidates, the event, a device's dots in the round. Unlike
        ``shared``, a result survives the dots this process records (``dot_recorded``,
        which also adds each to its device's kept dots), and only them: any other
        change ``_state`` sees drops every kept result, so none is older than a fresh
        read. Only for verbs whose result does not depend on
        the dots, and for ``_dots_of``; callers must not modify what they get.
        """
        with self._lock:
            if not self.db.conn.in_transaction:
                with self.read():
                    return self.kept_here(verb, *args)
            return self.kept_here(verb, *args)

    def kept_here(self, verb: str, *args):
        """``kept(verb, *args)`` for a verb's own use inside its transaction (the store's
        lock held): a dot's checks, without taking the lock again."""
        return self._kept.get(self._state(), self, verb, args)

    def participant_recorded(self, before: tuple[int, int, int]) -> None:
        """Call right after inserting a new participant, in a write whose only change it
        was; `before` is that transaction's ``_state()`` before the insert.

        No verb read through ``shared`` (the event, its tables, its groups) reads the
        participants, so what it kept at `before` is still true: a hall of new phones
        joining does not read and encode the event's tables again for each phone, as
        it did when every new device's row dropped them (4.6 ms of CPU a join with
        2,000 phones, against 0.8 ms a reconnect).
        """
        if self._shared.state == before:
            self._shared.state = self._state()

    def dot_recorded(self, round_id: int, participant_id: int, candidate_id: int,
                     delta: int) -> None:
        """Call right after inserting a dot, in the write whose checks used kept(): that
        one change leaves every kept result true once the device's dots count it."""
        kept = self._kept
        if kept.state is None:
            return
        kept.state = (self.db.conn.total_changes, *kept.state[1:])
        mine = kept.results.get(("_dots_of", (round_id, participant_id)))
        if mine is not None:
            n = mine.get(candidate_id, 0) + delta
            if n:
                mine[candidate_id] = n
            else:
                mine.pop(candidate_id, None)

    def insert(self, table: str, row: dict) -> int:
        """Insert one row with plain SQL and return its id (call inside write()).

        For the hot paths (a dot, a contribution): sqlite-utils' ``Table.insert``
        inspects the schema on every call, about 150 µs, which at 500 dots a second
        is a tenth of the server's CPU. Table and column names are always ours, never
        input; the values are bound parameters.
        """
        cursor = self.db.conn.execute(_insert_sql(table, tuple(row)), list(row.values()))
        return cursor.lastrowid

    def rows(self, sql: str, params=()) -> list[dict]:
        """All rows of a query as dicts (call inside read() or write()).

        Straight from the cursor: every message runs several of these, and sqlite-utils'
        ``query`` (which parses the statement's first keyword and copies each row) made
        them about 40 % slower. Duplicate column names are renamed as sqlite-utils does.
        """
        cursor = self.db.conn.execute(sql, params)
        keys = [column[0] for column in cursor.description]
        if len(set(keys)) != len(keys):
            keys = dedupe_keys(keys)
        return [dict(zip(keys, values, strict=True)) for values in cursor]

    def row(self, sql: str, params=()) -> dict | None:
        """The first row of a query as a dict, or None."""
        cursor = self.db.conn.execute(sql, params)
        values = cursor.fetchone()
        if values is None:
            return None
        keys = [column[0] for column in cursor.description]
        if len(set(keys)) != len(keys):
            keys = dedupe_keys(keys)
        return dict(zip(keys, values, strict=True))
