"""Faults at the leads store level: processes killed with SIGKILL mid-write, several processes
writing at once, and the bot's event loop kept responsive while writes run in threads."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.leads.backend import open_store
from bot.leads.record import new_lead, normalize_lead
from bot.leads.tinydb_store import (
    DATA_FILE,
    LEADS_TABLE,
    META_DOC_ID,
    META_TABLE,
    AtomicJSONStorage,
)

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = ROOT / "tests" / "support"
KILLS = 24


def seed(data_dir: Path, n: int) -> None:
    """A store with leads 1..n, bulk-written in the store's own format (so that each later
    write takes a few milliseconds: more chances to be killed half-way)."""
    data_dir.mkdir(mode=0o700, exist_ok=True)
    leads = {}
    for i in range(1, n + 1):
        lead = normalize_lead(
            new_lead(
                source="seed",
                user_key=f"test:seed:{i}",
                consent={"version": "test", "at": "2026-11-25T06:00:00+00:00"},
                firm=f"Deneme Tohum {i} Ltd.",
                contact_name="Ayşe Deneme",
                centre="trabzon",
                needs_text="ortak laboratuvar, ihracat ve CE belgesi " * 3,
            )
        )
        lead["id"] = i
        leads[str(i)] = lead
    data = {LEADS_TABLE: leads, META_TABLE: {str(META_DOC_ID): {"next_id": n + 1}}}
    AtomicJSONStorage(data_dir / DATA_FILE).write(data)


def spawn(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(SUPPORT / script), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def wait_ready(proc: subprocess.Popen) -> None:
    line = proc.stdout.readline()
    assert line.strip() == "ready", proc.stderr.read()


@pytest.mark.timeout(240)
def test_sigkill_during_writes_never_loses_a_confirmed_lead(tmp_path):
    data_dir = tmp_path / "data"
    seed(data_dir, 300)
    rng = random.Random(20261125)
    confirmed: set[int] = set()
    announced: set[int] = set()
    highest_seen = 300
    for round_no in range(KILLS):
        proc = spawn("store_writer.py", str(data_dir), str(round_no))
        try:
            wait_ready(proc)
            time.sleep(rng.uniform(0.05, 0.6))
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            out, _err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        round_ids = []
        for line in out.splitlines():
            kind, lead_id = line.split()
            (confirmed if kind == "A" else announced).add(int(lead_id))
            if kind == "A":
                round_ids.append(int(lead_id))
        # Ids only grow, even across kills: a number told to a firm is never reused.
        assert all(i > highest_seen for i in round_ids), (round_ids, highest_seen)
        highest_seen = max([highest_seen, *round_ids])

        # The file is whole JSON and the store opens and reads it.
        json.loads((data_dir / DATA_FILE).read_text(encoding="utf-8"))
        stored = {lead["id"]: lead for lead in open_store(data_dir).list()}
        missing = confirmed - stored.keys()
        assert not missing, f"round {round_no}: confirmed leads lost: {sorted(missing)}"
        not_marked = [i for i in announced if not stored[i]["announced"]]
        assert not not_marked, f"round {round_no}: confirmed announcements lost: {not_marked}"
        assert all(i in stored for i in range(1, 301)), "seeded leads lost"
    assert len(confirmed) >= KILLS, "the writer hardly wrote anything; the test proves little"
    # Temp files left by a kill mid-write hold personal data: they must stay private.
    for leftover in data_dir.glob(f".{DATA_FILE}.*.tmp"):
        assert stat.S_IMODE(leftover.stat().st_mode) == 0o600, leftover
    # After all that, the store still takes new leads.
    store = open_store(data_dir)
    new_id = store.add(new_lead(source="test", user_key="test:after", consent=None))
    assert new_id > highest_seen and store.get(new_id)["user_key"] == "test:after"


def seeded_location(backend: str, tmp_path: Path, n: int) -> str:
    """A store of `backend` with leads 1..n: a data directory or a database URL."""
    if backend == "tinydb":
        seed(tmp_path / "data", n)
        return str(tmp_path / "data")
    from bot.leads.pg_store import PostgresLeadStore
    from tests.support.pgcluster import fresh_database
    from tests.support.stores import require_postgres

    require_postgres()
    url = fresh_database()
    store = PostgresLeadStore(url)
    for i in range(1, n + 1):
        store.add(new_lead(source="seed", user_key=f"test:seed:{i}", consent=None))
    store.close()
    return url


@pytest.mark.timeout(120)
@pytest.mark.parametrize("backend", ["tinydb", "postgres"])
def test_writer_and_two_status_clis_lose_no_update(tmp_path, backend):
    """A lead-adding process (the bot's part) and two `kume leads status` loops on the same
    leads for several seconds: the store stays valid and every reported change is in the
    history, none overwritten by the other process."""
    location = seeded_location(backend, tmp_path, 150)
    targets = ["1", "2", "3"]
    writer = spawn("store_writer.py", location, "w")
    try:
        wait_ready(writer)
        seconds = "5"
        clis = {
            by: spawn("cli_status_loop.py", location, by, seconds, *targets)
            for by in ("Personel A", "Personel B")
        }
        outputs = {}
        for by, proc in clis.items():
            out, err = proc.communicate(timeout=90)
            assert proc.returncode == 0, err
            assert out.strip().endswith("done"), err
            outputs[by] = out.splitlines()[:-1]
    finally:
        writer.send_signal(signal.SIGTERM)
        writer_out, _ = writer.communicate(timeout=30)

    store = open_store(location, location if backend == "postgres" else None)
    if backend == "tinydb":
        json.loads((Path(location) / DATA_FILE).read_text(encoding="utf-8"))
    errors = [line for lines in outputs.values() for line in lines if line.startswith("E")]
    assert not errors, errors
    for by, lines in outputs.items():
        changes = [line.split() for line in lines if line.startswith("C")]
        assert len(changes) >= 5, f"{by} changed almost nothing: {lines[:5]}"
        for lead_id in targets:
            expected = [status for _, i, status in changes if i == lead_id]
            recorded = [h["status"] for h in store.get(int(lead_id))["history"] if h["by"] == by]
            assert recorded == expected, f"{by} on #{lead_id}: lost or extra updates"
    for lead_id in targets:
        lead = store.get(int(lead_id))
        assert lead["status"] == lead["history"][-1]["status"]
    added = [int(line.split()[1]) for line in writer_out.splitlines() if line.startswith("A ")]
    assert added, "the writer added nothing while the CLIs ran"
    stored_ids = {lead["id"] for lead in store.list()}
    assert set(added) <= stored_ids
    marked = [int(line.split()[1]) for line in writer_out.splitlines() if line.startswith("M ")]
    assert all(store.get(i)["announced"] for i in marked)


async def test_event_loop_serves_others_while_a_write_waits_for_the_lock(tmp_path):
    """The bot calls the store through asyncio.to_thread. While a write is held up (here:
    a staff command holds the file lock), other users' coroutines must keep being served.
    Deterministic: the write cannot finish before we release the lock. The stall caused by
    the CPU part of a write (json.loads holds the GIL) is measured in bench/bench_store.py."""
    from filelock import FileLock

    data_dir = tmp_path / "data"
    seed(data_dir, 50)
    store = open_store(data_dir)
    staff_lock = FileLock(f"{data_dir / DATA_FILE}.lock")  # another holder, as a CLI would be
    staff_lock.acquire()
    try:
        write = asyncio.create_task(
            asyncio.to_thread(
                store.add, new_lead(source="test", user_key="test:loop", consent=None)
            )
        )
        loop = asyncio.get_running_loop()
        ticks, start = 0, loop.time()
        while loop.time() - start < 0.4:
            await asyncio.sleep(0.005)
            ticks += 1
        assert not write.done(), "the write did not wait for the lock; the test proves nothing"
        assert ticks >= 20, f"event loop starved while a write waited: {ticks} ticks in 0.4 s"
    finally:
        staff_lock.release()
    lead_id = await asyncio.wait_for(write, timeout=10)
    assert store.get(lead_id)["user_key"] == "test:loop"
