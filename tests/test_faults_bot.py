"""Faults around the real bot: Telegram misbehaving (429 bursts, 5xx, time-outs, the staff
chat answering 403), the bot process killed with SIGKILL while users finish the firm
questionnaire, the bot and two `kume leads status` processes writing the same store, hostile
free text through every text question, and non-staff users trying every staff tool.

Scripted users talk to the real Application through the fake Bot API server (tests/support);
the SIGKILL test runs `kume bot` as a separate process against the same fake server.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import random
import re
import signal
import sys
from pathlib import Path

import pytest

from bot.cli.main import main as kume
from bot.leads.backend import open_store
from bot.leads.record import new_lead
from bot.telegram.runtime import runtime
from tests.support.bot_process import confirmed_leads, start_bot_process
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import running_bot
from tests.support.walks import FIRM_ANSWERS, LEAD_NUMBER_RE, firm_walk, open_menu, sent

pytestmark = pytest.mark.timeout(120)

ROOT = Path(__file__).resolve().parent.parent
SUPPORT = ROOT / "tests" / "support"
STAFF_CHAT_SAMSUN = -2001
STAFF_CHAT_CORUM = -2002
STAFF_SAMSUN = 5001
STAFF_CORUM = 5002
ENV = {
    "KUME_STAFF_CHATS": f"samsun:{STAFF_CHAT_SAMSUN};corum:{STAFF_CHAT_CORUM}",
    "KUME_STAFF": f"samsun:{STAFF_SAMSUN};corum:{STAFF_CORUM}",
}


def run_kume(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = kume(argv)
    return code, out.getvalue(), err.getvalue()


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)


def detail_command() -> str:
    """The staff command showing one lead (its name belongs to the staff module)."""
    from bot.telegram.staff import commands as staff

    return next(name for name, fn in staff.STAFF_COMMANDS.items() if fn is staff.cmd_lead)


def store_of(h):
    return runtime(h.app).leads.store


# --------------------------------------------------------------------------- Telegram faults


async def test_walk_through_429_bursts_stores_the_lead(tmp_path):
    """Bursts of 429 as long as the rate limiter's retry budget (3) at the start, in the middle
    and on the confirmation: every reply arrives, the lead is stored and announced."""
    from bot.telegram.app import RATE_LIMIT_RETRIES

    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3001)

        async def burst(i: int) -> None:
            if i in (0, 6, 11):
                h.server.fail_next("sendMessage", RATE_LIMIT_RETRIES, status=429, retry_after=1)

        result = await firm_walk(user, timeout=30, on_answer=burst)
        (lead,) = store_of(h).find_by_user("tg:3001")
        assert lead["id"] == result.lead_id
        statuses = [c.status for c in h.server.calls_of("sendMessage")]
        assert statuses.count(429) == 3 * RATE_LIMIT_RETRIES  # the bursts really happened
        await h.wait_for_message(STAFF_CHAT_SAMSUN, f"#{lead['id']}", timeout=10)
        await h.server.wait_until(lambda: store_of(h).get(lead["id"])["announced"], 10, recheck=0.2)


async def test_429_burst_longer_than_the_retry_budget_loses_no_lead(tmp_path):
    """A longer burst makes the rate limiter give up on one reply: the lead is stored all
    the same and the user's next message is answered."""
    from bot.telegram.app import RATE_LIMIT_RETRIES

    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3002)

        async def burst(i: int) -> None:
            if i == len(FIRM_ANSWERS) - 1:  # the summary's confirmation
                h.server.fail_next("*", RATE_LIMIT_RETRIES + 3, status=429, retry_after=1)

        with contextlib.suppress(AssertionError):  # the confirmation may be the lost reply
            await firm_walk(user, timeout=15, on_answer=burst)
        await h.server.wait_until(
            lambda: store_of(h).find_by_user("tg:3002"), timeout=15, recheck=0.2
        )
        h.server.clear_faults()
        await user.send("/verilerim")
        await user.expect(sent("Deneme Makina"), timeout=10)
        assert len(store_of(h).find_by_user("tg:3002")) == 1


