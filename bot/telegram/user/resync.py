"""After the bot was killed, a typed answer is checked before it is stored.

The conversation state is written once per interval (bot/telegram/persistence.py), so a
killed bot may restart with a user one or two questions behind where they were: the
question on their screen is not the one the bot will store their next typed answer under.
A button names its question (a stale one is recognised); typed text does not. So after an
unclean start (`JsonPersistence.recovered`), a typed message in a walk is taken as an answer
only when it was written after the bot showed that question in this run (the first time:
a question shown again, e.g. with this very note, does not make an answer to its first
showing late); otherwise the bot shows the question it will store the answer under, once
more, with a line saying why. It costs a user who was mid-walk one extra message after a
crash, and never puts an answer under the wrong question.

"Written after" compares message ids, which Telegram gives out in order within a chat, to
the bot's messages and the user's alike. (Message dates have whole seconds: a user who
answered a question shown twice - a replayed update, a reply re-sent after a lost answer -
within the same second as the next question was shown had their answer stored under that
next question; the chaos test found it.)
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram.runtime import runtime
from bot.telegram.user.fallback import repeat_where
from bot.telegram.user.menu import state_of
from bot.telegram.user.shown import first_shown
from eligibility.fallback import get_fallback


async def stale_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True when the message was answered with the question again instead of being used."""
    rt = runtime(context)
    message = update.message
    user = update.effective_user
    if rt.persistence is None or not rt.persistence.recovered or user is None:
        return False
    if message is None or not message.text or message.text.startswith("/"):
        return False
    if message.forward_origin is not None:  # never an answer anyway (user/fallback.py)
        return False
    state = state_of(context)
    session = state.walk() if state.mode == "q" else None
    if session is None or session.stage == "done":
        return False
    shown = first_shown(context, user.id, session)
    if shown is not None and message.message_id > shown:
        return False
    fb = get_fallback()
    nothing_shown = user.id not in rt.shown  # in this run, to this user
    note = fb.after_interruption if nothing_shown else fb.typed_before_question
    await repeat_where(update, context, note, where=False)
    return True
