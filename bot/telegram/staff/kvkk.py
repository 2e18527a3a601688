"""/bul (find a lead by phone or e-mail) and /kvkksil (erase it for a data-subject request),
private chats only. Erasing asks for a confirmation button; the audit entry (who, when,
which number, why; no personal data) outlives the lead (bot/leads/staff_actions.py).

The erasure waiting for its button is kept in the staff member's persisted state
(bot/telegram/staff/pending.py), so the button may reach another bot process, or the bot
after a restart. It is erased once: the first press takes the waiting erasure out of the
state (a second press, in any process, finds none), and the store deletes the lead and
writes its audit entry in one change, which fails for a lead already gone."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import crashpoints
from bot.leads import staff as ops
from bot.leads import staff_actions
from bot.leads.facade import Leads
from bot.leads.record import status_label
from bot.leads.staff import StaffMember
from bot.leads.store import LeadNotFound
from bot.telegram import callbacks
from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.staff import pending
from bot.telegram.staff.access import refuse, staff_only
from eligibility.staff_words import staff_text


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
    pending.ask_erasure(context.user_data, lead_id, reason)
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
    await pending.keep_now(update, context)


@staff_only(private_only=True)
async def on_erase_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> None:
    query = update.callback_query
    assert query is not None
    parts = callbacks.decode(query.data, callbacks.ERASE) or []
    rt = runtime(context)
    waiting = pending.take_erasure(context.user_data)  # any press answers it, once
    if len(parts) != 2 or not parts[0].isdigit() or waiting is None:
        await refuse(update, context)
    if int(parts[0]) != waiting.lead_id:
        await refuse(update, context)
    await query.answer()
    if parts[1] != "y":
        await _edit(query, staff_text("delete.cancelled"))
    else:
        try:
            await staff_actions.erase(rt.leads, staff, waiting.lead_id, waiting.reason)
            crashpoints.reached("after_erase_write")
            done = True
        except LeadNotFound:
            # Gone already: erased by this very press, handled again after a crash before
            # its state was written (the audit log says so), or by someone else.
            done = await _erased(rt.leads, waiting.lead_id)
        text = staff_text("delete.done", id=waiting.lead_id) if done else None
        await _edit(query, text or staff_text("common.not_found"))
    await pending.keep_now(update, context)


async def _edit(query: CallbackQuery, text: str) -> None:
    """The confirmation message says what happened (already so: the press handled again)."""
    try:
        await query.edit_message_text(esc(text))
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def _erased(leads: Leads, lead_id: int) -> bool:
    """An erasure of this number is in the audit log (numbers are never given again)."""
    return any(
        entry.get("action") == "delete" and entry.get("lead_id") == lead_id
        for entry in await leads.audit_log()
    )
