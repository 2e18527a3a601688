"""Leads store benchmark: insert, status update, read and export times of TinyDBLeadStore at
growing sizes, file size, peak memory, the size up to which a write stays under 50 ms, and how
long the bot's event loop stalls while writes run through asyncio.to_thread.

Run: .venv/bin/python bench/bench_store.py [--quick] [--sizes 1000,10000,50000]
Prints figures; it is not a test.

Each size is measured in its own child process so that "peak memory" is the peak RSS of a
process doing only store work. Stores are bulk-built straight into the store's file format
(adding 50 000 leads one by one would rewrite the file 50 000 times).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fake_leads import fake_lead  # noqa: E402
from bot.leads.record import normalize_lead  # noqa: E402
from bot.leads.tinydb_store import (  # noqa: E402
    DATA_FILE,
    LEADS_TABLE,
    META_DOC_ID,
    META_TABLE,
    AtomicJSONStorage,
    TinyDBLeadStore,
)

WRITE_BUDGET_MS = 50.0
HEADLINE_SIZES = (1_000, 10_000, 50_000)
SWEEP_SIZES = (100, 250, 500, 1_000, 2_000, 5_000)
TICK_S = 0.005


def build_store(path: Path, n: int) -> None:
    """A store file holding leads 1..n, written exactly as the store writes it."""
    leads = {}
    for i in range(1, n + 1):
        record = normalize_lead(fake_lead(i))
        record["id"] = i
        leads[str(i)] = record
    data = {LEADS_TABLE: leads, META_TABLE: {str(META_DOC_ID): {"next_id": n + 1}}}
    AtomicJSONStorage(path).write(data)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); fine for the small samples used here."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


# --------------------------------------------------------------------------- child: writes


async def _lagged(run) -> tuple[object, list[float]]:
    """Runs `run()` while a ticker coroutine measures how late the event loop wakes it up:
    the stall every other user of the bot would feel."""
    lags: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            before = loop.time()
            await asyncio.sleep(TICK_S)
            lags.append(loop.time() - before - TICK_S)

    tick = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    result = await run()
    stop.set()
    await tick
    return result, lags


async def _timed_writes(store: TinyDBLeadStore, n: int, samples: int) -> dict:
    """Adds and status updates through asyncio.to_thread (the plain way), then through
    the bot's Leads facade (bot/leads/facade.py: a worker process), with the loop lag of each."""
    from bot.leads import executor
    from bot.leads.facade import Leads

    leads = Leads(store)

    statuses = ("iletisime_gecildi", "kumeye_katildi", "ilgilenmiyor", "yeni")

    async def timed(call) -> float:
        start = time.perf_counter()
        await call
        return (time.perf_counter() - start) * 1000

    async def thread_writes():
        rng = random.Random(n)
        adds = [
            await timed(asyncio.to_thread(store.add, fake_lead(n + 1 + k))) for k in range(samples)
        ]
        updates = [
            await timed(
                asyncio.to_thread(store.update_status, rng.randint(1, n), statuses[k % 4], "bench")
            )
            for k in range(samples)
        ]
        return adds, updates

    async def worker_writes():
        await executor.warm_up()
        rng = random.Random(n + 1)
        return [await timed(leads.add(fake_lead(n + 1000 + k))) for k in range(samples)] + [
            await timed(leads.update_status(rng.randint(1, n), statuses[k % 4], "bench"))
            for k in range(samples)
        ]

    (adds, updates), lags = await _lagged(thread_writes)
    worker_ms, worker_lags = await _lagged(worker_writes)
    executor.shutdown()
    return {
        "add_ms": adds,
        "update_ms": updates,
        "loop_lag_max_ms": max(lags) * 1000,
        "loop_lag_p99_ms": pct(lags, 99) * 1000,
        "ticks": len(lags),
        "worker_write_ms": worker_ms,
        "worker_lag_max_ms": max(worker_lags) * 1000,
    }


