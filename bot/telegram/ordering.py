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
    ) -> None:
        super().__init__(_UNBOUNDED)
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        # called once an update was handled to its end (bot/telegram/inbox.py)
        self._on_done = on_done
        # key -> [lock, number of updates holding or waiting for it]; removed when idle
        self._locks: dict[Any, list[Any]] = {}

    @property
    def active_keys(self) -> int:
        """Keys with a lock right now (0 when idle: locks do not pile up)."""
        return len(self._locks)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Tasks are created in arrival order, PTB's (unbounded) semaphore never suspends them,
        # and asyncio.Lock is FIFO: a user's updates take their lock in arrival order.
        key = ordering_key(update)
        if key is None:
            async with self._slots:
                await coroutine
        else:
            entry = self._locks.get(key)
            if entry is None:
                entry = self._locks[key] = [asyncio.Lock(), 0]
            entry[1] += 1
            try:
                async with entry[0], self._slots:
                    await coroutine
            finally:
                entry[1] -= 1
                if entry[1] == 0:
                    self._locks.pop(key, None)
        # Only after a normal end: an update cut off (the application cancelled) stays
        # pending and is handled again after a restart.
        if self._on_done is not None:
            self._on_done(update)

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
