"""The schema, as numbered forward steps; PRAGMA user_version records the last one applied."""

from __future__ import annotations

import sqlite3

from earpiece.store.errors import StoreError

# Every derived table has the same spine: key, the hybrid logical clock of the
# event that last wrote it (last writer wins), a tombstone flag, and the row as
# JSON. Columns that queries filter on are generated from the JSON.
_SPINE = (
    "key TEXT PRIMARY KEY, hlc TEXT NOT NULL, "
    "deleted INTEGER NOT NULL DEFAULT 0, body TEXT NOT NULL"
)

STEPS: tuple[str, ...] = (
    # 1: the event log, the derived tables, device metadata
    f"""
    CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE events (
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        hlc TEXT NOT NULL,
        type TEXT NOT NULL,
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (device_id, seq)
    );
    CREATE INDEX events_key ON events (key);
    CREATE TABLE facts ({_SPINE},
        kind TEXT GENERATED ALWAYS AS (json_extract(body, '$.kind')) VIRTUAL);
    CREATE TABLE reminders ({_SPINE},
        due_at TEXT GENERATED ALWAYS AS (json_extract(body, '$.due_at')) VIRTUAL,
        status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) VIRTUAL);
    CREATE INDEX reminders_due ON reminders (status, due_at);
    CREATE TABLE letters ({_SPINE},
        recipient TEXT GENERATED ALWAYS AS (json_extract(body, '$.recipient')) VIRTUAL,
        status TEXT GENERATED ALWAYS AS (json_extract(body, '$.status')) VIRTUAL);
    CREATE TABLE mood ({_SPINE},
        at TEXT GENERATED ALWAYS AS (json_extract(body, '$.at')) VIRTUAL);
    CREATE INDEX mood_at ON mood (at);
    CREATE TABLE turns ({_SPINE},
        at TEXT GENERATED ALWAYS AS (json_extract(body, '$.at')) VIRTUAL);
    CREATE INDEX turns_at ON turns (at);
    CREATE TABLE dialog ({_SPINE});
    CREATE TABLE settings ({_SPINE});
    """,
    # 2: reminders that recur. A reminder's body may carry "repeat" ({"every": "day"
    # | "weekday" | "weekend" | "week" | "hours" | "minutes", "weekday": 0-6, "hours": 1-12,
    # "minutes": 5-59}; timeparse.Repeat); a body without it, as
    # every body before this step and from older devices, is a one-off. The column lets a query
    # tell recurring reminders apart; the rows themselves need no rewrite.
    """
    ALTER TABLE reminders ADD COLUMN repeat_every TEXT
        GENERATED ALWAYS AS (json_extract(body, '$.repeat.every')) VIRTUAL;
    """,
)

TABLES: tuple[str, ...] = ("facts", "reminders", "letters", "mood", "turns", "dialog", "settings")
"""The derived tables; an event of type '<table>.put' or '<table>.delete' drives one row."""
DIALOG_KEY = "state"
"""The dialog table's keys: `state:<device_id>`, one row per device (the companion's question
in flight, last reply, wordings), and `state`, the one row earlier versions shared."""


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the missing steps, each under BEGIN IMMEDIATE with the version read again inside
    the lock, so of several processes starting together one migrates and the others wait."""
    applied = version(conn)
    while applied < len(STEPS):
        conn.execute("BEGIN IMMEDIATE")
        try:
            applied = version(conn)  # another process may have migrated meanwhile
            if applied < len(STEPS):
                for statement in statements(STEPS[applied]):
                    conn.execute(statement)
                applied += 1
                conn.execute(f"PRAGMA user_version = {applied}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    if applied > len(STEPS):
        raise StoreError(
            f"the state database has schema version {applied}, newer than this earpiece "
            f"({len(STEPS)}); upgrade earpiece"
        )


def version(conn: sqlite3.Connection) -> int:
    """The last step applied (0: a new file)."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
