"""Staff dialogues that span two messages across two `kume bot --webhook` processes on one
PostgreSQL (issue 12): the note button pressed in one process and the note typed to the other,
a KVKK erasure asked in one and confirmed in the other, and a process killed right after it
stored the note or erased the lead (crash points), its update delivered again to the other.
Each time: the note is on the lead once, the lead erased once with one audit entry, and the
staff member gets the answer. Real processes, a throw-away PostgreSQL
(tests/support/pgcluster.py), the fake Bot API and the round-robin webhook feed, whose
`pinned` chooses the process of each message (tests/support/webhook_feed.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest

from bot.leads.pg_store import PostgresLeadStore
from bot.telegram.staff.access import REFUSAL
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import BotHarness
from tests.support.leads import make_lead
from tests.support.pgcluster import free_port, fresh_database
from tests.support.stores import require_postgres
from tests.support.webhook_feed import WebhookFeed, start_webhook_bot, stop_bot

pytestmark = pytest.mark.timeout(240)

STAFF, CORUM_CHAT = 111, -1001
ENV = {"KUME_STAFF": f"corum:{STAFF}", "KUME_STAFF_CHATS": f"corum:{CORUM_CHAT}"}
NOTE = "Firma arandı, ortak fuar katılımıyla ilgileniyor."
REASON = "ilgili kişinin silme başvurusu"


@pytest.fixture
def database_url() -> str:
    require_postgres()
    return fresh_database()


@contextlib.contextmanager
def lead_store(url: str):
    store = PostgresLeadStore(url)
    try:
        yield store
    finally:
        store.close()


def corum_leads(url: str, count: int) -> list[int]:
    with lead_store(url) as store:
        return [store.add(make_lead(n, province="Çorum", centre="corum")) for n in range(count)]


@contextlib.asynccontextmanager
async def bots(
    tmp_path, url: str, crash_at: tuple[str, str] = ("", "")
) -> AsyncIterator[tuple[WebhookFeed, BotHarness, list]]:
    """Two webhook processes A and B (`crash_at`: KUME_TEST_CRASH_AT of each) behind the
    feed; the harness only scripts users (the bots are the processes)."""
    ports = [free_port(), free_port()]
    async with FakeBotApi() as server:
        procs = [
            await start_webhook_bot(
                server, tmp_path / f"p{i}", url, port, {**ENV, "KUME_TEST_CRASH_AT": crash}
            )
            for i, (port, crash) in enumerate(zip(ports, crash_at, strict=True))
        ]
        try:
            async with WebhookFeed(server, [f"http://127.0.0.1:{p}/hook" for p in ports]) as feed:
                yield feed, BotHarness(server, factory=lambda: None), procs
        finally:
            for proc in procs:
                await stop_bot(proc)


async def ask_note(feed: WebhookFeed, h: BotHarness, lead_id: int, url: str) -> None:
    """/lead N and its note button, both to the process at `url`."""
    staff = h.user(STAFF)
    feed.pinned = url
    await staff.send(f"/lead {lead_id}")
    card = await staff.expect_text(contains=f"#{lead_id}", timeout=30)
    await staff.press("Not ekle", message=card)
    await staff.expect_text(contains="notunuzu yazın", timeout=30)


def refusals(h: BotHarness) -> int:
    return sum(c.params.get("text") == REFUSAL for c in h.server.calls_of("answerCallbackQuery"))


async def test_a_note_and_an_erasure_span_two_processes(tmp_path, database_url):
    noted, erased = corum_leads(database_url, 2)
    async with bots(tmp_path, database_url) as (feed, h, _procs):
        a, b = feed.urls
        staff = h.user(STAFF)
        await ask_note(feed, h, noted, a)
        feed.pinned = b
        await staff.send(NOTE)
        await staff.expect_text(contains=f"#{noted} için not eklendi", timeout=30)
        note_update = feed.bodies[-1]
        # Telegram repeating that update, to A: handled once (skipped by its update id)
        staff.mark()
        assert await feed.post(a, note_update) == 200
        await staff.expect_silence(0.3)  # (a 200 comes once the update was handled)

        feed.pinned = a
        await staff.send(f"/kvkksil {erased} {REASON}")
        confirm = await staff.expect_text(contains="kalıcı olarak silinsin mi", timeout=30)
        yes = confirm.inline_buttons[0]["callback_data"]
        feed.pinned = b
        await staff.press_data(yes, message=confirm)
        await staff.expect_text(contains=f"#{erased} kalıcı olarak silindi", timeout=30)
        # pressed again, now in A: nothing waits any more
        before = refusals(h)
        feed.pinned = a
        await staff.press_data(yes, message=confirm)
        await h.server.wait_until(lambda: refusals(h) > before, timeout=30)
        assert feed.failed == 0
    with lead_store(database_url) as store:
        assert [(n["text"], n["by"]) for n in store.get(noted)["notes"]] == [(NOTE, f"tg:{STAFF}")]
        assert [lead["id"] for lead in store.list()] == [noted]
        (entry,) = store.audit_log()
        assert (entry["lead_id"], entry["action"], entry["reason"]) == (erased, "delete", REASON)


async def test_a_process_killed_mid_dialogue_leaves_it_to_the_other(tmp_path, database_url):
    """A kills itself right after it stored the note (and, started again, right after it
    erased the lead), before it answered or wrote the state: the balancer gives the update
    to B, which reads the step still waiting and finishes it without a second note, erasure
    or audit entry."""
    noted, erased = corum_leads(database_url, 2)
    crash = ("after_note_write", "")
    async with bots(tmp_path, database_url, crash) as (feed, h, procs):
        a, b = feed.urls
        staff = h.user(STAFF)
        await ask_note(feed, h, noted, b)
        feed.pinned = a
        await staff.send(NOTE)
        await staff.expect_text(contains=f"#{noted} için not eklendi", timeout=60)
        assert await asyncio.wait_for(procs[0].wait(), 30) == -9  # A died at the crash point

        # A again, still armed: this time it dies right after the erasure
        port = urlsplit(a).port
        assert port is not None
        armed = {**ENV, "KUME_TEST_CRASH_AT": "after_erase_write"}
        procs[0] = await start_webhook_bot(h.server, tmp_path / "p0", database_url, port, armed)
        feed.pinned = b
        await staff.send(f"/kvkksil {erased} {REASON}")
        confirm = await staff.expect_text(contains="kalıcı olarak silinsin mi", timeout=30)
        feed.pinned = a
        await staff.press_data(confirm.inline_buttons[0]["callback_data"], message=confirm)
        await staff.expect_text(contains=f"#{erased} kalıcı olarak silindi", timeout=60)
        assert await asyncio.wait_for(procs[0].wait(), 30) == -9  # so B gave that answer
    with lead_store(database_url) as store:
        assert [n["text"] for n in store.get(noted)["notes"]] == [NOTE]
        assert [lead["id"] for lead in store.list()] == [noted]
        assert [e["lead_id"] for e in store.audit_log()] == [erased]
