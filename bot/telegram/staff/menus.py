"""Staff command menus through Telegram's command scopes: each staff member sees the staff
commands in their centre's staff chat (BotCommandScopeChatMember) and, with the user
commands, in their private chat with the bot (BotCommandScopeChat). Users never see them:
their menu is the all-private-chats scope, and groups get none. The server-side checks
(bot/telegram/staff/access.py) stay: a menu is a convenience, not a permission."""

from __future__ import annotations

import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeChatMember
from telegram.error import TelegramError

from bot.config import Settings
from bot.telegram.runtime import App, runtime
from eligibility.staff_words import staff_text

log = logging.getLogger(__name__)

# Commands that work in a centre's staff chat (counts and follow-up, no personal data) and
# the ones kept to private chats (contact details, exports, KVKK requests).
GROUP_COMMANDS = ("leads", "durum", "kumeler", "takip", "birlestir", "merkez")
PRIVATE_COMMANDS = ("lead", "export", "bul", "kvkksil")


def staff_commands(names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(name, staff_text(f"commands.{name}")) for name in names]


def staff_members(settings: Settings) -> dict[int, frozenset[str]]:
    """Every staff user id (admins included) -> the centres they serve."""
    ids = set(settings.admins) | {uid for uids in settings.staff.values() for uid in uids}
    return {uid: settings.centres_of(uid) for uid in sorted(ids)}


async def publish_staff_menus(application: App, user_commands: list[BotCommand]) -> int:
    """Sets the staff menus; returns how many scopes were set. Best effort per scope: a
    staff member who never opened a private chat with the bot makes that one call fail."""
    settings = runtime(application).settings
    group = staff_commands(GROUP_COMMANDS)
    private = user_commands + staff_commands(GROUP_COMMANDS + PRIVATE_COMMANDS)
    done = 0
    for uid, centres in staff_members(settings).items():
        scopes: list[tuple[object, list[BotCommand]]] = [(BotCommandScopeChat(uid), private)]
        scopes += [
            (BotCommandScopeChatMember(settings.staff_chats[c], uid), group)
            for c in sorted(centres)
            if c in settings.staff_chats
        ]
        for scope, commands in scopes:
            try:
                await application.bot.set_my_commands(commands, scope=scope)
                done += 1
            except TelegramError as exc:
                log.warning("personel komut menüsü yayımlanamadı: %s", type(exc).__name__)
    return done
