"""Where each user's walk was last shown in this run, after an unclean start: the id of the
first message that showed them the question their walk is at now (a question shown again
keeps the first). user/resync.py reads it to tell an answer to that question from one
typed before it was shown."""

from __future__ import annotations

from telegram import Message
from telegram.ext import ContextTypes

from bot.telegram.runtime import runtime
from eligibility import questionnaire as q


def position(session: q.Session) -> str:
    """Where a walk is: its question (or summary) and how many answers it has."""
    question = q.current_question(session)
    where = question.id if question is not None else ""
    return f"{session.path}:{session.stage}:{len(session.answers)}:{where}"


def note_shown(
    context: ContextTypes.DEFAULT_TYPE, session: q.Session, sent: Message | None
) -> None:
    """`sent` showed the user their walk at `session`'s position (only noted after an
    unclean start: before, nothing is checked)."""
    rt = runtime(context)
    if sent is None or rt.persistence is None or not rt.persistence.recovered:
        return
    where = position(session)
    known = rt.shown.get(sent.chat.id)
    if known is None or known[0] != where:
        rt.shown[sent.chat.id] = (where, sent.message_id)


def first_shown(context: ContextTypes.DEFAULT_TYPE, user_id: int, session: q.Session) -> int | None:
    """The id of the first message of this run that showed `session`'s position to the
    user; None when none did."""
    known = runtime(context).shown.get(user_id)
    return known[1] if known is not None and known[0] == position(session) else None
