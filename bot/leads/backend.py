"""Which lead store a deployment uses: `open_store(data_dir)`.

Today the embedded TinyDB store in `data_dir`/leads.json; a server database (issue 12)
is chosen here from the settings, behind the same `LeadStore` contract.
"""

from __future__ import annotations

import os

from bot.leads.store import LeadStore
from bot.leads.tinydb_store import open_tinydb_store


def open_store(data_dir: str | os.PathLike[str]) -> LeadStore:
    """The configured store: TinyDB in `data_dir`/leads.json (created 0700 if missing)."""
    return open_tinydb_store(data_dir)
