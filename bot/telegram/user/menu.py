"""/start, the menu, /yardim, /program and /iptal."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.telegram.html import esc
from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.user import keyboards as kb
from bot.telegram.user import render
from bot.telegram.user.render_results import programme_summary
from bot.telegram.user.state import UserState
from eligibility.content import get_content

# Commands of private chats: /yardim lists them, and the bot publishes them at start-up.
USER_COMMANDS: list[tuple[str, str]] = [
    ("start", "Karşılama ve menü"),
    ("uygunluk", "Birliktelik programa uygun mu?"),
    ("ihtiyac", "Firmamın ihtiyaçları, Bilgi Merkezim"),
    ("merkez", "İlime göre Bilgi Merkezi"),
    ("hesapla", "Hibe tahmini"),
    ("sss", "Sık sorulan sorular"),
    ("program", "Program hakkında"),
    ("verilerim", "Hakkımda kayıtlı bilgiler"),
    ("sil", "Kayıtlı bilgilerimi sil"),
    ("iptal", "Yarım kalan işlemi bırak"),
    ("yardim", "Komutlar"),
]


def state_of(context: ContextTypes.DEFAULT_TYPE) -> UserState:
    return UserState(context.user_data)


def menu(context: ContextTypes.DEFAULT_TYPE) -> InlineKeyboardMarkup:
    """The main menu. Showing it pauses a questionnaire (typed text is no longer taken as an
    answer) without losing it: the menu then offers to continue where the user was."""
    state = state_of(context)
    state.mode = None
    return kb.main_menu(resume=state.has_walk)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, remember the deep-link source (t.me/<bot>?start=site) and show the menu."""
    state_of(context).set_source(context.args[0] if context.args else None)
    user = update.effective_user
    await reply(update, context, render.welcome(user.first_name if user else None), menu(context))


async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, render.menu_prompt(), menu(context))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/iptal: leave whatever is in progress; nothing half-answered is kept."""
    state_of(context).clear_walk()
    await reply(update, context, render.cancelled(), kb.main_menu())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/yardim: the commands, and a reminder that plain questions work too."""
    lines = ["<b>Komutlar</b>"]
    lines += [f"/{name} — {esc(text)}" for name, text in USER_COMMANDS]
    lines.append("")
    lines.append("Sorunuzu doğrudan da yazabilirsiniz, örneğin «kimler başvurabilir?».")
    await reply(update, context, "\n".join(lines), menu(context))


async def programme(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    site_url = runtime(context).settings.site_url
    await reply(update, context, programme_summary(get_content(), site_url), kb.home_keyboard())
