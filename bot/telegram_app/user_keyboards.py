"""Inline keyboards of the user conversation and their callback data.

Callback data is capped at 64 bytes by Telegram and Turkish letters take two bytes in UTF-8,
so buttons carry short ASCII codes ("u:m:kume", "u:q:o:2"), never labels. Every code starts
with "u:" so that the runtime's staff callbacks can use other prefixes without clashing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram_app.messages import BACK_LABEL, MENU_LABELS, RESTART_LABEL

PREFIX = "u:"
MAX_CALLBACK_BYTES = 64

# Menu: "u:m:<code>"; questionnaire: "u:q:o:<option index>", "u:q:b" (back), "u:q:r" (restart);
# FAQ: "u:f:<entry index>"; KVKK: "u:k:y" / "u:k:n"; deletion: "u:d:y" / "u:d:n";
# lead offer after a result: "u:l:y" / "u:l:n".
MENU = "m"
QUESTION = "q"
FAQ = "f"
KVKK = "k"
DELETE = "d"
LEAD = "l"


def cb(*parts: object) -> str:
    data = PREFIX + ":".join(str(p) for p in parts)
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse_cb(data: str) -> list[str]:
    """ "u:q:o:2" -> ["q", "o", "2"]."""
    return data[len(PREFIX) :].split(":") if data.startswith(PREFIX) else []


def main_menu() -> InlineKeyboardMarkup:
    rows = [
        ["prog"],
        ["kume"],
        ["firma"],
        ["merkez", "sss"],
        ["hesap", "veri"],
    ]
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(MENU_LABELS[c], callback_data=cb(MENU, c)) for c in row]
            for row in rows
        ]
    )


def question_keyboard(
    options: Sequence[str], *, can_go_back: bool, columns: int | None = None
) -> InlineKeyboardMarkup:
    """Options of a choice question (by index) plus back/restart controls."""
    if columns is None:
        columns = 2 if options and max(len(o) for o in options) <= 14 else 1
    rows: list[list[InlineKeyboardButton]] = []
    row: list[InlineKeyboardButton] = []
    for index, label in enumerate(options):
        row.append(InlineKeyboardButton(label, callback_data=cb(QUESTION, "o", index)))
        if len(row) == columns:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    controls = []
    if can_go_back:
        controls.append(InlineKeyboardButton(BACK_LABEL, callback_data=cb(QUESTION, "b")))
    controls.append(InlineKeyboardButton(RESTART_LABEL, callback_data=cb(QUESTION, "r")))
    rows.append(controls)
    return InlineKeyboardMarkup(rows)


def faq_keyboard(questions: Iterable[str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(q, callback_data=cb(FAQ, i))] for i, q in enumerate(questions)]
        + [[InlineKeyboardButton("🏠 Menü", callback_data=cb(MENU, "home"))]]
    )


def kvkk_keyboard(consent_label: str, refuse_label: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(f"✅ {consent_label}", callback_data=cb(KVKK, "y")),
                InlineKeyboardButton(f"✖️ {refuse_label}", callback_data=cb(KVKK, "n")),
            ]
        ]
    )


def lead_offer_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("📞 Evet, iletişime geçilsin", callback_data=cb(LEAD, "y"))],
            [InlineKeyboardButton("Hayır, teşekkürler", callback_data=cb(LEAD, "n"))],
        ]
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