async def test_5xx_and_timeout_on_the_confirmation_lose_no_lead(tmp_path):
    env = {**ENV, "KUME_HTTP_TIMEOUT": "1"}
    async with running_bot(tmp_path, env=env) as h:
        for uid, fault in ((3101, "5xx"), (3102, "timeout")):
            user = h.user(uid)
            await open_menu(user)
            values = ("Deneme Gıda A.Ş.", "Samsun", "mobilya")
            await user.press("Firmamın ihtiyaçları")
            for i, value in enumerate(values, start=2):
                await user.expect(sent(regex=rf"\[{i - 1}/\d+\]"))
                await user.send(value)
            await user.expect(sent(regex=r"\[4/\d+\]"))
            await user.press("10–49 çalışan")
            await user.expect(sent(regex=r"\[5/\d+\]"))
            await user.press("Firma / işletme")
            await user.expect(sent(regex=r"\[6/\d+\]"))
            await user.send("ortak test laboratuvarı")
            await user.expect(sent("Kişisel verilerin korunması"))
            await user.press("Okudum")
            await user.expect(sent("Açık rıza"))
            await user.press("Onaylıyorum")
            await user.expect(sent("adı ve soyadı"))
            await user.send("Ayşe Deneme")
            await user.expect(sent("Telefon"))
            await user.send("0532 123 45 67")
            await user.expect(sent("E-posta"))
            await user.send("geç")
            await user.expect(sent("Yanıtlarınız"))
            # Telegram fails every message of the next few calls: the confirmation is lost.
            if fault == "5xx":
                h.server.fail_next("*", 3, status=502)
            else:
                h.server.hang_next("*", 3, seconds=2.5)
            await user.press("Evet, doğru")
            await h.server.wait_until(
                lambda u=uid: store_of(h).find_by_user(f"tg:{u}"), 10, recheck=0.2
            )
            await asyncio.sleep(3)  # let the failing calls play out
            h.server.clear_faults()
            (lead,) = store_of(h).find_by_user(f"tg:{uid}")
            # The user still gets answers, and can see the stored lead.
            await user.send("/verilerim")
            data = await user.expect(sent("Deneme Gıda"), timeout=10)
            assert "+905321234567" in data.text
            assert len(store_of(h).find_by_user(f"tg:{uid}")) == 1, "stored twice"
            assert lead["centre"] == "samsun"


async def test_staff_chat_403_is_surfaced_then_retried_until_delivered(tmp_path):
    env = {**ENV, "KUME_ANNOUNCE_RETRY_SECONDS": "1"}
    async with running_bot(tmp_path, env=env) as h:
        h.server.block_chat(STAFF_CHAT_SAMSUN)
        user = h.user(3201)
        result = await firm_walk(user, timeout=20)
        lead_id = result.lead_id
        store = store_of(h)
        await h.server.wait_until(
            lambda: store.get(lead_id)["announce_attempts"] >= 2, 15, recheck=0.2
        )
        assert store.get(lead_id)["announced"] is False

        # Surfaced to staff: `kume leads list` and `kume durum` on the command line...
        data_dir = str(store.path.parent)
        code, out, _ = run_kume(["leads", "list", "--data-dir", data_dir, "--undelivered"])
        assert code == 0 and f"#{lead_id}" in out and "merkeze bildirilmedi" in out
        code, out, _ = run_kume(["durum", "--data-dir", data_dir, "--json"])
        assert code == 0 and json.loads(out)["undelivered"] == 1
        # ...and /durum in Telegram for an admin-less staff member of the centre.
        staff = h.user(STAFF_SAMSUN)
        await staff.send("/durum")
        status = await staff.expect(sent("bildirilmemiş"), timeout=10)
        assert "1" in status.text

        # Telegram lets the bot back in: the retry job delivers it, once.
        h.server.unblock_chat(STAFF_CHAT_SAMSUN)
        await h.wait_for_message(STAFF_CHAT_SAMSUN, f"#{lead_id}", timeout=15)
        await h.server.wait_until(lambda: store.get(lead_id)["announced"], timeout=10, recheck=0.2)
        await asyncio.sleep(2.5)  # two more retry periods: no second announcement
        announcements = [m for m in h.chat_messages(STAFF_CHAT_SAMSUN) if f"#{lead_id}" in m.text]
        assert len(announcements) == 1
        code, out, _ = run_kume(["leads", "list", "--data-dir", data_dir, "--undelivered"])
        assert f"#{lead_id}" not in out


