"""Scripted Telegram users against the real Application and the fake Bot API server.

    async with running_bot(tmp_path) as h:           # fake server + build_application + polling
        user = h.user(1001)
        await user.send("/start site")
        msg = await user.expect_text(contains="Hoş geldiniz")   # waits for a new bot message
        await user.press("✅ Birliktelik uygun mu?")             # inline or reply keyboard
        await h.restart()                                          # same data dir, new process

`expect_text` looks only at messages sent or edited after the user's last `send`/`press`
(`user.mark()` moves that point by hand); it matches `contains` against the visible text and
the HTML source and returns the matching `BotMessage` (`.text`, `.html`, `.button_texts`,
`.document`). `user.replies()` lists everything since the mark. Nothing here sleeps to
synchronise: waits are on the server's change notifications.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

from telegram.ext import AIORateLimiter, Application

from tests.support.fake_bot_api import BotMessage, Event, FakeBotApi

POLL_TIMEOUT = 1  # seconds a getUpdates long poll waits; only delays shutdown, never replies


class HarnessTimeout(AssertionError):
    pass


class FakeUser:
    def __init__(self, harness: BotHarness, uid: int, chat_id: int | None = None) -> None:
        self.h = harness
        self.uid = uid
        self.chat_id = uid if chat_id is None else chat_id
        self._mark = 0  # event seq after which expect_* looks

    @property
    def server(self) -> FakeBotApi:
        return self.h.server

    def in_chat(self, chat_id: int) -> FakeUser:
        """The same person writing in another chat (e.g. a staff group)."""
        return FakeUser(self.h, self.uid, chat_id)

    # ------------------------------------------------------------------ acting

    def mark(self) -> None:
        """Forget replies so far: expect_* only sees later messages/edits."""
        events = self.server.events.get(self.chat_id)
        self._mark = events[-1].seq if events else self._last_seq()

    def _last_seq(self) -> int:
        return max((evs[-1].seq for evs in self.server.events.values() if evs), default=0)

    async def send(self, text: str, **extra: Any) -> None:
        """The user writes `text` (a leading /command gets a bot_command entity)."""
        self.mark()
        self.server.message_update(self.uid, text, chat_id=self.chat_id, **extra)

    def last_sent_id(self) -> int:
        """The message id of what this user sent last in this chat (to edit it later)."""
        return int(self.server.user_messages[self.chat_id][-1]["message_id"])

    async def edit(self, message_id: int, text: str) -> None:
        """The user edits their earlier message `message_id` to `text`."""
        self.mark()
        self.server.edit_update(self.uid, message_id, text, chat_id=self.chat_id)

    async def send_other(self, **fields: Any) -> None:
        """A message without text: sticker=…, photo=…, location=… (Bot API fields)."""
        self.mark()
        self.server.message_update(self.uid, None, chat_id=self.chat_id, **fields)

    async def send_contact(
        self, phone: str, first_name: str = "Ayşe", user_id: int | None = None
    ) -> None:
        """A shared contact card: the user's own (Telegram's "share my number") unless
        `user_id` says whose it is."""
        self.mark()
        owner = self.uid if user_id is None else user_id
        contact = {"phone_number": phone, "first_name": first_name, "user_id": owner}
        self.server.message_update(self.uid, None, chat_id=self.chat_id, contact=contact)

    async def send_location(self, latitude: float, longitude: float) -> None:
        """Telegram's "share my location"."""
        self.mark()
        location = {"latitude": latitude, "longitude": longitude}
        self.server.message_update(self.uid, None, chat_id=self.chat_id, location=location)

    def keyboard_message(self) -> BotMessage | None:
        """The newest bot message in this chat that carries a keyboard."""
        for msg in reversed(self.server.messages.get(self.chat_id, [])):
            if msg.inline_buttons or msg.keyboard_buttons:
                return msg
        return None

    def _find_button(self, label: str, message: BotMessage | None) -> tuple[BotMessage, dict]:
        candidates = (
            [message]
            if message is not None
            else list(reversed(self.server.messages.get(self.chat_id, [])))
        )
        folded = label.casefold()
        for exact in (True, False):
            for msg in candidates:
                for button in msg.inline_buttons + msg.keyboard_buttons:
                    text = button["text"]
                    if (text == label) if exact else (folded in text.casefold()):
                        return msg, button
        available = [b for m in candidates[:3] for b in m.button_texts]
        raise AssertionError(f"no button {label!r}; latest buttons: {available}")

    async def press(self, label: str, *, message: BotMessage | None = None) -> BotMessage:
        """Press a button by its text (exact, else case-insensitive substring), searching the
        newest keyboards first. Inline → callback query; reply keyboard → the text (or the
        contact when the button requests it). Returns the message that carried the button."""
        msg, button = self._find_button(label, message)
        self.mark()
        if "callback_data" in button:
            self.server.callback_update(self.uid, msg, button["callback_data"])
        elif button.get("url"):
            raise AssertionError(f"button {label!r} is a link to {button['url']}")
        elif button.get("request_contact"):
            await self.send_contact("+905551112233")
        elif button.get("request_location"):
            await self.send_location(41.29, 36.33)  # Samsun
        else:
            self.server.message_update(self.uid, button["text"], chat_id=self.chat_id)
        return msg

    async def press_data(self, data: str, message: BotMessage | None = None) -> None:
        """Send arbitrary (possibly forged) callback data on `message` (default: newest)."""
        msg = message or self.keyboard_message() or self._latest_message()
        self.mark()
        self.server.callback_update(self.uid, msg, data)

    def _latest_message(self) -> BotMessage:
        msgs = self.server.messages.get(self.chat_id) or []
        if msgs:
            return msgs[-1]
        return BotMessage(self.chat_id, 999999, "", "")

    # ------------------------------------------------------------------ observing

    def replies(self) -> list[BotMessage]:
        """Bot messages sent or edited in this chat since the mark (each message once)."""
        seen: dict[int, BotMessage] = {}
        for ev in self.server.events.get(self.chat_id, []):
            if ev.seq > self._mark:
                seen[ev.message.message_id] = ev.message
        return list(seen.values())

    def _events(self) -> list[Event]:
        return [e for e in self.server.events.get(self.chat_id, []) if e.seq > self._mark]

    async def expect(
        self, predicate: Callable[[BotMessage, Event], bool], timeout: float = 5.0, what: str = ""
    ) -> BotMessage:
        def found() -> BotMessage | None:
            for ev in self._events():
                if predicate(ev.message, ev):
                    return ev.message
            return None

        try:
            return await self.server.wait_until(found, timeout)
        except TimeoutError:
            got = [f"{e.kind}: {e.text[:200]!r}" for e in self._events()]
            raise HarnessTimeout(
                f"user {self.uid}: no bot message {what} within {timeout}s; got {got}"
            ) from None

    async def expect_text(
        self,
        contains: str | None = None,
        *,
        regex: str | None = None,
        timeout: float = 5.0,
    ) -> BotMessage:
        """The first message (or edit) since the mark whose text contains `contains` (visible
        text or HTML source) / matches `regex`; any new message when both are None."""

        def ok(msg: BotMessage, ev: Event) -> bool:
            text = ev.text
            source = msg.html
            if contains is not None and contains not in text and contains not in source:
                return False
            return regex is None or bool(re.search(regex, text))

        what = f"containing {contains!r}" if contains else (f"matching {regex!r}" if regex else "")
        return await self.expect(ok, timeout, what)

    async def expect_button(self, label: str, timeout: float = 5.0) -> BotMessage:
        """The first message (or edit) since the mark with a button whose text contains
        `label`."""
        return await self.expect(
            lambda m, e: any(label in t for t in m.button_texts), timeout, f"with {label!r}"
        )

    async def expect_document(self, timeout: float = 5.0) -> BotMessage:
        return await self.expect(lambda m, e: m.document is not None, timeout, "with a document")

    async def expect_silence(self, seconds: float = 0.3) -> None:
        """Assert the bot sends nothing new here for `seconds` (used for refusals/no-ops)."""
        await asyncio.sleep(seconds)
        if self._events():
            got = [e.text[:200] for e in self._events()]
            raise AssertionError(f"user {self.uid}: expected silence, got {got}")


