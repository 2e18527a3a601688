"""A minimal python-telegram-bot application: the yardstick for bench/bench_bot.py.

/start answers with one inline button; the button asks a question; any text answer gets a
short reply with the button again. Same transport settings as the real bot (rate limiter,
concurrent updates, time-outs) but no persistence, no store, no questionnaire engine, so
the difference in throughput is what our bot's own work costs.

Run on its own: TELEGRAM_BOT_TOKEN=... TELEGRAM_BASE_URL=... .venv/bin/python bench/reference_bot.py
"""

from __future__ import annotations

import os
import sys

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

BUTTON = InlineKeyboardMarkup([[InlineKeyboardButton("Soru sor", callback_data="ask")]])
MAX_CONCURRENT_UPDATES = 256


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(
        "Merhaba! Başlamak için düğmeye basın.", reply_markup=BUTTON
    )


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer()
    await update.effective_message.reply_text("Firmanızın adı nedir?")


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text("Teşekkürler, kaydettim.", reply_markup=BUTTON)


def build_reference_application(
    token: str,
    base_url: str,
    rate_limiter: AIORateLimiter | None = None,
    timeout: float = 10,
    pool_size: int | None = None,
) -> Application:
    builder = ApplicationBuilder()
    if pool_size:  # python-telegram-bot's default is 256 connections
        builder = builder.connection_pool_size(pool_size)
    app = (
        builder.token(token)
        .base_url(base_url)
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=3))
        .concurrent_updates(MAX_CONCURRENT_UPDATES)
        .connect_timeout(timeout)
        .read_timeout(timeout)
        .write_timeout(timeout)
        .pool_timeout(timeout)
        .get_updates_connect_timeout(timeout)
        .get_updates_pool_timeout(timeout)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(ask, pattern="^ask$"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, answer))
    return app


def main() -> int:
    token = os.environ["TELEGRAM_BOT_TOKEN"]
    base_url = os.environ.get("TELEGRAM_BASE_URL", "https://api.telegram.org/bot")
    build_reference_application(token, base_url).run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
