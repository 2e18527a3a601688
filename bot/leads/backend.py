"""Which lead store a deployment uses: `open_store(data_dir, database_url)`.

No database URL (KUME_DATABASE_URL unset): the embedded TinyDB store in `data_dir`/leads.json.
A `postgresql://…` URL: the PostgreSQL store (bot/leads/pg_store.py), one connection pool per
URL and process, whoever asks for it.
"""

from __future__ import annotations

import os
import threading

from bot.leads.store import LeadStore
from bot.leads.tinydb_store import open_tinydb_store

_pg_stores: dict[str, LeadStore] = {}
_pg_lock = threading.Lock()


def is_database_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


def open_store(data_dir: str | os.PathLike[str], database_url: str | None = None) -> LeadStore:
    """The configured store: PostgreSQL at `database_url` when given, else TinyDB in
    `data_dir`/leads.json (created 0700 if missing)."""
    if not database_url:
        return open_tinydb_store(data_dir)
    if not is_database_url(database_url):
        raise ValueError("KUME_DATABASE_URL postgresql:// ile başlamalı")
    with _pg_lock:
        store = _pg_stores.get(database_url)
        if store is None:
            from bot.leads.pg_store import PostgresLeadStore

            store = PostgresLeadStore(database_url).open()  # a wrong schema stops here
            _pg_stores[database_url] = store
        return store


def close_stores() -> None:
    """Closes the pools of the PostgreSQL stores opened in this process."""
    from bot.leads.pg_store import PostgresLeadStore

    with _pg_lock:
        stores = list(_pg_stores.values())
        _pg_stores.clear()
    for store in stores:
        if isinstance(store, PostgresLeadStore):
            store.close()