class BotHarness:
    """The fake server plus a running Application built by `factory()`."""

    def __init__(self, server: FakeBotApi, factory: Callable[[], Application]) -> None:
        self.server = server
        self.factory = factory
        self.app: Application | None = None
        self._users: dict[tuple[int, int], FakeUser] = {}

    async def start(self) -> Application:
        app = self.factory()
        await app.initialize()
        if app.post_init:  # as Application.run_polling does
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=POLL_TIMEOUT)
        self.app = app
        return app

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def restart(self) -> Application:
        """Stop the application (flushing persistence) and build/start a new one."""
        await self.stop()
        return await self.start()

    def user(self, uid: int, chat_id: int | None = None) -> FakeUser:
        key = (uid, uid if chat_id is None else chat_id)
        if key not in self._users:
            self._users[key] = FakeUser(self, uid, chat_id)
        return self._users[key]

    def chat_messages(self, chat_id: int) -> list[BotMessage]:
        return list(self.server.messages.get(chat_id, []))

    async def wait_for_message(
        self, chat_id: int, contains: str = "", timeout: float = 5.0
    ) -> BotMessage:
        """A message in `chat_id` (e.g. a centre's staff group) containing `contains`."""

        def found() -> BotMessage | None:
            for msg in self.server.messages.get(chat_id, []):
                if contains in msg.text or contains in msg.html:
                    return msg
            return None

        try:
            return await self.server.wait_until(found, timeout)
        except TimeoutError:
            got = [m.text[:200] for m in self.server.messages.get(chat_id, [])]
            raise HarnessTimeout(f"chat {chat_id}: no message {contains!r}; got {got}") from None

    async def wait_idle(self, timeout: float = 5.0) -> None:
        """Wait until every pushed update was fetched and processed (and the bot stayed
        quiet for a few checks: a fetched batch is briefly neither pending nor queued)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        quiet = 0
        while loop.time() < deadline:
            app = self.app
            busy = bool(self.server.pending_updates()) or (
                app is not None
                and (
                    app.update_queue.qsize() > 0
                    or app.update_processor.current_concurrent_updates > 0
                    or getattr(app.update_processor, "active_keys", 0) > 0  # waiting on a lock
                )
            )
            quiet = 0 if busy else quiet + 1
            if quiet >= 3:
                return
            await asyncio.sleep(0.02)
        raise HarnessTimeout("bot still busy")


def settings_env(server: FakeBotApi, data_dir: Path, env: Mapping[str, str] | None) -> dict:
    return {
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_BASE_URL": server.base_url,
        "KUME_DATA_DIR": str(data_dir),
        "KUME_HTTP_TIMEOUT": "3",
        **(env or {}),
    }


def fast_rate_limiter(max_retries: int = 3) -> AIORateLimiter:
    """No throttling (the fake server has no limits) but the same retries as the bot's: 429s
    waited out, 5xx and time-outs retried, only with shorter back-off."""
    from bot.telegram.retry import RetryingRateLimiter

    return RetryingRateLimiter(
        overall_max_rate=0, group_max_rate=0, max_retries=max_retries, base_delay=0.05,
        max_delay=0.2,
    )  # fmt: skip


@contextlib.asynccontextmanager
async def running_bot(
    data_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
    store: Any = None,
    register_user: bool = True,
    configure: Callable[[Application], None] | None = None,
    server: FakeBotApi | None = None,
    rate_limiter: AIORateLimiter | None = None,
) -> AsyncIterator[BotHarness]:
    """Fake server + the real `build_application` + polling, torn down afterwards.

    `env` adds settings (e.g. {"KUME_STAFF": "corum:111"}); `configure(app)` may add handlers
    before start (e.g. a test-only handler); `store` replaces the TinyDB store;
    `rate_limiter` the test's own (default: `fast_rate_limiter()`).
    """
    from bot.config import Settings
    from bot.telegram.app import build_application

    server = server or FakeBotApi()
    await server.start()

    def factory() -> Application:
        settings = Settings.from_env(settings_env(server, data_dir, env), dotenv_path=None)
        app = build_application(
            settings,
            store,
            rate_limiter=rate_limiter or fast_rate_limiter(),
            register_user=register_user,
        )
        if configure is not None:
            configure(app)
        return app

    harness = BotHarness(server, factory)
    try:
        await harness.start()
        yield harness
    finally:
        try:
            await harness.stop()
        finally:
            await server.stop()


def sent(contains: str | None = None, regex: str | None = None):
    """Predicate for FakeUser.expect: a newly *sent* message (edits removing old keyboards
    do not count as the bot's answer)."""

    def ok(msg: BotMessage, ev: Event) -> bool:
        if ev.kind != "send":
            return False
        if contains is not None and contains not in ev.text and contains not in msg.html:
            return False
        return regex is None or bool(re.search(regex, ev.text))

    return ok
