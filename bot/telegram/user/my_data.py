"""/verilerim and /sil: a user sees and erases everything stored about them (KVKK Art. 11)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram.sender import reply
from bot.telegram.user import keyboards as kb
from bot.telegram.user import leads as user_leads
from bot.telegram.user import render
from bot.telegram.user.menu import state_of
from bot.telegram.user.render_personal import render_user_data


def _uid(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


async def my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/verilerim: every lead stored under this Telegram user, HTML-escaped."""
    leads = await user_leads.find_user_leads(context.application, _uid(update))
    text = render_user_data(leads)
    if state_of(context).has_walk:
        text += (
            "\n\nAyrıca yarım kalmış bir soru dizinizin yanıtları geçici olarak tutuluyor; "
            "/iptal yazarsanız silinir."
        )
    await reply(update, context, text, kb.home_keyboard())


async def delete_request(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sil: ask for confirmation before deleting anything."""
    leads = await user_leads.find_user_leads(context.application, _uid(update))
    if not leads:
        state_of(context).forget_everything()
        await reply(update, context, render.nothing_to_delete(), kb.home_keyboard())
        return
    await reply(update, context, render.delete_confirm_prompt(len(leads)), kb.delete_keyboard())


async def delete_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    count = await user_leads.delete_user_leads(context.application, _uid(update))
    state_of(context).forget_everything()
    await reply(update, context, render.deleted(count), kb.home_keyboard())


async def delete_cancelled(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, "Silme işlemi iptal edildi; verileriniz duruyor.")
