"""Progress for slow work: "hazırlanıyor…" only when the work is actually slow.

    async with working(bot, chat_id):                       # typing… after 0.5 s
        result = await asyncio.to_thread(slow_thing)
    async with working(bot, chat_id, action=ChatAction.UPLOAD_DOCUMENT, note=True) as w:
        data = await leads.export(...)                       # + "⏳ Hazırlanıyor…" after 1 s
    await bot.send_document(...)                             # the note is deleted on exit

Fast work costs no Bot API call at all (the common case: a firm's result takes ~20 ms).
When the work takes longer than `after` seconds a chat action is sent, and renewed every
4 s (Telegram shows one for about 5 s); with `note=True` a short message is sent too,
and on exit it is edited to `done` or, without `done`, deleted. Failures to show
progress never fail the work (progress is best effort); the text is content
(conversation.yaml `progress`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

from telegram import Bot, Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError

log = logging.getLogger(__name__)

ACTION_AFTER_S = 0.5
NOTE_AFTER_S = 1.0
ACTION_RENEW_S = 4.0


@dataclass
class Working:
    """What the progress showed so far (for tests and for callers that edit the note)."""

    actions: int = 0
    note: Message | None = None


@contextlib.asynccontextmanager
async def working(
    bot: Bot,
    chat_id: int,
    *,
    action: str = ChatAction.TYPING,
    note: bool = False,
    done: str | None = None,
    after: float = ACTION_AFTER_S,
    note_after: float = NOTE_AFTER_S,
) -> AsyncIterator[Working]:
    shown = Working()

    async def show() -> None:
        await asyncio.sleep(after)
        started = asyncio.get_running_loop().time()
        while True:
            with contextlib.suppress(TelegramError):
                await bot.send_chat_action(chat_id=chat_id, action=action)
                shown.actions += 1
            if note and shown.note is None:
                wait = note_after - after - (asyncio.get_running_loop().time() - started)
                if wait > 0:
                    await asyncio.sleep(wait)
                from eligibility.conversation import get_conversation

                with contextlib.suppress(TelegramError):
                    shown.note = await bot.send_message(
                        chat_id=chat_id, text=get_conversation().progress
                    )
                await asyncio.sleep(max(0.0, ACTION_RENEW_S - note_after))
            else:
                await asyncio.sleep(ACTION_RENEW_S)

    task = asyncio.create_task(show())
    try:
        yield shown
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if shown.note is not None:
            await _close_note(bot, shown.note, done)


async def _close_note(bot: Bot, message: Message, done: str | None) -> None:
    try:
        if done:
            await bot.edit_message_text(
                chat_id=message.chat_id,
                message_id=message.message_id,
                text=done,
                parse_mode=ParseMode.HTML,
            )
        else:
            await bot.delete_message(chat_id=message.chat_id, message_id=message.message_id)
    except TelegramError as exc:
        log.info("progress note left as it is: %s", type(exc).__name__)
