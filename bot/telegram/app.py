"""Builds the python-telegram-bot Application: transport, persistence, ordering, jobs, handlers.

`build_application(settings)` is used by `kume bot` and by the end-to-end tests (against the
fake Bot API server in tests/fakebot), so everything the bot does at runtime is set up here.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import pickle
import tempfile
import time

from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    PersistenceInput,
    PicklePersistence,
)
from telegram.ext._picklepersistence import _BotPickler  # PTB pinned <23

from bot.config import Settings
from bot.leads.facade import Leads
from bot.leads.store import LeadStore, open_store
from bot.telegram.errors import error_handler
from bot.telegram.ordering import PerUserUpdateProcessor
from bot.telegram.runtime import RUNTIME_KEY, Runtime, runtime
from bot.telegram.staff.handlers import register_staff_handlers
from bot.telegram.user.handlers import register_user_handlers
from bot.telegram.user.menu import USER_COMMANDS

log = logging.getLogger("kume.bot")

MAX_CONCURRENT_UPDATES = 256
RATE_LIMIT_RETRIES = 3
PERSISTENCE_INTERVAL_S = 5  # conversation progress lost on a crash: at most this + 1 s
PURGE_INTERVAL = dt.timedelta(days=1)


class SafePicklePersistence(PicklePersistence):
    """PicklePersistence that writes atomically (temp file, fsync, rename, mode 0600: the
    file holds users' answers) and survives a damaged file: it is moved aside and the bot
    starts with empty state instead of refusing to start.

    Built with on_flush=True: PTB's default re-pickles the whole file once per changed user
    at every persistence interval, which grows with the square of active users. Here a
    change only marks the state dirty and `persist_job` writes it once per interval (and
    PTB flushes at shutdown), so a crash still loses at most one interval.
    """

    dirty = False

    async def update_user_data(self, user_id, data) -> None:
        self.dirty = True
        await super().update_user_data(user_id, data)

    async def update_chat_data(self, chat_id, data) -> None:
        self.dirty = True
        await super().update_chat_data(chat_id, data)

    async def update_conversation(self, name, key, new_state) -> None:
        self.dirty = True
        await super().update_conversation(name, key, new_state)

    async def drop_user_data(self, user_id) -> None:
        self.dirty = True
        await super().drop_user_data(user_id)

    async def drop_chat_data(self, chat_id) -> None:
        self.dirty = True
        await super().drop_chat_data(chat_id)

    async def write_if_dirty(self) -> None:
        if self.dirty:
            self.dirty = False
            await self.flush()

    def _dump_singlefile(self) -> None:
        data = {
            "conversations": self.conversations,
            "user_data": self.user_data,
            "chat_data": self.chat_data,
            "bot_data": self.bot_data,
            "callback_data": self.callback_data,
        }
        directory = self.filepath.parent
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{self.filepath.name}.")
        try:
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), 0o600)
                # PTB's pickler replaces Bot references so Telegram objects in user_data load
                _BotPickler(self.bot, fh, protocol=pickle.HIGHEST_PROTOCOL).dump(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.filepath)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def _load_singlefile(self) -> None:
        try:
            super()._load_singlefile()
        except TypeError:
            aside = self.filepath.with_name(f"{self.filepath.name}.bozuk-{int(time.time())}")
            os.replace(self.filepath, aside)
            log.error("sohbet durumu dosyası okunamadı; %s olarak ayrıldı, boş başlanıyor", aside)
            self.conversations, self.user_data, self.chat_data = {}, {}, {}
            self.bot_data = self.context_types.bot_data()
            self.callback_data = None


def default_rate_limiter() -> AIORateLimiter:
    """Telegram's limits (30 msg/s overall, 20/min per group) and retries after a 429."""
    return AIORateLimiter(max_retries=RATE_LIMIT_RETRIES)


def build_application(
    settings: Settings,
    store: LeadStore | None = None,
    *,
    rate_limiter: AIORateLimiter | None = None,
    register_user: bool = True,
) -> Application:
    token = settings.require_token()
    preload_knowledge()
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if store is None:
        store = open_store(settings.data_dir)

    # bot_data holds the store and the settings: live objects, not conversation state.
    persistence = SafePicklePersistence(
        filepath=settings.persistence_path,
        store_data=PersistenceInput(bot_data=False, callback_data=False),
        # handing changes to the persistence is cheap in memory; persist_job writes the file
        update_interval=1,
        on_flush=True,
    )
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .rate_limiter(rate_limiter or default_rate_limiter())
        .persistence(persistence)
        .concurrent_updates(PerUserUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .post_init(publish_commands)
    )
    application = _with_transport(builder, settings).build()
    application.bot_data[RUNTIME_KEY] = Runtime(
        settings=settings, leads=Leads(store), persistence=persistence
    )

    register_staff_handlers(application)
    if register_user:
        register_user_handlers(application)
    application.add_error_handler(error_handler)
    _schedule_jobs(application, settings)
    return application


def _with_transport(builder: ApplicationBuilder, settings: Settings) -> ApplicationBuilder:
    """Bot API transport: aiohttp (see transport.py) or PTB's httpx with the same limits.
    PTB refuses pool size/timeouts on the builder together with a request object."""
    timeout = settings.http_timeout
    if settings.http_client == "httpx":
        return (
            builder.connection_pool_size(settings.http_pool_size)
            .connect_timeout(timeout)
            .read_timeout(timeout)
            .write_timeout(timeout)
            .pool_timeout(timeout)
            .get_updates_connect_timeout(timeout)
            .get_updates_pool_timeout(timeout)
        )
    from bot.telegram.transport import AiohttpRequest

    return builder.request(
        AiohttpRequest(
            connection_pool_size=settings.http_pool_size,
            connect_timeout=timeout,
            read_timeout=timeout,
            write_timeout=timeout,
            pool_timeout=timeout,
        )
    ).get_updates_request(
        # one long poll at a time; PTB adds the poll timeout to the 5 s read timeout
        AiohttpRequest(connection_pool_size=1, connect_timeout=timeout, pool_timeout=timeout)
    )


def preload_knowledge() -> None:
    """Loads and validates content, the questionnaire and the search indexes at start-up:
    a broken content file stops the bot before it goes live, and the first user does not
    wait for the loading (about a second)."""
    from eligibility.content import get_content
    from eligibility.matcher import build_faq_index, build_index
    from eligibility.questionnaire import get_questionnaire
    from eligibility.validators import find_province

    content = get_content()
    get_questionnaire()
    build_index(content.catalogue)
    build_faq_index(content.faq.entries)
    find_province("Samsun")  # loads the province table


async def publish_commands(application: Application) -> None:
    """Shows the user commands in Telegram's menu of private chats. Best effort: a Bot API
    hiccup here must not stop the bot from starting."""
    from telegram import BotCommand, BotCommandScopeAllPrivateChats
    from telegram.error import TelegramError

    commands = [BotCommand(name, text) for name, text in USER_COMMANDS]
    try:
        await application.bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats())
    except TelegramError as exc:
        log.warning("komut menüsü yayımlanamadı: %s", type(exc).__name__)


