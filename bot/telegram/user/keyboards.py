"""Inline keyboards of the user conversation and their callback data (bot/telegram/callbacks.py,
prefix "u"). Labels are content (content/labels.yaml); data are short ASCII codes.

Codes: menu "u:m:<code>"; questionnaire "u:q:o:<tag>:<choice number>", "u:q:y:sum" (the
summary is right), "u:q:b" (back), "u:q:r" (restart), "u:q:k" (keep the answer "geri"
cleared), "u:q:h" (menu, the walk kept); FAQ "u:f:<entry index>"; deletion "u:d:y" / "u:d:n";
the grant estimate "u:b:…" (budget.py); a province found from a location "u:l:y" / "u:l:n".
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram import callbacks
from eligibility.labels import get_labels

MENU = "m"
QUESTION = "q"
FAQ = "f"
DELETE = "d"
BUDGET = "b"
LOCATION = "l"

MENU_ROWS = (("prog",), ("kume",), ("firma",), ("merkez", "sss"), ("hesap", "veri"))


def cb(*parts: object) -> str:
    """Callback data of a user button."""
    return callbacks.encode(callbacks.USER, *parts)


def parse_cb(data: str | None) -> list[str]:
    """ "u:q:o:2" -> ["q", "o", "2"]; [] for data of another prefix."""
    return callbacks.decode(data, callbacks.USER) or []


def menu_button(code: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(get_labels().menu[code], callback_data=cb(MENU, code))


def home_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(get_labels().buttons.home, callback_data=cb(MENU, "home"))


def main_menu(*, resume: bool = False) -> InlineKeyboardMarkup:
    """The main menu; with resume=True a first row continues a paused questionnaire."""
    rows = [("devam",), *MENU_ROWS] if resume else list(MENU_ROWS)
    return InlineKeyboardMarkup([[menu_button(code) for code in row] for row in rows])


def faq_keyboard(questions: Iterable[str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(q, callback_data=cb(FAQ, i))] for i, q in enumerate(questions)]
        + [[home_button()]]
    )


def delete_keyboard() -> InlineKeyboardMarkup:
    buttons = get_labels().buttons
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(buttons.delete_yes, callback_data=cb(DELETE, "y")),
                InlineKeyboardButton(buttons.delete_no, callback_data=cb(DELETE, "n")),
            ]
        ]
    )


def home_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[home_button()]])
