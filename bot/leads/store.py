"""The lead store contract (`LeadStore`) and its errors.

A backend implements five primitives: `add`, `get`, `list`, `modify` (one lead's
read-change-write in one transaction) and `delete`. Everything staff and users do with a lead
is built on them here, with the rules of bot/leads/rules.py, so every backend behaves the
same. Methods are synchronous and return copies; the bot reaches them through the async
facade in bot/leads/facade.py. The embedded backend is TinyDB (bot/leads/tinydb_store.py);
bot/leads/backend.py opens the configured one.
"""

from __future__ import annotations

import abc
import builtins
import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

from bot.leads import rules
from bot.leads.filters import EVERY_LEAD, LeadFilter
from bot.leads.record import Lead


class StoreError(Exception):
    """Base class; messages are Turkish, they reach staff on the command line."""


class LeadNotFound(StoreError, LookupError):
    def __init__(self, lead_id: int) -> None:
        super().__init__(f"{lead_id} numaralı kayıt yok")
        self.lead_id = lead_id

    def __reduce__(self) -> tuple[type[LeadNotFound], tuple[int]]:
        # crosses the process boundary of bot/leads/executor.py intact
        return (LeadNotFound, (self.lead_id,))


class StoreBusy(StoreError):
    """The store could not be reached in time (e.g. its file lock stayed taken)."""


class StoreCorrupt(StoreError):
    """The stored data is unreadable; it is left untouched for a person to look at."""


Change = Callable[[Lead], None]
ChangeMany = Callable[[list[Lead]], None]

# Stages of the deep-link source funnel (counts only; see bot/leads/funnel.py).
FUNNEL_STAGES = ("started", "finished", "consented")


