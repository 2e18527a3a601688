"""The two round trips of an update under its user's lock (bot/telegram/pg_updates.py), against
a real PostgreSQL: the next holder of a user's lock reads what the previous one wrote (the
lock is given back only after the commit), a repeated update id is reported, and the lock is
free after each path."""

from __future__ import annotations

import asyncio
import itertools

import psycopg
import pytest

from bot.telegram import pg_updates
from bot.telegram.pg_persistence import USER_LOCK_SPACE
from tests.support.pgcluster import fresh_database, migrate
from tests.support.stores import require_postgres

pytestmark = pytest.mark.timeout(120)
LOCK = (USER_LOCK_SPACE, 4242)


@pytest.fixture
def database_url() -> str:
    require_postgres()
    url = fresh_database()
    migrate(url)
    return url


async def connect(url: str) -> psycopg.AsyncConnection:
    return await psycopg.AsyncConnection.connect(url, autocommit=True)


async def lock_is_free(url: str) -> bool:
    conn = await connect(url)
    try:
        cursor = await conn.execute("SELECT pg_try_advisory_lock(%s, %s)", LOCK)
        row = await cursor.fetchone()
        assert row is not None
        if row[0]:
            await conn.execute("SELECT pg_advisory_unlock(%s, %s)", LOCK)
        return bool(row[0])
    finally:
        await conn.close()


async def test_each_holder_reads_what_the_previous_one_wrote(database_url):
    # Four connections, as four bot processes, count one user's updates: each reads the
    # count under the lock and writes it plus one. A lock given back before the commit would
    # let a holder read the old count and lose an increment.
    ids = itertools.count(1)
    rounds = 60

    async def worker() -> None:
        conn = await connect(database_url)
        try:
            for _ in range(rounds):
                update_id = next(ids)
                state, data = await pg_updates.begin(conn, LOCK, update_id, True, 4242)
                assert state == "go"
                count = (data or {}).get("count", 0)
                await asyncio.sleep(0)  # let the others queue on the lock
                await pg_updates.finish(conn, LOCK, update_id, 4242, {"count": count + 1})
        finally:
            await conn.close()

    await asyncio.gather(*(worker() for _ in range(4)))
    conn = await connect(database_url)
    try:
        state, data = await pg_updates.begin(conn, LOCK, 10_000, True, 4242)
        assert state == "go" and data == {"count": 4 * rounds}
        await pg_updates.unlock(conn, LOCK)
    finally:
        await conn.close()
    assert await lock_is_free(database_url)


async def test_a_repeated_update_is_reported_and_the_lock_freed(database_url):
    conn = await connect(database_url)
    try:
        state, data = await pg_updates.begin(conn, LOCK, 7, True, 4242)
        assert (state, data) == ("go", None)
        assert not await lock_is_free(database_url)  # held between begin and finish
        await pg_updates.finish(conn, LOCK, 7, 4242, {"step": "telefon"})
        assert await lock_is_free(database_url)
        state, data = await pg_updates.begin(conn, LOCK, 7, True, 4242)
        assert (state, data) == ("handled", {"step": "telefon"})
        await pg_updates.unlock(conn, LOCK)
        assert await lock_is_free(database_url)
        # An empty state deletes the user's row; an update without a user writes no state.
        state, _ = await pg_updates.begin(conn, LOCK, 8, True, 4242)
        await pg_updates.finish(conn, LOCK, 8, 4242, {})
        state, data = await pg_updates.begin(conn, LOCK, 9, True, None)
        assert (state, data) == ("go", None)
        await pg_updates.finish(conn, LOCK, 9, None, None)
        cursor = await conn.execute("SELECT count(*) FROM bot_users")
        assert await cursor.fetchone() == (0,)
        cursor = await conn.execute("SELECT count(*) FROM bot_updates WHERE update_id IN (8, 9)")
        assert await cursor.fetchone() == (2,)
    finally:
        await conn.close()
    assert await lock_is_free(database_url)
