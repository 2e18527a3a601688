"""`kume bot [--webhook]`: runs the Telegram bot (long polling by default).

With --webhook the bot listens on KUME_WEBHOOK_LISTEN:KUME_WEBHOOK_PORT for Telegram's calls
to KUME_WEBHOOK_URL; KUME_WEBHOOK_SECRET is required and python-telegram-bot answers 403 to
any request without the matching X-Telegram-Bot-Api-Secret-Token header.

The bot refuses to start on a demo configuration (the operator or the KVKK data controller
not named in the operator file): `kume doctor` lists what a deployment still lacks.
"""

from __future__ import annotations

import argparse
import logging
import os
from urllib.parse import urlparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "bot",
        help="Telegram botunu çalıştırır",
        description="Telegram botunu çalıştırır (varsayılan: uzun yoklama / long polling).",
    )
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="webhook ile çalış (KUME_WEBHOOK_URL ve KUME_WEBHOOK_SECRET gerekir)",
    )
    parser.add_argument("--env-file", default=".env", help="ayar dosyası (varsayılan: .env)")
    parser.set_defaults(func=run_bot)


def run_bot(args: argparse.Namespace) -> int:
    from bot.cli.errors import CliError
    from bot.config import Settings, SettingsError

    try:
        settings = Settings.from_env(dotenv_path=args.env_file)
        settings.require_token()
        if args.webhook:
            settings.require_webhook()
        # Personal data is collected only under a named operator and data controller.
        settings.require_operator()
    except SettingsError as exc:
        raise CliError(str(exc)) from None

    # Everything this process writes (leads, conversation state, exports) is personal data.
    os.umask(0o077)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL, and those contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    from telegram import Update

    from bot.leads.store import StoreError
    from bot.telegram.app import build_application

    try:
        application = build_application(settings)
    except StoreError as exc:  # e.g. the database schema is older than this program
        raise CliError(f"bot başlatılamadı: {exc}") from None
    if args.webhook and settings.database_url:
        # Several processes on one database: each update answered once handled (see there).
        from bot.telegram.webhook import run_shared_webhook

        run_shared_webhook(application, settings)
    elif args.webhook:
        # The URL path is the last part of the public URL, so a reverse proxy can pass it on.
        path = urlparse(settings.webhook_url).path.lstrip("/")
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=path,
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
