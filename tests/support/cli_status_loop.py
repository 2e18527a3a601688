"""A staff member running `kume leads status` over and over on the same leads as another
process, for a given number of seconds. Each run goes through bot.cli.main, the code path of
the `kume` command.

Usage: python tests/support/cli_status_loop.py DATA_DIR|postgresql://URL BY SECONDS ID [ID ...]
Output: one line per run that changed a status, "C <id> <status>"; "S <id>" when the lead
already had that status; "E <exit code>" on an error. Ends with "done".
"""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.cli.main import main as kume

STATUSES = ("iletisime_gecildi", "kumeye_katildi", "ilgilenmiyor", "yeni")


def main() -> None:
    data_dir, by, seconds, *ids = sys.argv[1:]
    if data_dir.startswith("postgresql://"):  # the command reads the database from settings
        os.environ["KUME_DATABASE_URL"] = data_dir
        data_dir = "/nonexistent-data-dir"
    deadline = time.monotonic() + float(seconds)
    cycle = itertools.cycle(itertools.product(STATUSES, ids))
    while time.monotonic() < deadline:
        status, lead_id = next(cycle)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = kume(["leads", "status", lead_id, status, "--by", by, "--data-dir", data_dir])
        if code != 0:
            print(f"E {code} {err.getvalue().strip()}", flush=True)
        elif "zaten" in out.getvalue():
            print(f"S {lead_id}", flush=True)
        else:
            print(f"C {lead_id} {status}", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main()
