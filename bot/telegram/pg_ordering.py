"""One user's updates in order and exactly once across several bot processes, and periodic jobs
that run once across them (PostgreSQL configured).

`SharedUpdateProcessor` extends the in-process `PerUserUpdateProcessor` (same per-user order
and bound inside one process) with a PostgreSQL session advisory lock on the user (or the chat,
for updates without a user) around the whole read-answer-write of the update:

1. take the lock (a second process with an update of the same user waits here) and read the
   user's state under it;
2. skip the update if its update_id was handled already (Telegram redelivered it, maybe to
   another process);
3. if an earlier update of this user was being handled by a process that died (its
   in-flight row is still there), refuse this one for now (`RetryLater`: the webhook answers
   503 and Telegram delivers it again) until the earlier one, delivered again, was handled:
   the user's answers keep their order even across a crash;
4. record the update as in flight, let PTB handle it on the state read in step 1 (PTB's
   refresh_user_data takes it);
5. write the user's state, mark the update_id handled, clear the in-flight row and unlock in
   one transaction (steps 1-4 and step 5 are one round trip each: bot/telegram/pg_updates.py).

A process killed after its reply went out but before step 5 leaves the state as it was: the
update, delivered again, is handled again from there (the user may see that reply twice,
never an answer under the wrong question; lead saves are idempotent on the walk's key).

The lock is a session lock on a pooled autocommit connection, so every write commits at once
(a `persist_user_now` before a confirmation is durable when it returns) and the lock goes
away with the session if the process dies. When the database cannot be reached the user gets
a Turkish line rather than silence (WAIT behind the webhook, where the update is refused with
503 and delivered again; UNAVAILABLE, "write again", when polling), and nothing is written.

`once_across_processes(job, name, min_gap)` wraps a job callback: each process schedules it,
the one that claims the run in bot_leases (last run older than `min_gap`) runs it, under a
try-lock so two runs never overlap.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import psycopg
from psycopg_pool import PoolTimeout
from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram import pg_updates
from bot.telegram.ordering import PerUserUpdateProcessor
from bot.telegram.pg_persistence import (
    CHAT_LOCK_SPACE,
    JOB_LOCK_SPACE,
    USER_LOCK_SPACE,
    PgPersistence,
)
from bot.telegram.runtime import App

log = logging.getLogger("kume.bot")

# The user is told when the database cannot be reached. Behind the webhook the update is
# delivered again and answered once it is back, so the user must not write it again (it would
# count twice); when polling it is dropped, so the user is asked to write again.
WAIT = (
    "⚠️ Şu an kısa bir aksaklık var. Mesajınız alındı ve bağlantı düzelir düzelmez "
    "yanıtlanacak; lütfen biraz bekleyin, yeniden yazmanıza gerek yok."
)
UNAVAILABLE = (
    "⚠️ Şu an kısa bir aksaklık var, mesajınızı işleyemedim. Lütfen birkaç saniye sonra "
    "yeniden yazın."
)
HOLDER = f"{socket.gethostname()}:{os.getpid()}"


class RetryLater(Exception):
    """An earlier update of the same user must be handled first: deliver this one again."""


def _lock_of(update: object) -> tuple[int, int] | None:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return USER_LOCK_SPACE, update.effective_user.id
        if update.effective_chat is not None:
            return CHAT_LOCK_SPACE, update.effective_chat.id
    return None


class SharedUpdateProcessor(PerUserUpdateProcessor):
    def __init__(self, persistence: PgPersistence, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self.persistence = persistence
        self.application: App | None = None  # set by build_application
        self.skipped = 0  # repeated update ids ignored (tests read it)
        # Only behind our webhook is a refused update delivered again (bot/telegram/webhook.py);
        # when polling it would be lost, so there an earlier update is not waited for and a
        # database outage drops the update with a "write again" line.
        self.redeliverable = False
        self._told: set[int] = set()  # update ids whose user was told about an outage

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await super().do_process_update(update, self._shared(update, coroutine))

    async def _shared(self, update: object, coroutine: Awaitable[Any]) -> None:
        lock = _lock_of(update)
        if lock is None or not isinstance(update, Update):
            await coroutine
            return
        ran = False  # the handlers ran on fresh state (the user may have seen replies)
        user = update.effective_user
        uid = user.id if user is not None else None
        try:
            async with self.persistence.connection() as conn:
                released = False
                try:
                    state, data = await pg_updates.begin(
                        conn, lock, update.update_id, self.redeliverable, uid
                    )
                    if state == "handled":
                        self.skipped += 1
                        _close(coroutine)
                        return
                    if state == "earlier":
                        _close(coroutine)
                        raise RetryLater(update.update_id)
                    self.persistence.reads_failed.set(False)
                    if uid is not None:
                        self.persistence.prefetched.set((uid, data))
                    with self.persistence.holding(conn):
                        await coroutine
                    if self.persistence.reads_failed.get():
                        raise psycopg.OperationalError("state could not be read")
                    ran = True
                    # State, "handled", the in-flight row and the lock in one transaction: a
                    # process killed before it leaves none of them, and the update is handled
                    # again from the state before it.
                    written = None
                    unread = self.persistence.prefetched.get()
                    if unread is not None:
                        written = unread[1]  # no handler read the state: it is unchanged
                    elif uid is not None and self.application is not None:
                        written = self.application.user_data.get(uid)
                    await pg_updates.finish(conn, lock, update.update_id, uid, written)
                    released = True
                finally:
                    self.persistence.prefetched.set(None)
                    if not released and not conn.closed and not conn.broken:
                        await pg_updates.unlock(conn, lock)
        except (psycopg.OperationalError, PoolTimeout):
            log.warning("veritabanına ulaşılamadı; güncelleme işlenemedi")
            _close(coroutine)
            if not ran:
                await self._tell_user(update, WAIT if self.redeliverable else UNAVAILABLE)
            if self.redeliverable:
                # Delivered again once the database is back: nothing is dropped, and the
                # user's later messages wait behind it (its in-flight row), so none is taken
                # as the answer to a question the user has not seen.
                raise RetryLater(update.update_id) from None

    async def _tell_user(self, update: Update, text: str) -> None:
        """Never silent: one line per update (not per delivery) in a private chat."""
        chat = update.effective_chat
        if self.application is None or chat is None or chat.type != "private":
            return
        if update.update_id in self._told:
            return
        if len(self._told) > 10_000:
            self._told.clear()
        self._told.add(update.update_id)
        try:
            await self.application.bot.send_message(chat.id, text)
        except Exception as exc:  # the Bot API may fail too; nothing more to do
            log.warning("'yeniden deneyin' iletisi gönderilemedi: %s", type(exc).__name__)


def _close(coroutine: Awaitable[Any]) -> None:
    """An update not handled: its coroutine is closed, never left un-awaited."""
    if isinstance(coroutine, Coroutine):
        coroutine.close()


Job = Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def once_across_processes(
    job: Job, name: str, min_gap: dt.timedelta, persistence: PgPersistence
) -> Job:
    """`job`, run by whichever process claims it first once `min_gap` has passed."""

    async def claimed(context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            async with persistence.connection() as conn:
                cursor = await conn.execute(
                    "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (JOB_LOCK_SPACE, name)
                )
                row = await cursor.fetchone()
                if not row or not row[0]:
                    return  # another process is running it right now
                try:
                    cursor = await conn.execute(
                        "INSERT INTO bot_leases (job, holder, until, last_run)"
                        " VALUES (%(job)s, %(me)s, now(), now()) ON CONFLICT (job) DO UPDATE"
                        " SET holder = %(me)s, last_run = now(), until = now()"
                        " WHERE bot_leases.last_run IS NULL"
                        " OR bot_leases.last_run <= now() - %(gap)s RETURNING job",
                        {"job": name, "me": HOLDER, "gap": min_gap},
                    )
                    if await cursor.fetchone() is None:
                        return  # run recently by another process
                    await job(context)
                finally:
                    if not conn.closed and not conn.broken:
                        await conn.execute(
                            "SELECT pg_advisory_unlock(%s, hashtext(%s))", (JOB_LOCK_SPACE, name)
                        )
        except (psycopg.OperationalError, PoolTimeout):
            log.warning("veritabanına ulaşılamadı; %s işi bu sefer atlandı", name)

    claimed.__name__ = getattr(job, "__name__", name)
    return claimed
