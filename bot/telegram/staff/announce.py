"""Announcing new leads to their Knowledge Centre's staff chat, and retrying failed ones.

The lead is always stored before `announce_lead` is called, so a failed announcement loses
nothing: it is marked undelivered (`announced=False`) and `retry_job` tries again later. Logs
carry the lead id and the error type only, never personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.leads.facade import Leads
from bot.leads.filters import LeadFilter
from bot.leads.record import STATUS_LABELS, Status, status_label
from bot.telegram.errors import describe
from bot.telegram.html import callback_data, esc
from bot.telegram.runtime import runtime

log = logging.getLogger("kume.bot.notify")

MAX_NEEDS_CHARS = 1500
RETRY_BATCH = 20  # per run, so a long outage does not turn into a burst

STATUS_CODES = {  # short codes keep callback data far below 64 bytes
    Status.YENI: "y",
    Status.ILETISIME_GECILDI: "i",
    Status.KUMEYE_KATILDI: "k",
    Status.ILGILENMIYOR: "n",
}
STATUS_BY_CODE = {code: str(status) for status, code in STATUS_CODES.items()}


def centre_name(centre_id: str | None) -> str:
    if not centre_id:
        return "-"
    try:
        from eligibility.content import get_content

        for centre in get_content().project.centres:
            if centre.id == centre_id:
                return f"{centre.province} Kümelenme Bilgi Merkezi"
    except Exception:  # content problems must not stop an announcement
        pass
    return centre_id


def lead_html(lead: Mapping[str, Any], *, full: bool = True) -> str:
    """The lead for staff, Telegram HTML; every stored value is escaped."""

    def field(label: str, key: str) -> str | None:
        value = lead.get(key)
        return f"<b>{label}:</b> {esc(value)}" if value else None

    needs = str(lead.get("needs_text") or "")
    if len(needs) > MAX_NEEDS_CHARS:
        needs = needs[:MAX_NEEDS_CHARS] + "…"
    lines = [
        f"🆕 <b>Başvuru #{int(lead['id'])}</b> — {esc(status_label(lead.get('status')))}",
        field("Firma", "firm"),
        field("Yetkili", "contact_name"),
        field("Telefon", "phone"),
        field("E-posta", "email"),
        field("İl", "province"),
        f"<b>Bilgi Merkezi:</b> {esc(centre_name(lead.get('centre')))}"
        + (" (elle yönlendirildi)" if lead.get("centre_override") else ""),
        field("Sektör", "sector"),
        field("Çalışan sayısı", "size_band"),
        field("Görevi", "role"),
    ]
    if lead.get("matched_activities"):
        lines.append(f"<b>Eşleşen faaliyetler:</b> {esc(', '.join(lead['matched_activities']))}")
    if needs:
        lines.append(f"<b>İhtiyaç:</b> {esc(needs)}")
    if full:
        for note in lead.get("notes") or []:
            lines.append(f"📝 {esc(note.get('text'))} — <i>{esc(note.get('by'))}</i>")
        history = lead.get("history") or []
        if history:
            last = history[-1]
            lines.append(
                f"<i>Son değişiklik: {esc(status_label(last.get('status')))}, "
                f"{esc(last.get('by'))}, {esc(str(last.get('at', ''))[:16])}</i>"
            )
    return "\n".join(line for line in lines if line)


def lead_keyboard(lead: Mapping[str, Any]) -> InlineKeyboardMarkup:
    lead_id = int(lead["id"])
    current = lead.get("status")
    buttons = [
        InlineKeyboardButton(
            ("• " if status == current else "") + label,
            callback_data=callback_data("st", lead_id, STATUS_CODES[Status(status)]),
        )
        for status, label in STATUS_LABELS.items()
    ]
    return InlineKeyboardMarkup(
        [
            buttons[:2],
            buttons[2:],
            [InlineKeyboardButton("📝 Not ekle", callback_data=callback_data("nt", lead_id))],
        ]
    )


def _parts(app_or_bot: Any) -> tuple[Bot, Settings | None, Leads | None]:
    if isinstance(app_or_bot, Bot):
        return app_or_bot, None, None
    # Application and CallbackContext both have .bot and .bot_data
    rt = runtime(app_or_bot)
    return app_or_bot.bot, rt.settings, rt.leads


async def announce_lead(
    app_or_bot: Application | ContextTypes.DEFAULT_TYPE | Bot,
    lead: Mapping[str, Any],
    *,
    settings: Settings | None = None,
    store: Any = None,
) -> bool:
    """Send a stored lead to its centre's staff chat; True when delivered.

    Never raises for Telegram problems: the outcome is recorded with store.mark_announced.
    """
    bot, app_settings, app_store = _parts(app_or_bot)
    settings = settings or app_settings
    store = store or app_store
    if settings is None or store is None:
        raise ValueError("announce_lead needs settings and a store (pass an Application)")
    lead_id = int(lead["id"])
    chat_id = settings.staff_chats.get(lead.get("centre") or "")
    delivered = False
    if chat_id is None:
        log.warning("başvuru #%d: merkezin personel sohbeti tanımlı değil", lead_id)
    else:
        try:
            await bot.send_message(
                chat_id,
                lead_html(lead, full=False),
                parse_mode=ParseMode.HTML,
                reply_markup=lead_keyboard(lead),
            )
            delivered = True
        except TelegramError as exc:
            log.warning("başvuru #%d merkeze iletilemedi: %s", lead_id, describe(exc))
    try:
        await store.mark_announced(lead_id, delivered)
    except Exception as exc:  # e.g. the lead was erased meanwhile
        log.warning("başvuru #%d duyuru durumu kaydedilemedi: %s", lead_id, type(exc).__name__)
    return delivered


async def retry_undelivered(app_or_context: Any, limit: int = RETRY_BATCH) -> tuple[int, int]:
    """Try again to announce undelivered leads; returns (delivered, still failing)."""
    _, settings, store = _parts(app_or_context)
    leads = await store.list(LeadFilter(undelivered=True))
    # Leads of a centre without a staff chat wait until one is configured (no log noise).
    leads = [lead for lead in leads if (lead.get("centre") or "") in settings.staff_chats]
    ok = failed = 0
    for lead in leads[:limit]:
        if await announce_lead(app_or_context, lead):
            ok += 1
        else:
            failed += 1
    if ok or failed:
        log.info("duyuru tekrarı: %d iletildi, %d iletilemedi", ok, failed)
    return ok, failed


async def retry_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await retry_undelivered(context)