class LeadStore(abc.ABC):
    """What the bot and the command line need from lead storage."""

    # -- the primitives a backend implements ---------------------------------------------

    @abc.abstractmethod
    def add(self, lead: Mapping[str, Any]) -> int:
        """Stores a new lead (normalised), assigns it a never-used id (rules.next_id) and
        returns the id.

        Idempotent on the submission key (`rules.submission_key(lead)`, the questionnaire
        walk's): when a stored lead already has the key, its id is returned and nothing is
        written, whatever the other fields say. This must hold for concurrent adds of one
        key from several processes (TinyDB: the check runs inside the file lock; a server
        database: a unique constraint on the key and, on conflict, the existing row's id).
        A lead without a key is always new (staff imports, tests)."""

    @abc.abstractmethod
    def get(self, lead_id: int) -> Lead:
        """The lead; LeadNotFound if there is none."""

    @abc.abstractmethod
    def list(self, where: LeadFilter = EVERY_LEAD) -> builtins.list[Lead]:
        """The leads `where` matches, by id."""

    @abc.abstractmethod
    def modify(self, lead_id: int, change: Change) -> Lead:
        """Reads the lead, applies `change` (edits it in place) and writes it back in one
        transaction; nothing is written when `change` raises. LeadNotFound if missing."""

    @abc.abstractmethod
    def delete(self, where: LeadFilter) -> int:
        """Really deletes the matching leads (no soft delete: KVKK erasure); how many."""

    @abc.abstractmethod
    def modify_many(self, lead_ids: builtins.list[int], change: ChangeMany) -> builtins.list[Lead]:
        """As `modify` for several leads at once (in the order given), in one transaction:
        all are written or none (e.g. merging a duplicate into another lead)."""

    @abc.abstractmethod
    def erase(self, lead_id: int, entry: Mapping[str, Any]) -> None:
        """Really deletes one lead and appends `entry` (no personal data, see
        rules.audit_entry) to the audit log, in one transaction. LeadNotFound if missing."""

    @abc.abstractmethod
    def append_audit(self, entry: Mapping[str, Any]) -> None:
        """Appends an entry to the audit log, which outlives the leads it names."""

    @abc.abstractmethod
    def audit_log(self) -> builtins.list[dict[str, Any]]:
        """Every audit entry, oldest first."""

    @abc.abstractmethod
    def bump_funnel(self, source: str, centre: str | None, stage: str) -> None:
        """Adds one to the counter of (deep-link source, centre or None, stage): counts
        only, nothing about who (bot/leads/funnel.py). Cheap: called on every walk start."""

    @abc.abstractmethod
    def funnel_counts(self) -> builtins.list[dict[str, Any]]:
        """Every funnel counter: {"source", "centre", "stage", "count"}."""

    # -- built on the primitives -----------------------------------------------------------

    def count(self, where: LeadFilter = EVERY_LEAD) -> int:
        return len(self.list(where))

    def update_status(self, lead_id: int, status: str, by: str) -> Lead:
        """Sets the status (id or Turkish label) and appends a history entry."""
        return self.modify(lead_id, functools.partial(rules.change_status, status=status, by=by))

    def add_note(self, lead_id: int, text: str, by: str, ref: str | None = None) -> Lead:
        """Appends a note; once per `ref` when one is given (rules.change_note)."""
        rules.clean_note(text)  # an empty note fails before any lock is taken
        change = functools.partial(rules.change_note, text=text, by=by, ref=ref)
        return self.modify(lead_id, change)

    def set_centre(self, lead_id: int, centre_id: str, by: str) -> Lead:
        """Staff override of the routed centre (sets centre_override, adds a note)."""
        change = functools.partial(rules.change_centre, centre_id=centre_id, by=by)
        return self.modify(lead_id, change)

    def mark_announced(self, lead_id: int, ok: bool) -> Lead:
        """Records one announcement attempt to the centre; `ok` when it was delivered."""
        return self.modify(lead_id, functools.partial(rules.change_announced, delivered=ok))

    def find_by_submission(self, key: str) -> Lead | None:
        """The lead saved under this submission key, if any."""
        found = self.list(LeadFilter(submission_key=key)) if key else []
        return found[0] if found else None

    def find_by_user(self, user_key: str) -> builtins.list[Lead]:
        return self.list(LeadFilter(user_key=user_key))

    def delete_by_user(self, user_key: str) -> int:
        """Every lead of the user (KVKK erasure); returns how many."""
        if not user_key:
            raise ValueError("user_key boş olamaz")
        return self.delete(LeadFilter(user_key=user_key))

    def update_status_followup(
        self,
        lead_id: int,
        status: str,
        by: str,
        owner: str | None = None,
        next_contact: str | None = None,
    ) -> Lead:
        """Sets the status and, when given, the owner and the next contact day."""
        change = functools.partial(
            rules.change_status_and_followup,
            status=status,
            by=by,
            owner=owner,
            next_contact=next_contact,
        )
        return self.modify(lead_id, change)

    def set_followup(
        self, lead_id: int, owner: str | None = None, next_contact: str | None = None
    ) -> Lead:
        """Sets the owner and/or the next contact day (ISO day, "" clears it)."""
        change = functools.partial(rules.change_followup, owner=owner, next_contact=next_contact)
        return self.modify(lead_id, change)

    def set_duplicates(self, lead_id: int, ids: builtins.list[int]) -> Lead:
        return self.modify(lead_id, functools.partial(rules.change_duplicates, ids=ids))

    def merge(self, keep_id: int, duplicate_id: int, by: str) -> builtins.list[Lead]:
        """Merges lead `duplicate_id` into `keep_id` (rules.change_merge) and logs it."""
        leads = self.modify_many(
            [keep_id, duplicate_id], functools.partial(rules.change_merge, by=by)
        )
        self.append_audit(
            rules.audit_entry(
                "merge", duplicate_id, by, f"#{duplicate_id} → #{keep_id}", into=int(keep_id)
            )
        )
        return leads

    def erase_lead(self, lead_id: int, by: str, reason: str) -> None:
        """Deletes one lead for a data-subject request, leaving an audit entry."""
        self.erase(lead_id, rules.audit_entry("delete", lead_id, by, reason))

    def purge_older_than(self, days: int, now: dt.datetime | None = None) -> int:
        """Deletes leads past the retention period of `days` days; returns how many."""
        return self.delete(LeadFilter(created_before=rules.purge_cutoff(days, now)))
