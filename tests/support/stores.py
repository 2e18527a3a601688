"""Helpers of the lead-store contract tests (tests/test_store_contract.py) that must live in
an importable module: what a worker process runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from bot.leads.store import LeadStore


def add_when_told(
    factory: Callable[[Path], LeadStore], directory: Path, go: Path, leads: list[dict]
) -> list[int]:
    """In a worker process: open the store with `factory` (a module-level function, sent by
    reference), wait until the file `go` exists, then add `leads`; their ids."""
    store = factory(directory)
    while not go.exists():
        time.sleep(0.002)
    return [store.add(lead) for lead in leads]
