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
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout
from telegram.ext import BasePersistence, PersistenceInput

from bot.leads.pg_store import dumps

log = logging.getLogger("kume.bot")

Data = dict[str, Any]
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]

USER_LOCK_SPACE = 7_314_200  # advisory lock (space, user id): one user's read-answer-write
CHAT_LOCK_SPACE = 7_314_201  # (space, chat id) for updates without a user
JOB_LOCK_SPACE = 7_314_300  # (space, hashtext(job)): one run of a periodic job at a time
# An earlier update of a user left in flight by a dead process is waited for this long; then
# (Telegram gave up on it) the user's later updates go ahead.
INFLIGHT_WAIT = dt.timedelta(seconds=60)


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
        self.pool = AsyncConnectionPool(
            url,
            min_size=2,
            max_size=pool_size,
            open=False,
            check=AsyncConnectionPool.check_connection,
            kwargs={"autocommit": True},
            timeout=5,  # then the user is told to try again (bot/telegram/pg_ordering.py)
            name="kume-state",
        )
        self._opened = False
        # Set by a failed refresh during the update being handled (one per asyncio task).
        self.reads_failed: contextvars.ContextVar[bool] = contextvars.ContextVar(
            "kume_state_reads_failed", default=False
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
            if data:
                await conn.execute(
                    "INSERT INTO bot_users (user_id, data) VALUES (%s, %s) ON CONFLICT (user_id)"
                    " DO UPDATE SET data = excluded.data, updated_at = now()",
                    (user_id, dumps(data)),
                )
            else:
                await conn.execute("DELETE FROM bot_users WHERE user_id = %s", (user_id,))

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

    # -- handled and in-flight updates (bot/telegram/pg_ordering.py) -------------------------

    async def begin_update(
        self, conn: psycopg.AsyncConnection[Any], lock_key: str, update_id: int, wait: bool
    ) -> str:
        """One round trip, under the user's lock: "handled" (a repeated update_id), "earlier"
        (`wait` and an earlier update of this user died in flight less than INFLIGHT_WAIT
        ago: it will come again first), else "go", the update recorded as in flight."""
        cursor = await conn.execute(
            """
            WITH handled AS (
                SELECT EXISTS (SELECT 1 FROM bot_updates WHERE update_id = %(u)s) AS yes
            ), earlier AS (
                SELECT coalesce((
                    SELECT %(wait)s AND update_id < %(u)s AND started_at > now() - %(gap)s
                    FROM bot_inflight WHERE lock_key = %(k)s), false) AS yes
            ), mark AS (
                INSERT INTO bot_inflight (lock_key, update_id)
                SELECT %(k)s, %(u)s
                WHERE NOT (SELECT yes FROM handled) AND NOT (SELECT yes FROM earlier)
                ON CONFLICT (lock_key)
                DO UPDATE SET update_id = excluded.update_id, started_at = now()
            )
            SELECT (SELECT yes FROM handled), (SELECT yes FROM earlier)
            """,
            {"u": update_id, "k": lock_key, "wait": wait, "gap": INFLIGHT_WAIT},
        )
        row = await cursor.fetchone()
        assert row is not None
        return "handled" if row[0] else "earlier" if row[1] else "go"

    async def finish_update(
        self,
        conn: psycopg.AsyncConnection[Any],
        lock_key: str,
        update_id: int,
        user_id: int | None,
        data: Data | None,
    ) -> None:
        """The user's state written (or deleted when empty), the update marked handled and
        its in-flight row cleared: one statement, so all or nothing."""
        params = {"k": lock_key, "u": update_id, "uid": user_id, "data": dumps(data or {})}
        if user_id is None:
            state = "SELECT 1"
        elif data:
            state = (
                "INSERT INTO bot_users (user_id, data) VALUES (%(uid)s, %(data)s)"
                " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, updated_at = now()"
            )
        else:
            state = "DELETE FROM bot_users WHERE user_id = %(uid)s"
        await conn.execute(
            f"WITH state AS ({state}),"  # one of the three literals above
            " handled AS (INSERT INTO bot_updates (update_id) VALUES (%(u)s)"
            " ON CONFLICT DO NOTHING),"
            " cleared AS (DELETE FROM bot_inflight WHERE lock_key = %(k)s)"
            " SELECT 1".encode(),
            params,
        )

    async def forget_old_updates(self) -> int:
        async with self.connection() as conn:
            cursor = await conn.execute(
                "DELETE FROM bot_updates WHERE handled_at < now() - interval '1 day'"
            )
            return cursor.rowcount
