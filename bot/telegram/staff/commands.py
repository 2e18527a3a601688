"""Staff tools in Telegram: lead lists, details, export, progress, status buttons, notes,
centre override.

Staff are configured per centre (KUME_STAFF) plus admins (KUME_ADMINS) who see everything.
Anyone else gets one neutral sentence that reveals neither data nor that the command exists
for staff; forged callback data from them changes nothing. Every change is stored with who
("tg:<user id>") and when (the store adds the time).

Handlers live in group -1, before the user conversation, and stop further processing once
they have handled an update, so a staff command never also advances a questionnaire.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from telegram import ForceReply, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.config import CENTRE_IDS, Settings
from bot.leads.facade import Leads
from bot.leads.filters import LeadFilter
from bot.leads.record import InvalidStatus, parse_status, status_label
from bot.telegram.html import esc, split_message
from bot.telegram.runtime import runtime
from bot.telegram.staff.announce import (
    STATUS_BY_CODE,
    announce_lead,
    centre_name,
    lead_html,
    lead_keyboard,
)

log = logging.getLogger("kume.bot.staff")

GROUP = -1
REFUSAL = "Bu komut kullanılamıyor."
NOT_FOUND = "Kayıt bulunamadı."
LIST_LIMIT = 50
NOTE_TTL_S = 15 * 60
MAX_NOTE = 2000


def _settings(context: ContextTypes.DEFAULT_TYPE) -> Settings:
    return runtime(context).settings


def _store(context: ContextTypes.DEFAULT_TYPE) -> Leads:
    return runtime(context).leads


def _uid(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def _by(update: Update) -> str:
    return f"tg:{_uid(update)}"


async def _refuse(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(REFUSAL)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(REFUSAL)
    raise ApplicationHandlerStop


async def _reply(update: Update, html_text: str, **kwargs: Any) -> None:
    chunks = split_message(html_text)
    for i, chunk in enumerate(chunks):
        extra = kwargs if i == len(chunks) - 1 else {}
        await update.effective_message.reply_text(chunk, parse_mode=ParseMode.HTML, **extra)


async def _get_lead(context: ContextTypes.DEFAULT_TYPE, lead_id: int) -> dict | None:
    from bot.leads.store import LeadNotFound

    try:
        return await _store(context).get(lead_id)
    except LeadNotFound:
        return None


PRIVATE_ONLY = "Bu komutu bana özel mesajla yazın."


async def _check_chat(update: Update, settings: Settings, centres: frozenset[str]) -> None:
    """Lead data goes only to a private chat or to a staff chat of the user's centres, never
    into some other group the staff member happens to share with the bot."""
    chat = update.effective_chat
    if chat is None or chat.type == "private":
        return
    allowed_chats = {settings.staff_chats[c] for c in centres if c in settings.staff_chats}
    if chat.id not in allowed_chats:
        await update.effective_message.reply_text(PRIVATE_ONLY)
        raise ApplicationHandlerStop


def _allowed(settings: Settings, uid: int | None, lead: dict) -> bool:
    centres = settings.centres_of(uid)
    if settings.is_admin(uid):
        return True
    return (lead.get("centre") or "") in centres


def _find_centre(word: str) -> str | None:
    from eligibility.text import fold

    key = fold(word).replace(" ", "")
    for centre in CENTRE_IDS:
        if key == centre:
            return centre
    try:
        from eligibility.content import get_content

        for centre in get_content().project.centres:
            if fold(centre.province).replace(" ", "") == key:
                return centre.id
    except Exception:
        pass
    return None


def _parse_date(word: str) -> dt.date | None:
    today = dt.datetime.now(dt.UTC).date()
    if word.lower() in ("bugün", "bugun"):
        return today
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(word, fmt).date()
        except ValueError:
            pass
    return None


LEADS_USAGE = (
    "Kullanım: /leads [merkez] [durum] [tarih]\n"
    "Örnek: /leads corum yeni 2026-11-01 (tarih: o günden bu yana)"
)


def parse_leads_args(args: list[str]) -> dict[str, Any]:
    """ "corum yeni 2026-11-01" → filters; ValueError with a Turkish message otherwise."""
    filters_: dict[str, Any] = {}
    words = list(args)
    i = 0
    while i < len(words):
        word = words[i]
        date = _parse_date(word)
        if date is not None:
            filters_["since"] = date
            i += 1
            continue
        centre = _find_centre(word)
        if centre is not None:
            filters_["centre"] = centre
            i += 1
            continue
        # statuses may be two words: "iletişime geçildi"
        for span in (2, 1):
            phrase = " ".join(words[i : i + span])
            try:
                filters_["status"] = parse_status(phrase)
                i += span
                break
            except InvalidStatus:
                continue
        else:
            shown = word if len(word) <= 30 else word[:30] + "…"
            raise ValueError(f"«{shown}» anlaşılamadı.\n{LEADS_USAGE}")
    return filters_


def _lead_line(lead: dict) -> str:
    created = str(lead.get("created_at") or "")[:10]
    flag = "" if lead.get("announced") else " ⚠️"
    return (
        f"<b>#{int(lead['id'])}</b> {esc(lead.get('firm') or '-')} · "
        f"{esc(lead.get('province') or '-')} · {esc(status_label(lead.get('status')))} · "
        f"{esc(created)}{flag}"
    )


async def _visible_leads(update: Update, context: ContextTypes.DEFAULT_TYPE) -> list[dict]:
    """The leads this staff member may see, filtered by the command's arguments. Refuses
    (ApplicationHandlerStop) non-staff, wrong chats, bad filters and foreign centres."""
    settings = _settings(context)
    uid = _uid(update)
    centres = settings.centres_of(uid)
    if not centres:
        await _refuse(update)
    await _check_chat(update, settings, centres)
    try:
        wanted = parse_leads_args(context.args or [])
    except ValueError as exc:
        await update.effective_message.reply_text(str(exc))
        raise ApplicationHandlerStop from None
    if wanted.get("centre") and wanted["centre"] not in centres:
        await update.effective_message.reply_text("Bu merkezin kayıtlarını göremezsiniz.")
        raise ApplicationHandlerStop
    leads = await _store(context).list(LeadFilter(**wanted))
    return [lead for lead in leads if settings.is_admin(uid) or lead.get("centre") in centres]


async def cmd_leads(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    leads = await _visible_leads(update, context)
    if not leads:
        await update.effective_message.reply_text("Bu ölçütlere uyan kayıt yok.")
        raise ApplicationHandlerStop
    shown = leads[-LIST_LIMIT:]
    lines = [f"<b>{len(leads)} kayıt</b> (ayrıntı: /lead numara)"]
    lines += [_lead_line(lead) for lead in reversed(shown)]
    if len(leads) > len(shown):
        lines.append(f"… ve {len(leads) - len(shown)} eski kayıt daha; tümü için /export")
    if any(not lead.get("announced") for lead in shown):
        lines.append("⚠️ merkeze henüz bildirilemedi")
    await _reply(update, "\n".join(lines))
    raise ApplicationHandlerStop


def _lead_id_arg(args: list[str]) -> int | None:
    if not args:
        return None
    try:
        return int(args[0].lstrip("#"))
    except ValueError:
        return None


async def cmd_lead(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    settings = _settings(context)
    uid = _uid(update)
    if not settings.is_staff(uid):
        await _refuse(update)
    await _check_chat(update, settings, settings.centres_of(uid))
    lead_id = _lead_id_arg(context.args or [])
    if lead_id is None:
        await update.effective_message.reply_text("Kullanım: /lead numara (örnek: /lead 12)")
        raise ApplicationHandlerStop
    lead = await _get_lead(context, lead_id)
    if lead is None or not _allowed(settings, uid, lead):
        await update.effective_message.reply_text(NOT_FOUND)
        raise ApplicationHandlerStop
    await _reply(update, lead_html(lead), reply_markup=lead_keyboard(lead))
    raise ApplicationHandlerStop


async def cmd_export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.leads.export import export_bytes

    leads = await _visible_leads(update, context)
    names = {c: centre_name(c) for c in CENTRE_IDS}
    data = await _store(context).compute(export_bytes, leads, "xlsx", names)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    await update.effective_message.reply_document(
        document=data,
        filename=f"basvurular-{stamp}.xlsx",
        caption=f"{len(leads)} kayıt. Kişisel veri içerir; paylaşmayın.",
    )
    raise ApplicationHandlerStop


async def cmd_durum(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    from bot.leads.progress import format_progress_tr, progress

    settings = _settings(context)
    if not settings.is_staff(_uid(update)):
        await _refuse(update)
    await _check_chat(update, settings, settings.centres_of(_uid(update)))
    p = await _store(context).call(progress)
    await _reply(update, esc(format_progress_tr(p)))
    raise ApplicationHandlerStop


async def cmd_merkez(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    settings = _settings(context)
    uid = _uid(update)
    args = context.args or []
    if not settings.is_staff(uid) or not args:
        return  # users have their own /merkez (their Knowledge Centre) in the conversation
    await _check_chat(update, settings, settings.centres_of(uid))
    lead_id = _lead_id_arg(args)
    centre = _find_centre(" ".join(args[1:])) if len(args) >= 2 else None
    if lead_id is None or centre is None:
        await update.effective_message.reply_text(
            f"Kullanım: /merkez numara merkez (merkezler: {', '.join(CENTRE_IDS)})"
        )
        raise ApplicationHandlerStop
    lead = await _get_lead(context, lead_id)
    if lead is None or not _allowed(settings, uid, lead):
        await update.effective_message.reply_text(NOT_FOUND)
        raise ApplicationHandlerStop
    lead = await _store(context).set_centre(lead_id, centre, _by(update))
    delivered = await announce_lead(context, lead)
    where = centre_name(centre)
    await update.effective_message.reply_text(
        f"#{lead_id} artık {where} kaydı."
        + ("" if delivered else " Merkeze bildirilemedi; daha sonra yeniden denenecek.")
    )
    raise ApplicationHandlerStop


async def on_status_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    settings = _settings(context)
    uid = _uid(update)
    parts = (query.data or "").split(":")
    if not settings.is_staff(uid) or len(parts) != 3:
        await _refuse(update)
    try:
        lead_id, status = int(parts[1]), STATUS_BY_CODE[parts[2]]
    except (ValueError, KeyError):
        await _refuse(update)
    lead = await _get_lead(context, lead_id)
    if lead is None or not _allowed(settings, uid, lead):
        await _refuse(update)
    if lead["status"] != status:
        lead = await _store(context).update_status(lead_id, status, _by(update))
    await query.answer(f"#{lead_id}: {status_label(status)}")
    try:
        await query.edit_message_text(
            lead_html(lead), parse_mode=ParseMode.HTML, reply_markup=lead_keyboard(lead)
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
    raise ApplicationHandlerStop


def _pending(context: ContextTypes.DEFAULT_TYPE) -> dict[int, tuple[int, float]]:
    return runtime(context).pending_notes


async def on_note_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    settings = _settings(context)
    uid = _uid(update)
    parts = (query.data or "").split(":")
    if not settings.is_staff(uid) or len(parts) != 2 or not parts[1].isdigit():
        await _refuse(update)
    lead_id = int(parts[1])
    lead = await _get_lead(context, lead_id)
    if lead is None or not _allowed(settings, uid, lead):
        await _refuse(update)
    _pending(context)[uid] = (lead_id, time.monotonic() + NOTE_TTL_S)
    await query.answer()
    # Bots in groups only see replies to their own messages (privacy mode): ForceReply
    # makes the staff member's next message such a reply.
    await query.message.reply_text(
        f"#{lead_id} için notunuzu yazın (vazgeçmek için /iptal).",
        reply_markup=ForceReply(selective=True, input_field_placeholder="Not"),
    )
    raise ApplicationHandlerStop


async def on_note_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    uid = _uid(update)
    pending = _pending(context)
    entry = pending.get(uid) if uid is not None else None
    if entry is None:
        return  # not a note: let the user conversation have it
    lead_id, expires = entry
    if time.monotonic() > expires:
        pending.pop(uid, None)
        return
    text = (update.effective_message.text or "").strip()[:MAX_NOTE]
    if not text:
        return
    pending.pop(uid, None)
    lead = await _get_lead(context, lead_id)
    if lead is None or not _allowed(_settings(context), uid, lead):
        await update.effective_message.reply_text(NOT_FOUND)
        raise ApplicationHandlerStop
    await _store(context).add_note(lead_id, text, _by(update))
    await update.effective_message.reply_text(f"#{lead_id} için not eklendi.")
    raise ApplicationHandlerStop


async def cmd_iptal(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    uid = _uid(update)
    if uid is not None and _pending(context).pop(uid, None) is not None:
        await update.effective_message.reply_text("Not eklenmedi.")
        raise ApplicationHandlerStop
    # no pending note: /iptal belongs to the user conversation


STAFF_COMMANDS = {
    "leads": cmd_leads,
    "lead": cmd_lead,
    "export": cmd_export,
    "durum": cmd_durum,
    "merkez": cmd_merkez,
}


def register_staff_handlers(application: Application) -> None:
    for name, callback in STAFF_COMMANDS.items():
        application.add_handler(CommandHandler(name, callback), group=GROUP)
    application.add_handler(CommandHandler("iptal", cmd_iptal), group=GROUP)
    application.add_handler(CallbackQueryHandler(on_status_button, pattern=r"^st:"), group=GROUP)
    application.add_handler(CallbackQueryHandler(on_note_button, pattern=r"^nt:"), group=GROUP)
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, on_note_text), group=GROUP
    )
