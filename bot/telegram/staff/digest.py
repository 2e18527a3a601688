"""The daily digest job: every morning, at KUME_DIGEST_TIME in KUME_TIMEZONE (default 08:30
Europe/Istanbul), one message per centre staff chat (bot/leads/digest.py). No personal data:
lead numbers, provinces and size bands only."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.leads import staff_actions
from bot.leads.digest import digest_text
from bot.leads.staff import StaffMember
from bot.telegram.errors import describe
from bot.telegram.html import esc
from bot.telegram.runtime import App, runtime
from bot.telegram.sender import send_html

log = logging.getLogger(__name__)

JOB_NAME = "daily_digest"
SYSTEM = StaffMember(by="sistem")  # sees every centre; sends each its own digest


def digest_time(settings: Settings) -> dt.time:
    hour, minute = (int(part) for part in settings.digest_time.split(":"))
    return dt.time(hour, minute, tzinfo=ZoneInfo(settings.timezone))


async def send_digests(application: App, now: dt.datetime | None = None) -> int:
    """Sends each centre with a staff chat its digest; returns how many were delivered."""
    rt = runtime(application)
    centres = [c for c in rt.settings.staff_chats]
    found = await staff_actions.digests(
        rt.leads, SYSTEM, centres, rt.settings.digest_stale_days, now
    )
    delivered = 0
    for digest in found:
        try:
            await send_html(
                application.bot, rt.settings.staff_chats[digest.centre], esc(digest_text(digest))
            )
            delivered += 1
        except TelegramError as exc:
            log.warning("günlük özet %s merkezine iletilemedi: %s", digest.centre, describe(exc))
    return delivered


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_digests(context.application)


def schedule_digest(
    application: App,
    settings: Settings,
    wrap: Callable[[Any, str], Any] | None = None,
) -> None:
    """`wrap(job, name)`: e.g. once across several bot processes (bot/telegram/app.py)."""
    if application.job_queue is not None:
        job = digest_job if wrap is None else wrap(digest_job, JOB_NAME)
        application.job_queue.run_daily(job, time=digest_time(settings), name=JOB_NAME)
