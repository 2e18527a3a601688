"""Inline keyboards of the user conversation and their callback data.

Callback data is capped at 64 bytes by Telegram and Turkish letters take two bytes in UTF-8,
so buttons carry short ASCII codes ("u:m:kume", "u:q:o:2"), never labels. Every code starts
with "u:" so that the runtime's staff callbacks can use other prefixes without clashing.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.user.messages import MENU_LABELS

PREFIX = "u:"
MAX_CALLBACK_BYTES = 64

# Menu: "u:m:<code>"; questionnaire (see user_questionnaire): "u:q:o:<tag>:<option number>",
# "u:q:y:<tag>" / "u:q:n:<tag>" (yes/no and KVKK consent/refuse), "u:q:b" (back), "u:q:r"
# (restart); FAQ: "u:f:<entry index>"; deletion: "u:d:y" / "u:d:n".
MENU = "m"
QUESTION = "q"
FAQ = "f"
DELETE = "d"


def cb(*parts: object) -> str:
    data = PREFIX + ":".join(str(p) for p in parts)
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse_cb(data: str) -> list[str]:
    """ "u:q:o:2" -> ["q", "o", "2"]."""
    return data[len(PREFIX) :].split(":") if data.startswith(PREFIX) else []


def main_menu(*, resume: bool = False) -> InlineKeyboardMarkup:
    """The main menu; with resume=True a first row continues a paused questionnaire."""
    rows = [
        ["prog"],
        ["kume"],
        ["firma"],
        ["merkez", "sss"],
        ["hesap", "veri"],
    ]
    if resume:
        rows.insert(0, ["devam"])
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(MENU_LABELS[c], callback_data=cb(MENU, c)) for c in row]
            for row in rows
        ]
    )


def faq_keyboard(questions: Iterable[str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(q, callback_data=cb(FAQ, i))] for i, q in enumerate(questions)]
        + [[InlineKeyboardButton("🏠 Menü", callback_data=cb(MENU, "home"))]]
    )


def delete_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🗑 Evet, sil", callback_data=cb(DELETE, "y")),
                InlineKeyboardButton("Vazgeç", callback_data=cb(DELETE, "n")),
            ]
        ]
    )


def home_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("🏠 Menü", callback_data=cb(MENU, "home"))]])