# --------------------------------------------------------------------------- non-staff


# Arguments tried with every staff command (the names come from the staff module).
STAFF_ARGS = ["", " 1", " #1", " samsun yeni", " samsun", " 1 corum", " 1 kumeye_katildi"]


def forged_callbacks(lead_id: int) -> list[str]:
    data = [f"st:{lead_id}:{code}" for code in "yikn"]
    data += [f"nt:{lead_id}", f"st:{lead_id}:x", f"st:{lead_id}", "st:", "nt:", f"st:-{lead_id}:k"]
    data += [f"st:{lead_id}:k:extra", "st:99999:k", f"nt:{lead_id}:<b>", "st:1e3:k"]
    return data


async def test_non_staff_can_neither_see_nor_change_anything(tmp_path):
    from bot.telegram.staff import access
    from bot.telegram.staff import commands as staff_module

    commands = [*sorted(staff_module.STAFF_COMMANDS), "iptal"]
    lines = [f"/{c}{a}" for c in commands for a in STAFF_ARGS]
    detail = detail_command()
    async with running_bot(tmp_path, env=ENV) as h:
        store = store_of(h)
        lead_id = store.add(
            new_lead(
                source="test",
                user_key="tg:9999",
                consent={"version": "test", "at": "2026-11-25T06:00:00+00:00"},
                firm="Gizli Deneme Makina Ltd.",
                contact_name="Ayşe Deneme",
                phone="+905321234567",
                centre="samsun",
            )
        )
        # The announcement in the staff chat is the message forged buttons are pressed on
        # (the details themselves are shown in private chats only, issue 10).
        from bot.telegram.runtime import runtime
        from bot.telegram.staff.announce import announce_lead

        await announce_lead(runtime(h.app), h.app.bot, store.get(lead_id))
        staff_message = await h.wait_for_message(STAFF_CHAT_SAMSUN, f"#{lead_id}")
        before = store.get(lead_id)
        # An outsider, in a private chat and inside the centre's staff group; and the staff
        # of another centre, who must not touch Samsun's lead.
        outsiders = [h.user(4001), h.user(4002).in_chat(STAFF_CHAT_SAMSUN), h.user(STAFF_CORUM)]
        for user in outsiders:
            for line in lines:
                await user.send(line)
                await h.wait_idle(timeout=10)
            await user.send("Bu bir not denemesidir")  # would be a note if one were pending
            await h.wait_idle(timeout=10)
        # Forged buttons, on a message of the staff chat and on the user's own messages.
        staff = h.user(STAFF_SAMSUN)  # /lead answers in a private chat only (issue 11)
        for user in outsiders:
            for data in forged_callbacks(lead_id):
                await user.press_data(data, message=staff_message)
                await h.wait_idle(timeout=10)
            await user.send(f"/{detail} {lead_id}")  # after an "nt:" press, too
            await h.wait_idle(timeout=10)
            await user.send("Bu bir not denemesidir")
            await h.wait_idle(timeout=10)

        after = store.get(lead_id)
        assert after == before, "a non-staff user changed the lead"
        refusals = [m for m in h.server.messages[4001] if m.text == access.REFUSAL]
        assert len(refusals) >= len(commands), "the staff commands were not even tried"
        for user in outsiders:
            for msg in user.server.messages.get(user.chat_id, []):
                if user.chat_id == STAFF_CHAT_SAMSUN and msg is staff_message:
                    continue
                assert "Gizli Deneme" not in msg.text, msg.text
                assert "+905321234567" not in msg.text and "5321234567" not in msg.text
                if msg.document is not None and msg.document.get("photo"):
                    # the /durum chart (counts only) goes to staff alone
                    assert user.uid == STAFF_CORUM, "a chart reached a non-staff user"
                elif msg.document is not None:
                    # Çorum's staff may export Çorum's leads; nobody else gets a file.
                    assert user.uid == STAFF_CORUM, "an export reached a non-staff user"
                    assert "Gizli Deneme" not in xlsx_text(msg.document["content"])
        answers = [
            c
            for c in h.server.calls_of("answerCallbackQuery")
            if str(c.params.get("text", "")) not in ("", access.REFUSAL)
        ]
        assert not answers, [c.params for c in answers]
        # Control: the real staff member can change it, so the refusals above meant something.
        await staff.press_data(f"st:{lead_id}:i", message=staff_message)
        await h.server.wait_until(
            lambda: store.get(lead_id)["status"] == "iletisime_gecildi", timeout=10
        )


