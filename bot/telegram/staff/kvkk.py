"""/bul (find a lead by phone or e-mail) and /kvkksil (erase it for a data-subject request),
private chats only. Erasing asks for a confirmation button; the audit entry (who, when,
which number, why; no personal data) outlives the lead (bot/leads/staff_actions.py)."""

from __future__ import annotations

import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.leads import staff as ops
from bot.leads import staff_actions
from bot.leads.record import status_label
from bot.leads.staff import StaffMember
from bot.leads.store import LeadNotFound
from bot.telegram import callbacks
from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.staff.access import refuse, staff_only
from eligibility.staff_words import staff_text

CONFIRM_TTL_S = 10 * 60


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    await reply(update, context, esc(text))


@staff_only(private_only=True)
async def cmd_bul(update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember) -> None:
    text = " ".join(context.args or [])
    if not text:
        await _say(update, context, staff_text("find.usage"))
        return
    try:
        found = await staff_actions.find_by_contact(runtime(context).leads, staff, text)
    except ops.StaffInputError as exc:
        await _say(update, context, f"{exc}\n{staff_text('find.usage')}")
        return
    if not found:
        await _say(update, context, staff_text("find.none"))
        return
    lines = [esc(staff_text("find.found", count=len(found)))]
    for lead in found:
        lines.append(
            f"<b>#{int(lead['id'])}</b> {esc(lead.get('firm') or '-')} · "
            f"{esc(lead.get('province') or '-')} · {esc(status_label(lead.get('status')))}"
        )
    await reply(update, context, "\n".join(lines))


@staff_only(private_only=True)
async def cmd_kvkksil(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> None:
    args = context.args or []
    try:
        lead_id = ops.parse_lead_id(args[0]) if args else None
    except ops.StaffInputError:
        lead_id = None
    reason = " ".join(" ".join(args[1:]).split())
    if lead_id is None:
        await _say(update, context, staff_text("delete.usage"))
        return
    if not reason:
        await _say(
            update, context, f"{staff_text('delete.reason_missing')}\n{staff_text('delete.usage')}"
        )
        return
    rt = runtime(context)
    try:
        await ops.get(rt.leads, staff, lead_id)
    except LeadNotFound:
        await _say(update, context, staff_text("common.not_found"))
        return
    assert update.effective_user is not None
    rt.pending_erasures[update.effective_user.id] = (
        lead_id,
        reason,
        time.monotonic() + CONFIRM_TTL_S,
    )
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    staff_text("delete.yes"),
                    callback_data=callbacks.encode(callbacks.ERASE, lead_id, "y"),
                ),
                InlineKeyboardButton(
                    staff_text("delete.no"),
                    callback_data=callbacks.encode(callbacks.ERASE, lead_id, "n"),
                ),
            ]
        ]
    )
    await reply(
        update, context, esc(staff_text("delete.confirm", id=lead_id, reason=reason)), keyboard
    )


@staff_only(private_only=True)
async def on_erase_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    parts = callbacks.decode(query.data, callbacks.ERASE) or []
    rt = runtime(context)
    pending = rt.pending_erasures.pop(update.effective_user.id, None)
    if len(parts) != 2 or not parts[0].isdigit() or pending is None:
        await refuse(update, context)
    lead_id, reason, expires = pending
    if int(parts[0]) != lead_id or time.monotonic() > expires:
        await refuse(update, context)
    await query.answer()
    if parts[1] != "y":
        await query.edit_message_text(esc(staff_text("delete.cancelled")))
        return
    try:
        await staff_actions.erase(rt.leads, staff, lead_id, reason)
    except LeadNotFound:
        await query.edit_message_text(esc(staff_text("common.not_found")))
        return
    await query.edit_message_text(esc(staff_text("delete.done", id=lead_id)))
