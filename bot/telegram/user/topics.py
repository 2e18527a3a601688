"""Questions outside a walk: which Knowledge Centre serves a province (/merkez), the FAQ
(/sss), the grant estimate (/hesapla) and free text answered from the FAQ and the catalogue."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.user import keyboards as kb
from bot.telegram.user import render
from bot.telegram.user.budget_input import (
    BudgetInputError,
    parse_budget_lines,
    split_previous_grants,
)
from bot.telegram.user.menu import menu, state_of
from bot.telegram.user.render_results import (
    budget_prompt,
    faq_list_text,
    render_budget,
    render_centre,
    render_faq_answer,
    render_matches,
)
from eligibility.budget import estimate
from eligibility.content import get_content
from eligibility.routing import centre_for
from eligibility.validators import ValidationProblem, find_province

log = logging.getLogger(__name__)


async def ask_province(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state_of(context).mode = "centre"
    await reply(
        update,
        context,
        "📍 Hangi ildesiniz? İl adını yazın (örneğin Samsun, K.Maraş ya da plaka kodu 46).",
    )


async def answer_province(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    state = state_of(context)
    try:
        province = find_province(text)
    except Exception as exc:  # also engine bugs on odd input: the user still gets an answer
        problem = (
            exc if isinstance(exc, ValidationProblem) else ValidationProblem("Bu ili bulamadım.")
        )
        if len(text.split()) >= 3 and problem.suggestion is None:
            # A sentence, not a province: the user moved on; answer it as free text.
            state.mode = None
            await free_text(update, context, text)
            return
        await reply(
            update,
            context,
            f"⚠️ {esc(problem.message)}\nİl adını yeniden yazın ya da /iptal ile vazgeçin.",
        )
        return
    state.mode = None
    routing = centre_for(province.name)
    text_html = render_centre(province.name, routing, get_content())
    await reply(update, context, text_html, kb.home_keyboard())


async def faq_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    entries = get_content().faq.entries
    await reply(update, context, faq_list_text(), kb.faq_keyboard(e.question for e in entries))


async def faq_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, index: str) -> None:
    content = get_content()
    entries = content.faq.entries
    if not index.isdigit() or int(index) >= len(entries):
        await faq_list(update, context)
        return
    entry = entries[int(index)]
    await reply(update, context, render_faq_answer(entry, content), kb.home_keyboard())


async def budget_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hesapla: items may follow on the same message; otherwise ask for them."""
    text = (update.message.text or "") if update.message else ""
    rest = text.split(maxsplit=1)[1] if text.startswith("/") and len(text.split()) > 1 else ""
    if rest.strip():
        await answer_budget(update, context, rest)
        return
    state_of(context).mode = "budget"
    params = get_content().parameters
    prompt = budget_prompt(params["item_grant_rate"].at(), params["plan_grant_rate"].at())
    await reply(update, context, prompt)


async def answer_budget(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    state = state_of(context)
    try:
        items, previous = split_previous_grants(parse_budget_lines(text))
        result = estimate(items, previous_grants=previous)
    except (BudgetInputError, ValueError) as problem:
        state.mode = "budget"
        await reply(
            update,
            context,
            f"⚠️ {esc(str(problem).rstrip('.'))}.\nHer satıra bir kalem yazın: "
            "<code>Kalem adı: tutar</code> (örneğin <code>Eğitim: 200.000</code>). "
            "Vazgeçmek için /iptal.",
        )
        return
    state.mode = None
    await reply(update, context, render_budget(result, get_content()), kb.home_keyboard())


async def free_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Text outside any question: a confident FAQ answer, else matching activities, else
    the menu."""
    from eligibility.matcher import match_faq, match_needs

    content = get_content()
    site_url = runtime(context).settings.site_url
    try:
        faqs = match_faq(text)
        matches = [] if faqs else match_needs(text)
    except Exception as exc:  # odd input must still get an answer
        log.error("matching failed: %s", type(exc).__name__)
        faqs, matches = [], []
    if faqs:
        entries = list(content.faq.entries)
        best = faqs[0].entry
        related = [m.entry for m in faqs[1:3] if m.entry.id != best.id and m.entry in entries]
        rows = [
            [InlineKeyboardButton(e.question, callback_data=kb.cb(kb.FAQ, entries.index(e)))]
            for e in related
        ]
        rows.append([kb.home_button()])
        await reply(update, context, render_faq_answer(best, content), InlineKeyboardMarkup(rows))
        return
    if matches:
        keyboard = InlineKeyboardMarkup([[kb.menu_button("firma")], [kb.home_button()]])
        await reply(update, context, render_matches(matches, content, site_url), keyboard)
        return
    await reply(update, context, render.fallback(), menu(context))
