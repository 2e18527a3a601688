"""Who may use the staff tools, and where: the `staff_only` decorator.

Staff are configured per centre (KUME_STAFF) plus admins (KUME_ADMINS) who see everything.
Anyone else gets one neutral sentence that reveals neither data nor that the command exists
for staff. Lead data goes only to a private chat or to a staff chat of the member's own
centres, never into some other group the staff member happens to share with the bot.

Staff handlers run in group -1, before the user conversation; once one has handled an update
it stops further processing, so a staff command never also advances a questionnaire.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, NoReturn

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.config import Settings
from bot.leads.staff import StaffMember
from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply

GROUP = -1
REFUSAL = "Bu komut kullanılamıyor."
PRIVATE_ONLY = "Bu komutu bana özel mesajla yazın."

# A staff handler returns PASS to let the update go on to the user conversation (e.g. a
# plain "/merkez" without arguments is the user's "which centre serves my province?").
PASS = False

StaffHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, StaffMember], Awaitable[bool | None]]
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def member(settings: Settings, user_id: int | None) -> StaffMember | None:
    """The staff member behind a Telegram user, or None for anyone else."""
    centres = settings.centres_of(user_id)
    if not centres:
        return None
    every = settings.is_admin(user_id)
    return StaffMember(by=f"tg:{user_id}", centres=None if every else centres)


async def refuse(update: Update, context: ContextTypes.DEFAULT_TYPE) -> NoReturn:
    """The neutral refusal (an alert on a button), then stop."""
    if update.callback_query is not None:
        await update.callback_query.answer(REFUSAL)
    else:
        await reply(update, context, esc(REFUSAL))
    raise ApplicationHandlerStop


def _chat_allowed(update: Update, settings: Settings, centres: frozenset[str]) -> bool:
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return True
    return chat.id in {settings.staff_chats[c] for c in centres if c in settings.staff_chats}


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is None or chat.type == ChatType.PRIVATE


def staff_only(
    *, check_chat: bool = True, others_pass: bool = False, private_only: bool = False
) -> Callable[[StaffHandler], Handler]:
    """Runs the handler only for staff, with their `StaffMember`; anyone else is refused
    (or, with `others_pass`, left to the user conversation). `check_chat` keeps lead data out
    of chats that are neither private nor a staff chat of the member's centres;
    `private_only` keeps personal data (contact details, exports, KVKK requests) out of every
    group, the centre's own staff chat included. The update is consumed
    (ApplicationHandlerStop) unless the handler returns PASS."""

    def decorate(handler: StaffHandler) -> Handler:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            settings = runtime(context).settings
            uid = update.effective_user.id if update.effective_user else None
            staff = member(settings, uid)
            if staff is None:
                if others_pass:
                    return
                await refuse(update, context)
            if check_chat and not _chat_allowed(update, settings, settings.centres_of(uid)):
                await reply(update, context, esc(PRIVATE_ONLY))
                raise ApplicationHandlerStop
            if private_only and not is_private(update):
                await reply(update, context, esc(PRIVATE_ONLY))
                raise ApplicationHandlerStop
            if await handler(update, context, staff) is not PASS:
                raise ApplicationHandlerStop

        return wrapper

    return decorate
