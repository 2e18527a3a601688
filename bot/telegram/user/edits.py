"""Edited messages of a private chat: never an answer to the current question.

The behaviour, and why, is the engine's (eligibility/questionnaire_edit.py): an edit of the
typed answer to a question still in the walk corrects that answer, re-validated, with a
one-line confirmation, and the walk goes on where it was (or at the first question a
changed branch opened). An edit of anything else changes nothing and says how to change an
answer; after the walk was submitted it says that the submission stays as it was. Run by
the gate (user/gate.py) before any other handler, so that no handler sees an edit as a new
message.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram.html import esc
from bot.telegram.sender import reply
from bot.telegram.user import submission
from bot.telegram.user.fallback import repeat_where
from bot.telegram.user.menu import state_of
from eligibility.fallback import get_fallback
from eligibility.questionnaire_edit import answered_by, correct


async def on_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.edited_message
    if message is None:
        return
    fb = get_fallback()
    ref = str(message.message_id)
    state = state_of(context)
    session = state.walk() if state.has_walk else None
    if session is not None and session.stage == "done":
        # Confirmed, its number not shown yet (a crash, a failed save): say the edit does not
        # change it, then finish it.
        await reply(update, context, esc(fb.edit_after_submission))
        await submission.complete_pending(update, context)
        return
    question = answered_by(session, ref) if session is not None and message.text else None
    if session is not None and question is not None:
        fixed = correct(session, question, message.text or "")
        state.keep_walk(session)
        state.mode = "q"  # correcting an answer of a paused walk takes the user back to it
        if fixed.applied:
            note = fb.edit_corrected.format(label=question.label, value=fixed.shown)
        else:
            note = fb.edit_refused.format(problem=fixed.problem, label=question.label)
        await repeat_where(update, context, note)
        return
    if ref in state.submitted_refs:
        await repeat_where(update, context, fb.edit_after_submission)
    else:
        await repeat_where(update, context, fb.edit_not_an_answer)
