"""What runs first for every update of a private chat (handler group GATE_GROUP, before the
staff side and the user handlers), in this order:

0. replies kept because they could not be delivered go out first, in order
   (bot/telegram/outbox.py);
1. an edited message goes to user/edits.py and nowhere else (no handler takes an edit for
   a new message);
2. a confirmed walk whose result the user has not seen yet is finished first, as the
   answer to whatever they sent (bot/telegram/user/submission.py);
3. after the bot was killed, a typed answer written before the bot showed its question in
   this run gets the question again instead of being stored (user/resync.py).
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot.telegram import outbox
from bot.telegram.runtime import App
from bot.telegram.user import edits, resync, submission

GATE_GROUP = -3  # before the language line (-2), the staff side (-1) and the user side (0)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE or update.effective_user is None:
        return
    if context.user_data is not None and outbox.waiting(context.user_data):
        await outbox.flush(context.bot, chat.id, context.user_data)
    if update.edited_message is not None:
        await edits.on_edit(update, context)
        raise ApplicationHandlerStop
    if await submission.complete_pending(update, context):
        raise ApplicationHandlerStop
    if await resync.stale_answer(update, context):
        raise ApplicationHandlerStop


def register_gate(application: App) -> None:
    application.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
