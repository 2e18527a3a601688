"""Registers the staff side: commands, card buttons and note texts, all in group -1 (see
bot/telegram/staff/access.py)."""

from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.telegram import callbacks
from bot.telegram.runtime import App
from bot.telegram.staff.access import GROUP
from bot.telegram.staff.buttons import cmd_iptal, on_note_button, on_note_text, on_status_button
from bot.telegram.staff.commands import STAFF_COMMANDS


def register_staff_handlers(application: App) -> None:
    for name, callback in STAFF_COMMANDS.items():
        application.add_handler(CommandHandler(name, callback), group=GROUP)
    application.add_handler(CommandHandler("iptal", cmd_iptal), group=GROUP)
    status = callbacks.pattern(callbacks.STATUS)
    note = callbacks.pattern(callbacks.NOTE)
    from bot.telegram.staff.kvkk import on_erase_button

    application.add_handler(
        CallbackQueryHandler(on_erase_button, pattern=callbacks.pattern(callbacks.ERASE)),
        group=GROUP,
    )
    application.add_handler(CallbackQueryHandler(on_status_button, pattern=status), group=GROUP)
    application.add_handler(CallbackQueryHandler(on_note_button, pattern=note), group=GROUP)
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.COMMAND, on_note_text), group=GROUP
    )
