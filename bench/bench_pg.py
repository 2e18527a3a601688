"""Leads store on PostgreSQL beside TinyDB, in the same run: add and status change p50/p95, one
lead by id, a list by centre and status, and its csv export, at 10 000, 100 000 and 1 000 000
leads (bulk-loaded with COPY), and TinyDB at its stated limit (about 1 000 leads) and 10 000.

Run: .venv/bin/python bench/bench_pg.py [--quick] [--sizes 10000,100000,1000000]
Prints figures; it is not a test. PostgreSQL is a throw-away cluster (tests/support/pgcluster.py)
with fsync on, as a deployment would run it; the store is the bot's (bot/leads/pg_store.py),
called the way `kume leads` calls it (synchronously, one operation per transaction).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fake_leads import fake_lead  # noqa: E402
from bot.leads.filters import LeadFilter  # noqa: E402
from bot.leads.record import normalize_lead  # noqa: E402

STATUSES = ("yeni", "iletisime_gecildi", "kumeye_katildi", "ilgilenmiyor")
WRITE_TARGET_MS = 20.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def bench_lead(i: int) -> dict:
    lead = normalize_lead(fake_lead(i))
    lead["status"] = STATUSES[i % 4]
    lead["id"] = i
    return lead


def bulk_load(url: str, first: int, last: int) -> float:
    """Leads first..last with COPY, the sequence moved past them; seconds taken."""
    import psycopg

    from bot.leads.pg_store import lead_columns

    start = time.perf_counter()
    with psycopg.connect(url) as conn:
        with conn.cursor() as cur:
            sql = (
                "COPY leads (id, created_at, centre, status, user_key, submission_key,"
                " announced, data) FROM STDIN"
            )
            with cur.copy(sql) as copy:
                for i in range(first, last + 1):
                    c = lead_columns(bench_lead(i))
                    copy.write_row(
                        (i, c["created_at"], c["centre"], c["status"], c["user_key"],
                         c["submission_key"], c["announced"], c["data"])
                    )  # fmt: skip
        conn.execute("SELECT setval('lead_ids', %s)", (last,))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE leads")
    return time.perf_counter() - start


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(store, n: int, samples: int, list_runs: int, xlsx: bool) -> dict:
    from bot.leads.export import export_bytes

    rng = random.Random(n)
    adds = [
        timed(lambda k=k: store.add({**fake_lead(n + k + 1), "submission_key": f"b{n}-{k}"}))
        for k in range(samples)
    ]
    statuses = [
        timed(lambda k=k: store.update_status(rng.randint(1, n), STATUSES[k % 4], "bench"))
        for k in range(samples)
    ]
    gets = [timed(lambda: store.get(rng.randint(1, n))) for _ in range(samples)]
    where = LeadFilter(centre="samsun", status="iletisime_gecildi")
    rows: list[dict] = []

    def listing() -> None:
        rows[:] = store.list(where)

    lists = [timed(listing) for _ in range(list_runs)]
    csv = [timed(lambda: export_bytes(rows, "csv")) for _ in range(list_runs)]
    out = {
        "add": adds, "status": statuses, "get": gets, "list": lists, "rows": len(rows),
        "csv": csv,
    }  # fmt: skip
    if xlsx:
        out["xlsx"] = [timed(lambda: export_bytes(rows, "xlsx"))]
    return out


def line(name: str, n: int, m: dict, extra: str = "") -> str:
    def p(key: str) -> str:
        return f"{statistics.median(m[key]):7.1f} / {pct(m[key], 95):7.1f}"

    xlsx = f", xlsx {m['xlsx'][0] / 1000:.1f} s" if "xlsx" in m else ""
    return (
        f"{name:<10} {n:>9} | add {p('add')} | status {p('status')} | get "
        f"{statistics.median(m['get']):5.1f} | list {m['rows']:>6} rows "
        f"{statistics.median(m['list']):8.1f} | csv {statistics.median(m['csv']):8.1f}{xlsx}"
        f"{extra}"
    )


def tinydb_runs(sizes: list[int], samples: int) -> None:
    from bot.leads.tinydb_store import (
        DATA_FILE,
        LEADS_TABLE,
        META_DOC_ID,
        META_TABLE,
        AtomicJSONStorage,
        TinyDBLeadStore,
    )

    def build_store(path: Path, n: int) -> None:  # the same leads as PostgreSQL's
        leads = {str(i): bench_lead(i) for i in range(1, n + 1)}
        meta = {str(META_DOC_ID): {"next_id": n + 1}}
        AtomicJSONStorage(path).write({LEADS_TABLE: leads, META_TABLE: meta})

    work = Path(tempfile.mkdtemp(prefix="kume-pg-bench-tinydb-"))
    try:
        for n in sizes:
            path = work / str(n) / DATA_FILE
            path.parent.mkdir()
            build_store(path, n)
            store = TinyDBLeadStore(path)
            m = measure(store, n, samples if n < 5000 else max(5, samples // 4), 3, n <= 10_000)
            print(line("TinyDB", n, m), flush=True)
            shutil.rmtree(path.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 000 and 100 000 leads only")
    parser.add_argument("--sizes", help="comma-separated PostgreSQL sizes")
    args, _unknown = parser.parse_known_args()
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else [10_000, 100_000]
        if args.quick
        else [10_000, 100_000, 1_000_000]
    )
    samples = 50 if args.quick else 200

    from bot.leads.pg_store import PostgresLeadStore
    from tests.support.pgcluster import PgCluster, migrate, unavailable_reason

    if unavailable_reason():
        print(f"PostgreSQL: {unavailable_reason()}")
        return 1
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{os.cpu_count()} cores shared with other work, load average at start {load}; "
        f"times in ms (p50 / p95), {samples} adds and status changes per size; list = "
        "centre samsun, status iletisime_gecildi (1/20 of the leads); csv = that list exported"
    )
    cluster = PgCluster(fsync=True).start()
    try:
        cluster.execute("CREATE DATABASE bench")
        url = cluster.url("bench")
        migrate(url)
        store = PostgresLeadStore(url)
        loaded = 0
        for n in sorted(sizes):
            seconds = bulk_load(url, loaded + 1, n)
            loaded = n
            m = measure(store, n, samples, 3 if n >= 1_000_000 else 5, n <= 100_000)
            size = _db_size(url)
            print(line("PostgreSQL", n, m, f" | loaded in {seconds:.0f} s, {size}"), flush=True)
            p95 = max(pct(m["add"], 95), pct(m["status"], 95))
            verdict = "met" if p95 < WRITE_TARGET_MS else "NOT met"
            print(f"{'':<10} write p95 {p95:.1f} ms: target < {WRITE_TARGET_MS:.0f} ms {verdict}")
            loaded += samples  # the adds
        store.close()
    finally:
        cluster.destroy()
    tinydb_runs([1_000, 10_000], 20 if not args.quick else 8)
    return 0


def _db_size(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        found = row.fetchone()
    return f"database {found[0] if found else '?'}"


if __name__ == "__main__":
    sys.exit(main())
