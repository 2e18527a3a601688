"""The application's error handler: log, never crash, never log personal data.

Only exception types, Bot API descriptions and a salted hash of the user id are logged —
never message texts, names, phone numbers or e-mail addresses.
"""

from __future__ import annotations

import hashlib
import logging
import os
import traceback

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

log = logging.getLogger("kume.bot")

# A per-process salt: hashes correlate log lines of one run but cannot be reversed offline.
_SALT = os.urandom(8)


def user_hash(user_id: int | None) -> str:
    if user_id is None:
        return "-"
    return hashlib.sha256(_SALT + str(user_id).encode()).hexdigest()[:10]


def _who(update: object) -> str:
    if isinstance(update, Update) and update.effective_user is not None:
        return user_hash(update.effective_user.id)
    return "-"


def describe(error: BaseException) -> str:
    """Exception type plus, for Telegram errors, the API description (no user content)."""
    if isinstance(error, BadRequest | Forbidden | RetryAfter | NetworkError):
        return f"{type(error).__name__}: {error.message}"
    return type(error).__name__


def where(error: BaseException) -> str:
    """The traceback's frames (file, line, function, code line), without any values."""
    frames = traceback.extract_tb(error.__traceback__)
    return "".join(traceback.format_list(frames)).rstrip()


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    if error is None:
        return
    who = _who(update)
    if isinstance(error, BadRequest) and "message is not modified" in error.message.lower():
        return  # a double tap on the same button: harmless
    if isinstance(error, Forbidden):
        log.info("kullanıcı botu engellemiş ya da sohbetten çıkarmış (kullanıcı %s)", who)
    elif isinstance(error, RetryAfter):
        log.warning("Telegram hız sınırı: %s (kullanıcı %s)", describe(error), who)
    elif isinstance(error, TimedOut | NetworkError):
        log.warning("ağ hatası: %s (kullanıcı %s)", describe(error), who)
    else:
        # Where it broke, but not the exception's message: validation errors may quote what
        # the user typed.
        log.error("işlenmeyen hata: %s (kullanıcı %s)\n%s", describe(error), who, where(error))
