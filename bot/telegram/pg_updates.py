"""The bookkeeping of one update under its user's lock, in two round trips to PostgreSQL.

`begin` takes the user's session advisory lock and, under it, checks the update id and reads
the user's state; `finish` writes the state with the update's handled mark and gives the lock
back. Each is one pipeline (psycopg's pipeline mode: statements sent together, run by the
server in order, answered together), so an update costs two round trips instead of five
(lock, check, read, write, unlock), on the bot's event loop and in PostgreSQL alike.

Why the order within each pipeline is safe:
* begin: the check and the read are separate statements after the lock, so (READ COMMITTED:
  a snapshot per statement) they see everything the previous holder committed.
* finish: the statements before the pipeline's Sync form one implicit transaction, so a
  session lock released inside it would be free before the state is committed, and the next
  holder could read the old state. The transaction therefore first takes the same key as a
  transaction lock (granted at once: the session holds it), then releases the session lock,
  then writes; the key is free only when the transaction ends, after its commit is visible.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

import psycopg

from bot.leads.pg_store import dumps

Data = dict[str, Any]
State = Literal["handled", "earlier", "go"]

# An earlier update of a user left in flight by a dead process is waited for this long; then
# (Telegram gave up on it) the user's later updates go ahead.
INFLIGHT_WAIT = dt.timedelta(seconds=60)

_CHECK = """
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
"""

# The user's state: written, or deleted when empty (the literal is chosen, never built from
# input); also PgPersistence.save_user's statements.
UPSERT_USER = (
    "INSERT INTO bot_users (user_id, data) VALUES (%(uid)s, %(data)s)"
    " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data, updated_at = now()"
)
DELETE_USER = "DELETE FROM bot_users WHERE user_id = %(uid)s"


def lock_key(lock: tuple[int, int]) -> str:
    return f"{lock[0]}:{lock[1]}"


async def begin(
    conn: psycopg.AsyncConnection[Any],
    lock: tuple[int, int],
    update_id: int,
    wait: bool,
    user_id: int | None,
) -> tuple[State, Data | None]:
    """Waits for the user's lock, then: "handled" (a repeated update_id), "earlier" (`wait`
    and an earlier update of this user died in flight less than INFLIGHT_WAIT ago: it will
    come again first), else "go", the update recorded as in flight; with the user's stored
    state (None: none, or no user)."""
    params = {"u": update_id, "k": lock_key(lock), "wait": wait, "gap": INFLIGHT_WAIT}
    async with conn.pipeline():
        await conn.execute("SELECT pg_advisory_lock(%s, %s)", lock)
        check = await conn.execute(_CHECK, params)
        read = None
        if user_id is not None:
            read = await conn.execute("SELECT data FROM bot_users WHERE user_id = %s", (user_id,))
    row = await check.fetchone()
    assert row is not None
    data = None
    if read is not None:
        found = await read.fetchone()
        data = None if found is None else dict(json.loads(found[0]))
    return ("handled" if row[0] else "earlier" if row[1] else "go"), data


async def finish(
    conn: psycopg.AsyncConnection[Any],
    lock: tuple[int, int],
    update_id: int,
    user_id: int | None,
    data: Data | None,
) -> None:
    """The user's state written (or deleted when empty), the update marked handled, its
    in-flight row cleared and the lock given back: all or nothing, one round trip."""
    params = {"k": lock_key(lock), "u": update_id, "uid": user_id, "data": dumps(data or {})}
    state = "SELECT 1" if user_id is None else UPSERT_USER if data else DELETE_USER
    async with conn.pipeline():
        await conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", lock)
        await conn.execute("SELECT pg_advisory_unlock(%s, %s)", lock)
        await conn.execute(
            f"WITH state AS ({state}),"  # one of the literals above
            " handled AS (INSERT INTO bot_updates (update_id) VALUES (%(u)s)"
            " ON CONFLICT DO NOTHING),"
            " cleared AS (DELETE FROM bot_inflight WHERE lock_key = %(k)s)"
            " SELECT 1".encode(),
            params,
        )


async def unlock(conn: psycopg.AsyncConnection[Any], lock: tuple[int, int]) -> None:
    """The lock given back without writing (a repeated or refused update, or a failure)."""
    await conn.execute("SELECT pg_advisory_unlock(%s, %s)", lock)
