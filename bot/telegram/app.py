"""Builds the python-telegram-bot Application: transport, persistence, ordering, jobs, handlers.

`build_application(settings)` is used by `kume bot` and by the end-to-end tests (against the
fake Bot API server in tests/fakebot), so everything the bot does at runtime is set up here.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes

from bot import crashpoints
from bot.config import Settings
from bot.leads.backend import open_store
from bot.leads.facade import Leads
from bot.leads.store import LeadStore
from bot.telegram.errors import error_handler
from bot.telegram.inbox import Inbox, JournaledQueue
from bot.telegram.ordering import PerUserUpdateProcessor
from bot.telegram.persistence import JsonPersistence
from bot.telegram.pg_ordering import SharedUpdateProcessor, once_across_processes
from bot.telegram.pg_persistence import PgPersistence
from bot.telegram.retry import RetryingRateLimiter
from bot.telegram.runtime import RUNTIME_KEY, App, Builder, Runtime, runtime
from bot.telegram.staff.handlers import register_staff_handlers
from bot.telegram.user.handlers import register_user_handlers
from bot.telegram.user.menu import USER_COMMANDS

log = logging.getLogger("kume.bot")
Job = Callable[[ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]

MAX_CONCURRENT_UPDATES = 256
# PostgreSQL: each update in flight holds one connection of KUME_DATABASE_POOL (its user's
# lock); the spare ones serve the jobs and writes outside an update.
PG_SPARE_CONNECTIONS = 8
RATE_LIMIT_RETRIES = 3
PERSISTENCE_INTERVAL_S = 5  # conversation progress lost on a crash: at most this + 1 s
PURGE_INTERVAL = dt.timedelta(days=1)
DIGEST_GAP = dt.timedelta(hours=12)  # the daily digest, once a day across processes
INBOX_FILE = "bot_inbox.journal"


def default_rate_limiter() -> AIORateLimiter:
    """Telegram's limits (30 msg/s overall, 20/min per group), 429s waited out, 5xx and
    time-outs retried with back-off, within bounds (bot/telegram/retry.py)."""
    return RetryingRateLimiter(max_retries=RATE_LIMIT_RETRIES)


def build_application(
    settings: Settings,
    store: LeadStore | None = None,
    *,
    rate_limiter: AIORateLimiter | None = None,
    register_user: bool = True,
) -> App:
    token = settings.require_token()
    crashpoints.arm(settings.test_crash_at)
    preload_knowledge()
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    if store is None:
        store = open_store(settings.data_dir, settings.database_url)

    persistence: JsonPersistence | PgPersistence
    queue: JournaledQueue | None = None
    if settings.database_url:
        # Several processes may serve the bot: state in the database, each user's updates
        # under a database lock (bot/telegram/pg_ordering.py). No inbox journal: behind the
        # webhook an update is answered only once handled, so Telegram delivers it again.
        pool = max(settings.database_pool, PG_SPARE_CONNECTIONS + 1)
        persistence = PgPersistence(settings.database_url, pool_size=pool)
        processor: PerUserUpdateProcessor = SharedUpdateProcessor(
            persistence, pool - PG_SPARE_CONNECTIONS
        )
    else:
        # Handing changes to the persistence each second is cheap (memory); persist_job
        # writes the file once per PERSISTENCE_INTERVAL_S, and only if something changed.
        persistence = JsonPersistence(settings.persistence_path, update_interval=1)
        _warn_about_old_state(settings)
        # Users' updates are journaled from the moment they are queued until handled, so
        # that a killed bot answers them after its restart (bot/telegram/inbox.py).
        inbox = Inbox(settings.data_dir / INBOX_FILE)
        queue = JournaledQueue(inbox)
        processor = PerUserUpdateProcessor(
            MAX_CONCURRENT_UPDATES, on_done=inbox.done, on_start=inbox.begin
        )
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .rate_limiter(rate_limiter or default_rate_limiter())
        .persistence(persistence)
        .concurrent_updates(processor)
        .post_init(post_init)
    )
    if queue is not None:
        builder = builder.update_queue(queue)
    application = _with_transport(builder, settings).build()
    if isinstance(processor, SharedUpdateProcessor):
        processor.application = application
    application.bot_data[RUNTIME_KEY] = Runtime(
        settings=settings, leads=Leads(store), persistence=persistence
    )

    register_staff_handlers(application)
    if register_user:
        register_user_handlers(application)
    application.add_error_handler(error_handler)
    _schedule_jobs(application, settings)
    return application


def _with_transport(builder: Builder, settings: Settings) -> Builder:
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
    from eligibility.fallback import get_fallback
    from eligibility.matcher import build_faq_index, build_index
    from eligibility.questionnaire import get_questionnaire
    from eligibility.validators import find_province

    content = get_content()
    get_questionnaire()
    get_fallback()
    build_index(content.catalogue)
    build_faq_index(content.faq.entries)
    find_province("Samsun")  # loads the province table


async def post_init(application: App) -> None:
    """Before polling starts: the updates a killed run left unhandled go first (they are
    older than anything Telegram sends now; those it was handling when it died, alone: see
    bot/telegram/inbox.py), then the command menu is published."""
    queue = application.update_queue
    processor = application.update_processor
    if isinstance(queue, JournaledQueue):
        _, suspects = queue.replay(application.bot)
        if isinstance(processor, PerUserUpdateProcessor):
            processor.run_alone(suspects)
    await publish_commands(application)


async def publish_commands(application: App) -> None:
    """Shows the user commands in Telegram's menu of private chats, and the staff commands
    to staff only (bot/telegram/staff/menus.py). Best effort: a Bot API hiccup here must not
    stop the bot from starting."""
    from telegram import BotCommand, BotCommandScopeAllPrivateChats
    from telegram.error import TelegramError

    commands = [BotCommand(name, text) for name, text in USER_COMMANDS]
    try:
        await application.bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats())
    except TelegramError as exc:
        log.warning("komut menüsü yayımlanamadı: %s", type(exc).__name__)
    from bot.telegram.staff.menus import publish_staff_menus

    await publish_staff_menus(application, commands)


def _schedule_jobs(application: App, settings: Settings) -> None:
    jobs = application.job_queue
    if jobs is None:  # PTB installed without the job-queue extra
        log.warning("iş kuyruğu yok: saklama süresi temizliği ve duyuru tekrarı çalışmayacak")
        return
    from bot.telegram.staff.announce import retry_job
    from bot.telegram.staff.digest import schedule_digest

    persistence = runtime(application).persistence
    shared = persistence if isinstance(persistence, PgPersistence) else None

    def once(job: Job, name: str, gap: dt.timedelta) -> Job:
        """With several processes on one database, each job runs in one of them."""
        return job if shared is None else once_across_processes(job, name, gap, shared)

    if shared is None:
        jobs.run_repeating(
            persist_job,
            interval=PERSISTENCE_INTERVAL_S,
            first=PERSISTENCE_INTERVAL_S,
            name="persist_state",
        )
    purge = once(purge_job, "retention_purge", PURGE_INTERVAL / 2)
    jobs.run_repeating(purge, interval=PURGE_INTERVAL, first=60, name="retention_purge")
    retry_every = dt.timedelta(seconds=settings.announce_retry_seconds)
    jobs.run_repeating(
        once(retry_job, "retry_announcements", retry_every / 2),
        interval=retry_every,
        first=retry_every,
        name="retry_announcements",
    )
    schedule_digest(application, settings, wrap=lambda job, name: once(job, name, DIGEST_GAP))


async def persist_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Writes conversation state changed since the last run (bot/telegram/persistence.py)."""
    persistence = runtime(context).persistence
    if persistence is not None:
        await persistence.write_if_dirty()


def _warn_about_old_state(settings: Settings) -> None:
    old = settings.data_dir / "bot_state.pickle"
    if old.exists():
        log.warning(
            "eski sohbet durumu dosyası %s artık okunmuyor (kişisel veri içerir; silin)", old
        )


async def purge_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Deletes leads older than the retention period (KVKK: keep no longer than needed)."""
    rt = runtime(context)
    removed = await rt.leads.purge_older_than(rt.settings.retention_days)
    if removed:
        log.info("saklama süresi dolan %d kayıt silindi", removed)
    if isinstance(rt.persistence, PgPersistence):
        await rt.persistence.forget_old_updates()
