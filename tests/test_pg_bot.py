"""Several `kume bot --webhook` processes on one PostgreSQL serve one bot (issue 12): any process
may get any update, one user's updates are applied in order and exactly once, periodic jobs
run once across processes. Real processes, a real throw-away PostgreSQL
(tests/support/pgcluster.py), the fake Bot API, and Telegram's webhook delivery with a
round-robin balancer (tests/support/webhook_feed.py)."""

from __future__ import annotations

import asyncio
import datetime as dt

import aiohttp
import pytest

from bot.leads.pg_store import PostgresLeadStore
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import BotHarness
from tests.support.pgcluster import free_port, fresh_database
from tests.support.stores import require_postgres
from tests.support.walks import firm_walk
from tests.support.webhook_feed import SECRET, WebhookFeed, start_webhook_bot, stop_bot

pytestmark = pytest.mark.timeout(240)


@pytest.fixture
def database_url() -> str:
    require_postgres()
    return fresh_database()


def leads_of(url: str) -> list[dict]:
    store = PostgresLeadStore(url)
    try:
        return store.list()
    finally:
        store.close()


def raw_update(update_id: int, uid: int, text: str) -> dict:
    chat = {"id": uid, "type": "private", "first_name": "Deneme"}
    sender = {"id": uid, "is_bot": False, "first_name": "Deneme"}
    entities = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": sender, "text": text}
    return {"update_id": update_id, "message": {**message, "entities": entities}}


async def post_repeatedly(server, users, urls, uid: int, update_id: int, times: int) -> int:
    """Posts one update `times` times, to the processes in turn; the bot messages it caused."""
    user = users.user(uid)
    user.mark()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with aiohttp.ClientSession() as session:
        for n in range(times):
            body = raw_update(update_id, uid, "/yardim")
            async with session.post(urls[n % len(urls)], json=body, headers=headers) as response:
                assert response.status == 200
    return len(user.replies())


async def test_two_processes_serve_one_bot_without_crossing(tmp_path, database_url):
    ports = [free_port(), free_port()]
    async with FakeBotApi() as server:
        procs = [
            await start_webhook_bot(server, tmp_path / f"p{i}", database_url, port)
            for i, port in enumerate(ports)
        ]
        urls = [f"http://127.0.0.1:{port}/hook" for port in ports]
        try:
            async with WebhookFeed(server, urls) as feed:
                users = BotHarness(server, factory=lambda: None)
                walks = [
                    firm_walk(users.user(30_000 + k), firm=f"Deneme Kuruş {k} Ltd.", timeout=60)
                    for k in range(6)
                ]
                results = await asyncio.gather(*walks)
                assert feed.failed == 0
                # A repeated update (Telegram delivering it again, here to both processes in
                # turn) is handled once: each 200 comes after the update was handled or skipped.
                once = await post_repeatedly(server, users, urls, 30_100, 900_001, times=3)
                control = await post_repeatedly(server, users, urls, 30_101, 900_002, times=1)
                assert once == control > 0
        finally:
            logs = [await stop_bot(proc) for proc in procs]
    numbers = [r.lead_id for r in results]
    assert len(set(numbers)) == 6, numbers
    stored = {lead["id"]: lead for lead in leads_of(database_url)}
    for k, number in enumerate(numbers):
        lead = stored[number]
        assert lead["user_key"] == f"tg:{30_000 + k}", logs
        assert lead["firm"] == f"Deneme Kuruş {k} Ltd."  # no answer crossed to another user
    assert len(stored) == 6


async def test_a_periodic_job_runs_once_across_processes(database_url):
    from bot.telegram.pg_ordering import once_across_processes
    from bot.telegram.pg_persistence import PgPersistence

    runs: list[str] = []
    started = asyncio.Event()
    release = asyncio.Event()

    async def job(context) -> None:
        runs.append(context)
        started.set()
        await release.wait()

    shares = [PgPersistence(database_url), PgPersistence(database_url)]
    try:
        gap = dt.timedelta(hours=1)
        wrapped = [once_across_processes(job, "deneme", gap, p) for p in shares]
        first = asyncio.create_task(wrapped[0]("a"))
        await started.wait()
        await wrapped[1]("b")  # while "a" runs: skipped
        release.set()
        await first
        await wrapped[1]("c")  # right after: within the gap, skipped
        await wrapped[0]("d")
        assert runs == ["a"]
        other = once_across_processes(job, "deneme", dt.timedelta(0), shares[1])
        await other("e")  # once the gap has passed, the next claim runs it
        assert runs == ["a", "e"]
    finally:
        for p in shares:
            await p.close()
