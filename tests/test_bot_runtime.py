"""Runtime of the Telegram bot against the fake Bot API server: settings, text helpers,
per-user ordering under concurrency, persistence across a restart, Telegram failures (403,
429, time-outs), the webhook secret, and `kume bot` without a token."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import socket

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram.ext import (
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.cli.main import main as kume_main
from bot.config import Settings, SettingsError
from bot.telegram.callbacks import encode as callback_data
from bot.telegram.html import esc, split_message
from bot.telegram.ordering import PerUserUpdateProcessor
from bot.telegram.runtime import runtime
from tests.support.fake_bot_api import ApiError, FakeBotApi, parse_html
from tests.support.fake_operator import operator_env
from tests.support.harness import running_bot

pytestmark = pytest.mark.timeout(60)

# ----------------------------------------------------------------------------- settings


def test_settings_parse_staff_admins_chats_and_base_urls():
    s = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123:abc",
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot",
            "KUME_STAFF": "corum:111,222; samsun:333",
            "KUME_ADMINS": "999, 998",
            "KUME_STAFF_CHATS": "corum:-1001;samsun:-1003",
            "KUME_RETENTION_DAYS": "30",
        },
        dotenv_path=None,
    )
    assert s.staff == {"corum": frozenset({111, 222}), "samsun": frozenset({333})}
    assert s.admins == frozenset({999, 998})
    assert s.staff_chats == {"corum": -1001, "samsun": -1003}
    assert s.retention_days == 30
    assert s.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert s.centres_of(111) == {"corum"}
    assert s.centres_of(444) == frozenset()
    assert "trabzon" in s.centres_of(999)
    assert Settings.from_env({}, dotenv_path=None).base_file_url == (
        "https://api.telegram.org/file/bot"
    )


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"KUME_STAFF": "ankara:1"}, "bilinmeyen merkez"),
        ({"KUME_STAFF": "corum"}, "KUME_STAFF"),
        ({"KUME_ADMINS": "abc"}, "kullanıcı numarası değil"),
        ({"KUME_STAFF_CHATS": "corum:-1,-2"}, "KUME_STAFF_CHATS"),
        ({"KUME_RETENTION_DAYS": "0"}, "en az 1"),
        ({"TELEGRAM_BASE_URL": "api.telegram.org"}, "http://"),
    ],
)
def test_settings_errors_are_turkish(env, words):
    with pytest.raises(SettingsError, match=words):
        Settings.from_env(env, dotenv_path=None)


def test_environment_wins_over_dotenv(tmp_path):
    dotenv = tmp_path / ".env"
    dotenv.write_text("TELEGRAM_BOT_TOKEN=1:from-file\nKUME_RETENTION_DAYS=10\n")
    s = Settings.from_env({"KUME_RETENTION_DAYS": "20"}, dotenv_path=dotenv)
    assert s.token == "1:from-file"
    assert s.retention_days == 20


def test_webhook_requires_a_valid_secret():
    base = {"TELEGRAM_BOT_TOKEN": "1:x", "KUME_WEBHOOK_URL": "https://bot.example/hook"}
    with pytest.raises(SettingsError, match="KUME_WEBHOOK_SECRET"):
        Settings.from_env(base, dotenv_path=None).require_webhook()
    with pytest.raises(SettingsError, match="KUME_WEBHOOK_SECRET"):
        Settings.from_env(
            {**base, "KUME_WEBHOOK_SECRET": "boşluk var"}, dotenv_path=None
        ).require_webhook()
    Settings.from_env(
        {**base, "KUME_WEBHOOK_SECRET": "s3cret_-X"}, dotenv_path=None
    ).require_webhook()


def test_kume_bot_without_token_exits_2_with_turkish_message(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert kume_main(["bot"]) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN tanımlı değil" in err
    assert err.count("\n") == 1  # one line, no traceback


def test_kume_bot_webhook_without_secret_refuses(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:x")
    monkeypatch.setenv("KUME_WEBHOOK_URL", "https://bot.example/hook")
    monkeypatch.delenv("KUME_WEBHOOK_SECRET", raising=False)
    assert kume_main(["bot", "--webhook"]) == 2
    assert "KUME_WEBHOOK_SECRET" in capsys.readouterr().err


# ----------------------------------------------------------------------------- textutil

_html_piece = st.one_of(
    st.text(alphabet="abcçğıöşü ABC\n<>&\"'", min_size=0, max_size=60).map(esc),
    st.sampled_from(["\n\n", "\n", " "]),
    st.builds(lambda t: f"<b>{esc(t)}</b>", st.text(max_size=80)),
    st.builds(
        lambda t: f'<a href="https://ör.example/?a=1&amp;b=2">{esc(t)}</a>', st.text(max_size=40)
    ),
    st.builds(lambda t: f"<i>x <code>{esc(t)}</code> y</i>", st.text(max_size=40)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_html_piece, max_size=120), st.integers(min_value=40, max_value=400))
def test_split_message_chunks_are_short_and_well_formed(pieces, limit):
    text = "".join(pieces)
    chunks = split_message(text, limit)
    visible_all = parse_html(text)
    rebuilt = ""
    for chunk in chunks:
        assert len(chunk) <= limit
        rebuilt += parse_html(chunk)  # raises ApiError when a tag or entity was cut
    # nothing lost but whitespace at the cuts
    assert "".join(rebuilt.split()) == "".join(visible_all.split())


def test_split_message_prefers_paragraphs():
    para = "Birinci paragraf. " * 10
    text = "\n\n".join([para.strip()] * 5)
    chunks = split_message(text, 400)
    assert all(c == para.strip() or "\n\n" in c for c in chunks)
    assert chunks[0].endswith("paragraf.")
    assert split_message("kısa") == ["kısa"]


def test_split_message_reopens_tags_across_chunks():
    text = "<b>" + ("kalın yazı " * 100) + "</b>"
    chunks = split_message(text, 200)
    assert len(chunks) > 1
    assert all(c.startswith("<b>") and c.endswith("</b>") for c in chunks)


def test_callback_data_limit():
    assert callback_data("st", 12, "i") == "st:12:i"
    with pytest.raises(ValueError):
        callback_data("x", "ğ" * 40)


def test_fake_server_rejects_malformed_html():
    for bad in ("<b>kalın", "a < b", "Ar&Ge", "<script>x</script>", "<b><i>x</b></i>"):
        with pytest.raises(ApiError, match="can't parse entities"):
            parse_html(bad)
    assert parse_html("<b>Ar&amp;Ge</b> &lt;3 &#350;") == "Ar&Ge <3 Ş"


# ----------------------------------------------------------------------------- end to end


def _echo_app(delays: bool = False):
    """A test-only handler set: echoes each text with a per-user sequence check."""
    state = {"active": 0, "max_active": 0}

    async def echo(update, context):
        state["active"] += 1
        state["max_active"] = max(state["max_active"], state["active"])
        try:
            if delays:
                await asyncio.sleep(random.uniform(0, 0.02))
            seen = context.user_data.setdefault("seen", [])
            seen.append(update.message.text)
            await update.message.reply_text(f"{update.effective_user.id}|{update.message.text}")
        finally:
            state["active"] -= 1

    def configure(app):
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))

    return configure, state


async def test_many_users_concurrently_keep_order_and_do_not_cross(tmp_path):
    configure, state = _echo_app(delays=True)
    users_n, per_user = 50, 4
    async with running_bot(tmp_path, register_user=False, configure=configure) as h:
        users = [h.user(5000 + i) for i in range(users_n)]
        for k in range(per_user):  # interleaved: u0 m0, u1 m0, …, u0 m1, …
            for u in users:
                await u.send(f"cevap-{k}")
        for u in users:
            await u.server.wait_until(
                lambda u=u: len(u.server.messages.get(u.chat_id, [])) >= per_user, timeout=20
            )
        for u in users:
            texts = [m.text for m in h.server.messages[u.chat_id]]
            assert texts == [f"{u.uid}|cevap-{k}" for k in range(per_user)]
        processor = h.app.update_processor
        assert isinstance(processor, PerUserUpdateProcessor)
        await h.wait_idle()
        assert processor.active_keys == 0  # idle locks were cleaned up
    assert state["max_active"] > 1  # users really ran concurrently


async def test_per_user_lock_serialises_same_user():
    processor = PerUserUpdateProcessor(8)
    from telegram import Update

    from tests.support.fake_bot_api import FakeBotApi as _Api

    api = _Api()
    order: list[int] = []
    running = {"n": 0, "max": 0}

    def update_for(uid: int, n: int) -> Update:
        raw = {
            "update_id": n,
            "message": {
                "message_id": n,
                "date": 0,
                "chat": {"id": uid, "type": "private"},
                "from": api.make_user(uid),
                "text": str(n),
            },
        }
        return Update.de_json(raw, None)

    async def work(n: int) -> None:
        running["n"] += 1
        running["max"] = max(running["max"], running["n"])
        await asyncio.sleep(0.01 * (5 - n % 5))  # later updates are faster
        order.append(n)
        running["n"] -= 1

    tasks = [
        asyncio.create_task(processor.process_update(update_for(1, n), work(n))) for n in range(10)
    ]
    await asyncio.gather(*tasks)
    assert order == list(range(10))
    assert running["max"] == 1
    assert processor.active_keys == 0


async def test_per_user_order_holds_one_slot_per_user_and_bounds_concurrency():
    """The documented extension point only (process_update is final in PTB); a flooding user
    waits on their own lock, not in the shared slots."""
    assert "process_update" not in PerUserUpdateProcessor.__dict__
    processor = PerUserUpdateProcessor(2)
    running = {"n": 0, "max": 0}
    from telegram import Update

    from tests.support.fake_bot_api import FakeBotApi as _Api

    api = _Api()

    def update_for(uid: int, n: int) -> Update:
        raw = {
            "update_id": n,
            "message": {
                "message_id": n, "date": 0, "chat": {"id": uid, "type": "private"},
                "from": api.make_user(uid), "text": str(n),
            },
        }  # fmt: skip
        return Update.de_json(raw, None)

    async def work() -> None:
        running["n"] += 1
        running["max"] = max(running["max"], running["n"])
        await asyncio.sleep(0.01)
        running["n"] -= 1

    flood = [processor.process_update(update_for(1, n), work()) for n in range(20)]
    others = [processor.process_update(update_for(uid, 100 + uid), work()) for uid in (2, 3)]
    tasks = [asyncio.create_task(c) for c in [*flood, *others]]
    await asyncio.sleep(0.015)
    assert running["max"] == 2  # the flooding user and one other, never more than 2 slots
    await asyncio.gather(*tasks)
    assert processor.active_keys == 0


async def test_json_state_journal_makes_one_user_durable_at_once(tmp_path):
    """persist_user_now survives a crash before the next snapshot (no flush ever runs)."""
    from bot.telegram.persistence import JsonPersistence

    path = tmp_path / "bot_state.json"
    first = JsonPersistence(path)
    await first.update_user_data(1, {"mode": "q"})
    await first.write_if_dirty()
    await first.persist_user_now(2, {"q": {"path": "firma", "stage": "done"}})
    await first.update_user_data(3, {"lost": True})  # not forced, not flushed: lost on a crash
    assert (tmp_path / "bot_state.json.journal").stat().st_mode & 0o777 == 0o600
    # a crash: the process is gone without a flush; a new one loads snapshot + journal
    with open(tmp_path / "bot_state.json.journal", "ab") as fh:
        fh.write(b'{"user": 4, "data": {"to')  # a line torn mid-append is ignored
    second = JsonPersistence(path)
    users = await second.get_user_data()
    assert users == {1: {"mode": "q"}, 2: {"q": {"path": "firma", "stage": "done"}}}
    await second.write_if_dirty()  # the journal is folded into the snapshot
    assert (tmp_path / "bot_state.json.journal").read_bytes() == b""
    assert await JsonPersistence(path).get_user_data() == users


def _questionnaire(configure_extra=None):
    """A minimal persistent ConversationHandler (3 questions) to test restarts."""
    Q1, Q2, Q3 = range(3)

    async def begin(update, context):
        await update.message.reply_text("Soru 1: Firma adı?")
        return Q1

    async def q1(update, context):
        context.user_data["firm"] = update.message.text
        await update.message.reply_text("Soru 2: İl?")
        return Q2

    async def q2(update, context):
        context.user_data["province"] = update.message.text
        await update.message.reply_text("Soru 3: Çalışan sayısı?")
        return Q3

    async def q3(update, context):
        d = context.user_data
        await update.message.reply_text(
            f"Özet: {d['firm']} / {d['province']} / {update.message.text}"
        )
        return ConversationHandler.END

    def configure(app):
        text = filters.TEXT & ~filters.COMMAND
        app.add_handler(
            ConversationHandler(
                entry_points=[CommandHandler("anket", begin)],
                states={
                    Q1: [MessageHandler(text, q1)],
                    Q2: [MessageHandler(text, q2)],
                    Q3: [MessageHandler(text, q3)],
                },
                fallbacks=[],
                name="test_anket",
                persistent=True,
            )
        )

    return configure


async def test_restart_in_the_middle_of_a_questionnaire_resumes(tmp_path):
    async with running_bot(tmp_path, register_user=False, configure=_questionnaire()) as h:
        user = h.user(7001)
        await user.send("/anket")
        await user.expect_text(contains="Soru 1")
        await user.send("Deneme Makina Ltd.")
        await user.expect_text(contains="Soru 2")
        await h.restart()  # a deploy: the process stops, a new one starts
        state = tmp_path / "bot_state.json"
        assert state.is_file() and state.stat().st_mode & 0o777 == 0o600
        assert json.loads(state.read_text(encoding="utf-8"))["version"] == 1  # JSON, no pickle
        await user.send("Çorum")
        await user.expect_text(contains="Soru 3")
        await user.send("25")
        msg = await user.expect_text(contains="Özet")
        assert msg.text == "Özet: Deneme Makina Ltd. / Çorum / 25"


async def test_damaged_state_file_does_not_stop_the_bot(tmp_path):
    (tmp_path / "bot_state.json").write_bytes(b'{"version": 1, "user_data": {"1": ')
    async with running_bot(tmp_path, register_user=False, configure=_questionnaire()) as h:
        user = h.user(7003)
        await user.send("/anket")
        await user.expect_text(contains="Soru 1")
    assert list(tmp_path.glob("bot_state.json.bozuk-*"))


@pytest.mark.parametrize("keep_state", [True, False])
async def test_real_conversation_survives_a_restart(tmp_path, keep_state):
    """The real user questionnaire: a restart between two answers resumes where the user was
    (and, as a control, loses the place when the persistence file is removed)."""
    from eligibility.labels import get_labels

    MENU_LABELS = get_labels().menu

    async with running_bot(tmp_path) as h:
        user = h.user(7002)
        await user.send("/start")
        await user.expect_button(MENU_LABELS["kume"])
        await user.press(MENU_LABELS["kume"])
        question = await user.expect(lambda m, e: bool(m.inline_buttons), what="a question")
        await h.stop()
        if not keep_state:
            (tmp_path / "bot_state.json").unlink()
        await h.start()
        await user.press(question.inline_buttons[0]["text"], message=question)
        reply = await user.expect(
            lambda m, e: e.text != question.text, what="an answer to the button"
        )
        lost = "artık geçerli değil" in reply.text
        assert lost is not keep_state, reply.text
        if keep_state and "[1/" in question.text:  # numbered questions: now the second one
            assert "[2/" in reply.text, reply.text


async def test_blocked_user_does_not_stop_the_bot(tmp_path, caplog):
    configure, _ = _echo_app()
    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path, register_user=False, configure=configure) as h:
        blocked, other = h.user(8001), h.user(8002)
        h.server.block_chat(blocked.chat_id)
        await blocked.send("gizli mesaj metni Ayşe Deneme")
        await h.server.wait_until(lambda: any(c.status == 403 for c in h.server.calls))
        await other.send("merhaba")
        msg = await other.expect_text(contains="merhaba")
        assert msg.text == "8002|merhaba"
        assert h.app.running
    assert "engellemiş" in caplog.text
    assert "Ayşe Deneme" not in caplog.text  # no message texts in logs
    assert "8001" not in caplog.text  # user ids only as hashes


async def test_unexpected_error_is_logged_without_personal_data(tmp_path, caplog):
    async def broken(update, context):
        raise ValueError(f"«{update.message.text}» bir tutar değil")

    def configure(app):
        app.add_handler(CommandHandler("bozuk", broken))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo_reply))

    caplog.set_level(logging.INFO)
    async with running_bot(tmp_path, register_user=False, configure=configure) as h:
        user = h.user(8301)
        await user.send("/bozuk Ayşe Deneme +905551112233")
        await h.wait_idle()
        await user.send("hâlâ çalışıyor")
        assert (await user.expect_text(contains="hâlâ")).text == "8301|hâlâ çalışıyor"
    assert "işlenmeyen hata: ValueError" in caplog.text
    assert "broken" in caplog.text  # where it happened
    assert "Ayşe" not in caplog.text and "5551112233" not in caplog.text


async def _echo_reply(update, context):
    await update.message.reply_text(f"{update.effective_user.id}|{update.message.text}")


async def test_429_is_retried(tmp_path):
    configure, _ = _echo_app()
    async with running_bot(tmp_path, register_user=False, configure=configure) as h:
        h.server.fail_next("sendMessage", 1, status=429, retry_after=1)
        user = h.user(8101)
        await user.send("tekrar")
        msg = await user.expect_text(contains="tekrar", timeout=10)
        assert msg.text == "8101|tekrar"
        statuses = [c.status for c in h.server.calls_of("sendMessage")]
        assert statuses == [429, 200]


async def test_server_errors_and_timeouts_are_retried_and_no_reply_is_lost(tmp_path, caplog):
    """A time-out and a 502 no longer lose replies (they did before issue 9): each is retried
    with back-off (bot/telegram/retry.py), and the user's replies arrive in order."""
    configure, _ = _echo_app()
    caplog.set_level(logging.INFO)
    env = {"KUME_HTTP_TIMEOUT": "1"}
    async with running_bot(tmp_path, register_user=False, configure=configure, env=env) as h:
        user = h.user(8201)
        h.server.hang_next("sendMessage", 1, seconds=3)
        await user.send("birinci")
        await h.server.wait_until(lambda: len(h.server.calls_of("sendMessage")) >= 1)
        h.server.fail_next("sendMessage", 1, status=502)
        await user.send("ikinci")
        await user.send("üçüncü")
        await user.expect_text(contains="üçüncü", timeout=15)
        texts = [m.text for m in h.server.messages[user.chat_id]]
        assert texts == ["8201|birinci", "8201|ikinci", "8201|üçüncü"]
        # the hung call, its retry, the 502, its retry, the third reply
        assert len(h.server.calls_of("sendMessage")) == 5
        assert 502 in [c.status for c in h.server.calls_of("sendMessage")]
    assert "TimedOut" in caplog.text and "deneme" in caplog.text  # the retries, logged
    assert "birinci" not in caplog.text and "ikinci" not in caplog.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_refuses_requests_without_the_secret(tmp_path):
    configure, _ = _echo_app()
    server = FakeBotApi()
    await server.start()
    from bot.telegram.app import build_application
    from tests.support.harness import fast_rate_limiter, settings_env

    s = Settings.from_env(
        settings_env(server, tmp_path, {"KUME_WEBHOOK_SECRET": "dogru-anahtar"}), dotenv_path=None
    )
    app = build_application(s, rate_limiter=fast_rate_limiter(), register_user=False)
    configure(app)
    port = _free_port()
    await app.initialize()
    await app.start()
    try:
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url="https://bot.example/hook",
            secret_token=s.webhook_secret,
        )
        assert server.webhook_url == "https://bot.example/hook"
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 9001, "type": "private"},
                "from": server.make_user(9001),
                "text": "webhook",
            },
        }
        async with httpx.AsyncClient() as client:
            url = f"http://127.0.0.1:{port}/hook"
            r = await client.post(url, json=update)
            assert r.status_code == 403
            r = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "yanlis"}
            )
            assert r.status_code == 403
            assert not server.calls_of("sendMessage")  # nothing was processed
            r = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "dogru-anahtar"}
            )
            assert r.status_code == 200
        await server.wait_until(lambda: server.messages.get(9001))
        assert server.messages[9001][0].text == "9001|webhook"
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await server.stop()


