"""Concurrent update processing that keeps each user's updates in order.

`Application.concurrent_updates(True)` runs every update as soon as it arrives, so two quick
answers of the same user can overtake each other. `PerUserUpdateProcessor` runs different
users concurrently (bounded) but one user's updates strictly one after another, in arrival
order, through python-telegram-bot's documented extension point (`BaseUpdateProcessor.
do_process_update`; `process_update` is final).

PTB's own bound is taken *before* do_process_update, so with it one user flooding the bot
would hold every slot while waiting on their own lock. The processor therefore sets PTB's
bound out of the way and applies its own after the per-user lock: a flooding user waits on
their lock and holds at most one slot.

After a kill, the updates whose handling had begun (bot/telegram/inbox.py) are handled
alone, one at a time and before everything else (`run_alone`): if one of them is what kills
the bot, nothing else is in progress with it the next time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's semaphore only has to admit every update to do_process_update.
_UNBOUNDED = 1 << 30


def ordering_key(update: object) -> Any:
    """The user (or else the chat) an update belongs to; None for updates with neither."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return ("u", update.effective_user.id)
        if update.effective_chat is not None:
            return ("c", update.effective_chat.id)
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    def __init__(
        self,
        max_concurrent_updates: int = 256,
        on_done: Callable[[object], None] | None = None,
        on_start: Callable[[object], None] | None = None,
    ) -> None:
        super().__init__(_UNBOUNDED)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        # called when an update's handling begins, and once it was handled to its end
        # (bot/telegram/inbox.py)
        self._on_start = on_start
        self._on_done = on_done
        # update ids to handle alone, before anything else; set when there are none left
        self._alone: set[int] = set()
        self._alone_lock = asyncio.Lock()
        self._others_may_run = asyncio.Event()
        self._others_may_run.set()
        # key -> [lock, number of updates holding or waiting for it]; removed when idle
        self._locks: dict[Any, list[Any]] = {}

    @property
    def active_keys(self) -> int:
        """Keys with a lock right now (0 when idle: locks do not pile up)."""
        return len(self._locks)

    def run_alone(self, update_ids: set[int]) -> None:
        """The updates with these ids (queued first) are handled one at a time, and every
        other update waits until they are."""
        self._alone = set(update_ids)
        if self._alone:
            self._others_may_run.clear()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        if update_id in self._alone:
            async with self._alone_lock:
                try:
                    await self._process(update, coroutine)
                finally:
                    self._alone.discard(update_id)
                    if not self._alone:
                        self._others_may_run.set()
            return
        await self._others_may_run.wait()
        await self._process(update, coroutine)

    async def _process(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Tasks are created in arrival order, PTB's (unbounded) semaphore never suspends them,
        # and asyncio.Lock is FIFO: a user's updates take their lock in arrival order.
        key = ordering_key(update)
        if key is None:
            async with self._slots:
                self._started(update)
                await coroutine
        else:
            entry = self._locks.get(key)
            if entry is None:
                entry = self._locks[key] = [asyncio.Lock(), 0]
            entry[1] += 1
            try:
                async with entry[0], self._slots:
                    self._started(update)
                    await coroutine
            finally:
                entry[1] -= 1
                if entry[1] == 0:
                    self._locks.pop(key, None)
        # Only after a normal end: an update cut off (the application cancelled) stays
        # pending and is handled again after a restart.
        if self._on_done is not None:
            self._on_done(update)

    def _started(self, update: object) -> None:
        if self._on_start is not None:
            self._on_start(update)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
