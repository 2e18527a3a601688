"""Staff tools: how long the /durum chart, the xlsx summary sheets, the clusters, the digest
and the duplicate check take, and how much of it the event loop would feel.

Run: .venv/bin/python bench/bench_staff.py [--quick]

Prints figures only; nothing here is a test (tests check behaviour, never timings).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.leads import export  # noqa: E402
from bot.leads.charts import chart_png  # noqa: E402
from bot.leads.clusters import forming_clusters  # noqa: E402
from bot.leads.digest import compute_digest  # noqa: E402
from bot.leads.duplicates import duplicates_of  # noqa: E402
from bot.leads.summary import compute_figures  # noqa: E402
from tests.support.leads import make_lead  # noqa: E402

CENTRES = ("corum", "gaziantep", "kahramanmaras", "samsun", "trabzon")


def leads_of(n: int) -> list[dict]:
    start = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    out = []
    for i in range(1, n + 1):
        lead = make_lead(
            i,
            centre=CENTRES[i % 5],
            nace=f"{10 + i % 24:02d}",
            size_band=("1-9", "10-49", "50-249", "250+")[i % 4],
            created_at=(start + dt.timedelta(minutes=17 * i)).isoformat(),
        )
        lead["id"] = i
        out.append(lead)
    return out


def timed(call: Callable[[], object], runs: int) -> float:
    """Median seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        call()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def row(n: int, runs: int) -> str:
    leads = leads_of(n)
    rows = export._rows(leads, None)
    figures = compute_figures(leads)
    now = dt.datetime(2026, 12, 1, 6, tzinfo=dt.UTC)
    return (
        f"{n:>7} | {timed(lambda: compute_figures(leads), runs) * 1000:>6.0f}ms "
        f"{timed(lambda: chart_png(figures), runs) * 1000:>6.0f}ms | "
        f"{timed(lambda: export._xlsx_bytes(rows, None), 1):>7.2f}s "
        f"{timed(lambda: export._xlsx_bytes(rows, leads), 1):>7.2f}s | "
        f"{timed(lambda: forming_clusters(leads, 20), runs) * 1000:>6.0f}ms "
        f"{timed(lambda: compute_digest(leads, 'samsun', now, 3), runs) * 1000:>6.0f}ms "
        f"{timed(lambda: duplicates_of(leads[-1], leads[:-1]), runs) * 1000:>7.0f}ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    sizes = (1000, 5000) if args.quick else (1000, 5000, 20000)
    runs = 3
    chart_png(compute_figures(leads_of(10)))  # matplotlib's first import, not measured
    print(
        f"{'leads':>7} | {'figures':>8} {'chart':>8} | {'xlsx':>8} {'+sheets':>8} | "
        f"{'clusters':>8} {'digest':>8} {'dup check':>9}"
    )
    for n in sizes:
        print(row(n, runs))
    print("The bot runs all of these where store work runs (bot/leads/executor.py, a worker")
    print("process), so the event loop waits on none of them; see bench_store.py for the lag.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
