"""Faults under several bot processes on one PostgreSQL (issue 12), bounded and waiting on
events, never on the clock:

* one of two `kume bot --webhook` processes killed with SIGKILL while users walk the firm
  path: every confirmation a user saw has its lead, no walk goes back or crosses another
  user's, the other process keeps serving (updates in the dead one are delivered again);
* PostgreSQL stopped and started under a running bot: the user gets a Turkish "try again"
  answer, not silence; the bot reconnects by itself; nothing confirmed is lost.
"""

from __future__ import annotations

import asyncio
import re
import signal

import pytest

from bot.leads.pg_store import PostgresLeadStore
from bot.telegram.pg_ordering import WAIT
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import BotHarness, sent
from tests.support.pgcluster import PgCluster, free_port, fresh_database, migrate
from tests.support.stores import require_postgres
from tests.support.walks import FIRM_ANSWERS, LEAD_NUMBER_RE, firm_walk, open_menu
from tests.support.webhook_feed import WebhookFeed, start_webhook_bot, stop_bot

pytestmark = pytest.mark.timeout(300)


def stored_leads(url: str) -> dict[int, dict]:
    store = PostgresLeadStore(url)
    try:
        return {lead["id"]: lead for lead in store.list()}
    finally:
        store.close()


def confirmations(server: FakeBotApi) -> dict[int, int]:
    """Lead number → the user who saw it confirmed."""
    seen = {}
    for chat_id, messages in server.messages.items():
        for msg in messages:
            match = LEAD_NUMBER_RE.search(msg.text)
            if match and chat_id > 0:
                seen[int(match.group(1))] = chat_id
    return seen


def went_back(server: FakeBotApi, uid: int) -> list[int]:
    """The steps of the walk the user was shown, in order, if they ever went back."""
    patterns = [re.compile(shows) for _, _, shows in FIRM_ANSWERS]
    steps = []
    for msg in server.messages.get(uid, []):
        for i, pattern in enumerate(patterns):
            if pattern.search(msg.text):
                steps.append(i)
                break
    return steps if steps != sorted(steps) else []


async def test_sigkill_of_one_of_two_processes_loses_and_crosses_nothing(tmp_path):
    require_postgres()
    url = fresh_database()
    ports = [free_port(), free_port()]
    users_n = 16
    async with FakeBotApi() as server:
        procs = [
            await start_webhook_bot(server, tmp_path / f"p{i}", url, port)
            for i, port in enumerate(ports)
        ]
        try:
            async with WebhookFeed(server, [f"http://127.0.0.1:{p}/hook" for p in ports]) as feed:
                users = BotHarness(server, factory=lambda: None)
                walks = [
                    asyncio.create_task(
                        firm_walk(users.user(40_000 + k), firm=f"Deneme Kesinti {k}", timeout=90)
                    )
                    for k in range(users_n)
                ]
                # Kill on progress: once a few users saw their confirmation and the others
                # are mid-way.
                await server.wait_until(lambda: len(confirmations(server)) >= 3, timeout=120)
                sends = len(server.calls_of("sendMessage"))
                await server.wait_until(
                    lambda: len(server.calls_of("sendMessage")) >= sends + 5, timeout=60
                )
                in_progress = sum(not w.done() for w in walks)
                procs[0].send_signal(signal.SIGKILL)
                await procs[0].wait()
                results = await asyncio.gather(*walks)  # the other process serves them all
                redelivered = feed.redelivered
                assert feed.failed == 0
        finally:
            await asyncio.gather(*(stop_bot(p) for p in procs[1:]))
    print(
        f"\nSIGKILL of one of two processes: {users_n} walks, {in_progress} in progress at the "
        f"kill, {redelivered} updates delivered again, {len(results)} confirmations"
    )
    assert in_progress >= 3, "the kill hit no walk in progress; the test proves little"
    stored = stored_leads(url)
    seen = confirmations(server)
    for number, uid in seen.items():
        assert number in stored, f"confirmed lead #{number} lost"
        assert stored[number]["user_key"] == f"tg:{uid}"
    for k, result in enumerate(results):
        lead = stored[result.lead_id]
        assert lead["user_key"] == f"tg:{40_000 + k}"
        assert lead["firm"] == f"Deneme Kesinti {k}"  # no answer crossed to another user
        assert not went_back(server, 40_000 + k), went_back(server, 40_000 + k)
    per_user = [lead["user_key"] for lead in stored.values()]
    assert len(per_user) == len(set(per_user)) == users_n  # one lead per walk, no duplicate


async def answer_step(user, i: int, values: dict, timeout: float = 60) -> None:
    template, how, shows = FIRM_ANSWERS[i]
    answer = template.format(**values)
    await (user.press(answer) if how == "press" else user.send(answer))
    await user.expect(sent(regex=shows), timeout=timeout, what=shows)


async def test_postgres_restarted_under_the_bot(tmp_path):
    require_postgres()
    cluster = PgCluster().start()
    try:
        cluster.execute("CREATE DATABASE kume")
        url = cluster.url("kume")
        migrate(url)
        port = free_port()
        values = {"firm": "Deneme Yeniden Ltd.", "province": "Samsun", "needs": "ortak laboratuvar"}
        async with FakeBotApi() as server:
            proc = await start_webhook_bot(server, tmp_path / "p", url, port)
            try:
                async with WebhookFeed(server, [f"http://127.0.0.1:{port}/hook"]):
                    users = BotHarness(server, factory=lambda: None)
                    before = await firm_walk(users.user(41_000), firm="Deneme Önce", timeout=60)
                    user = users.user(41_001)
                    await open_menu(user, timeout=60)
                    for i in range(3):
                        await answer_step(user, i, values)
                    await asyncio.to_thread(cluster.stop)
                    template, how, _ = FIRM_ANSWERS[3]
                    answer = template.format(**values)
                    await (user.press(answer) if how == "press" else user.send(answer))
                    await user.expect(sent(contains=WAIT[:30]), timeout=60, what="the outage")
                    await asyncio.to_thread(cluster.start)
                    # As told, the user waits: the bot reconnects and answers that message.
                    await user.expect(sent(regex=FIRM_ANSWERS[3][2]), timeout=60, what="next")
                    for i in range(4, len(FIRM_ANSWERS) - 1):
                        await answer_step(user, i, values)
                    template, how, _ = FIRM_ANSWERS[-1]
                    await user.press(template)
                    done = await user.expect(sent(regex=LEAD_NUMBER_RE.pattern), timeout=60)
            finally:
                log = await stop_bot(proc)
        number = int(LEAD_NUMBER_RE.search(done.text).group(1))
        stored = stored_leads(url)
        assert stored[before.lead_id]["firm"] == "Deneme Önce", log  # confirmed before: kept
        assert stored[number]["firm"] == "Deneme Yeniden Ltd." and len(stored) == 2
        assert not went_back(server, 41_001)
    finally:
        cluster.destroy()
