"""Conversation state in PostgreSQL, so that several `kume bot --webhook` processes serve one bot.

A `BasePersistence` (python-telegram-bot's public extension point) over the tables of
bot/leads/pg_schema.py (bot_users, bot_chats, bot_conversations, bot_updates, bot_leases),
through psycopg's async pool. Unlike the JSON persistence it holds no state of its own in
memory: any process may receive a user's next update, so

* `refresh_user_data` / `refresh_chat_data` (PTB calls them before the handlers of each
  update) read that user's and that chat's row afresh;
* the row is written by the update processor (bot/telegram/pg_ordering.py) as soon as the
  update was handled, under the user's advisory lock, together with the update id
  (a repeated update_id is then ignored); PTB's periodic `update_*_data` calls are no-ops,
  because a copy taken by one process must never overwrite a newer state written by another;
* `persist_user_now` writes at once (before a confirmation is sent);
* `drop_*` deletes at once (KVKK erasure of the conversation).

Handled update ids are kept for a day (Telegram redelivers within hours), cleaned by the
periodic jobs.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import time
import weakref
from collections.abc import AsyncIterator, Iterator
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from telegram.ext import BasePersistence, PersistenceInput

from bot.leads.pg_store import dumps
from bot.telegram.pg_updates import DELETE_USER, UPSERT_USER

log = logging.getLogger("kume.bot")

Data = dict[str, Any]
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]

USER_LOCK_SPACE = 7_314_200  # advisory lock (space, user id): one user's read-answer-write
CHAT_LOCK_SPACE = 7_314_201  # (space, chat id) for updates without a user
JOB_LOCK_SPACE = 7_314_300  # (space, hashtext(job)): one run of a periodic job at a time
# A connection given back this recently is not pinged when taken again: a broken one (the
# server restarted just then) fails its update, which the user is told and which is delivered
# again (bot/telegram/pg_ordering.py); the pool drops it.
RECENTLY_USED_S = 0.5


class RecentlyUsed:
    """Connections given back to the pool lately: checked on checkout only when idle longer."""

    def __init__(self) -> None:
        self._when: weakref.WeakKeyDictionary[psycopg.AsyncConnection[Any], float] = (
            weakref.WeakKeyDictionary()
        )

    async def given_back(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self._when[conn] = time.monotonic()

    async def check(self, conn: psycopg.AsyncConnection[Any]) -> None:
        last = self._when.get(conn)
        if last is not None and time.monotonic() - last < RECENTLY_USED_S:
            return
        await AsyncConnectionPool.check_connection(conn)


class PgPersistence(BasePersistence[Data, Data, Data]):
    # Each update's state is written with its handled mark, and an update a killed process
    # was handling is delivered again: nothing to resynchronise after a crash (the file
    # persistence's `recovered`, read by bot/telegram/user/resync.py and shown.py).
    recovered = False

    def __init__(self, url: str, pool_size: int = 40) -> None:
        # PTB's interval flush is not how state is written here (see the module docstring).
        # chat_data is not used by the bot (bot/telegram/user/state.py keeps everything in
        # user_data): not storing it saves a read and a write per update.
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, callback_data=False),
            update_interval=60,
        )
        self.url = url
        self._recently_used = RecentlyUsed()
        self.pool = AsyncConnectionPool(
            url,
            min_size=2,
            max_size=pool_size,
            open=False,
            # A ping per checkout would be a round trip per update; one given back within
            # RECENTLY_USED_S is taken as alive (HikariCP's "alive bypass window").
            check=self._recently_used.check,
            reset=self._recently_used.given_back,
            kwargs={"autocommit": True},
            timeout=5,  # then the user is told to try again (bot/telegram/pg_ordering.py)
            name="kume-state",
        )
        self._opened = False
        # Set by a failed refresh during the update being handled (one per asyncio task).
        self.reads_failed: contextvars.ContextVar[bool] = contextvars.ContextVar(
            "kume_state_reads_failed", default=False
        )
        # The user's state as read with the lock (bot/telegram/pg_updates.py: begin), for the
        # refresh PTB makes next in the same task: one read fewer per update.
        self.prefetched: contextvars.ContextVar[tuple[int, Data | None] | None] = (
            contextvars.ContextVar("kume_state_prefetched", default=None)
        )
        self.held: contextvars.ContextVar[
            tuple[asyncio.Task[Any] | None, psycopg.AsyncConnection[Any]] | None
        ] = contextvars.ContextVar("kume_state_connection", default=None)

    async def open(self) -> None:
        if not self._opened:
            await self.pool.open(wait=False)
            self._opened = True

    async def close(self) -> None:
        if self._opened:
            self._opened = False
            await self.pool.close()

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """A pooled connection; inside the handling of an update, in that update's own task,
        the connection holding its user's lock (one fewer checkout per read or write)."""
        held = self.held.get()
        if held is not None and held[0] is asyncio.current_task() and not held[1].broken:
            yield held[1]
            return
        await self.open()
        async with self.pool.connection() as conn:
            yield conn

    @contextlib.contextmanager
    def holding(self, conn: psycopg.AsyncConnection[Any]) -> Iterator[None]:
        """Marks `conn` as the one the current task's reads and writes use."""
        token = self.held.set((asyncio.current_task(), conn))
        try:
            yield
        finally:
            self.held.reset(token)

    # -- reading ---------------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, Data]:
        return {}  # read per update (refresh_user_data): another process may have changed it

    async def get_chat_data(self) -> dict[int, Data]:
        return {}

    async def get_bot_data(self) -> Data:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self.connection() as conn:
            cursor = await conn.execute(
                "SELECT key, state FROM bot_conversations WHERE name = %s", (name,)
            )
            rows = await cursor.fetchall()
        return {tuple(json.loads(key)): json.loads(state) for key, state in rows}

    async def _read(self, table: str, column: str, key: int) -> Data | None:
        async with self.connection() as conn:
            cursor = await conn.execute(
                f"SELECT data FROM {table} WHERE {column} = %s".encode(),  # our own names
                (key,),
            )
            row = await cursor.fetchone()
        return None if row is None else dict(json.loads(row[0]))

    async def _refresh(self, table: str, column: str, key: int, data: Data) -> None:
        try:
            fresh = await self._read(table, column, key)
        except (psycopg.OperationalError, PoolTimeout):
            # The handlers would run on a stale copy: the update processor must not write it.
            self.reads_failed.set(True)
            raise
        data.clear()
        data.update(fresh or {})

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        prefetched = self.prefetched.get()
        if prefetched is not None and prefetched[0] == user_id:
            self.prefetched.set(None)  # read once: a later refresh reads again
            user_data.clear()
            user_data.update(prefetched[1] or {})
            return
        await self._refresh("bot_users", "user_id", user_id, user_data)

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        await self._refresh("bot_chats", "chat_id", chat_id, chat_data)

    async def refresh_bot_data(self, bot_data: Data) -> None:
        pass

    # -- writing ---------------------------------------------------------------------------

    async def save_user(
        self, user_id: int, data: Data | None, conn: psycopg.AsyncConnection[Any] | None = None
    ) -> None:
        """Writes (or, for None / empty, deletes) one user's state now."""
        async with contextlib.AsyncExitStack() as stack:
            if conn is None:
                conn = await stack.enter_async_context(self.connection())
            params = {"uid": user_id, "data": dumps(data or {})}
            await conn.execute(UPSERT_USER if data else DELETE_USER, params)

    async def save_chat(
        self, chat_id: int, data: Data | None, conn: psycopg.AsyncConnection[Any]
    ) -> None:
        if data:
            await conn.execute(
                "INSERT INTO bot_chats (chat_id, data) VALUES (%s, %s) ON CONFLICT (chat_id)"
                " DO UPDATE SET data = excluded.data",
                (chat_id, dumps(data)),
            )
        else:
            await conn.execute("DELETE FROM bot_chats WHERE chat_id = %s", (chat_id,))

    async def persist_user_now(self, user_id: int, data: Data | None) -> None:
        """Makes one user's state (None: none) durable before returning."""
        await self.save_user(user_id, data)

    async def write_if_dirty(self) -> None:
        pass  # every change is written when its update was handled

    async def update_user_data(self, user_id: int, data: Data) -> None:
        pass  # written by the update processor under the user's lock

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        pass

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        async with self.connection() as conn:
            if new_state is None:
                await conn.execute(
                    "DELETE FROM bot_conversations WHERE name = %s AND key = %s",
                    (name, json.dumps(list(key))),
                )
            else:
                await conn.execute(
                    "INSERT INTO bot_conversations (name, key, state) VALUES (%s, %s, %s)"
                    " ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                    (name, json.dumps(list(key)), json.dumps(new_state)),
                )

    async def update_bot_data(self, data: Data) -> None:
        pass

    async def update_callback_data(self, data: CDCData) -> None:
        pass

    async def drop_user_data(self, user_id: int) -> None:
        await self.save_user(user_id, None)

    async def drop_chat_data(self, chat_id: int) -> None:
        async with self.connection() as conn:
            await self.save_chat(chat_id, None, conn)

    async def flush(self) -> None:
        await self.close()

    # -- handled updates (written with the state: bot/telegram/pg_updates.py) --------------

    async def forget_old_updates(self) -> int:
        async with self.connection() as conn:
            cursor = await conn.execute(
                "DELETE FROM bot_updates WHERE handled_at < now() - interval '1 day'"
            )
            return cursor.rowcount
