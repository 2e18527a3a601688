"""The deep-link funnel counters of the embedded store, in their own small file.

A counter is bumped on every start of a firm walk; in the leads file that would rewrite every
lead each time (TinyDB rewrites the whole file). So the counters live beside it in
funnel.json: {"counts": [[source, centre or null, stage, count], …]}, behind their own file
lock, written atomically (bot/atomicfile.py). Counts only: nothing says who.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from bot.atomicfile import PRIVATE_FILE, private_dir, write_atomic
from bot.leads.store import FUNNEL_STAGES, StoreBusy, StoreCorrupt

Key = tuple[str, str | None, str]


class FunnelFile:
    def __init__(self, path: Path, lock_timeout: float) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self._thread_lock = threading.Lock()
        self._lock = FileLock(f"{path}.lock", mode=PRIVATE_FILE, thread_local=False)

    def _read(self) -> dict[Key, int]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            data = json.loads(raw)
            return {(str(s), c, str(st)): int(n) for s, c, st, n in data["counts"]}
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreCorrupt(f"{self.path}: okunamadı; dosyaya dokunulmadı") from exc

    def bump(self, source: str, centre: str | None, stage: str) -> None:
        if stage not in FUNNEL_STAGES:
            raise ValueError(f"unknown funnel stage {stage!r}")
        private_dir(self.path.parent)
        with self._thread_lock:
            try:
                self._lock.acquire(timeout=self.lock_timeout)
            except Timeout as exc:
                raise StoreBusy(f"{self.path}: sayaç dosyası kilitli kaldı") from exc
            try:
                counts = self._read()
                key = (source, centre, stage)
                counts[key] = counts.get(key, 0) + 1
                rows = [[s, c, st, n] for (s, c, st), n in sorted(counts.items(), key=str)]
                write_atomic(self.path, json.dumps({"counts": rows}).encode())
            finally:
                self._lock.release()

    def counts(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self._thread_lock:
            return [
                {"source": s, "centre": c, "stage": st, "count": n}
                for (s, c, st), n in sorted(self._read().items(), key=str)
            ]
