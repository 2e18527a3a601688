"""Replies that could not be delivered, kept for the user's next interaction.

When a reply to a private chat still fails after bot/telegram/retry.py gave up (a long
outage), it is not dropped: its parts, with their keyboards, go into the user's
conversation state (`user_data["outbox"]`, JSON, written with the rest of the state), and
every later reply queues behind them, so that order is kept. The next update of that user,
whatever it is, first sends what was kept (user/gate.py), then is handled as usual. Nothing
on the lead path waits for this: the lead is saved before any reply is attempted.

Bounded: at most MAX_KEPT parts are kept (the oldest are dropped first).
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

from telegram import (
    Bot,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.telegram.html import split_message

log = logging.getLogger("kume.bot.outbox")

KEY = "outbox"
MAX_KEPT = 20

Keyboard = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply
_KEYBOARDS: dict[str, type[Keyboard]] = {
    cls.__name__: cls
    for cls in (InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, ForceReply)
}


def is_transient(error: BaseException) -> bool:
    """What a later try may fix: a 429, a 5xx, a time-out, a network error."""
    return isinstance(error, RetryAfter | NetworkError) and not isinstance(error, BadRequest)


def waiting(user_data: MutableMapping[str, Any]) -> int:
    """How many reply parts are kept for this user."""
    kept = user_data.get(KEY)
    return len(kept) if isinstance(kept, list) else 0


def _keep(user_data: MutableMapping[str, Any], text: str, keyboard: Keyboard | None) -> None:
    kept = user_data.get(KEY)
    kept = list(kept) if isinstance(kept, list) else []
    entry: dict[str, Any] = {"text": text}
    if keyboard is not None:
        entry["keyboard"] = {"type": type(keyboard).__name__, "data": keyboard.to_dict()}
    kept.append(entry)
    user_data[KEY] = kept[-MAX_KEPT:]


def _keyboard(entry: dict[str, Any], bot: Bot) -> Keyboard | None:
    found = entry.get("keyboard")
    if not isinstance(found, dict) or found.get("type") not in _KEYBOARDS:
        return None
    return _KEYBOARDS[found["type"]].de_json(found["data"], bot)


async def _send(bot: Bot, chat_id: int, text: str, keyboard: Keyboard | None) -> Message:
    from bot.telegram.sender import NO_PREVIEW

    return await bot.send_message(
        chat_id=chat_id,
        text=text,
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_PREVIEW,
        reply_markup=keyboard,
    )


async def send_or_keep(
    bot: Bot,
    chat_id: int,
    text: str,
    keyboard: Keyboard | None,
    user_data: MutableMapping[str, Any],
) -> Message | None:
    """Sends `text` (HTML, split under the limit, the keyboard on the last part) to a private
    chat; parts that cannot be delivered now - or that would overtake kept ones - are kept.
    The last message sent, or None when everything was kept."""
    parts = split_message(text) or [text]
    last: Message | None = None
    for i, part in enumerate(parts):
        part_keyboard = keyboard if i == len(parts) - 1 else None
        if waiting(user_data):
            _keep(user_data, part, part_keyboard)
            continue
        try:
            last = await _send(bot, chat_id, part, part_keyboard)
        except Exception as exc:
            if not is_transient(exc):
                raise
            log.warning("yanıt iletilemedi, sonraki mesajda gönderilecek: %s", type(exc).__name__)
            _keep(user_data, part, part_keyboard)
    return last


async def flush(bot: Bot, chat_id: int, user_data: MutableMapping[str, Any]) -> bool:
    """Sends what was kept, in order; True when nothing is left. Stops at the first part
    that fails again (kept for next time); a part Telegram refuses (400) is dropped."""
    while waiting(user_data):
        entry = user_data[KEY][0]
        try:
            await _send(bot, chat_id, str(entry.get("text") or ""), _keyboard(entry, bot))
        except Forbidden:  # blocked meanwhile: nobody to send them to
            user_data.pop(KEY, None)
            return True
        except Exception as exc:
            if not is_transient(exc):
                log.error("bekleyen yanıt gönderilemedi, atlandı: %s", type(exc).__name__)
            else:
                return False
        kept = user_data[KEY][1:]
        if kept:
            user_data[KEY] = kept
        else:
            user_data.pop(KEY, None)
    return True
