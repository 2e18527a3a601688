"""The PostgreSQL schema of the leads store and the conversation state, as numbered migrations.

`upgrade(conn)` (the `kume db upgrade` command) applies every migration newer than the
database's version in one transaction (PostgreSQL's DDL is transactional: all or nothing),
under an advisory lock so two operators upgrading at once do not apply one twice.
`check(conn)` is what the bot and the shell run on start: a database on an older (or newer)
schema refuses with one Turkish line (`SchemaMismatch`) instead of failing later on a
missing column.

Migrations are append-only: a released one is never edited; a change is a new entry.

Why the lead is stored as JSON text beside a few indexed columns: every field of the record
(bot/leads/record.py) round-trips exactly, whatever a user typed (jsonb refuses some escapes
and reorders nothing we need), while the columns a filter or a constraint needs (centre,
status, user, submission key, creation time, announced) are real columns with indexes.
"""

from __future__ import annotations

from typing import Any

import psycopg

from bot.leads.store import StoreError

# Advisory lock keys (one namespace for the whole application; see pg_locks.py too).
UPGRADE_LOCK = 7_314_001

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "leads, audit, funnel",
        """
        CREATE SEQUENCE lead_ids START 1 NO CYCLE;
        CREATE TABLE leads (
            id bigint PRIMARY KEY,
            created_at timestamptz NOT NULL,
            centre text,
            status text NOT NULL,
            user_key text NOT NULL DEFAULT '',
            submission_key text UNIQUE,
            announced boolean NOT NULL DEFAULT false,
            data text NOT NULL
        );
        CREATE INDEX leads_centre_status ON leads (centre, status, id);
        CREATE INDEX leads_status ON leads (status, id);
        CREATE INDEX leads_user ON leads (user_key);
        CREATE INDEX leads_created ON leads (created_at);
        CREATE INDEX leads_undelivered ON leads (id) WHERE NOT announced;
        CREATE TABLE audit (
            seq bigserial PRIMARY KEY,
            entry text NOT NULL
        );
        CREATE TABLE funnel (
            source text NOT NULL,
            centre text NOT NULL,  -- '' for none (a primary key has no NULLs)
            stage text NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (source, centre, stage)
        );
        """,
    ),
    (
        2,
        "conversation state, handled and in-flight updates, job leases",
        """
        CREATE TABLE bot_users (
            user_id bigint PRIMARY KEY,
            data text NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE bot_chats (
            chat_id bigint PRIMARY KEY,
            data text NOT NULL
        );
        CREATE TABLE bot_conversations (
            name text NOT NULL,
            key text NOT NULL,
            state text NOT NULL,
            PRIMARY KEY (name, key)
        );
        CREATE TABLE bot_updates (
            update_id bigint PRIMARY KEY,
            handled_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE bot_inflight (
            lock_key text PRIMARY KEY,  -- "<space>:<id>": the user (or chat) being served
            update_id bigint NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE bot_leases (
            job text PRIMARY KEY,
            holder text NOT NULL,
            until timestamptz NOT NULL,
            last_run timestamptz
        );
        """,
    ),
    (
        3,
        "imports from an embedded store (kume db migrate-from-tinydb)",
        """
        CREATE TABLE kume_imports (
            source text PRIMARY KEY,
            funnel text NOT NULL,  -- the counters taken over last time, to add only the rest
            last_at timestamptz NOT NULL DEFAULT now()
        );
        """,
    ),
)

LATEST = MIGRATIONS[-1][0]


class SchemaMismatch(StoreError):
    """The database is not on the schema this code needs; the message is one Turkish line."""


def _ensure_version_table(conn: psycopg.Connection[Any]) -> None:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS kume_schema"
        " (version int NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), note text NOT NULL)"
    )


def current_version(conn: psycopg.Connection[Any]) -> int:
    """The newest migration applied; 0 for an empty database."""
    row = conn.execute("SELECT to_regclass('kume_schema') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return 0
    found = conn.execute("SELECT coalesce(max(version), 0) FROM kume_schema").fetchone()
    return int(found[0]) if found else 0


def upgrade(conn: psycopg.Connection[Any]) -> tuple[int, int]:
    """Applies the missing migrations; (version before, version after)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (UPGRADE_LOCK,))
        _ensure_version_table(conn)
        before = current_version(conn)
        for version, note, sql in MIGRATIONS:
            if version > before:
                conn.execute(sql.encode())  # our own literal SQL
                conn.execute(
                    "INSERT INTO kume_schema (version, note) VALUES (%s, %s)", (version, note)
                )
    return before, current_version(conn)


def check(conn: psycopg.Connection[Any]) -> None:
    """SchemaMismatch unless the database is exactly on LATEST."""
    version = current_version(conn)
    if version < LATEST:
        raise SchemaMismatch(
            f"veritabanı şeması eski (sürüm {version}, gereken {LATEST}): "
            "önce «kume db upgrade» çalıştırın"
        )
    if version > LATEST:
        raise SchemaMismatch(
            f"veritabanı şeması bu sürümden yeni (sürüm {version}, bu program {LATEST}): "
            "programı güncelleyin"
        )
