"""Questions outside a walk: which Knowledge Centre serves a province (/merkez), the FAQ
(/sss) and free text answered from the FAQ and the catalogue (the grant estimate, /hesapla,
is budget.py)."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Location, Update
from telegram.ext import ContextTypes

from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.user import keyboards as kb
from bot.telegram.user import render
from bot.telegram.user.menu import menu, state_of
from bot.telegram.user.render_results import (
    faq_list_text,
    render_centre,
    render_faq_answer,
    render_matches,
)
from bot.telegram.user.share import location_question, province_of_location
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
    await _show_centre(update, context, province.name)


async def _show_centre(update: Update, context: ContextTypes.DEFAULT_TYPE, province: str) -> None:
    state_of(context).mode = None
    routing = centre_for(province)
    text_html = render_centre(province, routing, get_content())
    await reply(update, context, text_html, kb.home_keyboard())


async def answer_location(
    update: Update, context: ContextTypes.DEFAULT_TYPE, location: Location
) -> None:
    """/merkez answered with a shared location: the nearest province's centre (the answer
    names the province, so a wrong guess is visible; the point is not kept)."""
    province = province_of_location(location)
    if province is None:
        text, _ = location_question(None)
        await reply(update, context, text)
        return
    await _show_centre(update, context, province)


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


async def free_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Text outside any question: a confident FAQ answer, else matching activities, else
    the menu."""
    from eligibility.matcher import FaqMatch, Match, match_faq, match_needs

    content = get_content()
    site_url = runtime(context).settings.site_url

    def match() -> tuple[list[FaqMatch], list[Match]]:
        faqs = match_faq(text)
        return faqs, [] if faqs else match_needs(text)

    try:  # 10–50 ms of CPU in C (the GIL released): off the event loop
        faqs, matches = await asyncio.to_thread(match)
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
        answer = render_faq_answer(best, content, evidence=faqs[0].evidence)
        await reply(update, context, answer, InlineKeyboardMarkup(rows))
        return
    if matches:
        keyboard = InlineKeyboardMarkup([[kb.menu_button("firma")], [kb.home_button()]])
        await reply(update, context, render_matches(matches, content, site_url), keyboard)
        return
    await reply(update, context, render.fallback(), menu(context))
