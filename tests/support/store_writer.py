"""Adds leads in a loop and prints each id once the store has confirmed it, so that a test
can kill this process at any moment and check that every printed id survived.

Usage: python tests/support/store_writer.py DATA_DIR|postgresql://URL TAG
Output lines: "ready", then "A <id>" after add() returned and "M <id>" after
mark_announced(id, True) returned, flushed one by one.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.leads.backend import open_store
from bot.leads.record import new_lead


def main() -> None:
    data_dir, tag = sys.argv[1], sys.argv[2]
    url = data_dir if data_dir.startswith("postgresql://") else None
    store = open_store(data_dir, url)
    print("ready", flush=True)
    k = 0
    while True:
        k += 1
        lead = new_lead(
            source="fault-test",
            user_key=f"test:{tag}:{k}",
            consent={"version": "test", "at": "2026-11-25T06:00:00+00:00"},
            firm=f"Deneme Makina {tag}-{k} Ltd.",
            contact_name="Ayşe Deneme",
            centre="samsun",
        )
        lead_id = store.add(lead)
        print(f"A {lead_id}", flush=True)
        store.mark_announced(lead_id, True)
        print(f"M {lead_id}", flush=True)


if __name__ == "__main__":
    main()