# --------------------------------------------------------------------------- SIGKILL


@pytest.mark.timeout(240)
async def test_sigkill_of_the_bot_process_loses_no_confirmed_lead(tmp_path):
    """`kume bot` is killed with SIGKILL at random moments while scripted users finish the
    firm questionnaire; after each kill the store opens and holds every lead whose
    confirmation (with its number) a user saw."""
    from tests.support.harness import BotHarness

    data_dir = tmp_path / "data"
    rng = random.Random(1125)
    rounds, users_per_round = 8, 4
    interrupted = 0
    async with FakeBotApi() as server:
        users = BotHarness(server, factory=lambda: None)
        for round_no in range(rounds):
            proc = await start_bot_process(server, data_dir, ENV)
            walks = [
                asyncio.create_task(firm_walk(users.user(10_000 + round_no * 100 + k), timeout=30))
                for k in range(users_per_round)
            ]
            # Kill on progress, not on the clock, so it lands where wanted on a fast machine and
            # a slow one alike: half the rounds a few bot messages after the round's first
            # confirmation (confirmed leads must survive, other walks are mid-way), the other
            # half early in the walks.
            sent = len(server.calls_of("sendMessage"))
            confirmed_before = len(confirmed_leads(server))
            after_confirmation = round_no % 2 == 0
            extra = rng.randint(0, 6) if after_confirmation else rng.randint(5, 30)
            try:
                try:
                    if after_confirmation:
                        await server.wait_until(
                            lambda n=confirmed_before: len(confirmed_leads(server)) > n,
                            timeout=30,
                        )
                        sent = len(server.calls_of("sendMessage"))
                    await server.wait_until(
                        lambda n=sent + extra: len(server.calls_of("sendMessage")) >= n,
                        timeout=15,
                    )
                except TimeoutError:
                    pass  # every walk ended: the round still checks the store
                interrupted += sum(not walk.done() for walk in walks)
            finally:
                proc.send_signal(signal.SIGKILL)
                await proc.wait()
            for walk in walks:
                walk.cancel()
            await asyncio.gather(*walks, return_exceptions=True)

            store = open_store(data_dir)
            stored = {lead["id"]: lead for lead in store.list()}  # opens: the file is whole
            for lead_id, uid in confirmed_leads(server).items():
                assert lead_id in stored, f"round {round_no}: confirmed lead #{lead_id} lost"
                assert stored[lead_id]["user_key"] == f"tg:{uid}"
        confirmed = confirmed_leads(server)
        assert len(confirmed) >= 3, "too few walks finished; the test proves little"
        assert interrupted >= 3, "the kills never hit a walk in progress"
        # The last bot process can still take leads after all those kills.
        proc = await start_bot_process(server, data_dir, ENV)
        try:
            result = await firm_walk(users.user(19_999), timeout=30)
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), 30)
        assert open_store(data_dir).get(result.lead_id)["user_key"] == "tg:19999"


# --------------------------------------------------------------------------- shared store