async def test_jobs_are_scheduled(tmp_path):
    async with running_bot(tmp_path, register_user=False) as h:
        names = {job.name for job in h.app.job_queue.jobs()}
        assert {"retention_purge", "retry_announcements"} <= names
        # the purge job really purges through the store
        from bot.leads.record import new_lead

        store = runtime(h.app).leads.store
        old = new_lead(
            source="test",
            user_key="tg:1",
            consent=None,
            firm="Eski Deneme Ltd.",
            created_at="2020-01-01T00:00:00+00:00",
        )
        store.add(old)
        store.add(new_lead(source="test", user_key="tg:2", consent=None, firm="Yeni Deneme"))
        job = h.app.job_queue.get_jobs_by_name("retention_purge")[0]
        await job.run(h.app)
        assert [lead["firm"] for lead in store.list()] == ["Yeni Deneme"]


# ----------------------------------------------------------------------------- `kume bot`


async def _kume_bot(tmp_path, server, *args, env=None):
    import os
    import sys

    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KUME_", "TELEGRAM_"))},
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_BASE_URL": server.base_url,
        "KUME_DATA_DIR": str(tmp_path / "data"),
        **operator_env(tmp_path),  # `kume bot` refuses a demo configuration
        **(env or {}),
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "import sys; from bot.cli.main import main; sys.exit(main())",
        "bot",
        *args,
        cwd=tmp_path,
        env=full_env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(proc) -> tuple[int, str]:
    import signal

    proc.send_signal(signal.SIGINT)
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode, err.decode()


