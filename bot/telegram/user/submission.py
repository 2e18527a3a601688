"""Saving a confirmed walk exactly once, whatever crashes when.

The order, and why:
1. the confirmed session (stage "done", with its submission key) is made durable for this
   user at once (`JsonPersistence.persist_user_now`: one fsynced journal line), before
   anything else happens;
2. the lead is saved, idempotent on the key (`LeadStore.add`);
3. the results and the confirmation with the lead's number are sent (or kept for the user's
   next message when Telegram fails: bot/telegram/outbox.py); only then does the walk leave
   the state, and the state without it is made durable the same way (else the interval
   flush would write it later). Until then the confirmed walk stays in the state, so that
   whatever the interval flush writes meanwhile still has it.

Killed after 1, the restarted bot finds the confirmed session and saves it (the first time);
killed after 2 or during 3, it saves it again and gets the same number. Either way the
user's next message, whatever it is, shows their number (`complete_pending`): never a
second lead, never a jump back to an earlier question. bot/crashpoints.py names these
moments for tests.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot import crashpoints
from bot.telegram.runtime import runtime
from bot.telegram.user import leads as user_leads
from bot.telegram.user.menu import state_of
from eligibility import questionnaire as q

# What the user may still do with a confirmed walk whose lead is not shown yet: leave it
# (/iptal) or erase everything (/sil and its confirmation button). Anything else finishes it.
LEAVES_IT = ("/iptal", "/cancel", "/sil")
ERASE_BUTTON = "u:d:"


async def submit(
    update: Update, context: ContextTypes.DEFAULT_TYPE, session: q.Session, result: q.Result
) -> int:
    """Saves the lead of a confirmed, consented firm walk (steps 1 and 2 above); its id."""
    user = update.effective_user
    assert user is not None
    state = state_of(context)
    state.keep_walk(session)
    state.submitted_refs = list(session.answer_refs.values())
    persistence = runtime(context).persistence
    if persistence is not None and context.user_data is not None:
        await persistence.persist_user_now(user.id, dict(context.user_data))
    crashpoints.reached("before_lead_write")
    lead_id = await user_leads.save_lead(
        context.application, result, user_id=user.id, source=state.source
    )
    crashpoints.reached("after_lead_write")
    return lead_id


async def confirmation_sent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Step 3 is done (the number was handed to Telegram, or kept in the outbox): the walk
    leaves the state, in memory and on disk, so that after a later crash the user's next
    message is not answered with the number once more. (Killed right before this write, it
    is not: the window the crash point names.)"""
    crashpoints.reached("after_confirmation")
    state_of(context).clear_walk()
    user = update.effective_user
    persistence = runtime(context).persistence
    if persistence is not None and user is not None and context.user_data is not None:
        await persistence.persist_user_now(user.id, dict(context.user_data))


def first_showing(context: ContextTypes.DEFAULT_TYPE, result: q.Result) -> bool:
    """True the first time a walk's result is shown; False when the same confirmed walk is
    finished again after a crash (counted once in the source funnel). Noted in the state,
    which `submit` makes durable with the confirmed walk."""
    key = result.submission_key
    state = state_of(context)
    if key is None or state.result_shown == key:
        return key is None
    state.result_shown = key
    return True


def _leaves_it(update: Update) -> bool:
    message = update.message
    if message is not None and message.text:
        command = message.text.split(maxsplit=1)[0].split("@", 1)[0].lower()
        return command in LEAVES_IT
    query = update.callback_query
    return query is not None and (query.data or "").startswith(ERASE_BUTTON)


async def complete_pending(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """A confirmed walk whose result the user has not seen (the bot was killed, or the save
    failed): finish it now, as the answer to whatever the user sent. True when it did."""
    state = state_of(context)
    session = state.walk() if state.has_walk else None
    if session is None or session.stage != "done" or _leaves_it(update):
        return False
    from bot.telegram.user.walk import show_step  # walk imports results, which imports us

    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except Exception:  # a press from before a restart may be too old to answer
            pass
    await show_step(update, context, session, q.current_step(session))
    return True
