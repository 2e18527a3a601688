"""The lead-store backends the contract tests run against (tests/test_store_contract.py).

Each entry opens an empty store of that backend in a fresh temporary directory; `open_again`
opens the same store from another process (given what `location` returned). A new backend
(issue 12: PostgreSQL) adds its entry here, skipping itself when its server is not
available, and the whole contract runs against it unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from bot.leads.store import LeadStore


@dataclasses.dataclass(frozen=True)
class Backend:
    name: str
    create: Callable[[Path], LeadStore]  # an empty store for a test's tmp_path
    location: Callable[[LeadStore], str]  # what another process needs to open it
    open_again: Callable[[str], LeadStore]  # (module level: sent to worker processes)


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


BACKENDS: dict[str, Backend] = {
    "tinydb": Backend("tinydb", _tinydb_create, _tinydb_location, _tinydb_open),
}


def open_backend(name: str, location: str) -> LeadStore:
    return BACKENDS[name].open_again(location)


def add_when_told(name: str, location: str, go: str, leads: list[dict]) -> list[int]:
    """In a worker process: wait until the file `go` exists, then add `leads`; their ids."""
    import time

    store = open_backend(name, location)
    while not Path(go).exists():
        time.sleep(0.002)
    return [store.add(lead) for lead in leads]
