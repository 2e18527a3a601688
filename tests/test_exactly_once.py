"""Exactly once, whatever crashes when: `kume bot` (a process of its own, against the fake
Bot API) kills itself with SIGKILL exactly in the windows of issue 9 (bot/crashpoints.py):
between the lead write and the confirmation, between the confirmation and the state write,
and between the durable confirmed state and the lead write. After each restart the user's
next message, whatever it says, shows their number again: one lead per walk, one staff
announcement per lead, and never the summary or an earlier question again.
"""

from __future__ import annotations

import asyncio
import re
import signal

import pytest

from bot.leads.backend import open_store
from tests.support.bot_process import confirmed_leads, start_bot_process
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import BotHarness, sent
from tests.support.walks import LEAD_NUMBER_RE, firm_walk

pytestmark = pytest.mark.timeout(240)

STAFF_CHAT = -2101
ENV = {"KUME_STAFF_CHATS": f"samsun:{STAFF_CHAT}", "KUME_ANNOUNCE_RETRY_SECONDS": "1"}
QUESTION_RE = re.compile(r"\[\d+/\d+\]")  # a question's progress, "[3/12]"


async def killed_itself(proc: asyncio.subprocess.Process) -> None:
    await asyncio.wait_for(proc.wait(), 60)
    assert proc.returncode == -signal.SIGKILL, proc.returncode


async def number_shown(user, timeout: float = 30) -> int:
    """The number in the next confirmation this user gets after their mark."""
    msg = await user.expect(sent(regex=LEAD_NUMBER_RE.pattern), timeout=timeout, what="a number")
    return int(LEAD_NUMBER_RE.search(msg.text).group(1))


def announcements(server: FakeBotApi, lead_id: int) -> int:
    """Staff-chat messages announcing this lead (its number first: a later lead's may name
    it as a probable duplicate)."""
    firsts = [re.search(r"#(\d+)", m.text) for m in server.messages.get(STAFF_CHAT, [])]
    return sum(1 for found in firsts if found and int(found.group(1)) == lead_id)


async def test_a_confirmed_walk_survives_a_kill_in_every_window(tmp_path):
    """The update being handled when the bot dies is handled again after the restart
    (bot/telegram/inbox.py), so the user needs to write nothing to see their number."""
    data_dir = tmp_path / "data"
    async with FakeBotApi() as server:
        users = BotHarness(server, factory=lambda: None)
        a, b = users.user(21_001), users.user(21_002)

        # 1. Killed between the lead write and the confirmation: A sees no number.
        env = {**ENV, "KUME_TEST_CRASH_AT": "after_lead_write"}
        proc = await start_bot_process(server, data_dir, env)
        await firm_walk(a, firm="Deneme Bir Makina Ltd.", timeout=30, confirm=False)
        confirm_at = len(server.events[a.chat_id])
        await a.press("Evet, doğru")
        await killed_itself(proc)
        assert confirmed_leads(server) == {}
        (lead,) = open_store(data_dir).list()
        assert lead["user_key"] == f"tg:{a.uid}" and lead["announced"] is False

        # 2. The restarted bot finishes A's press: the same number. Then it is killed between
        #    the confirmation and the state write (the staff chat is down, so no announcement
        #    can arrive before the kill).
        server.block_chat(STAFF_CHAT)
        a.mark()
        env = {**ENV, "KUME_TEST_CRASH_AT": "after_confirmation"}
        proc = await start_bot_process(server, data_dir, env)
        assert await number_shown(a) == lead["id"]
        await killed_itself(proc)
        server.unblock_chat(STAFF_CHAT)

        # 3. A's press once more (its handling was cut off again): the same number. Then B's
        #    first save is killed between the durable confirmed state and the lead write.
        a.mark()
        env = {**ENV, "KUME_TEST_CRASH_AT": "before_lead_write:2"}
        proc = await start_bot_process(server, data_dir, env)
        assert await number_shown(a) == lead["id"]
        await firm_walk(b, firm="Deneme İki Gıda A.Ş.", timeout=30, confirm=False)
        await b.press("Evet, doğru")
        await killed_itself(proc)
        assert len(open_store(data_dir).list()) == 1  # B's lead was not written yet

        # 4. No more kills: B's press is finished, A's walk is over.
        b.mark()
        proc = await start_bot_process(server, data_dir, ENV)
        try:
            b_number = await number_shown(b)
            assert b_number != lead["id"]
            await a.send("/menu")
            menu = await a.expect(sent("Ne yapmak"), timeout=30)
            assert not LEAD_NUMBER_RE.search(menu.text)
            await server.wait_until(
                lambda: all(x["announced"] for x in open_store(data_dir).list()),
                timeout=30,
                recheck=0.2,
            )
            stored = {x["id"]: x for x in open_store(data_dir).list()}
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 30)

    assert sorted(stored) == sorted([lead["id"], b_number])
    assert stored[lead["id"]]["firm"] == "Deneme Bir Makina Ltd."
    assert stored[b_number]["firm"] == "Deneme İki Gıda A.Ş."
    assert stored[b_number]["user_key"] == f"tg:{b.uid}"
    assert announcements(server, lead["id"]) == 1 and announcements(server, b_number) == 1
    # After A confirmed the summary: never the summary or a question again, only the number.
    after = [e.text for e in server.events[a.chat_id][confirm_at:] if e.kind == "send"]
    assert not [t for t in after if QUESTION_RE.search(t) or "Bilgiler doğru mu" in t], after
    numbers = {int(m.group(1)) for t in after if (m := LEAD_NUMBER_RE.search(t))}
    assert numbers == {lead["id"]}


async def test_a_state_written_while_the_results_are_sent_keeps_the_confirmed_walk(tmp_path):
    """The interval flush may run while the results are on their way, before the number was
    handed to Telegram. Killed then, the state it wrote is all the restarted bot has: it
    must still hold the confirmed walk, so that the user's next message shows the number
    (the chaos test found a state without it: the number was never shown, and the user's
    second walk made a second lead). The kill is simulated in process, as in
    tests/test_resync.py."""
    import json
    import shutil

    from bot.telegram.runtime import runtime
    from tests.support.harness import running_bot

    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(21_101)
        await firm_walk(user, timeout=30, confirm=False)
        calls = len(h.server.calls_of("sendMessage"))
        h.server.hang_next("sendMessage", 1, seconds=3, chat_id=user.chat_id)
        await user.press("Evet, doğru")
        # The first result message is on its way (held by the server); the lead is stored.
        await h.server.wait_until(lambda: len(h.server.calls_of("sendMessage")) > calls, 30)
        store = runtime(h.app).leads.store
        await h.server.wait_until(lambda: store.find_by_user(f"tg:{user.uid}"), 30, recheck=0.2)
        (lead,) = store.list()
        await h.app.update_persistence()
        await runtime(h.app).persistence.write_if_dirty()
        state = tmp_path / "bot_state.json"
        written = json.loads(state.read_text(encoding="utf-8"))
        assert written["user_data"][str(user.uid)]["q"]["stage"] == "done"
        shutil.copy(state, tmp_path / "while-sending.json")
        assert not confirmed_leads(h.server)  # the number is not out yet

        await h.stop()  # killed: what came later is not on disk
        shutil.copy(tmp_path / "while-sending.json", state)
        (tmp_path / "bot_state.json.journal").unlink(missing_ok=True)
        (tmp_path / "bot_state.json.running").touch()
        await h.start()
        await user.send("teşekkürler")
        assert await number_shown(user) == lead["id"]
        assert len(runtime(h.app).leads.store.list()) == 1
