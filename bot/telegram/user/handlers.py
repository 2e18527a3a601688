"""Registers the user side (private chats only) and routes what is not a command: plain text
by the conversation's mode, buttons by their code; whatever else arrives - forwarded
messages, unknown commands, stickers, photos, voice, shared contacts and locations - gets
an answer from user/fallback.py (never silent), edits one from user/edits.py (through
user/gate.py, which runs first)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram import callbacks
from bot.telegram.html import esc
from bot.telegram.runtime import App
from bot.telegram.sender import reply
from bot.telegram.user import budget, chats, fallback, my_data, render, topics, walk
from bot.telegram.user import keyboards as kb
from bot.telegram.user.gate import register_gate
from bot.telegram.user.menu import cancel, help_command, menu, programme, show_menu, start, state_of
from bot.telegram.user.share import closing
from eligibility import questionnaire as q
from eligibility.conversation import get_conversation

LANGUAGE_GROUP = -2  # after the gate (-3), before the staff side (-1) and the user side (0)

Action = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]

MENU_ACTIONS: dict[str, Action] = {
    "prog": programme,
    "kume": walk.start_kume,
    "firma": walk.start_firma,
    "merkez": topics.ask_province,
    "sss": topics.faq_list,
    "hesap": budget.budget_start,
    "veri": my_data.my_data,
    "home": show_menu,
    "devam": walk.resume_walk,
}
STARTS_SOMETHING_NEW = ("kume", "firma", "merkez", "hesap")  # a paused walk is dropped


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every plain text message of a private chat, routed by the conversation's mode.
    Navigation words work in every mode, the top menu included. (Forwarded messages never
    get here: user/fallback.py takes them first.)"""
    text = (update.effective_message.text if update.effective_message else None) or ""
    state = state_of(context)
    mode = state.mode
    if mode == "q":
        await walk.answer_text(update, context, text)
        return
    wanted = q.intent(text)
    if mode == "budget":
        if wanted in ("menu", "leave"):
            await show_menu(update, context)  # the estimate stays; /hesapla starts afresh
        else:
            await budget.answer_budget(update, context, text)
    elif mode == "centre" and wanted is None:
        await topics.answer_province(update, context, text)
    elif wanted == "help":
        await help_command(update, context)
    elif wanted == "back" and mode is None and state.has_walk:
        await walk.resume_walk(update, context)  # "geri" at the menu: back into the walk
    elif wanted is not None:
        note = get_conversation().navigation.at_menu if wanted == "back" else None
        await reply(update, context, esc(note or render.menu_prompt()), menu(context))
    else:
        await topics.free_text(update, context, text)


async def _remove_keyboard(update: Update) -> None:
    """Drop the buttons of the message whose button was pressed, so it cannot be pressed
    twice; failures (message too old, already edited) do not matter."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        pass


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """All user buttons ("u:…"; codes in keyboards.py)."""
    query = update.callback_query
    assert query is not None
    # The answer that stops the button's spinner goes out alongside the reply, not before
    # it: neither waits for the other, and one Bot API round trip less per press is about a
    # tenth of the bot's throughput when calls are slow.
    answering = asyncio.create_task(_answer_query(query))
    try:
        await _on_button(update, context, query)
    finally:
        await answering


async def _answer_query(query: CallbackQuery) -> None:
    try:
        await query.answer()
    except TelegramError:  # e.g. "query is too old" after a restart: still act on it
        pass


async def _on_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery
) -> None:
    parts = kb.parse_cb(query.data)
    if not parts:
        return
    section, rest = parts[0], parts[1:]
    if section == kb.DELETE:
        # The deletion confirmation is one-shot. Question buttons keep their keyboard: an
        # old press is recognised and the current question re-shown, and removing it cost
        # one more Bot API call per answer (a third of the bot's throughput under load).
        await _remove_keyboard(update)
    if section == kb.MENU and rest and rest[0] in MENU_ACTIONS:
        if rest[0] in STARTS_SOMETHING_NEW:
            state_of(context).clear_walk()
        await closing(MENU_ACTIONS[rest[0]])(update, context)
    elif section == kb.QUESTION:
        await walk.on_question_button(update, context, rest)
    elif section == kb.BUDGET:
        await budget.on_budget_button(update, context, rest)
    elif section == kb.LOCATION and rest:
        await walk.confirm_location(update, context, rest[0] == "y")
    elif section == kb.FAQ and rest:
        await topics.faq_answer(update, context, rest[0])
    elif section == kb.DELETE and rest and rest[0] == "y":
        await my_data.delete_confirmed(update, context)
    elif section == kb.DELETE and rest:
        await my_data.delete_cancelled(update, context)


def register_user_handlers(application: App) -> None:
    """Add the user-facing handlers (private chats only; staff chats are the staff side's)."""
    private = filters.ChatType.PRIVATE
    register_gate(application)
    # Before any answer: the one line for a user whose Telegram is not in Turkish.
    application.add_handler(TypeHandler(Update, chats.tell_language), group=LANGUAGE_GROUP)
    application.add_handlers(
        [
            fallback.forwarded_handler(),  # first: a forwarded command is no command either
            CommandHandler("start", closing(start), filters=private),
            CommandHandler("menu", closing(show_menu), filters=private),
            CommandHandler(["iptal", "cancel"], closing(cancel), filters=private),
            CommandHandler("verilerim", closing(my_data.my_data), filters=private),
            CommandHandler("sil", closing(my_data.delete_request), filters=private),
            CommandHandler("hesapla", closing(budget.budget_start), filters=private),
            CommandHandler("uygunluk", closing(walk.start_kume), filters=private),
            CommandHandler("ihtiyac", closing(walk.start_firma), filters=private),
            CommandHandler("merkez", closing(topics.ask_province), filters=private),
            CommandHandler("sss", closing(topics.faq_list), filters=private),
            CommandHandler("program", closing(programme), filters=private),
            CommandHandler(["yardim", "help"], closing(help_command), filters=private),
            CallbackQueryHandler(on_button, pattern=callbacks.pattern(callbacks.USER)),
            MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_text),
            MessageHandler(
                filters.ChatType.GROUPS & (filters.COMMAND | filters.Entity("mention")),
                chats.in_group,
            ),
        ]
    )
    fallback.register_fallbacks(application)  # last: what nothing above took