@pytest.mark.timeout(180)
async def test_bot_and_two_status_clis_share_the_store_without_losses(tmp_path):
    """For several seconds the bot (users finishing walks, a staff member adding notes and
    pressing status buttons on the lead's card in a private chat) and two `kume leads
    status` processes write the same file."""
    seconds = 6.0
    async with running_bot(tmp_path, env=ENV) as h:
        store = store_of(h)
        targets = [
            store.add(
                new_lead(
                    source="test",
                    user_key=f"test:{i}",
                    consent=None,
                    firm=f"Deneme Ortak {i} Ltd.",
                    centre="samsun",
                )
            )
            for i in range(3)
        ]
        data_dir = store.path.parent
        clis = {
            by: await asyncio.create_subprocess_exec(
                sys.executable,
                str(SUPPORT / "cli_status_loop.py"),
                str(data_dir),
                by,
                str(seconds),
                *map(str, targets),
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                cwd=ROOT,
            )
            for by in ("Personel A", "Personel B")
        }
        staff = h.user(STAFF_SAMSUN)  # /lead answers in a private chat only (issue 11)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        notes_sent: dict[int, list[str]] = {t: [] for t in targets}

        async def staff_work() -> None:
            k = 0
            while loop.time() < deadline:
                lead_id = targets[k % len(targets)]
                await staff.send(f"/{detail_command()} {lead_id}")
                card = await staff.expect(sent(f"#{lead_id}"), timeout=20)
                answered = len(h.server.calls_of("answerCallbackQuery"))
                await staff.press_data(f"st:{lead_id}:{'ikny'[k % 4]}", message=card)
                await h.server.wait_until(
                    lambda n=answered: len(h.server.calls_of("answerCallbackQuery")) > n, 20
                )
                await staff.press_data(f"nt:{lead_id}", message=card)
                await staff.expect(sent("notunuzu yazın"), timeout=20)
                text = f"Deneme notu {k}"
                await staff.send(text)
                await staff.expect(sent("not eklendi"), timeout=20)
                notes_sent[lead_id].append(text)
                k += 1

        async def user_work() -> list[int]:
            ids, k = [], 0
            while loop.time() < deadline:
                result = await firm_walk(h.user(6000 + k), timeout=30)
                ids.append(result.lead_id)
                k += 1
            return ids

        _, walked = await asyncio.gather(staff_work(), user_work())
        outputs = {}
        for by, proc in clis.items():
            out, err = await asyncio.wait_for(proc.communicate(), 90)
            assert proc.returncode == 0, err.decode()
            lines = out.decode().splitlines()
            assert lines and lines[-1] == "done"
            outputs[by] = lines[:-1]
        await h.wait_idle(timeout=20)

        json.loads(store.path.read_text(encoding="utf-8"))  # the file is whole
        fresh = open_store(data_dir)
        assert not [line for lines in outputs.values() for line in lines if line[0] == "E"]
        for by, lines in outputs.items():
            changes = [line.split() for line in lines if line.startswith("C ")]
            assert changes, f"{by} changed nothing"
            for lead_id in targets:
                expected = [status for _, i, status in changes if int(i) == lead_id]
                history = fresh.get(lead_id)["history"]
                assert [e["status"] for e in history if e["by"] == by] == expected, by
        for lead_id, texts in notes_sent.items():
            notes = [n["text"] for n in fresh.get(lead_id)["notes"]]
            assert notes == texts, f"#{lead_id}: staff notes lost or reordered"
        assert sum(map(len, notes_sent.values())) >= 2
        assert walked, "no user finished a walk meanwhile"
        for lead_id in walked:
            assert fresh.get(lead_id)["centre"] == "samsun"
        await h.server.wait_until(
            lambda: all(fresh.get(i)["announced"] for i in walked), 20, recheck=0.2
        )


# --------------------------------------------------------------------------- hostile text


class _Collect(logging.Handler):
    """Keeps the bot's ERROR records: an unhandled exception in a handler is a crash even
    when the error handler keeps the bot running."""

    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class BotInThread:
    """A running bot (fake server + real Application) on an event loop in its own thread,
    so that synchronous hypothesis tests can drive it example by example."""

    def __init__(self, data_dir: Path) -> None:
        import threading

        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._cm = running_bot(data_dir, env=ENV)
        self.h = self.run(self._cm.__aenter__())
        self.errors: list[logging.LogRecord] = []
        self._handler = _Collect(self.errors)
        logging.getLogger("kume").addHandler(self._handler)

    def run(self, coro, timeout: float = 60):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        logging.getLogger("kume").removeHandler(self._handler)
        try:
            self.run(self._cm.__aexit__(None, None, None))
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


@pytest.fixture(scope="module")
def bot_thread(tmp_path_factory):
    bot = BotInThread(tmp_path_factory.mktemp("fuzzbot") / "data")
    yield bot
    bot.close()


# The firm walk: (marker of the question, valid answer, typed?). Typed questions get the
# hostile text first; when the bot re-asks, the valid answer follows.
FUZZ_WALK = [
    (r"\[1/\d+\]", "Deneme Makina Ltd.", True),
    (r"\[2/\d+\]", "Samsun", True),
    (r"\[3/\d+\]", "mobilya", True),
    (r"\[4/\d+\]", "10–49 çalışan", False),
    (r"\[5/\d+\]", "Firma / işletme", False),
    (r"\[6/\d+\]", "ortak test laboratuvarı", True),
    ("Kişisel verilerin korunması", "Okudum", False),
    ("Açık rıza", "Onaylıyorum", False),
    ("adı ve soyadı", "Ayşe Deneme", True),
    ("Telefon", "0532 123 45 67", True),
    ("E-posta", "geç", True),
    ("Yanıtlarınız", "Evet, doğru", False),
]


