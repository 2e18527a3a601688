"""Does the embedded store need its worker process? How late the bot's event loop runs (a 5 ms
ticker) while TinyDB work runs in a plain thread, against the worker process
(bot/leads/executor.py), up to and beyond the store's documented limit (about 1 000 leads):
store writes (add and status change, as the bot does them) and an xlsx export of every lead
(/export, built where store work runs).

Run: .venv/bin/python bench/bench_loop_stall.py [--quick] [--sizes 500,1000,2000]
Prints figures; not a test. Each size in its own child process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_store import _lagged, build_store, pct  # noqa: E402
from bench.fake_leads import fake_lead  # noqa: E402

BUDGET_MS = 50.0


async def child(path: Path, n: int, writes: int) -> dict:
    from bot.leads import executor
    from bot.leads.export import export_bytes
    from bot.leads.facade import Leads
    from bot.leads.tinydb_store import TinyDBLeadStore

    store = TinyDBLeadStore(path)
    out: dict[str, float] = {}
    for run in ("thread", "worker"):
        leads = Leads(store, run=run)  # type: ignore[arg-type]
        if run == "worker":
            await executor.warm_up()
        rng = random.Random(n)

        async def write_loop(leads: Leads = leads, rng: random.Random = rng) -> None:
            for k in range(writes):
                await leads.add(fake_lead(n + 10_000 + k))
                await leads.update_status(rng.randint(1, n), "iletisime_gecildi", "bench")

        async def export(leads: Leads = leads) -> None:
            rows = await leads.list()
            await leads.compute(export_bytes, rows, "xlsx")

        _, lags = await _lagged(write_loop)
        out[f"{run}_writes_max"] = max(lags) * 1000
        out[f"{run}_writes_p99"] = pct(lags, 99) * 1000
        _, lags = await _lagged(export)
        out[f"{run}_export_max"] = max(lags) * 1000
    executor.shutdown()
    return out


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        result = asyncio.run(child(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])))
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--sizes", help="comma-separated sizes (default 250,500,1000,2000)")
    args, _unknown = parser.parse_known_args()
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [250, 500, 1000, 2000]
    writes = 5 if args.quick else 15
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"worst event-loop lateness (ms) of a 5 ms ticker; {writes} adds + {writes} status "
        f"changes, then one xlsx export of every lead; load average at start {load}"
    )
    print(
        f"{'leads':>6} | {'thread: writes':>15} {'export':>8} | "
        f"{'worker: writes':>15} {'export':>8}"
    )
    work = Path(tempfile.mkdtemp(prefix="kume-stall-bench-"))
    verdicts = []
    try:
        for n in sizes:
            path = work / str(n) / "leads.json"
            path.parent.mkdir()
            build_store(path, n)
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(path), str(n), str(writes)],
                capture_output=True, text=True, cwd=ROOT, check=True,
            )  # fmt: skip
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            print(
                f"{n:>6} | {r['thread_writes_max']:>15.1f} {r['thread_export_max']:>8.1f} | "
                f"{r['worker_writes_max']:>15.1f} {r['worker_export_max']:>8.1f}",
                flush=True,
            )
            verdicts.append((n, max(r["thread_writes_max"], r["thread_export_max"])))
            shutil.rmtree(path.parent)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    over = [n for n, lag in verdicts if lag > BUDGET_MS]
    print(
        f"a thread stalls the loop past {BUDGET_MS:.0f} ms at: "
        f"{', '.join(map(str, over)) or 'no measured size'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
