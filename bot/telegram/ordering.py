"""Concurrent update processing that keeps each user's updates in order.

`Application.concurrent_updates(True)` runs every update as soon as it arrives, so two quick
answers of the same user can overtake each other and ConversationHandler state gets mixed up.
`PerUserUpdateProcessor` runs different users concurrently (bounded) but one user's updates
strictly one after another, in arrival order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


def ordering_key(update: object) -> Any:
    """The user (or else the chat) an update belongs to; None for updates with neither."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return ("u", update.effective_user.id)
        if update.effective_chat is not None:
            return ("c", update.effective_chat.id)
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        # key -> [lock, number of updates holding or waiting for it]; removed when idle
        self._locks: dict[Any, list[Any]] = {}

    @property
    def active_keys(self) -> int:
        """Keys with a lock right now (0 when idle: locks do not pile up)."""
        return len(self._locks)

    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        # Take the per-user lock before a concurrency slot, so one user flooding the bot
        # waits on their own lock instead of filling every slot. Tasks are created in arrival
        # order and asyncio.Lock is FIFO, so a user's updates run in that order.
        key = ordering_key(update)
        if key is None:
            await super().process_update(update, coroutine)
            return
        entry = self._locks.get(key)
        if entry is None:
            entry = self._locks[key] = [asyncio.Lock(), 0]
        entry[1] += 1
        try:
            async with entry[0]:
                await super().process_update(update, coroutine)
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._locks.pop(key, None)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await coroutine

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
