"""The database schema as sqlite-utils migrations: append new ones, never edit applied ones."""

from sqlite_utils import Migrations

migrations = Migrations("facilitation")


@migrations()
def m001_core(db):
    """Events, their tables, anonymous participants, contributions and their history."""
    db.execute(
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            date TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('world_cafe', 'akteurskonferenz')),
            status TEXT NOT NULL DEFAULT 'draft'
                CHECK (status IN ('draft', 'running', 'closed')),
            facilitator_key TEXT NOT NULL UNIQUE,
            join_question TEXT,
            join_options TEXT NOT NULL DEFAULT '[]',
            current_round INTEGER NOT NULL DEFAULT 1,
            version INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            closed_at TEXT
        )
        """
    )
    db.execute(
        """
        CREATE TABLE tables (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            theme TEXT NOT NULL,
            questions TEXT NOT NULL DEFAULT '[]',
            position INTEGER NOT NULL DEFAULT 0,
            host_key TEXT NOT NULL UNIQUE,
            UNIQUE (event_id, code)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            device_hash TEXT NOT NULL,
            target_group TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (event_id, device_hash)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE contributions (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
            participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
            client_id TEXT,
            kind TEXT NOT NULL CHECK (kind IN ('need', 'idea', 'problem', 'works_well')),
            question INTEGER,
            text TEXT NOT NULL,
            round INTEGER NOT NULL DEFAULT 1,
            hidden INTEGER NOT NULL DEFAULT 0,
            entered_by TEXT NOT NULL DEFAULT 'participant',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    # The idempotency key of a resend: one contribution per client id and event.
    db.execute(
        "CREATE UNIQUE INDEX contributions_client_id ON contributions(event_id, client_id)"
        " WHERE client_id IS NOT NULL"
    )
    db.execute("CREATE INDEX contributions_event_table ON contributions(event_id, table_id)")
    db.execute(
        """
        CREATE TABLE contribution_edits (
            id INTEGER PRIMARY KEY,
            contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            actor TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}',
            at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX actions_event ON actions(event_id)")
