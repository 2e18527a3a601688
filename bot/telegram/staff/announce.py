"""Announcing new leads to their Knowledge Centre's staff chat, and retrying failed ones.

The announcement carries no personal data (bot/telegram/staff/cards.py `announcement_html`):
staff open the contact details with /lead N in a private chat. Before it is sent the lead is
compared with the earlier ones (bot/leads/duplicates.py) and a probable duplicate is named by
its number.

The lead is always stored before `announce_lead` is called, so a failed announcement loses
nothing: it is marked undelivered (`announced=False`) and `retry_job` tries again later. Logs
carry the lead id and the error type only, never personal data.
"""

from __future__ import annotations

import datetime as dt
import logging

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.leads.duplicates import Duplicate, flag_duplicates
from bot.leads.filters import LeadFilter
from bot.leads.record import Lead, parse_iso
from bot.leads.store import LeadNotFound
from bot.telegram.errors import describe
from bot.telegram.runtime import Runtime, runtime
from bot.telegram.sender import send_html
from bot.telegram.staff.cards import announcement_html, lead_keyboard
from eligibility.staff_words import staff_text

log = logging.getLogger("kume.bot.notify")

RETRY_BATCH = 20  # per run, so a long outage does not turn into a burst


async def announce_lead(rt: Runtime, bot: Bot, lead: Lead) -> bool:
    """Sends a stored lead to its centre's staff chat; True when delivered. Never raises for
    Telegram problems: the outcome is recorded with the store's mark_announced."""
    lead_id = int(lead["id"])
    chat_id = rt.settings.staff_chats.get(lead.get("centre") or "")
    delivered = False
    if chat_id is None:
        log.warning("başvuru #%d: merkezin personel sohbeti tanımlı değil", lead_id)
    else:
        try:
            found = await rt.leads.call(flag_duplicates, lead_id)
        except Exception as exc:  # e.g. erased meanwhile: announce without the comparison
            log.warning("başvuru #%d mükerrer kontrolü yapılamadı: %s", lead_id, type(exc).__name__)
            found = []
        html = announcement_html(lead, duplicates_text(found))
        try:
            await send_html(bot, chat_id, html, lead_keyboard(lead))
            delivered = True
        except TelegramError as exc:
            log.warning("başvuru #%d merkeze iletilemedi: %s", lead_id, describe(exc))
    try:
        await rt.leads.mark_announced(lead_id, delivered)
    except Exception as exc:  # e.g. the lead was erased meanwhile
        log.warning("başvuru #%d duyuru durumu kaydedilemedi: %s", lead_id, type(exc).__name__)
    return delivered


def _first_attempt_over(lead: Lead, settings: Settings) -> bool:
    """A lead whose first announcement is still on its way (maybe in another bot process on
    the same database) is not retried: it failed once, or it is older than a retry interval
    (the process that saved it died before trying)."""
    if int(lead.get("announce_attempts") or 0) > 0:
        return True
    age = dt.datetime.now(dt.UTC) - parse_iso(str(lead["created_at"]))
    return age > dt.timedelta(seconds=settings.announce_retry_seconds)


async def announce_saved_lead(rt: Runtime, bot: Bot, lead_id: int) -> bool | None:
    """The automatic announcement of a stored lead (after it was saved, and by the retry
    job): True delivered, False failed, None nothing to do. One at a time per lead in this
    process, and read afresh: a save repeated after a crash, or the retry job running while
    the first announcement is on its way, never announces a lead a second time. (A copy is
    still possible where an earlier attempt's outcome is unknown: the bot killed between
    Telegram's answer and mark_announced, or an answer lost in a time-out; staff then see
    the same number twice rather than not at all.)"""
    if lead_id in rt.announcing:
        return None
    rt.announcing.add(lead_id)
    try:
        try:
            lead = await rt.leads.get(lead_id)
        except LeadNotFound:  # erased meanwhile (/sil, retention)
            return None
        if lead["announced"]:
            return None
        return await announce_lead(rt, bot, lead)
    finally:
        rt.announcing.discard(lead_id)


async def retry_undelivered(rt: Runtime, bot: Bot, limit: int = RETRY_BATCH) -> tuple[int, int]:
    """Tries again to announce undelivered leads; returns (delivered, still failing)."""
    leads = await rt.leads.list(LeadFilter(undelivered=True))
    # Leads of a centre without a staff chat wait until one is configured (no log noise).
    leads = [lead for lead in leads if (lead.get("centre") or "") in rt.settings.staff_chats]
    leads = [lead for lead in leads if _first_attempt_over(lead, rt.settings)]
    ok = failed = 0
    for lead in leads[:limit]:
        outcome = await announce_saved_lead(rt, bot, int(lead["id"]))
        if outcome:
            ok += 1
        elif outcome is False:
            failed += 1
    if ok or failed:
        log.info("duyuru tekrarı: %d iletildi, %d iletilemedi", ok, failed)
    return ok, failed


async def retry_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await retry_undelivered(runtime(context), context.bot)


def duplicates_text(found: list[Duplicate]) -> str:
    """ "⚠️ Olası mükerrer: #3 ile aynı telefon." (numbers and what matched, nothing else)."""
    if not found:
        return ""
    what = {
        "phone": "announce.duplicate_phone",
        "email": "announce.duplicate_email",
        "firm": "announce.duplicate_firm",
    }
    # each reason once, in the order first met (looked up once, not once per duplicate)
    whys = dict.fromkeys(why for duplicate in found for why in duplicate.why)
    reasons = list(dict.fromkeys(staff_text(what[why]) for why in whys))
    ids = ", ".join(f"#{d.lead_id}" for d in found)
    return staff_text("announce.duplicate", ids=ids, what=staff_text("announce.and").join(reasons))
