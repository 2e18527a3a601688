"""Chats that are not a simple private text: a group (the bot answers only in private chats
and says so once per group, with a link to itself), a forwarded message (someone else's
words: never an answer to a question), a user whose Telegram language is not Turkish
(Turkish anyway, and one line saying so, once)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.telegram.html import esc, link
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.staff.commands import STAFF_COMMANDS
from eligibility.conversation import get_conversation, say

TOLD_LANGUAGE = "told_language"  # user_data: the language line was shown
TOLD_PRIVATE = "told_private"  # chat_data of a group: the private-only line was shown


async def tell_language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before the answer to any private update (its own handler group)."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    code = (user.language_code or "").lower()
    data = context.user_data
    if not code or code.startswith("tr") or data is None or data.get(TOLD_LANGUAGE):
        return
    data[TOLD_LANGUAGE] = True
    await reply(update, context, esc(get_conversation().language_notice))


def _command(update: Update) -> str | None:
    message = update.effective_message
    text = (message.text or "") if message is not None else ""
    if not text.startswith("/"):
        return None
    return text.split()[0][1:].split("@")[0].lower()


async def in_group(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A user command or a mention of the bot in a group: private chats only, said once.
    Staff chats and staff commands belong to the staff side (bot/telegram/staff)."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    if chat.id in runtime(context).settings.staff_chats.values():
        return
    if _command(update) in STAFF_COMMANDS:
        return
    data = context.chat_data
    if data is None or data.get(TOLD_PRIVATE):
        return
    data[TOLD_PRIVATE] = True
    username = context.bot.username
    address = f"https://t.me/{username}"
    text = esc(say(get_conversation().private_only, link="\x00"))
    await reply(update, context, text.replace("\x00", link(address, f"@{username}")))


def is_forwarded(update: Update) -> bool:
    message = update.effective_message
    return message is not None and message.forward_origin is not None


async def forwarded_in_walk(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, esc(get_conversation().forwarded.in_walk))


async def forwarded_note(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, f"<i>{esc(get_conversation().forwarded.free)}</i>")
