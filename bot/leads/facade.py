"""`Leads`: the lead store for async code, with real methods (`await leads.add(lead)`).

Store methods are synchronous and may block (TinyDB takes a file lock and rewrites a file), so
the facade runs each call elsewhere: the TinyDB store in the worker process of
bot/leads/executor.py, any other store in a thread, or in place for the command line
(`run="here"`), where nothing else waits. Each method sends a module-level function of this
module (pickled by name, never a method name as a string), so type checkers and editors can
follow every call.
"""

from __future__ import annotations

import asyncio
import builtins
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

from bot.leads import executor
from bot.leads.filters import EVERY_LEAD, LeadFilter
from bot.leads.record import Lead
from bot.leads.store import LeadStore
from bot.leads.tinydb_store import TinyDBLeadStore

P = ParamSpec("P")
T = TypeVar("T")

RunIn = Literal["worker", "thread", "here"]


# --- what runs next to the store (module level: sent to the worker by name) -------------


def _add(store: LeadStore, lead: Mapping[str, Any]) -> int:
    return store.add(lead)


def _get(store: LeadStore, lead_id: int) -> Lead:
    return store.get(lead_id)


def _list(store: LeadStore, where: LeadFilter) -> builtins.list[Lead]:
    return store.list(where)


def _update_status(store: LeadStore, lead_id: int, status: str, by: str) -> Lead:
    return store.update_status(lead_id, status, by)


def _add_note(store: LeadStore, lead_id: int, text: str, by: str, ref: str | None) -> Lead:
    return store.add_note(lead_id, text, by, ref)


def _set_centre(store: LeadStore, lead_id: int, centre_id: str, by: str) -> Lead:
    return store.set_centre(lead_id, centre_id, by)


def _mark_announced(store: LeadStore, lead_id: int, ok: bool) -> Lead:
    return store.mark_announced(lead_id, ok)


def _delete(store: LeadStore, where: LeadFilter) -> int:
    return store.delete(where)


def _delete_by_user(store: LeadStore, user_key: str) -> int:
    return store.delete_by_user(user_key)


def _purge_older_than(store: LeadStore, days: int, now: dt.datetime | None) -> int:
    return store.purge_older_than(days, now)


def _update_status_followup(
    store: LeadStore,
    lead_id: int,
    status: str,
    by: str,
    owner: str | None,
    next_contact: str | None,
) -> Lead:
    return store.update_status_followup(lead_id, status, by, owner, next_contact)


def _set_followup(
    store: LeadStore, lead_id: int, owner: str | None, next_contact: str | None
) -> Lead:
    return store.set_followup(lead_id, owner, next_contact)


def _set_duplicates(store: LeadStore, lead_id: int, ids: builtins.list[int]) -> Lead:
    return store.set_duplicates(lead_id, ids)


def _merge(store: LeadStore, keep_id: int, duplicate_id: int, by: str) -> builtins.list[Lead]:
    return store.merge(keep_id, duplicate_id, by)


def _erase_lead(store: LeadStore, lead_id: int, by: str, reason: str) -> None:
    store.erase_lead(lead_id, by, reason)


def _audit_log(store: LeadStore) -> builtins.list[dict[str, Any]]:
    return store.audit_log()


def _bump_funnel(store: LeadStore, source: str, centre: str | None, stage: str) -> None:
    store.bump_funnel(source, centre, stage)


def _funnel_counts(store: LeadStore) -> builtins.list[dict[str, Any]]:
    return store.funnel_counts()


# --- the facade -------------------------------------------------------------------------


class Leads:
    def __init__(self, store: LeadStore, *, run: RunIn | None = None) -> None:
        self.store = store
        # Exactly the TinyDB class: a subclass (a test double) may not be rebuilt by path.
        self._tinydb = store if type(store) is TinyDBLeadStore else None
        self.run: RunIn = run or ("worker" if self._tinydb is not None else "thread")
        if self.run == "worker" and self._tinydb is None:
            raise ValueError("only the TinyDB store runs in the worker process")

    async def call(
        self,
        func: Callable[Concatenate[LeadStore, P], T],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """`func(store, *args, **kwargs)`; `func` must be a module-level function."""
        if self.run == "worker" and self._tinydb is not None:
            return await executor.with_store(self._tinydb, func, *args, **kwargs)
        if self.run == "thread":
            return await asyncio.to_thread(func, self.store, *args, **kwargs)
        return func(self.store, *args, **kwargs)

    async def compute(self, func: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """A CPU-heavy pure function (an xlsx export) where store work runs."""
        if self.run == "worker":
            return await executor.compute(func, *args, **kwargs)
        if self.run == "thread":
            return await asyncio.to_thread(func, *args, **kwargs)
        return func(*args, **kwargs)

    async def add(self, lead: Mapping[str, Any]) -> int:
        return await self.call(_add, lead)

    async def get(self, lead_id: int) -> Lead:
        return await self.call(_get, lead_id)

    async def list(self, where: LeadFilter = EVERY_LEAD) -> builtins.list[Lead]:
        return await self.call(_list, where)

    async def update_status(self, lead_id: int, status: str, by: str) -> Lead:
        return await self.call(_update_status, lead_id, status, by)

    async def add_note(self, lead_id: int, text: str, by: str, ref: str | None = None) -> Lead:
        return await self.call(_add_note, lead_id, text, by, ref)

    async def set_centre(self, lead_id: int, centre_id: str, by: str) -> Lead:
        return await self.call(_set_centre, lead_id, centre_id, by)

    async def mark_announced(self, lead_id: int, ok: bool) -> Lead:
        return await self.call(_mark_announced, lead_id, ok)

    async def find_by_user(self, user_key: str) -> builtins.list[Lead]:
        return await self.list(LeadFilter(user_key=user_key))

    async def delete(self, where: LeadFilter) -> int:
        return await self.call(_delete, where)

    async def delete_by_user(self, user_key: str) -> int:
        return await self.call(_delete_by_user, user_key)

    async def purge_older_than(self, days: int, now: dt.datetime | None = None) -> int:
        return await self.call(_purge_older_than, days, now)

    async def update_status_followup(
        self,
        lead_id: int,
        status: str,
        by: str,
        owner: str | None = None,
        next_contact: str | None = None,
    ) -> Lead:
        return await self.call(_update_status_followup, lead_id, status, by, owner, next_contact)

    async def set_followup(
        self, lead_id: int, owner: str | None = None, next_contact: str | None = None
    ) -> Lead:
        return await self.call(_set_followup, lead_id, owner, next_contact)

    async def set_duplicates(self, lead_id: int, ids: builtins.list[int]) -> Lead:
        return await self.call(_set_duplicates, lead_id, ids)

    async def merge(self, keep_id: int, duplicate_id: int, by: str) -> builtins.list[Lead]:
        return await self.call(_merge, keep_id, duplicate_id, by)

    async def erase_lead(self, lead_id: int, by: str, reason: str) -> None:
        await self.call(_erase_lead, lead_id, by, reason)

    async def audit_log(self) -> builtins.list[dict[str, Any]]:
        return await self.call(_audit_log)

    async def bump_funnel(self, source: str, centre: str | None, stage: str) -> None:
        await self.call(_bump_funnel, source, centre, stage)

    async def funnel_counts(self) -> builtins.list[dict[str, Any]]:
        return await self.call(_funnel_counts)
