"""The database schema as sqlite-utils migrations: append new ones, never edit applied ones.

Longer than our other modules on purpose: it is the schema's history, one function per
change in the order they were applied, and an applied migration is never edited or moved
(a test checks the ledger), so it only grows."""

from ._sqlite_utils import Migrations

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
def m011_content_languages(db):
    """Content in several languages (issue 11) and the language of each contribution.

    German stays in the existing columns; each *_i18n column holds the other languages as
    JSON (a map language → text, or for a list one such map per item). A contribution
    records the phone's interface language and the language it was written in (the
    interface language, unless the detector on the text disagrees); both are NULL for
    contributions from before this migration.
    """
    db.execute("ALTER TABLE events ADD COLUMN join_question_i18n TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE events ADD COLUMN join_options_i18n TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE tables ADD COLUMN theme_i18n TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE tables ADD COLUMN questions_i18n TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE voting_candidates ADD COLUMN label_i18n TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE contributions ADD COLUMN ui_language TEXT")
    db.execute("ALTER TABLE contributions ADD COLUMN language TEXT")


@migrations()
def m015_surveys(db):
    """Surveys (Umfragen): anonymous questionnaires on phones or typed in from paper.

    A survey belongs to an event; its definition (questions, texts per language) is kept
    as JSON as given, answers as a JSON list with one entry per question. `client_id` is
    the idempotency key of a phone's resend; one response per device and survey.
    """
    db.execute(
        """
        CREATE TABLE surveys (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            definition TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
            created_at TEXT NOT NULL,
            opened_at TEXT,
            closed_at TEXT
        )
        """
    )
    db.execute("CREATE INDEX surveys_event ON surveys(event_id)")
    db.execute(
        """
        CREATE TABLE survey_responses (
            id INTEGER PRIMARY KEY,
            survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
            participant_id INTEGER REFERENCES participants(id) ON DELETE SET NULL,
            client_id TEXT,
            source TEXT NOT NULL CHECK (source IN ('phone', 'paper')),
            sheet TEXT,
            target_group TEXT,
            language TEXT,
            answers TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX survey_responses_survey ON survey_responses(survey_id)")
    db.execute("CREATE UNIQUE INDEX survey_responses_client ON survey_responses(survey_id, client_id)"
               " WHERE client_id IS NOT NULL")
    db.execute("CREATE UNIQUE INDEX survey_responses_participant"
               " ON survey_responses(survey_id, participant_id) WHERE participant_id IS NOT NULL")


@migrations()
def m015_processes(db):
    """Participation processes (Beteiligungsprozesse) that group events, and what a later
    event carries forward from earlier ones.

    `events.process_id` names the process without a foreign key on purpose: an event
    imported from a session file keeps its link even where that process does not exist
    (import then creates it from the file, or the link stays unused). `audience` is the
    target group an event was held for (one World Café per target group, seed 002).
    A carried item keeps its provenance as JSON on the candidate or table brief it became.
    """
    db.execute(
        """
        CREATE TABLE processes (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            town TEXT,
            fields TEXT NOT NULL DEFAULT '[]',
            target_groups TEXT NOT NULL DEFAULT '[]',
            languages TEXT NOT NULL DEFAULT '["de"]',
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("ALTER TABLE events ADD COLUMN process_id TEXT")
    db.execute("ALTER TABLE events ADD COLUMN process_position INTEGER")
    db.execute("ALTER TABLE events ADD COLUMN audience TEXT")
    db.execute("CREATE INDEX events_process ON events(process_id) WHERE process_id IS NOT NULL")
    db.execute("ALTER TABLE voting_candidates ADD COLUMN provenance TEXT")
    db.execute(
        """
        CREATE TABLE table_briefs (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            table_id INTEGER NOT NULL REFERENCES tables(id) ON DELETE CASCADE,
            text TEXT NOT NULL,
            provenance TEXT NOT NULL,
            position INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX table_briefs_table ON table_briefs(table_id)")


@migrations()
def m014_catalogue(db):
    """The Ziel- und Maßnahmenkatalog the organisers write in the tool (seed 004:
    Braunschweig's columns; seed 003: Wetzlar's short- and long-term horizon).

    One row per measure; `sources` lists the contributions it came from (JSON ids), so
    every row keeps its origin. A voting candidate may stand for a row (a vote on the
    draft catalogue), and the row's priority is then the dots it got.
    """
    db.execute(
        """
        CREATE TABLE catalogue_rows (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            field TEXT NOT NULL DEFAULT '',
            goal TEXT NOT NULL DEFAULT '',
            measure TEXT NOT NULL DEFAULT '',
            target_group TEXT NOT NULL DEFAULT '',
            place TEXT NOT NULL DEFAULT '',
            who TEXT NOT NULL DEFAULT '',
            horizon TEXT CHECK (horizon IN ('short', 'medium', 'long')),
            status TEXT NOT NULL DEFAULT 'not_started'
                CHECK (status IN ('not_started', 'planned', 'in_progress', 'done')),
            remarks TEXT NOT NULL DEFAULT '',
            priority INTEGER,
            sources TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX catalogue_rows_event ON catalogue_rows(event_id, position)")
    db.execute("ALTER TABLE voting_candidates ADD COLUMN catalogue_row_id INTEGER"
               " REFERENCES catalogue_rows(id) ON DELETE SET NULL")


@migrations()
def m014_translation_desk(db):
    """The translation desk: bilingual helpers (each desk a secret link with a name) type a
    German rendering of cards written in other languages. Every rendering is kept with who
    entered it and when, beside the original, which is never replaced; the newest is the
    one shown. `machine` marks a rendering taken unchanged from a machine suggestion."""
    db.execute(
        """
        CREATE TABLE translation_desks (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            desk_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE contribution_translations (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            contribution_id INTEGER NOT NULL REFERENCES contributions(id) ON DELETE CASCADE,
            desk_id INTEGER REFERENCES translation_desks(id) ON DELETE SET NULL,
            entered_by TEXT NOT NULL,
            text TEXT NOT NULL,
            machine INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX contribution_translations_contribution"
               " ON contribution_translations(contribution_id, id)")


@migrations()
def m012_console(db):
    """Issue 12: one number per card per event; the event's closing text, time zone and
    projector language.

    `number` is 1, 2, 3 … within each event in the order cards arrived, the same in the
    console, on the projector, the host page, the exports and the report (ids are shared
    by all events on a server). Existing cards are numbered in id order.
    """
    db.execute("ALTER TABLE contributions ADD COLUMN number INTEGER")
    db.execute(
        "UPDATE contributions SET number = r.n FROM (SELECT id, row_number() OVER"
        " (PARTITION BY event_id ORDER BY id) AS n FROM contributions) AS r"
        " WHERE r.id = contributions.id"
    )
    db.execute("CREATE UNIQUE INDEX contributions_number ON contributions(event_id, number)")
    db.execute("ALTER TABLE events ADD COLUMN next_steps TEXT")
    db.execute("ALTER TABLE events ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Berlin'")
    db.execute("ALTER TABLE events ADD COLUMN projector_language TEXT")
    # Dots a table host records for a person without a phone (the physical Klebepunkte):
    # that person is a participant known by the host's label ("Person 3", a first name),
    # with their own budget and cap; the ledger marks such dots as host-entered.
    db.execute("ALTER TABLE participants ADD COLUMN host_label TEXT")
    db.execute("ALTER TABLE dots ADD COLUMN entered_by TEXT NOT NULL DEFAULT 'participant'")


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


@migrations()
def m016_dots_one_index(db):
    """Issue 16: the dot ledger keeps one index, the idempotency key's.

    Every dot is its own transaction, and a commit writes each page it changed to the
    write-ahead log: the table's last page and one page per index. The index on
    (round, participant) cost a third of a dot's commit (29 → 20 µs per dot on this
    machine) and helped no reader: a device's dots in a round are found through the
    (participant, client_id) index just as fast (a device has a handful of rows), and
    counting or summing a whole round is faster as one pass over the table than through
    the index with a row lookup for each entry (50,000 dots: 12.5 → 3.8 ms and
    20 → 11.5 ms).
    """
    db.execute("DROP INDEX dots_round_participant")


@migrations()
def m016_contribution_edits_index(db):
    """Issue 16: the edit history indexed by card.

    Every read of a card says whether its text was edited, a subquery on this table per
    card; without an index each one scanned the whole history, so reading an event's
    cards grew with cards × edits (`bench/card_reads.py`: 2,000 cards with 500 edited,
    52 ms per read, each console snapshot and export).
    """
    db.execute("CREATE INDEX contribution_edits_contribution"
               " ON contribution_edits(contribution_id, field)")
