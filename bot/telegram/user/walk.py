"""The questionnaire walks (/uygunluk: a cluster's eligibility, /ihtiyac: a firm's needs):
starting, typed answers, buttons, navigation (back with the cleared answer offered to keep,
restart, menu, help at every question), shared contact and location, resuming after the
menu or a restart.

The engine call that ends a walk computes the result (need matching: 10–50 ms of CPU in C)
and runs in a thread, so that other users are not kept waiting; it shows "typing…" only if
it is slow (bot/telegram/progress.py).
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Contact, Location, Update
from telegram.ext import ContextTypes

from bot.leads import funnel as stages
from bot.telegram import funnel
from bot.telegram.html import esc
from bot.telegram.progress import working
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.user import topics
from bot.telegram.user.menu import menu, show_menu, state_of
from bot.telegram.user.questions import (
    BACK,
    KEEP,
    MENU,
    RESTART,
    button_answer,
    keep_label,
    render_step,
)
from bot.telegram.user.results import show_result
from bot.telegram.user.share import (
    REPLY_KB,
    close_share_keyboard,
    location_question,
    province_of_location,
)
from bot.telegram.user.shown import note_shown
from eligibility import questionnaire as q
from eligibility.content import get_content
from eligibility.conversation import get_conversation, say
from eligibility.kinds.yesno import parse_yesno
from eligibility.labels import get_labels
from eligibility.validators import ValidationProblem

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
    answered: str | None = None,
) -> None:
    if step.result is not None:
        await close_share_keyboard(update, context, answered)
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
    if rendered.reply_keyboard:
        assert context.user_data is not None
        context.user_data[REPLY_KB] = True
    else:
        await close_share_keyboard(update, context, answered)
    sent = await reply(update, context, rendered.text, rendered.keyboard)
    note_shown(context, session, sent)  # after a crash: what the user has seen (resync.py)


def safe_answer(session: q.Session, raw: str, ref: str | None = None) -> q.Step:
    """engine.answer, but an unexpected engine error on odd input (a bug to fix there) becomes
    a re-ask of the current question instead of a silent, crashed handler. `ref`: the typed
    message's id, so that editing it later corrects this answer (user/edits.py)."""
    try:
        return q.answer(session, raw, ref=ref)
    except Exception as exc:
        # Type only: the exception text may quote what the user typed.
        log.error("questionnaire engine failed on an answer: %s", type(exc).__name__)
        step = q.current_step(session)
        if step.question is not None:
            step.kind = "reask"
            step.message = q.get_questionnaire().messages.invalid
            step.hint = step.question.help
        return step


async def engine_answer(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    session: q.Session,
    raw: str,
    ref: str | None = None,
) -> tuple[q.Step, str | None]:
    """The engine's next step, and what a share question was answered with (its label and
    the answer as shown), for the line that closes the share keyboard. `ref`: the id of the
    typed message `raw` is (see safe_answer)."""
    asked = q.current_question(session)
    if session.stage in ("summary", "done"):  # the answer that computes the result
        chat = update.effective_chat
        if chat is None:
            step = await asyncio.to_thread(safe_answer, session, raw, ref)
        else:
            async with working(context.bot, chat.id):
                step = await asyncio.to_thread(safe_answer, session, raw, ref)
    else:
        step = safe_answer(session, raw, ref)
    answered = None
    if asked is not None and asked.answer_kind.shared_input and asked.id in session.answers:
        shown = q.display(asked, session.answers[asked.id], q.get_questionnaire().messages)
        answered = say(get_conversation().share.received, label=asked.label, answer=shown)
    return step, answered


def _reply_button(text: str, step: q.Step) -> str | None:
    """Which control a text stands for when it is a reply-keyboard button's label."""
    buttons = get_labels().buttons
    controls = {
        buttons.back: BACK,
        buttons.restart: RESTART,
        get_conversation().navigation.menu_button: MENU,
    }
    if step.previous:
        controls[keep_label(step.previous)] = KEEP
    return controls.get(text.strip())


