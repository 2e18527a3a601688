"""Lighthouse benchmark of the site (a benchmark, not a test): accessibility and mobile
performance of the home, money and tools pages, run offline with Debian's chromium.

npm's lighthouse is pinned to 12.2.3 (package.json; installed by scripts/browser-deps).
The site is built into a temporary directory and served on 127.0.0.1 with gzip, as any
static host serves it (python -m http.server does not compress; Lighthouse would count
the uncompressed bytes). Lighthouse's default mobile emulation: Moto G Power, simulated
slow 4G, 4× CPU slowdown. Prints one line per page and the median of --runs runs.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
PAGES = {
    "home": "index.html",
    "money": "sure-ve-destek-miktari.html",
    "check": "uygunluk-kontrolu.html",
    "calculator": "hibe-hesaplama.html",
    "centre": "merkezinizi-bulun.html",
}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".txt", ".csv", ".xml")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class GzipHandler(QuietHandler):
    """Static files, gzip-encoded when the client accepts it (as a real host does)."""

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return io.BytesIO(body)


def build(out: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def lighthouse(url: str, out: Path) -> dict:
    subprocess.run(
        [
            "node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
            "--only-categories=accessibility,performance", f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROME}, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(out.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one run")
    parser.add_argument(
        "--no-gzip", action="store_true", help="serve uncompressed (python -m http.server)"
    )
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    if not LIGHTHOUSE.is_file() or not Path(CHROME).is_file():
        print("lighthouse or chromium missing: run scripts/browser-deps")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="kume-lighthouse-"))
    try:
        site = tmp / "site"
        build(site)
        kind = QuietHandler if args.no_gzip else GzipHandler
        handler = lambda *a, **k: kind(*a, directory=str(site), **k)  # noqa: E731
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}/"
        served = "uncompressed" if args.no_gzip else "gzip"
        print(f"lighthouse 12.2.3, mobile (default emulation), {served}, runs={runs}, median:")
        for name, path in PAGES.items():
            perf, a11y, fcp, lcp, tbt, cls = [], [], [], [], [], []
            for n in range(runs):
                report = lighthouse(base + path, tmp / f"{name}-{n}.json")
                cats, audits = report["categories"], report["audits"]
                perf.append(cats["performance"]["score"] * 100)
                a11y.append(cats["accessibility"]["score"] * 100)
                fcp.append(audits["first-contentful-paint"]["numericValue"] / 1000)
                lcp.append(audits["largest-contentful-paint"]["numericValue"] / 1000)
                tbt.append(audits["total-blocking-time"]["numericValue"])
                cls.append(audits["cumulative-layout-shift"]["numericValue"])
                failing = [
                    ref["id"]
                    for ref in cats["accessibility"]["auditRefs"]
                    if audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
                ]
                if failing:
                    print(f"  {name}: accessibility audits below 1: {failing}")
            med = statistics.median
            print(
                f"{name:11} {path:30} performance {med(perf):5.1f}  accessibility "
                f"{med(a11y):5.1f}  FCP {med(fcp):.2f} s  LCP {med(lcp):.2f} s  "
                f"TBT {med(tbt):.0f} ms  CLS {med(cls):.3f}"
            )
        server.shutdown()
        server.server_close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