@pytest.mark.slow
async def test_kume_bot_polls_and_answers(tmp_path):
    async with FakeBotApi() as server:
        proc = await _kume_bot(tmp_path, server)
        try:
            await server.wait_until(lambda: server.calls_of("deleteWebhook"), timeout=30)
            server.message_update(9101, "/start")
            await server.wait_until(lambda: server.messages.get(9101), timeout=10)
        finally:
            code, err = await _stop(proc)
        assert code == 0, err
        assert server.token not in err  # request URLs (with the token) are not logged
        state = tmp_path / "data" / "bot_state.json"
        assert state.stat().st_mode & 0o777 == 0o600


@pytest.mark.slow
async def test_kume_bot_webhook_needs_the_secret_header(tmp_path):
    configure_port = _free_port()
    env = {
        "KUME_WEBHOOK_URL": "https://bot.example/kume-hook",
        "KUME_WEBHOOK_SECRET": "dogru-anahtar",
        "KUME_WEBHOOK_LISTEN": "127.0.0.1",
        "KUME_WEBHOOK_PORT": str(configure_port),
    }
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 9102, "type": "private"},
            "from": {"id": 9102, "is_bot": False, "first_name": "Deneme"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    async with FakeBotApi() as server:
        proc = await _kume_bot(tmp_path, server, "--webhook", env=env)
        try:
            await server.wait_until(lambda: server.webhook_url, timeout=30)
            assert server.webhook_url == "https://bot.example/kume-hook"
            assert server.calls_of("setWebhook")[-1].params["secret_token"] == "dogru-anahtar"
            url = f"http://127.0.0.1:{configure_port}/kume-hook"
            async with httpx.AsyncClient() as client:
                for _ in range(100):  # the listener starts right after setWebhook
                    try:
                        r = await client.post(url, json=update)
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.1)
                assert r.status_code == 403
                ok = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "dogru-anahtar"}
                )
                assert ok.status_code == 200
            await server.wait_until(lambda: server.messages.get(9102), timeout=10)
            assert len(server.messages[9102]) >= 1
        finally:
            code, err = await _stop(proc)
        assert code == 0, err


async def test_bot_harness_fixture_runs_the_real_bot(bot_harness):
    user = bot_harness.user(9201)
    await user.send("/leads")  # a user, not staff: the neutral refusal
    assert (await user.expect_text()).text == "Bu komut kullanılamıyor."
    assert runtime(bot_harness.app).settings.data_dir.is_dir()
