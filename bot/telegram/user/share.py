"""Sharing instead of typing: a shared location as a province (offline, eligibility.geo) and
its "Samsun mu?" confirmation ("u:l:y" / "u:l:n"). The share buttons themselves are the
reply keyboard of the question (questions.py); walk.py takes the answers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Location,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import ContextTypes

from bot.telegram.html import esc
from bot.telegram.sender import reply
from bot.telegram.user.keyboards import LOCATION, cb
from eligibility.content import get_content
from eligibility.conversation import get_conversation, say
from eligibility.geo import ask_province, province_at

REPLY_KB = "reply_kb"  # user_data key: a share keyboard is open under the input field
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


async def close_share_keyboard(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str | None = None
) -> None:
    """Removes a share keyboard left under the input field (a message of its own: a message
    carries one keyboard, and the next one has inline buttons)."""
    if not (context.user_data or {}).pop(REPLY_KB, None):
        return
    await reply(update, context, esc(text or "✔️"), ReplyKeyboardRemove())


def closing(handler: Handler) -> Handler:
    """A command or menu action leaves the question: its share keyboard goes first."""

    @functools.wraps(handler)
    async def wrapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await close_share_keyboard(update, context)
        await handler(update, context)

    return wrapped


def province_of_location(location: Location) -> str | None:
    """The province nearest to a shared point; None outside Türkiye. The point itself is
    not kept anywhere."""
    found = province_at(location.latitude, location.longitude, get_content())
    return found.province.name if found is not None else None


def location_question(province: str | None) -> tuple[str, InlineKeyboardMarkup | None]:
    share = get_conversation().share
    if province is None:
        return esc(share.location_outside), None
    text = say(share.location_confirm, province=province, question=ask_province(province))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(share.confirm_yes, callback_data=cb(LOCATION, "y")),
                InlineKeyboardButton(share.confirm_no, callback_data=cb(LOCATION, "n")),
            ]
        ]
    )
    return f"📍 {esc(text)}", keyboard
