"""The one way the bot sends text: Telegram HTML, split under the 4096-character limit, the
keyboard on the last part, no link previews.

In a group (a staff chat) a reply quotes the message it answers, as Telegram's own
`reply_text` does, so that in a busy staff chat it is clear which command was answered. In a
private chat a reply that cannot be delivered even after the retries of bot/telegram/retry.py
is kept and sent with the user's next message (bot/telegram/outbox.py).
"""

from __future__ import annotations

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.ext import ContextTypes

from bot.telegram.html import split_message
from bot.telegram.outbox import send_or_keep

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

Keyboard = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply


async def send_html(
    bot: Bot,
    chat_id: int,
    text: str,
    keyboard: Keyboard | None = None,
    *,
    quote: int | None = None,
) -> Message:
    """Sends `text` (Telegram HTML) to `chat_id`; returns the last message sent."""
    parts = split_message(text) or [text]
    last: Message | None = None
    for i, part in enumerate(parts):
        final = i == len(parts) - 1
        last = await bot.send_message(
            chat_id=chat_id,
            text=part,
            parse_mode=ParseMode.HTML,
            link_preview_options=NO_PREVIEW,
            reply_markup=keyboard if final else None,
            reply_parameters=(
                ReplyParameters(message_id=quote, allow_sending_without_reply=True)
                if quote is not None and i == 0
                else None
            ),
        )
    assert last is not None
    return last


async def reply(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    text: str,
    keyboard: Keyboard | None = None,
) -> Message | None:
    """Answers in the chat of `update` (nothing when the update has no chat)."""
    chat = update.effective_chat
    if chat is None:
        return None
    if chat.type == ChatType.PRIVATE and context.user_data is not None:
        # A user's reply is never lost: kept for their next message if it cannot go now.
        return await send_or_keep(context.bot, chat.id, text, keyboard, context.user_data)
    message = update.effective_message
    quote = None
    if chat.type != ChatType.PRIVATE and message is not None and update.callback_query is None:
        quote = message.message_id
    return await send_html(context.bot, chat.id, text, keyboard, quote=quote)
