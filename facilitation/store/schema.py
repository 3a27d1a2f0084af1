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


@migrations()
def m002_voting(db):
    """Dot voting: voting rounds, their candidates, the ledger of dots, ticket codes."""
    db.execute(
        """
        CREATE TABLE voting_rounds (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
            budget INTEGER NOT NULL CHECK (budget >= 1),
            cap INTEGER NOT NULL CHECK (cap >= 1),
            hide_counts INTEGER NOT NULL DEFAULT 0,
            require_ticket INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            opened_at TEXT,
            closed_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX voting_rounds_event ON voting_rounds(event_id)")
    db.execute(
        """
        CREATE TABLE voting_candidates (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES voting_rounds(id) ON DELETE CASCADE,
            label TEXT NOT NULL,
            contribution_id INTEGER REFERENCES contributions(id) ON DELETE SET NULL,
            table_id INTEGER REFERENCES tables(id) ON DELETE SET NULL,
            theme TEXT,
            position INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX voting_candidates_round ON voting_candidates(round_id)")
    # The ledger: one row per accepted placement (+1) or removal (-1), never updated.
    # The tally is the sum of delta; the target group is read from the participant.
    db.execute(
        """
        CREATE TABLE dots (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            round_id INTEGER NOT NULL REFERENCES voting_rounds(id) ON DELETE CASCADE,
            candidate_id INTEGER NOT NULL REFERENCES voting_candidates(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            delta INTEGER NOT NULL CHECK (delta IN (1, -1)),
            client_id TEXT NOT NULL,
            at TEXT NOT NULL
        )
        """
    )
    # The idempotency key of a replayed place/remove: one row per device and client id.
    db.execute("CREATE UNIQUE INDEX dots_client_id ON dots(participant_id, client_id)")
    db.execute("CREATE INDEX dots_round_participant ON dots(round_id, participant_id)")
    db.execute(
        """
        CREATE TABLE voting_tickets (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            redeemed_at TEXT,
            UNIQUE (event_id, code)
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX voting_tickets_participant ON voting_tickets(participant_id)"
        " WHERE participant_id IS NOT NULL"
    )


@migrations()
def m003_rounds_hosts_conference(db):
    """Rounds on one clock, table hosts' key points, the rotation plan, the conference."""
    db.execute(
        """
        CREATE TABLE round_clocks (
            event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            rounds INTEGER NOT NULL DEFAULT 3 CHECK (rounds >= 1),
            duration_ms INTEGER NOT NULL DEFAULT 1200000 CHECK (duration_ms > 0),
            lock_between INTEGER NOT NULL DEFAULT 1,
            sound INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'idle'
                CHECK (state IN ('idle', 'running', 'paused', 'ended')),
            ends_at INTEGER,
            remaining_ms INTEGER,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE key_points (
            contribution_id INTEGER PRIMARY KEY
                REFERENCES contributions(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            marked_by TEXT NOT NULL,
            marked_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE rotation_plans (
            event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            seed INTEGER NOT NULL,
            rounds INTEGER NOT NULL,
            figures TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE rotation_seats (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            round INTEGER NOT NULL,
            table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
            PRIMARY KEY (event_id, participant_id, round)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE agenda (
            event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            phase TEXT CHECK (phase IN ('plenary_input', 'thematic_groups', 'plenary_result')),
            changed_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE impulses (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
            client_id TEXT,
            text TEXT NOT NULL,
            hidden INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX impulses_client_id ON impulses(event_id, client_id)"
        " WHERE client_id IS NOT NULL"
    )
    db.execute(
        """
        CREATE TABLE group_capacities (
            table_id INTEGER PRIMARY KEY REFERENCES tables(id) ON DELETE CASCADE,
            capacity INTEGER CHECK (capacity IS NULL OR capacity >= 1)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE group_members (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
            table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
            joined_at TEXT NOT NULL,
            PRIMARY KEY (event_id, participant_id)
        )
        """
    )
    db.execute("CREATE INDEX group_members_table ON group_members(table_id)")


@migrations()
def m004_merge_contributions(db):
    """Duplicates merged by the facilitation: the contribution that stays.

    A merged contribution is hidden like any other (phones and projector drop it) and
    names the one it was merged into; showing it again undoes the merge.
    """
    db.execute(
        "ALTER TABLE contributions ADD COLUMN merged_into INTEGER"
        " REFERENCES contributions(id) ON DELETE SET NULL"
    )
    db.execute("CREATE INDEX contributions_merged_into ON contributions(merged_into)"
               " WHERE merged_into IS NOT NULL")


@migrations()
def m013_integrity(db):
    """One budget per person: where a device came from, and rounds for earlier devices only.

    `participants.address_tag` is a keyed hash of the address a device first connected
    from (never the address itself): enough to count devices per address for the
    facilitator's integrity panel. `voting_rounds.require_prior_device` lets a voting
    round take dots only from devices that existed before it opened (or hold a ticket).
    """
    db.execute("ALTER TABLE participants ADD COLUMN address_tag TEXT")
    db.execute("ALTER TABLE voting_rounds ADD COLUMN require_prior_device INTEGER NOT NULL"
               " DEFAULT 0")
