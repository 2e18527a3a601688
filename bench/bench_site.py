"""Site benchmark: wall time of a clean `mkdocs build`, and the share of visible words that
are source citations on the FAQ, programme and project pages (prints figures)."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_quotes import quote_shares

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    runs = 1 if "--quick" in sys.argv else 3
    mkdocs = Path(sys.executable).with_name("mkdocs")
    times = []
    shares: dict[str, tuple[int, int]] = {}
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
            if not shares:
                shares.update(quote_shares(out))
        finally:
            shutil.rmtree(out, ignore_errors=True)
    print(
        f"clean mkdocs build --strict: runs={runs} pages={pages} "
        f"median={statistics.median(times):.2f}s min={min(times):.2f}s max={max(times):.2f}s"
    )
    for path, (total, cited) in shares.items():
        print(
            f"citation share of visible words: {path:28} {cited:5d} / {total:5d} = "
            f"{100 * cited / total:.1f} %"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
