"""The questionnaire walks (/uygunluk: a cluster's eligibility, /ihtiyac: a firm's needs):
starting, typed answers, buttons, resuming after the menu or a restart."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.leads import funnel as stages
from bot.telegram import funnel
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.user import topics
from bot.telegram.user.menu import menu, show_menu, state_of
from bot.telegram.user.questions import button_answer, render_step
from bot.telegram.user.results import show_result
from eligibility import questionnaire as q
from eligibility.content import get_content

log = logging.getLogger(__name__)


async def start_walk(update: Update, context: ContextTypes.DEFAULT_TYPE, path_id: str) -> None:
    state = state_of(context)
    # A firm walk after an eligibility walk carries its verdict into the lead (engine Result).
    session = q.start(path_id, earlier_verdict=state.verdict)
    state.mode = "q"
    state.keep_walk(session)
    if path_id == funnel.FIRM_PATH:
        funnel.count(context, state.source, None, stages.STARTED)
    intro = q.get_questionnaire().paths[path_id].intro
    await show_step(update, context, session, q.current_step(session), intro=intro)


async def start_kume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await start_walk(update, context, "kume")


async def start_firma(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await start_walk(update, context, "firma")


async def resume_walk(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = state_of(context)
    session = state.walk()
    if session is None:
        await show_menu(update, context)
        return
    state.mode = "q"
    await show_step(update, context, session, q.current_step(session))


async def show_step(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    session: q.Session,
    step: q.Step,
    intro: str | None = None,
) -> None:
    if step.result is not None:
        await show_result(update, context, session, step.result)
        return
    state_of(context).keep_walk(session)
    settings = runtime(context).settings
    rendered = render_step(
        step,
        content=get_content(),
        retention_days=settings.retention_days,
        site_url=settings.site_url,
        intro=intro,
        session=session,
    )
    await reply(update, context, rendered.text, rendered.keyboard)


def safe_answer(session: q.Session, raw: str) -> q.Step:
    """engine.answer, but an unexpected engine error on odd input (a bug to fix there) becomes
    a re-ask of the current question instead of a silent, crashed handler."""
    try:
        return q.answer(session, raw)
    except Exception as exc:
        # Type only: the exception text may quote what the user typed.
        log.error("questionnaire engine failed on an answer: %s", type(exc).__name__)
        step = q.current_step(session)
        if step.question is not None:
            step.kind = "reask"
            step.message = q.get_questionnaire().messages.invalid
            step.hint = step.question.help
        return step


async def answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """A typed message while a walk is in progress (navigation words included: the engine
    interprets them)."""
    state = state_of(context)
    session = state.walk()
    if session is None:
        state.clear_walk()
        await topics.free_text(update, context, text)
        return
    await show_step(update, context, session, safe_answer(session, text))


async def answer_shared(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> bool:
    """A shared contact (or location) answers the current question when its kind can take
    one; False when it cannot be used here."""
    state = state_of(context)
    session = state.walk() if state.mode == "q" else None
    question = q.current_question(session) if session is not None else None
    if session is None or question is None or question.answer_kind.shared_input != "contact":
        return False
    await show_step(update, context, session, safe_answer(session, text))
    return True


async def on_question_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, parts: list[str]
) -> None:
    state = state_of(context)
    session = state.walk()
    if session is None:
        await reply(update, context, "Bu soru artık geçerli değil.", menu(context))
        return
    state.mode = "q"  # a question button also resumes a paused walk
    action = parts[0] if parts else ""
    if action == "b":
        step = q.back(session)
    elif action == "r":
        step = q.restart(session)
    else:
        raw = button_answer(parts, q.current_question(session), session)
        # A button of an earlier message: show where the user really is.
        step = q.current_step(session) if raw is None else safe_answer(session, raw)
    await show_step(update, context, session, step)
