"""The lead-store backends the contract tests run against (tests/test_store_contract.py).

Each entry opens an empty store of that backend in a fresh temporary directory (PostgreSQL:
a fresh database in the run's throw-away cluster, tests/support/pgcluster.py); `open_again`
opens the same store from another process (given what `location` returned); `raw_text` is
everything the backend keeps, as text, to check that erased data is really gone. When the
PostgreSQL server is not installed its tests skip, except in CI (`CI` set), where they fail.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

from bot.leads.store import LeadStore


@dataclasses.dataclass(frozen=True)
class Backend:
    name: str
    create: Callable[[Path], LeadStore]  # an empty store for a test's tmp_path
    location: Callable[[LeadStore], str]  # what another process needs to open it
    open_again: Callable[[str], LeadStore]  # (module level: sent to worker processes)
    raw_text: Callable[[LeadStore], str]  # everything stored, as text


def _tinydb_create(tmp_path: Path) -> LeadStore:
    from bot.leads.tinydb_store import open_tinydb_store

    return open_tinydb_store(tmp_path / "data")


def _tinydb_location(store: LeadStore) -> str:
    from bot.leads.tinydb_store import TinyDBLeadStore

    assert isinstance(store, TinyDBLeadStore)
    return str(store.path.parent)


def _tinydb_open(location: str) -> LeadStore:
    from bot.leads.tinydb_store import open_tinydb_store

    return open_tinydb_store(location)


def _tinydb_raw(store: LeadStore) -> str:
    from bot.leads.tinydb_store import TinyDBLeadStore

    assert isinstance(store, TinyDBLeadStore)
    return store.path.read_text(encoding="utf-8") if store.path.exists() else ""


def require_postgres() -> None:
    """Skips the calling test when no PostgreSQL server is installed (fails in CI)."""
    import pytest

    from tests.support.pgcluster import unavailable_reason

    reason = unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI ortamında PostgreSQL testleri atlanamaz)")
    pytest.skip(reason)


def _pg_create(tmp_path: Path) -> LeadStore:
    from bot.leads.pg_store import PostgresLeadStore
    from tests.support.pgcluster import fresh_database

    require_postgres()
    return PostgresLeadStore(fresh_database())


def _pg_location(store: LeadStore) -> str:
    from bot.leads.pg_store import PostgresLeadStore

    assert isinstance(store, PostgresLeadStore)
    return store.url


def _pg_open(location: str) -> LeadStore:
    from bot.leads.pg_store import PostgresLeadStore

    return PostgresLeadStore(location)


def _pg_raw(store: LeadStore) -> str:
    import psycopg

    with psycopg.connect(_pg_location(store)) as conn:
        rows = conn.execute(
            "SELECT data || user_key || coalesce(centre, '') FROM leads"
            " UNION ALL SELECT entry FROM audit"
        ).fetchall()
    return "\n".join(row[0] for row in rows)


BACKENDS: dict[str, Backend] = {
    "tinydb": Backend("tinydb", _tinydb_create, _tinydb_location, _tinydb_open, _tinydb_raw),
    "postgres": Backend("postgres", _pg_create, _pg_location, _pg_open, _pg_raw),
}


def open_backend(name: str, location: str) -> LeadStore:
    return BACKENDS[name].open_again(location)


def close(store: LeadStore) -> None:
    """Lets go of a store's connections (PostgreSQL's pool); nothing for TinyDB."""
    closer = getattr(store, "close", None)
    if closer is not None:
        closer()


def add_when_told(name: str, location: str, go: str, leads: list[dict]) -> list[int]:
    """In a worker process: wait until the file `go` exists, then add `leads`; their ids."""
    import time

    store = open_backend(name, location)
    while not Path(go).exists():
        time.sleep(0.002)
    try:
        return [store.add(lead) for lead in leads]
    finally:
        close(store)


def note_when_told(
    name: str, location: str, go: str, lead_id: int, tag: str, rounds: int
) -> list[int]:
    """In a worker process: add a lead, note and re-status lead `lead_id`, `rounds` times."""
    import time

    from tests.support.leads import make_lead

    store = open_backend(name, location)
    while not Path(go).exists():
        time.sleep(0.002)
    ids = []
    try:
        for n in range(rounds):
            ids.append(store.add(make_lead(n, user_key=f"{tag}:{n}")))
            store.add_note(lead_id, f"{tag}-{n}", tag)
            store.update_status(lead_id, ("iletisime_gecildi", "yeni")[n % 2], tag)
        return ids
    finally:
        close(store)
