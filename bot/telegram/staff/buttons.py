"""The buttons under a lead card: status changes and notes (a note is the staff member's next
message, asked for with ForceReply), and /iptal for a note being written. The note being
waited for is kept in the staff member's persisted state (bot/telegram/staff/pending.py), so
the note may reach another bot process, or the bot after a restart.

Forged callback data from anyone who is not staff, or for a lead outside the member's
centres, changes nothing and gets the neutral refusal.
"""

from __future__ import annotations

from telegram import ForceReply, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import crashpoints
from bot.leads import staff as ops
from bot.leads.record import status_label
from bot.leads.staff import StaffMember
from bot.leads.store import LeadNotFound
from bot.telegram import callbacks
from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply, send_html
from bot.telegram.staff import pending
from bot.telegram.staff.access import is_private, member, refuse, staff_only
from bot.telegram.staff.cards import STATUS_BY_CODE, announcement_html, lead_html, lead_keyboard
from bot.telegram.staff.commands import NOT_FOUND


@staff_only(check_chat=False)
async def on_status_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> None:
    query = update.callback_query
    assert query is not None
    parts = callbacks.decode(query.data, callbacks.STATUS) or []
    if len(parts) != 2 or not parts[0].isdigit() or parts[1] not in STATUS_BY_CODE:
        await refuse(update, context)
    lead_id, status = int(parts[0]), STATUS_BY_CODE[parts[1]]
    rt = runtime(context)
    try:
        change = await ops.set_status(rt.leads, staff, lead_id, status)
        lead = change.lead
        if change.changed and not lead.get("owner"):
            # the one who acts on an unowned lead follows it up (setting a status sets it)
            lead = await rt.leads.set_followup(lead_id, owner=staff.by)
    except LeadNotFound:
        await refuse(update, context)
    await query.answer(f"#{lead_id}: {status_label(status)}")
    # a group sees the announcement again, never the contact details
    html = lead_html(lead) if is_private(update) else announcement_html(lead, last_change=True)
    try:
        await query.edit_message_text(
            html,
            parse_mode=ParseMode.HTML,
            reply_markup=lead_keyboard(lead),
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


@staff_only(check_chat=False)
async def on_note_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, staff: StaffMember
) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    parts = callbacks.decode(query.data, callbacks.NOTE) or []
    if len(parts) != 1 or not parts[0].isdigit():
        await refuse(update, context)
    lead_id = int(parts[0])
    try:
        await ops.get(runtime(context).leads, staff, lead_id)
    except LeadNotFound:
        await refuse(update, context)
    pending.ask_note(context.user_data, lead_id)
    await query.answer()
    # Bots in groups only see replies to their own messages (privacy mode): ForceReply
    # makes the staff member's next message such a reply.
    message = query.message
    if message is not None:
        await send_html(
            context.bot,
            message.chat.id,
            esc(f"#{lead_id} için notunuzu yazın (vazgeçmek için /iptal)."),
            ForceReply(selective=True, input_field_placeholder="Not"),
            quote=message.message_id,
        )
    await pending.keep_now(update, context)


async def on_note_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The text after a note button; anything else goes on to the user conversation."""
    rt = runtime(context)
    user, ref = update.effective_user, pending.message_ref(update)
    entry = pending.note(context.user_data)
    if entry is None or user is None or ref is None:
        return
    if entry.stored is not None:
        if entry.stored == ref and update.message is not None:
            # this very message again: its update was handled up to here before a crash
            await reply(update, context, esc(f"#{entry.lead_id} için not eklendi."))
            raise ApplicationHandlerStop
        pending.drop_note(context.user_data)  # the dialogue is over: a message like any
        return
    text = ((update.effective_message.text if update.effective_message else None) or "").strip()
    staff = member(rt.settings, user.id)
    if not text or staff is None:
        return
    try:
        await ops.add_note(rt.leads, staff, entry.lead_id, text, ref=ref)
        crashpoints.reached("after_note_write")
    except LeadNotFound:
        pending.drop_note(context.user_data)
        await reply(update, context, esc(NOT_FOUND))
        await pending.keep_now(update, context)
        raise ApplicationHandlerStop from None
    pending.note_stored(context.user_data, entry, ref)
    await reply(update, context, esc(f"#{entry.lead_id} için not eklendi."))
    await pending.keep_now(update, context)
    raise ApplicationHandlerStop


async def cmd_iptal(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/iptal while a note is being written drops the note; otherwise it is the user's."""
    entry = pending.note(context.user_data)
    if entry is None:
        return
    pending.drop_note(context.user_data)
    if entry.stored is None:
        await reply(update, context, esc("Not eklenmedi."))
        await pending.keep_now(update, context)
        raise ApplicationHandlerStop