async def hostile_walk(h, uid: int, text: str) -> None:
    """Hostile text at the menu and at every typed question of the firm path, then (if the
    bot took it) on to the end: the bot must answer each message with well-formed HTML."""
    user = h.user(uid)
    calls_before = len(h.server.calls)
    await open_menu(user)
    await user.send(text)  # free text outside any questionnaire: FAQ / matcher
    await user.expect(sent(), timeout=15, what="an answer to free text")
    await h.wait_idle(timeout=15)
    await user.send("/menu")
    await user.expect(sent("Ne yapmak"), timeout=15)
    await user.press("Firmamın ihtiyaçları")
    for i, (marker, valid, typed) in enumerate(FUZZ_WALK):
        await user.expect(sent(regex=marker), timeout=15, what=marker)
        await h.wait_idle(timeout=15)
        following = FUZZ_WALK[i + 1][0] if i + 1 < len(FUZZ_WALK) else LEAD_NUMBER_RE.pattern
        if typed:
            await user.send(text)
            # the next question, or a re-ask (a share question's answer comes with a short
            # "✔️ İl: …" line first, which closes its keyboard)
            reply = await user.expect(
                sent(regex=f"(?:{following})|⚠️"), timeout=15, what="an answer to hostile text"
            )
            if re.search(following, reply.text):
                continue  # accepted: the walk goes on with the hostile value
            await h.wait_idle(timeout=15)
        if valid in ("10–49 çalışan", "Firma / işletme", "Okudum", "Onaylıyorum", "Evet, doğru"):
            await user.press(valid)
        else:
            await user.send(valid)
    await user.expect(sent(regex=LEAD_NUMBER_RE.pattern), timeout=15, what="the confirmation")
    await h.wait_idle(timeout=15)
    bad = [(c.method, c.status) for c in h.server.calls[calls_before:] if c.status == 400]
    assert not bad, f"Telegram refused the bot's messages: {bad}"


HOSTILE_SAMPLES = [
    "<b>kalın</b> <i>eğik",
    "</b></i></a> & < > &amp;",
    '=HYPERLINK("http://example.com","tıkla")',
    "+cmd|' /C calc'!A0",
    "*kalın* _eğik_ `kod` [bağlantı](http://example.com)",
    "🏭🇹🇷👩‍🔧 مرحبا \u202eevil\u202c",
    "\u200b\u200c\u200d\ufeff",
    "\x00\x07\x1b[31m kırmızı",
    "yirmi beş bin",
    "1.000.000,50",
]


@pytest.mark.timeout(600)
def test_hostile_text_through_every_bot_question(bot_thread):
    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st

    from tests.test_fuzz import hostile_text

    uids = iter(range(20_000, 30_000))

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(text=st.one_of(st.sampled_from(HOSTILE_SAMPLES), hostile_text))
    @example(text="=1+1" * 2500)  # 10 000 characters of formula
    @example(text="<b>" * 1365 + "ş")
    @example(text="🏭" * 10_000)
    def walk(text: str) -> None:
        if not text.strip() or text.startswith("/"):
            text = f"x{text}"  # empty messages do not exist; commands are another test
        bot_thread.errors.clear()
        bot_thread.run(hostile_walk(bot_thread.h, next(uids), text), timeout=120)
        crashes = [r.getMessage().splitlines()[0] for r in bot_thread.errors]
        assert not crashes, f"handler crashed on hostile text: {crashes}"

    walk()
    store = runtime(bot_thread.h.app).leads.store
    leads = store.list()
    assert len(leads) >= 28
    # Exports of whatever was stored stay formula-safe.
    from bot.leads.export import FORMULA_PREFIXES, export_bytes

    rows = export_bytes(leads, "csv").decode("utf-8-sig")
    import csv

    for row in list(csv.reader(io.StringIO(rows, newline="")))[1:]:
        assert not any(cell.startswith(FORMULA_PREFIXES) for cell in row), row
