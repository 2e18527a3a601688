"""Site build benchmark: wall time of a clean `mkdocs build` (prints figures)."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    runs = 1 if "--quick" in sys.argv else 3
    mkdocs = Path(sys.executable).with_name("mkdocs")
    times = []
    for _ in range(runs):
        out = Path(tempfile.mkdtemp(prefix="kume-site-bench-"))
        try:
            start = time.perf_counter()
            proc = subprocess.run(
                [str(mkdocs), "build", "--clean", "--strict", "--site-dir", str(out)],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                print(proc.stderr[-2000:])
                return 1
            times.append(elapsed)
            pages = sum(1 for _ in out.rglob("*.html"))
        finally:
            shutil.rmtree(out, ignore_errors=True)
    print(
        f"clean mkdocs build --strict: runs={runs} pages={pages} "
        f"median={statistics.median(times):.2f}s min={min(times):.2f}s max={max(times):.2f}s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