def _schedule_jobs(application: Application, settings: Settings) -> None:
    jobs = application.job_queue
    if jobs is None:  # PTB installed without the job-queue extra
        log.warning("iş kuyruğu yok: saklama süresi temizliği ve duyuru tekrarı çalışmayacak")
        return
    jobs.run_repeating(
        persist_job,
        interval=PERSISTENCE_INTERVAL_S,
        first=PERSISTENCE_INTERVAL_S,
        name="persist_state",
    )
    jobs.run_repeating(purge_job, interval=PURGE_INTERVAL, first=60, name="retention_purge")
    from bot.telegram.staff.announce import retry_job

    jobs.run_repeating(
        retry_job,
        interval=settings.announce_retry_seconds,
        first=settings.announce_retry_seconds,
        name="retry_announcements",
    )


async def persist_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Writes conversation state changed since the last run (see SafePicklePersistence)."""
    persistence = context.application.persistence
    if isinstance(persistence, SafePicklePersistence):
        await persistence.write_if_dirty()


async def purge_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Deletes leads older than the retention period (KVKK: keep no longer than needed)."""
    rt = runtime(context)
    removed = await rt.leads.purge_older_than(rt.settings.retention_days)
    if removed:
        log.info("saklama süresi dolan %d kayıt silindi", removed)
