"""Sharing instead of typing: a shared location as a province (offline, eligibility.geo) and
its "Samsun mu?" confirmation ("u:l:y" / "u:l:n"). The share buttons themselves are the
reply keyboard of the question (questions.py); walk.py takes the answers."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Location

from bot.telegram.html import esc
from bot.telegram.user.keyboards import LOCATION, cb
from eligibility.content import get_content
from eligibility.conversation import get_conversation, say
from eligibility.geo import ask_province, province_at


def province_of_location(location: Location) -> str | None:
    """The province nearest to a shared point; None outside Türkiye. The point itself is
    not kept anywhere."""
    found = province_at(location.latitude, location.longitude, get_content())
    return found.province.name if found is not None else None


def location_question(province: str | None) -> tuple[str, InlineKeyboardMarkup | None]:
    share = get_conversation().share
    if province is None:
        return esc(share.location_outside), None
    text = say(share.location_confirm, province=province, question=ask_province(province))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(share.confirm_yes, callback_data=cb(LOCATION, "y")),
                InlineKeyboardButton(share.confirm_no, callback_data=cb(LOCATION, "n")),
            ]
        ]
    )
    return f"📍 {esc(text)}", keyboard
