"""Telegram rendering of the questionnaire engine (eligibility.questionnaire).

The engine decides everything (order, branches, validation, hints); this module only turns a
`Step` into one HTML message with the right inline keyboard, and turns a pressed button back
into the raw text the engine would accept if the user had typed it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.user import messages as msg
from bot.telegram.user.keyboards import QUESTION, cb

# What yes/no buttons ("u:q:y:<tag>" / "u:q:n:<tag>") stand for when handed to the engine.
YES_TEXT = "evet"
NO_TEXT = "hayır"
_YESNO_KINDS = {"yesno", "consent"}


@dataclass
class Rendered:
    text: str
    keyboard: InlineKeyboardMarkup | None


SUMMARY_TAG = "sum"


def question_tag(question: Any | None) -> str:
    """Short stable tag of a question carried in its buttons, so that a button pressed on an
    older message is recognised as stale instead of answering the current question."""
    if question is None:
        return SUMMARY_TAG
    return hashlib.sha1(question.id.encode("utf-8")).hexdigest()[:6]


def _controls(can_go_back: bool) -> list[InlineKeyboardButton]:
    row = []
    if can_go_back:
        row.append(InlineKeyboardButton(msg.BACK_LABEL, callback_data=cb(QUESTION, "b")))
    row.append(InlineKeyboardButton(msg.RESTART_LABEL, callback_data=cb(QUESTION, "r")))
    return row


def question_buttons(question: Any, kvkk: Any | None = None) -> list[list[InlineKeyboardButton]]:
    """Answer buttons for a question: options by number, yes/no, KVKK consent/refuse."""
    tag = question_tag(question)
    if question.kind == "consent":
        consent = kvkk.consent_button if kvkk is not None else "Onaylıyorum"
        refuse = kvkk.refuse_button if kvkk is not None else "Onaylamıyorum"
        return [
            [InlineKeyboardButton(f"✅ {consent}", callback_data=cb(QUESTION, "y", tag))],
            [InlineKeyboardButton(f"✖️ {refuse}", callback_data=cb(QUESTION, "n", tag))],
        ]
    if question.kind in _YESNO_KINDS:
        return [
            [
                InlineKeyboardButton("Evet", callback_data=cb(QUESTION, "y", tag)),
                InlineKeyboardButton("Hayır", callback_data=cb(QUESTION, "n", tag)),
            ]
        ]
    if question.options:
        return [
            [InlineKeyboardButton(o.label, callback_data=cb(QUESTION, "o", tag, i + 1))]
            for i, o in enumerate(question.options)
        ]
    return []


def parse_button(parts: list[str]) -> tuple[str, str | None, str | None]:
    """(action, tag, raw answer) of a questionnaire button; parts as from parse_cb without
    the leading "q": ["o", tag, "2"] -> ("o", tag, "2"), ["y", tag] -> ("y", tag, "evet"),
    ["b"] -> ("b", None, None)."""
    action = parts[0] if parts else ""
    tag = parts[1] if len(parts) > 1 else None
    if action == "o" and len(parts) > 2 and parts[2].isdigit():
        return action, tag, parts[2]
    if action == "y":
        return action, tag, YES_TEXT
    if action == "n":
        return action, tag, NO_TEXT
    return action, tag, None


def render_step(
    step: Any,
    *,
    kvkk: Any | None = None,
    retention_days: int = 365,
    site_url: str = "",
    intro: str | None = None,
) -> Rendered:
    """A question / re-ask / summary step as one message. Result steps are rendered by the
    caller (they need the verdict, matches and centre renderers)."""
    if step.kind == "summary" or (step.kind == "reask" and step.question is None):
        lines = [msg.render_summary(step.summary)]
        if step.kind == "reask" and step.hint:
            lines.insert(0, f"⚠️ {msg.esc(step.hint)}")
        elif step.prompt:
            lines.append("")
            lines.append(msg.esc(step.prompt))
        confirm = cb(QUESTION, "y", SUMMARY_TAG)
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("✅ Evet, doğru", callback_data=confirm)],
                _controls(can_go_back=True),
            ]
        )
        return Rendered("\n".join(lines), keyboard)

    question = step.question
    parts: list[str] = []
    if intro:
        parts.append(msg.esc(intro))
    if step.message:
        parts.append(f"⚠️ {msg.esc(step.message)}")
    if step.kind == "reask" and step.hint:
        parts.append(f"💡 {msg.esc(step.hint)}")
    if question.kind == "consent" and kvkk is not None:
        parts.append(msg.render_kvkk_notice(kvkk, retention_days, site_url))
    parts.append(msg.render_question(question.text, step.progress))
    if question.kind not in _YESNO_KINDS and not question.options:
        if not question.required:
            parts.append("<i>Bu soruyu «geç» yazarak atlayabilirsiniz.</i>")
    rows = question_buttons(question, kvkk)
    rows.append(_controls(can_go_back=step.number > 1))
    return Rendered("\n\n".join(parts), InlineKeyboardMarkup(rows))
