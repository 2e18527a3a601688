"""/hesapla: the guided grant estimate (eligibility.budget_walk) in Telegram: item by item,
"add another" / "done" buttons, edit or remove an item, previous grants, then the estimate
with every cap explained and dated, and the next step (the grant is an association's).

Typing works everywhere: "/hesapla Eğitim: 200.000" (one message, one item per line) still
gives the estimate at once. Buttons: "u:b:o:<tag>:<n>" (the n-th choice of the step whose
tag matches, else the current step is shown again), "u:b:k" (keep the answer "geri"
undid), "u:b:g" (back).
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.user import keyboards as kb
from bot.telegram.user.menu import state_of
from bot.telegram.user.render import render_citations
from bot.telegram.user.render_steps import render_next_step
from eligibility import budget_walk as bw
from eligibility.amounts import format_tl
from eligibility.budget import BudgetResult
from eligibility.budget_text import explain
from eligibility.content import get_content
from eligibility.conversation import get_conversation, say
from eligibility.labels import get_labels

CHOICE, KEEP, BACK = "o", "k", "g"


def step_tag(session: bw.BudgetSession) -> str:
    """Changes with every step, so that a button of an older message is recognised."""
    key = f"{session.stage}:{len(session.items)}:{session.index}:{len(session.trail)}"
    return hashlib.sha1(key.encode()).hexdigest()[:6]


def render_budget_step(
    session: bw.BudgetSession, step: bw.BudgetStep, *, intro: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    t = get_conversation().budget
    parts: list[str] = []
    if intro:
        parts.append(f"<b>{esc(t.title)}</b>\n{esc(t.intro)}")
    if step.note:
        parts.append(f"✔️ {esc(step.note)}")
    if step.problem:
        parts.append(f"⚠️ {esc(step.problem)}")
    if step.items and step.stage in ("more", "name", "previous"):
        total = sum((cost for _, cost in step.items), Decimal(0))
        rows = [f"• {esc(bw.item_line(name, cost))}" for name, cost in step.items]
        listing = "\n".join([f"<b>{esc(t.list_title)}</b>", *rows])
        parts.append(f"{listing}\n{esc(say(t.list_total, total=format_tl(total)))}")
    prompt = esc(step.prompt)
    if step.hint and not step.items:
        prompt += f"\n<i>{esc(step.hint)}</i>"
    parts.append(prompt)
    tag = step_tag(session)
    rows_kb = [
        [InlineKeyboardButton(c.label, callback_data=kb.cb(kb.BUDGET, CHOICE, tag, n))]
        for n, c in enumerate(step.choices)
    ]
    if step.previous:
        keep = say(get_conversation().navigation.keep_previous, answer=step.previous)
        rows_kb.insert(0, [InlineKeyboardButton(keep[:60], callback_data=kb.cb(kb.BUDGET, KEEP))])
    controls = [
        InlineKeyboardButton(get_labels().buttons.back, callback_data=kb.cb(kb.BUDGET, BACK))
    ]
    rows_kb.append([*controls, kb.home_button()])
    return "\n\n".join(parts), InlineKeyboardMarkup(rows_kb)


def render_estimate(result: BudgetResult, site_url: str) -> str:
    """The estimate with each cap explained and dated, the official sentences, and the way
    forward (content/next_steps.yaml `money`)."""
    content = get_content()
    e = explain(result, content)
    lines = [f"<b>{esc(e.title)}</b>", ""]
    lines += [f"• {esc(line)}" for line in e.items]
    lines.append("")
    lines += [f"<b>{esc(line)}</b>" for line in e.totals]
    lines += ["", f"<b>{esc(e.caps_title)}</b>"]
    lines += [f"• {esc(line)}" for line in e.caps]
    lines.append(esc(e.binding))
    lines += [f"<i>{esc(line)}</i>" for line in e.reported]
    params = content.parameters
    entries = [params[name].entry_at(result.on) for name in ("item_grant_rate", "total_grant")]
    # A confirmed later call's value has no seed sentence to quote (its dating line is its basis).
    cites = [entry.source for entry in entries if entry.source is not None]
    lines += [
        "",
        f"<i>{esc(content.notices.labels.official)}</i>",
        render_citations(cites, content),
    ]
    lines += ["", render_next_step(content, "money", site_url)]
    return "\n".join(lines)


async def show(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    session: bw.BudgetSession,
    step: bw.BudgetStep,
    *,
    intro: bool = False,
) -> None:
    state = state_of(context)
    if step.result is not None:
        state.clear_budget()
        site_url = runtime(context).settings.site_url
        await reply(update, context, render_estimate(step.result, site_url), kb.home_keyboard())
        return
    state.mode = "budget"
    state.keep_budget(session)
    text, keyboard = render_budget_step(session, step, intro=intro)
    await reply(update, context, text, keyboard)


async def budget_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hesapla (or the menu): a new estimate; items may follow on the same message."""
    text = (update.message.text or "") if update.message else ""
    rest = text.split(maxsplit=1)[1] if text.startswith("/") and len(text.split()) > 1 else ""
    session = bw.start()
    if rest.strip():
        step = bw.answer(session, rest)
        if step.problem is None and session.stage == "more":
            words = get_conversation().budget.words
            bw.answer(session, words.done[0])
            # previous grants only when a line of the message gave them ("Önceki hibe: …")
            step = bw.answer(session, session.previous_grants or words.no_previous[0])
        await show(update, context, session, step, intro=step.problem is not None)
        return
    await show(update, context, session, bw.current_step(session), intro=True)


async def answer_budget(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    state = state_of(context)
    session = state.budget() or bw.start()
    await show(update, context, session, bw.answer(session, text))


async def on_budget_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, parts: list[str]
) -> None:
    state = state_of(context)
    session = state.budget()
    if session is None:  # finished or dropped: start afresh
        await budget_start(update, context)
        return
    action = parts[0] if parts else ""
    if action == BACK:
        step = bw.back(session)
    elif action == KEEP and session.undone:
        step = bw.answer(session, session.undone)
    elif action == CHOICE and len(parts) == 3 and parts[1] == step_tag(session):
        choices = bw.current_step(session).choices
        index = int(parts[2]) if parts[2].isdigit() else -1
        step = (
            bw.answer(session, choices[index].answer)
            if 0 <= index < len(choices)
            else bw.current_step(session)
        )
    else:  # a button of an older message: show where the user really is
        step = bw.current_step(session)
    await show(update, context, session, step)
