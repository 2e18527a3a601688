"""The webhook of a bot process that shares its database with others (KUME_DATABASE_URL set).

PTB's built-in webhook answers Telegram 200 as soon as an update is queued, so an update in
the queue of a process that is killed is lost: Telegram will not send it again. Here the
answer waits until the update was handled (through the application's update processor, the
documented `Application.update_processor.process_update`, so the per-user database lock and
the repeated-update check of bot/telegram/pg_ordering.py apply): a process killed mid-update
leaves the request unanswered, Telegram (or the load balancer) delivers the update again,
maybe to another process, which handles it from the state written before it.

The secret header is checked as PTB does (403 without it). aiohttp is already the Bot API
transport (bot/telegram/transport.py).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from urllib.parse import urlparse

from aiohttp import web
from telegram import Update

from bot.config import Settings
from bot.telegram.pg_ordering import RetryLater, SharedUpdateProcessor
from bot.telegram.runtime import App

log = logging.getLogger("kume.bot")
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_app(application: App, settings: Settings) -> web.Application:
    path = "/" + urlparse(settings.webhook_url).path.lstrip("/")
    secret = settings.webhook_secret.encode()

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            return web.Response(status=403)
        try:
            update = Update.de_json(json.loads(await request.read()), application.bot)
        except (ValueError, TypeError, KeyError):
            return web.Response(status=400)
        processor = application.update_processor
        try:
            await processor.process_update(update, application.process_update(update))
        except RetryLater:  # an earlier update of this user comes first
            return web.Response(status=503)
        return web.Response(status=200)

    app = web.Application(client_max_size=2 * 1024 * 1024)
    app.router.add_post(path, receive)
    return app


async def serve_webhook(application: App, settings: Settings) -> None:
    """Runs until SIGTERM or SIGINT: PTB's application (jobs, persistence) without its
    updater, behind our own webhook server."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if isinstance(application.update_processor, SharedUpdateProcessor):
        application.update_processor.redeliverable = True  # refused updates come again
    async with application:
        await application.bot.set_webhook(
            url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        runner = web.AppRunner(webhook_app(application, settings), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, settings.webhook_listen, settings.webhook_port)
        await site.start()
        log.info("webhook dinleniyor: %s:%d", settings.webhook_listen, settings.webhook_port)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()  # stops taking updates, lets the ones in hand finish
            await application.stop()


def run_shared_webhook(application: App, settings: Settings) -> None:
    asyncio.run(serve_webhook(application, settings))