def child_writes(path: Path, n: int, samples: int) -> dict:
    store = TinyDBLeadStore(path)
    out = asyncio.run(_timed_writes(store, n, samples))
    reads = []
    for k in range(max(3, samples // 2)):
        start = time.perf_counter()
        store.get(1 + k * 7 % n)
        reads.append((time.perf_counter() - start) * 1000)
    out["get_ms"] = reads
    # Where the time of one write goes: one parse and one serialisation of the whole file
    # (the store reads once and writes compact JSON once per operation), plus fsync.
    raw = path.read_bytes()
    start = time.perf_counter()
    data = json.loads(raw)
    out["json_load_ms"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    out["json_dump_ms"] = (time.perf_counter() - start) * 1000
    out["file_mib"] = path.stat().st_size / 2**20
    out["peak_rss_mib"] = peak_rss_mib()
    return out


# --------------------------------------------------------------------------- child: export


def child_export(path: Path, fmt: str, repeats: int) -> dict:
    from bot.leads.export import export_bytes

    store = TinyDBLeadStore(path)
    times, size = [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        leads = store.list()
        size = len(export_bytes(leads, fmt))
        times.append((time.perf_counter() - start) * 1000)
    return {"ms": times, "bytes": size, "peak_rss_mib": peak_rss_mib(), "rows": len(leads)}


# --------------------------------------------------------------------------- parent


def run_child(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def samples_for(n: int, quick: bool) -> int:
    if n >= 50_000:
        return 3 if quick else 5
    if n >= 10_000:
        return 5 if quick else 10
    return 8 if quick else 20


def crossing(points: list[tuple[int, float]], budget: float) -> tuple[int | None, int | None]:
    """The largest measured size under budget and a linear estimate of where the write time
    crosses it (write cost is linear in the file size)."""
    points = sorted(points)
    under = [n for n, ms in points if ms < budget]
    largest = max(under) if under else None
    for (n0, t0), (n1, t1) in itertools.pairwise(points):
        if t0 < budget <= t1:
            return largest, round(n0 + (budget - t0) * (n1 - n0) / (t1 - t0))
    return largest, None


def parent(args: argparse.Namespace) -> int:
    headline = (
        tuple(int(s) for s in args.sizes.split(","))
        if args.sizes
        else ((1_000, 10_000) if args.quick else HEADLINE_SIZES)
    )
    sizes = sorted(set(SWEEP_SIZES) | set(headline))
    workdir = Path(tempfile.mkdtemp(prefix="kume-store-bench-"))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"data dir: {workdir} (same disk as the repository, fsync on every write); "
        f"load average at start: {load}"
    )
    print(
        f"TinyDB store, bulk-built; times in ms; samples per size: "
        f"{', '.join(f'{n}: {samples_for(n, args.quick)}' for n in sizes)}"
    )
    write_points: list[tuple[int, float]] = []
    try:
        print()
        print(
            f"{'leads':>7} {'file MiB':>8} | {'add p50':>8} {'p95':>8} | {'status p50':>10} "
            f"{'p95':>8} | {'get p50':>7} | {'loop lag max':>12} | {'peak RSS':>8}"
        )
        details = []
        for n in sizes:
            path = workdir / f"{n}" / DATA_FILE
            path.parent.mkdir()
            build_store(path, n)
            w = run_child("writes", str(path), str(n), str(samples_for(n, args.quick)))
            p95_write = max(pct(w["add_ms"], 95), pct(w["update_ms"], 95))
            write_points.append((n, p95_write))
            print(
                f"{n:>7} {w['file_mib']:>8.1f} | {statistics.median(w['add_ms']):>8.1f} "
                f"{pct(w['add_ms'], 95):>8.1f} | {statistics.median(w['update_ms']):>10.1f} "
                f"{pct(w['update_ms'], 95):>8.1f} | {statistics.median(w['get_ms']):>7.1f} | "
                f"{w['loop_lag_max_ms']:>9.1f} ms | {w['peak_rss_mib']:>5.0f} MiB",
                flush=True,
            )
            details.append((n, w))
            if n in headline:
                exports = {}
                for fmt in ("csv", "xlsx"):
                    repeats = 1 if n >= 50_000 or (args.quick and n >= 10_000) else 3
                    exports[fmt] = run_child("export", str(path), fmt, str(repeats))
                print(
                    f"{'':>7} export (list + bytes): "
                    + "; ".join(
                        f"{fmt} p50 {statistics.median(e['ms']):.0f} ms "
                        f"(p95 {pct(e['ms'], 95):.0f}, runs {len(e['ms'])}), "
                        f"{e['bytes'] / 2**20:.1f} MiB, peak RSS {e['peak_rss_mib']:.0f} MiB"
                        for fmt, e in exports.items()
                    ),
                    flush=True,
                )
            shutil.rmtree(path.parent, ignore_errors=True)

        print()
        print("Where a write's time goes (one pass over the whole file):")
        for n, w in details:
            if n in headline:
                print(
                    f"  {n:>6} leads: json.loads {w['json_load_ms']:.0f} ms, json.dumps "
                    f"{w['json_dump_ms']:.0f} ms; add p50 {statistics.median(w['add_ms']):.0f} ms"
                )
        largest, estimate = crossing(write_points, WRITE_BUDGET_MS)
        print()
        print(
            f"Largest measured size with every write (add and status, p95) under "
            f"{WRITE_BUDGET_MS:.0f} ms: {largest if largest else 'none'} leads"
        )
        if estimate:
            print(
                f"Estimated crossing of {WRITE_BUDGET_MS:.0f} ms (linear interpolation): "
                f"about {estimate} leads"
            )
        worst = max(details, key=lambda d: d[1]["loop_lag_max_ms"])
        print(
            f"Event loop: worst lag while writes ran via asyncio.to_thread: "
            f"{worst[1]['loop_lag_max_ms']:.1f} ms (at {worst[0]} leads, ticker every "
            f"{TICK_S * 1000:.0f} ms, writes took up to {max(worst[1]['add_ms']):.0f} ms)"
        )
        print("Event loop lag with the bot's way (bot.leads.executor, a worker process):")
        for size, w in details:
            print(
                f"  {size:>6} leads: worst lag {w['worker_lag_max_ms']:6.1f} ms "
                f"(thread: {w['loop_lag_max_ms']:6.1f} ms); write p50 "
                f"{pct(w['worker_write_ms'], 50):.0f} ms"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind, path, *rest = sys.argv[2:]
        if kind == "writes":
            result = child_writes(Path(path), int(rest[0]), int(rest[1]))
        else:
            result = child_export(Path(path), rest[0], int(rest[1]))
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer samples")
    parser.add_argument("--sizes", help="comma-separated headline sizes (default 1000,10000,50000)")
    args, _unknown = parser.parse_known_args()  # bench/run passes its arguments to every bench
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
