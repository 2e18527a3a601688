"""Lead storage: a small `LeadStore` interface and its TinyDB implementation.

The bot and the staff command line (`kume leads ...`) use the same file at the same time, so
`TinyDBLeadStore`:

* takes a `filelock.FileLock` (beside the data file, with a queue lock for fairness) plus a
  threading lock around every operation, reads included, and opens a fresh TinyDB inside
  the lock each time: no cached state (TinyDB's query cache, its next-id counter) outlives
  a lock;
* writes through `AtomicJSONStorage`, once per operation: temp file in the same directory,
  fsync, os.replace, fsync of the directory, so a crash leaves either the old or the new
  file, never half, and a failed operation writes nothing;
* allocates ids inside the lock from a counter that never goes back, so a number told to a
  firm is never reused, even after deletions;
* keeps the data file at mode 0600 and its directory at 0700 when it creates them.

Methods are synchronous; the bot calls them through `bot.leads.executor`.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document

from bot.leads.record import (
    history_entry,
    is_normal_transition,
    normalize_lead,
    note_entry,
    parse_iso,
    parse_status,
    utc_now_iso,
)

DATA_FILE = "leads.json"
FILE_MODE = 0o600
DIR_MODE = 0o700
LOCK_TIMEOUT_S = 30.0

LEADS_TABLE = "leads"
META_TABLE = "meta"
META_DOC_ID = 1


class StoreError(Exception):
    """Base class; messages are Turkish, they reach staff on the command line."""


class LeadNotFound(StoreError, LookupError):
    def __init__(self, lead_id: int) -> None:
        super().__init__(f"{lead_id} numaralı kayıt yok")
        self.lead_id = lead_id

    def __reduce__(self):  # crosses the process boundary of bot/leads/executor.py intact
        return (LeadNotFound, (self.lead_id,))


class StoreBusy(StoreError):
    """The file lock could not be taken in time."""


class StoreCorrupt(StoreError):
    """The data file is not valid JSON; it is left untouched for a person to look at."""


DateLike = dt.date | dt.datetime | str


class LeadStore(abc.ABC):
    """What the bot and the command line need from lead storage. Leads are plain dicts
    (see bot.leads.record); every method returns copies, never live objects."""

    @abc.abstractmethod
    def add(self, lead: Mapping[str, Any]) -> int:
        """Stores a new lead, assigns and returns its id."""

    @abc.abstractmethod
    def get(self, lead_id: int) -> dict[str, Any]:
        """The lead; LeadNotFound if there is none."""

    @abc.abstractmethod
    def list(
        self,
        centre: str | None = None,
        status: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        undelivered: bool | None = None,
    ) -> list[dict[str, Any]]:
        """Leads by id. `since`/`until` bound created_at (a date means the whole day, UTC);
        `undelivered=True` keeps those not announced to their centre, False the others."""

    @abc.abstractmethod
    def update_status(self, lead_id: int, status: str, by: str) -> dict[str, Any]:
        """Sets the status (id or Turkish label) and appends a history entry."""

    @abc.abstractmethod
    def add_note(self, lead_id: int, text: str, by: str) -> dict[str, Any]: ...

    @abc.abstractmethod
    def set_centre(self, lead_id: int, centre_id: str, by: str) -> dict[str, Any]:
        """Staff override of the routed centre (sets centre_override)."""

    @abc.abstractmethod
    def mark_announced(self, lead_id: int, ok: bool) -> dict[str, Any]:
        """Records one announcement attempt to the centre; `ok` when it was delivered."""

    @abc.abstractmethod
    def find_by_user(self, user_key: str) -> list[dict[str, Any]]: ...

    @abc.abstractmethod
    def delete_by_user(self, user_key: str) -> int:
        """Really deletes every lead of the user (KVKK erasure); returns how many."""

    @abc.abstractmethod
    def purge_older_than(self, days: int, now: dt.datetime | None = None) -> int:
        """Deletes leads created more than `days` days before `now`; returns how many."""

    # Count helpers: correct for any implementation, override when a database can do better.
    def count(self, **filters: Any) -> int:
        return len(self.list(**filters))

    def count_by_status(self, centre: str | None = None) -> dict[str, int]:
        counts: dict[str, int] = {}
        for lead in self.list(centre=centre):
            counts[lead["status"]] = counts.get(lead["status"], 0) + 1
        return counts

    def count_undelivered(self) -> int:
        return self.count(undelivered=True)


class AtomicJSONStorage(Storage):
    """TinyDB storage that replaces the whole file atomically on every write.

    Unbuffered (the default), every `read()` goes to disk and every `write()` rewrites the
    file. Buffered, the instance serves as one transaction: the file is read once, writes
    stay in memory until `flush()`, so a multi-step change (insert + id counter) reaches the
    disk in one atomic rewrite or not at all. Either way callers hold a lock around its use;
    a buffered instance must not outlive that lock.
    """

    def __init__(
        self, path: str | os.PathLike[str], mode: int = FILE_MODE, buffered: bool = False
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.mode = mode
        self.buffered = buffered
        self._data: dict[str, dict[str, Any]] | None = None
        self._loaded = False
        self._dirty = False

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self.buffered and self._loaded:
            return self._data
        data = self._read_file()
        if self.buffered:
            self._data, self._loaded = data, True
        return data

    def _read_file(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise StoreCorrupt(
                f"{self.path}: geçerli JSON değil ({exc}); dosyaya dokunulmadı"
            ) from exc
        if not isinstance(data, dict):
            raise StoreCorrupt(f"{self.path}: beklenmeyen içerik; dosyaya dokunulmadı")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if self.buffered:
            self._data, self._loaded, self._dirty = data, True, True
        else:
            self._write_file(data)

    def flush(self) -> None:
        """Writes buffered changes, if any, in one atomic rewrite."""
        if self._dirty and self._data is not None:
            self._write_file(self._data)
        self._dirty = False

    def _write_file(self, data: dict[str, dict[str, Any]]) -> None:
        # Compact: the C encoder is ~10x faster than the indented (pure Python) one.
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        try:
            payload = text.encode()
        except UnicodeEncodeError:  # a lone surrogate: \u-escapes keep the file valid UTF-8
            payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode()
        directory = self.path.parent
        # mkstemp creates the file 0600 already; fchmod makes it explicit.
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), self.mode)
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        _fsync_dir(directory)


def _fsync_dir(directory: Path) -> None:
    """Makes the rename itself durable."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform; the data itself is already synced
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _bound(value: DateLike, end: bool) -> tuple[dt.datetime, bool]:
    """`since`/`until` as an aware UTC datetime and whether it is inclusive. A plain date
    ("2026-11-25") covers its whole day: `until` then means "before the next midnight"."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value) if len(value) == 10 else parse_iso(value)
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)), True
    if end:
        value = value + dt.timedelta(days=1)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC), not end


class TinyDBLeadStore(LeadStore):
    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = LOCK_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._thread_lock = threading.RLock()
        # flock is not fair and filelock polls: a process writing in a loop would take the
        # lock again before a polling waiter notices it was free. The queue lock is a
        # turnstile: whoever waits for the data lock holds it, so the current holder must
        # queue behind the waiter for its next operation.
        self._queue_lock = FileLock(
            f"{self.path}.queue.lock", mode=FILE_MODE, thread_local=False, poll_interval=0.01
        )
        self._file_lock = FileLock(
            f"{self.path}.lock", mode=FILE_MODE, thread_local=False, poll_interval=0.01
        )

    # -- plumbing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _db(self) -> Iterator[TinyDB]:
        """A fresh TinyDB over the current file, inside both locks: one transaction."""
        with self._thread_lock:
            self._acquire_file_lock()
            try:
                db = TinyDB(str(self.path), storage=AtomicJSONStorage, buffered=True)
                try:
                    yield db
                    db.storage.flush()  # only when the whole operation succeeded
                finally:
                    db.close()
            finally:
                self._file_lock.release()

    def _acquire_file_lock(self) -> None:
        deadline = time.monotonic() + self.lock_timeout
        try:
            self._queue_lock.acquire(timeout=self.lock_timeout)
            try:
                self._file_lock.acquire(timeout=max(0.0, deadline - time.monotonic()))
            finally:
                self._queue_lock.release()
        except Timeout as exc:
            raise StoreBusy(
                f"{self.path}: kayıt dosyası {self.lock_timeout:.0f} sn kilitli kaldı; "
                "biraz sonra yeniden deneyin"
            ) from exc

    @staticmethod
    def _doc_to_lead(doc: Document) -> dict[str, Any]:
        lead = normalize_lead(doc)
        lead["id"] = doc.doc_id
        return lead

    def _modify(self, lead_id: int, change) -> dict[str, Any]:
        """Read-modify-write of one lead under the lock; `change(lead)` edits it in place."""
        lead_id = int(lead_id)
        with self._db() as db:
            table = db.table(LEADS_TABLE)
            doc = table.get(doc_id=lead_id)
            if doc is None:
                raise LeadNotFound(lead_id)
            lead = self._doc_to_lead(doc)
            change(lead)
            table.update(lead, doc_ids=[lead_id])
            return lead

    # -- LeadStore ----------------------------------------------------------------------

    def add(self, lead: Mapping[str, Any]) -> int:
        record = normalize_lead(lead)
        with self._db() as db:
            table = db.table(LEADS_TABLE)
            meta_table = db.table(META_TABLE)
            meta = meta_table.get(doc_id=META_DOC_ID) or {}
            # max() with the existing ids guards against a hand-edited or older file.
            existing = max((doc.doc_id for doc in table.all()), default=0)
            lead_id = max(int(meta.get("next_id", 1)), existing + 1)
            record["id"] = lead_id
            table.insert(Document(record, doc_id=lead_id))
            meta_table.upsert(Document({"next_id": lead_id + 1}, doc_id=META_DOC_ID))
        return lead_id

    def get(self, lead_id: int) -> dict[str, Any]:
        lead_id = int(lead_id)
        with self._db() as db:
            doc = db.table(LEADS_TABLE).get(doc_id=lead_id)
        if doc is None:
            raise LeadNotFound(lead_id)
        return self._doc_to_lead(doc)

    def _all(self) -> list[dict[str, Any]]:
        with self._db() as db:
            docs = db.table(LEADS_TABLE).all()
        return sorted((self._doc_to_lead(d) for d in docs), key=lambda lead: lead["id"])

    def list(
        self,
        centre: str | None = None,
        status: str | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        undelivered: bool | None = None,
    ) -> list[dict[str, Any]]:
        status = parse_status(status) if status else None
        start = _bound(since, end=False)[0] if since is not None else None
        stop, stop_inclusive = _bound(until, end=True) if until is not None else (None, True)
        out = []
        for lead in self._all():
            if centre is not None and lead["centre"] != centre:
                continue
            if status is not None and lead["status"] != status:
                continue
            if start is not None or stop is not None:
                created = parse_iso(lead["created_at"])
                if start is not None and created < start:
                    continue
                if stop is not None and (created > stop if stop_inclusive else created >= stop):
                    continue
            if undelivered is not None and bool(lead["announced"]) == undelivered:
                continue
            out.append(lead)
        return out

    def update_status(self, lead_id: int, status: str, by: str) -> dict[str, Any]:
        new = parse_status(status)

        def change(lead: dict[str, Any]) -> None:
            old = lead["status"]
            extra = {} if is_normal_transition(old, new) else {"correction": True}
            lead["status"] = new
            lead["history"] = [*lead["history"], history_entry(new, by, **extra)]

        return self._modify(lead_id, change)

    def add_note(self, lead_id: int, text: str, by: str) -> dict[str, Any]:
        text = text.strip()
        if not text:
            raise ValueError("not boş olamaz")

        def change(lead: dict[str, Any]) -> None:
            lead["notes"] = [*lead["notes"], note_entry(text, by)]

        return self._modify(lead_id, change)

    def set_centre(self, lead_id: int, centre_id: str, by: str) -> dict[str, Any]:
        def change(lead: dict[str, Any]) -> None:
            old = lead["centre"]
            lead["centre"] = centre_id
            lead["centre_override"] = True
            lead["notes"] = [
                *lead["notes"],
                note_entry(f"Merkez değiştirildi: {old or '-'} → {centre_id}", by),
            ]

        return self._modify(lead_id, change)

    def mark_announced(self, lead_id: int, ok: bool) -> dict[str, Any]:
        def change(lead: dict[str, Any]) -> None:
            lead["announce_attempts"] = int(lead["announce_attempts"] or 0) + 1
            if ok:
                lead["announced"] = True
                lead["announced_at"] = utc_now_iso()

        return self._modify(lead_id, change)

    def find_by_user(self, user_key: str) -> list[dict[str, Any]]:
        return [lead for lead in self._all() if lead["user_key"] == user_key]

    def _delete_where(self, predicate) -> int:
        with self._db() as db:
            table = db.table(LEADS_TABLE)
            ids = [doc.doc_id for doc in table.all() if predicate(doc)]
            if ids:
                table.remove(doc_ids=ids)
        return len(ids)

    def delete_by_user(self, user_key: str) -> int:
        if not user_key:
            raise ValueError("user_key boş olamaz")
        return self._delete_where(lambda doc: doc.get("user_key") == user_key)

    def purge_older_than(self, days: int, now: dt.datetime | None = None) -> int:
        if days < 1:
            raise ValueError("gün sayısı en az 1 olmalı")
        now = now or dt.datetime.now(dt.UTC)
        if now.tzinfo is None:
            now = now.replace(tzinfo=dt.UTC)
        cutoff = now - dt.timedelta(days=days)
        return self._delete_where(
            lambda doc: parse_iso(doc.get("created_at") or utc_now_iso()) < cutoff
        )


def open_store(data_dir: str | os.PathLike[str]) -> TinyDBLeadStore:
    """The store in `data_dir`/leads.json; the directory is created 0700 if missing."""
    directory = Path(data_dir)
    if not directory.is_dir():
        directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(directory, DIR_MODE)  # mkdir's mode is reduced by the umask
    return TinyDBLeadStore(directory / DATA_FILE)