async def navigate(
    update: Update, context: ContextTypes.DEFAULT_TYPE, session: q.Session, action: str
) -> bool:
    """Back, restart, keep the previous answer, or the menu (the walk is kept)."""
    if action == MENU:
        await close_share_keyboard(update, context)
        await show_menu(update, context)
        return True
    if action == BACK:
        step = q.back(session)
    elif action == RESTART:
        step = q.restart(session)
    elif action == KEEP:
        step = q.keep_previous(session)
    else:
        return False
    await show_step(update, context, session, step)
    return True


async def answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """A typed message while a walk is in progress (navigation words included)."""
    state = state_of(context)
    session = state.walk()
    if session is None:
        state.clear_walk()
        await topics.free_text(update, context, text)
        return
    if state.located is not None and await _confirm_typed(update, context, session, text):
        return
    current = q.current_step(session) if session.stage != "done" else None
    action = _reply_button(text, current) if current is not None else None
    wanted = q.intent(text)
    if wanted in ("menu", "leave"):
        action = MENU
    if action is not None and await navigate(update, context, session, action):
        return
    if wanted == "help":
        await show_step(update, context, session, q.help_step(session))
        return
    message = update.effective_message
    ref = str(message.message_id) if message is not None else None
    step, answered = await engine_answer(update, context, session, text, ref)
    await show_step(update, context, session, step, answered=answered)


def _in_walk_question(context: ContextTypes.DEFAULT_TYPE) -> tuple[q.Session, q.Question] | None:
    state = state_of(context)
    session = state.walk() if state.mode == "q" else None
    question = q.current_question(session) if session is not None else None
    if session is None or question is None:
        return None
    return session, question


async def answer_contact(
    update: Update, context: ContextTypes.DEFAULT_TYPE, contact: Contact
) -> bool:
    """A shared contact answers the phone question, and only with the sender's own number
    (a forwarded card of someone else is refused). False when no question takes one."""
    found = _in_walk_question(context)
    if found is None or found[1].answer_kind.shared_input != "contact":
        return False
    session, _ = found
    user = update.effective_user
    if user is None or contact.user_id != user.id:
        await reply(update, context, esc(get_conversation().share.contact_not_yours))
        return True
    step, answered = await engine_answer(update, context, session, contact.phone_number)
    await show_step(update, context, session, step, answered=answered)
    return True


async def answer_location(
    update: Update, context: ContextTypes.DEFAULT_TYPE, location: Location
) -> bool:
    """A shared location at the province question: the nearest province, to confirm."""
    found = _in_walk_question(context)
    if found is None or found[1].answer_kind.shared_input != "location":
        return False
    province = province_of_location(location)
    state_of(context).located = province
    text, keyboard = location_question(province)
    await reply(update, context, text, keyboard)  # the share keyboard stays for a retry
    return True


async def confirm_location(update: Update, context: ContextTypes.DEFAULT_TYPE, yes: bool) -> None:
    """ "Samsun mu?" answered with a button."""
    state = state_of(context)
    province, state.located = state.located, None
    found = _in_walk_question(context)
    if province is None or found is None or found[1].answer_kind.shared_input != "location":
        await reply(update, context, "Bu soru artık geçerli değil.", menu(context))
        return
    session, _ = found
    if not yes:
        await reply(update, context, esc(get_conversation().share.location_retype))
        return
    step, answered = await engine_answer(update, context, session, province)
    await show_step(update, context, session, step, answered=answered)


async def _confirm_typed(
    update: Update, context: ContextTypes.DEFAULT_TYPE, session: q.Session, text: str
) -> bool:
    """ "evet" / "hayır" typed after "Samsun mu?"; any other text is an answer as usual."""
    try:
        yes = parse_yesno(text, q.get_questionnaire().messages)
    except ValidationProblem:
        state_of(context).located = None
        return False
    await confirm_location(update, context, yes)
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
    if await navigate(update, context, session, action):
        return
    raw = button_answer(parts, q.current_question(session), session)
    if raw is None:  # a button of an earlier message: show where the user really is
        await show_step(update, context, session, q.current_step(session))
        return
    step, answered = await engine_answer(update, context, session, raw)
    await show_step(update, context, session, step, answered=answered)
