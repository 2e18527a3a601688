"""The embedded lead store: TinyDB in one JSON file, shared by the bot and `kume leads`.

The bot and the staff command line use the same file at the same time, so `TinyDBLeadStore`:

* takes a `filelock.FileLock` (beside the data file, with a queue lock for fairness) plus a
  threading lock around every operation, reads included, and opens a fresh TinyDB inside
  the lock each time: no cached state (TinyDB's query cache, its next-id counter) outlives
  a lock;
* writes through `AtomicJSONStorage`, once per operation (bot/atomicfile.py: temp file,
  fsync, rename), so a crash leaves either the old or the new file, never half, and a failed
  operation writes nothing;
* keeps the id counter in a meta table inside the same transaction (rules.next_id), and
  looks for the submission key there too, so a walk saved twice is one lead;
* keeps the data file at mode 0600 and its directory at 0700 when it creates them.

TinyDB rewrites the whole file on every write: fine for a pilot (see README, Performance),
not for tens of thousands of leads.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB
from tinydb.storages import MemoryStorage, Storage
from tinydb.table import Document

from bot.atomicfile import PRIVATE_FILE, private_dir, write_atomic
from bot.leads import rules
from bot.leads.filters import EVERY_LEAD, LeadFilter
from bot.leads.record import Lead, normalize_lead
from bot.leads.store import (
    Change,
    ChangeMany,
    LeadNotFound,
    LeadStore,
    StoreBusy,
    StoreCorrupt,
)
from bot.leads.tinydb_funnel import FunnelFile

DATA_FILE = "leads.json"
LOCK_TIMEOUT_S = 30.0

LEADS_TABLE = "leads"
META_TABLE = "meta"
AUDIT_TABLE = "audit"  # survives the deletion of the leads it names (no personal data)
FUNNEL_FILE = "funnel.json"  # beside the data file: a counter bump never rewrites the leads
META_DOC_ID = 1

Tables = dict[str, dict[str, Any]]


class AtomicJSONStorage(Storage):
    """TinyDB storage that replaces the whole file atomically on every write.

    Unbuffered (the default), every `read()` goes to disk and every `write()` rewrites the
    file. Buffered, the instance serves as one transaction: the file is read once, writes
    stay in memory until `flush()`, so a multi-step change (insert + id counter) reaches the
    disk in one atomic rewrite or not at all. Either way callers hold a lock around its use;
    a buffered instance must not outlive that lock.
    """

    def __init__(
        self, path: str | os.PathLike[str], mode: int = PRIVATE_FILE, buffered: bool = False
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.mode = mode
        self.buffered = buffered
        self._data: Tables | None = None
        self._loaded = False
        self._dirty = False

    def read(self) -> Tables | None:
        if self.buffered and self._loaded:
            return self._data
        data = self._read_file()
        if self.buffered:
            self._data, self._loaded = data, True
        return data

    def _read_file(self) -> Tables | None:
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

    def write(self, data: Tables) -> None:
        if self.buffered:
            self._data, self._loaded, self._dirty = data, True, True
        else:
            self._write_file(data)

    def flush(self) -> None:
        """Writes buffered changes, if any, in one atomic rewrite."""
        if self._dirty and self._data is not None:
            self._write_file(self._data)
        self._dirty = False

    def _write_file(self, data: Tables) -> None:
        # Compact: the C encoder is ~10x faster than the indented (pure Python) one.
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        try:
            payload = text.encode()
        except UnicodeEncodeError:  # a lone surrogate: \u-escapes keep the file valid UTF-8
            payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode()
        write_atomic(self.path, payload, self.mode)


class TinyDBLeadStore(LeadStore):
    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = LOCK_TIMEOUT_S) -> None:
        self.path = Path(path)
        if "\x00" in str(self.path):  # fail here, as opening the file would
            raise ValueError("embedded null byte")
        self.lock_timeout = lock_timeout
        self._thread_lock = threading.RLock()
        # flock is not fair and filelock polls: a process writing in a loop would take the
        # lock again before a polling waiter notices it was free. The queue lock is a
        # turnstile: whoever waits for the data lock holds it, so the current holder must
        # queue behind the waiter for its next operation.
        self._queue_lock = FileLock(
            f"{self.path}.queue.lock", mode=PRIVATE_FILE, thread_local=False, poll_interval=0.01
        )
        self._file_lock = FileLock(
            f"{self.path}.lock", mode=PRIVATE_FILE, thread_local=False, poll_interval=0.01
        )
        self._funnel = FunnelFile(self.path.parent / FUNNEL_FILE, lock_timeout)

    # -- plumbing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _db(self, write: bool = True) -> Iterator[TinyDB]:
        """A fresh TinyDB over the current file, inside both locks: one transaction. A read
        of a store whose directory does not exist yet creates nothing (an empty store)."""
        if not self.path.parent.is_dir():
            if not write:
                yield TinyDB(storage=MemoryStorage)
                return
            private_dir(self.path.parent)
        with self._thread_lock:
            self._acquire_file_lock()
            try:
                db = TinyDB(str(self.path), storage=AtomicJSONStorage, buffered=True)
                try:
                    yield db
                    storage = db.storage
                    assert isinstance(storage, AtomicJSONStorage)
                    storage.flush()  # only when the whole operation succeeded
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
    def _doc_to_lead(doc: Mapping[str, Any], doc_id: int) -> Lead:
        lead = normalize_lead(doc)
        lead["id"] = doc_id
        return lead

    def _all(self, db: TinyDB) -> list[Lead]:
        docs = db.table(LEADS_TABLE).all()
        return sorted((self._doc_to_lead(d, d.doc_id) for d in docs), key=lambda x: x["id"])

    # -- LeadStore primitives -------------------------------------------------------------

    def add(self, lead: Mapping[str, Any]) -> int:
        record = normalize_lead(lead)
        key = rules.submission_key(record)
        with self._db() as db:
            table = db.table(LEADS_TABLE)
            docs = table.all()
            if key is not None:
                # Inside the lock: a second save of the same walk, from this process or any
                # other, finds the first and writes nothing (the transaction stays clean).
                for doc in docs:
                    if doc.get("submission_key") == key:
                        return doc.doc_id
            meta_table = db.table(META_TABLE)
            found = meta_table.get(doc_id=META_DOC_ID)
            assert not isinstance(found, list)
            meta: Mapping[str, Any] = found or {}
            existing = max((doc.doc_id for doc in docs), default=0)
            lead_id = rules.next_id(meta.get("next_id"), existing)
            record["id"] = lead_id
            table.insert(Document(record, doc_id=lead_id))
            meta_table.upsert(Document({"next_id": lead_id + 1}, doc_id=META_DOC_ID))
        return lead_id

    def get(self, lead_id: int) -> Lead:
        lead_id = int(lead_id)
        with self._db(write=False) as db:
            doc = db.table(LEADS_TABLE).get(doc_id=lead_id)
        if doc is None:
            raise LeadNotFound(lead_id)
        assert not isinstance(doc, list)
        return self._doc_to_lead(doc, lead_id)

    def list(self, where: LeadFilter = EVERY_LEAD) -> list[Lead]:
        with self._db(write=False) as db:
            leads = self._all(db)
        return [lead for lead in leads if where.matches(lead)]

    def modify(self, lead_id: int, change: Change) -> Lead:
        lead_id = int(lead_id)
        with self._db() as db:
            table = db.table(LEADS_TABLE)
            doc = table.get(doc_id=lead_id)
            if doc is None:
                raise LeadNotFound(lead_id)
            assert not isinstance(doc, list)
            lead = self._doc_to_lead(doc, lead_id)
            change(lead)
            table.update(lead, doc_ids=[lead_id])
            return lead

    def delete(self, where: LeadFilter) -> int:
        with self._db() as db:
            ids = [lead["id"] for lead in self._all(db) if where.matches(lead)]
            if ids:
                db.table(LEADS_TABLE).remove(doc_ids=ids)
        return len(ids)

    def modify_many(self, lead_ids: builtins.list[int], change: ChangeMany) -> builtins.list[Lead]:
        ids = [int(i) for i in lead_ids]
        with self._db() as db:
            table = db.table(LEADS_TABLE)
            leads = []
            for lead_id in ids:
                doc = table.get(doc_id=lead_id)
                if doc is None:
                    raise LeadNotFound(lead_id)
                assert not isinstance(doc, list)
                leads.append(self._doc_to_lead(doc, lead_id))
            change(leads)
            for lead in leads:
                table.update(lead, doc_ids=[lead["id"]])
            return leads

    def erase(self, lead_id: int, entry: Mapping[str, Any]) -> None:
        lead_id = int(lead_id)
        with self._db() as db:
            table = db.table(LEADS_TABLE)
            if table.get(doc_id=lead_id) is None:
                raise LeadNotFound(lead_id)
            table.remove(doc_ids=[lead_id])
            db.table(AUDIT_TABLE).insert(dict(entry))

    def append_audit(self, entry: Mapping[str, Any]) -> None:
        with self._db() as db:
            db.table(AUDIT_TABLE).insert(dict(entry))

    def audit_log(self) -> builtins.list[dict[str, Any]]:
        with self._db(write=False) as db:
            docs = db.table(AUDIT_TABLE).all()
        return [dict(doc) for doc in sorted(docs, key=lambda d: d.doc_id)]

    def id_counter(self) -> int:
        """The id the next new lead would get (rules.next_id over the stored counter)."""
        with self._db(write=False) as db:
            found = db.table(META_TABLE).get(doc_id=META_DOC_ID)
            assert not isinstance(found, list)
            meta: Mapping[str, Any] = found or {}
            existing = max((doc.doc_id for doc in db.table(LEADS_TABLE).all()), default=0)
        return rules.next_id(meta.get("next_id"), existing)

    def bump_funnel(self, source: str, centre: str | None, stage: str) -> None:
        self._funnel.bump(source, centre, stage)

    def funnel_counts(self) -> builtins.list[dict[str, Any]]:
        return self._funnel.counts()


def open_tinydb_store(data_dir: str | os.PathLike[str]) -> TinyDBLeadStore:
    """The store in `data_dir`/leads.json; the directory is created 0700 on the first
    write (reading a store that does not exist yet creates nothing)."""
    return TinyDBLeadStore(Path(data_dir) / DATA_FILE)
