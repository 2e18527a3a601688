"""Telegram rendering of the questionnaire engine (eligibility.questionnaire).

The engine decides everything (order, branches, validation, hints, which buttons a question
has); this module only turns a `Step` into one HTML message with an inline keyboard, and a
pressed button back into the text the engine would accept if the user had typed it.
"""

from __future__ import annotations

import dataclasses
import hashlib

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)

from bot.telegram.html import esc
from bot.telegram.user.keyboards import QUESTION, cb
from bot.telegram.user.render import render_question, render_summary
from bot.telegram.user.render_personal import render_kvkk_text
from eligibility import questionnaire as q
from eligibility.conversation import get_conversation, say
from eligibility.kinds import Choice
from eligibility.labels import get_labels
from eligibility.models import Content

SUMMARY_TAG = "sum"
CHOICE = "o"  # u:q:o:<tag>:<choice number>
CONFIRM = "y"  # u:q:y:sum
BACK = "b"
RESTART = "r"
KEEP = "k"  # keep the answer "geri" cleared
MENU = "h"  # the menu; the walk is kept


@dataclasses.dataclass
class Rendered:
    text: str
    keyboard: InlineKeyboardMarkup | ReplyKeyboardMarkup | None

    @property
    def reply_keyboard(self) -> bool:
        """A keyboard under the input field (share buttons): removed after the answer."""
        return isinstance(self.keyboard, ReplyKeyboardMarkup)


def keep_label(previous: str) -> str:
    return say(get_conversation().navigation.keep_previous, answer=previous)[:60]


def question_tag(question: q.Question | None, session: q.Session | None = None) -> str:
    """Short stable tag of a question carried in its buttons, so that a button pressed on an
    older message is recognised as stale instead of answering the current question (the
    engine's suggestions count: their buttons come first)."""
    if question is None:
        return SUMMARY_TAG
    offered = [c.answer for c in q.pending_choices(session, question)]
    key = question.id + ("\x1f" + "\x1f".join(offered) if offered else "")
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:6]


def _controls(can_go_back: bool) -> list[InlineKeyboardButton]:
    buttons = get_labels().buttons
    row = []
    if can_go_back:
        row.append(InlineKeyboardButton(buttons.back, callback_data=cb(QUESTION, BACK)))
    row.append(InlineKeyboardButton(buttons.restart, callback_data=cb(QUESTION, RESTART)))
    menu = get_conversation().navigation.menu_button
    row.append(InlineKeyboardButton(menu, callback_data=cb(QUESTION, MENU)))
    return row


def reply_controls(can_go_back: bool) -> list[str]:
    """The same controls as text buttons of a reply keyboard (typed back as their label)."""
    buttons = get_labels().buttons
    row = [buttons.back] if can_go_back else []
    return [*row, buttons.restart, get_conversation().navigation.menu_button]


def _share_keyboard(step: q.Step) -> ReplyKeyboardMarkup:
    """Telegram's "share my number / location" button, the previous answer to keep, and the
    controls; typing keeps working (the keyboard is only a shortcut)."""
    share = get_conversation().share
    shared = step.question.answer_kind.shared_input if step.question else None
    if shared == "contact":
        first = KeyboardButton(share.contact_button, request_contact=True)
    else:
        first = KeyboardButton(share.location_button, request_location=True)
    rows: list[list[KeyboardButton | str]] = [[first]]
    if step.previous:
        rows.append([keep_label(step.previous)])
    rows.append(list(reply_controls(step.number > 1)))
    return ReplyKeyboardMarkup(rows, resize_keyboard=True, one_time_keyboard=True)


def _label(choice: Choice) -> str:
    buttons = get_labels().buttons
    mark = {"confirm": buttons.consent_mark, "refuse": buttons.refuse_mark}.get(choice.tone)
    return f"{mark} {choice.label}" if mark else choice.label


def question_buttons(
    question: q.Question, content: Content | None = None, session: q.Session | None = None
) -> list[list[InlineKeyboardButton]]:
    """The question's choices (as the engine lists them, its suggestions first) as buttons."""
    tag = question_tag(question, session)
    choices = q.choices(question, content=content, session=session)
    offered = len(q.pending_choices(session, question))
    buttons = [
        InlineKeyboardButton(_label(choice), callback_data=cb(QUESTION, CHOICE, tag, number))
        for number, choice in enumerate(choices, start=1)
    ]
    if question.answer_kind.choices_in_row:
        rows = [[b] for b in buttons[:offered]]
        return [*rows, buttons[offered:]] if buttons[offered:] else rows
    return [[button] for button in buttons]


def button_answer(
    parts: list[str], question: q.Question | None, session: q.Session | None = None
) -> str | None:
    """The text a question button stands for: parts as from parse_cb without the leading
    "q" (["o", tag, "2"]), checked against the current question (None when stale)."""
    if len(parts) == 2 and parts[0] == CONFIRM and parts[1] == SUMMARY_TAG and question is None:
        return q.confirm_answer()
    if len(parts) != 3 or parts[0] != CHOICE or question is None:
        return None
    if parts[1] != question_tag(question, session) or not parts[2].isdigit():
        return None
    choices = q.choices(question, session=session)
    number = int(parts[2])
    return choices[number - 1].answer if 1 <= number <= len(choices) else None


def render_step(
    step: q.Step,
    *,
    content: Content,
    retention_days: int,
    site_url: str,
    intro: str | None = None,
    session: q.Session | None = None,
) -> Rendered:
    """A question / re-ask / summary step as one message. Result steps are rendered by the
    caller (they need the verdict, matches and centre renderers)."""
    if step.question is None:  # the summary, or an unclear answer to it
        lines = [render_summary(step.summary)]
        if step.kind == "reask" and step.hint:
            lines.insert(0, f"⚠️ {esc(step.hint)}")
        elif step.prompt:
            lines.append("")
            lines.append(esc(step.prompt))
        confirm = InlineKeyboardButton(
            get_labels().buttons.confirm_summary, callback_data=cb(QUESTION, CONFIRM, SUMMARY_TAG)
        )
        return Rendered("\n".join(lines), InlineKeyboardMarkup([[confirm], _controls(True)]))

    question = step.question
    parts: list[str] = []
    if intro:
        parts.append(esc(intro))
    if step.message:
        parts.append(f"⚠️ {esc(step.message)}")
    if step.kind == "reask" and step.hint:
        parts.append(f"💡 {esc(step.hint)}\n{esc(get_conversation().navigation.help_in_walk)}")
    kvkk_text = question.answer_kind.kvkk_text
    if kvkk_text is not None:
        parts.append(render_kvkk_text(kvkk_text, content, retention_days, site_url))
    parts.append(render_question(question.text, step.progress))
    if step.previous:
        note = say(get_conversation().navigation.previous_note, answer=step.previous)
        parts.append(f"<i>{esc(note)}</i>")
    shared = question.answer_kind.shared_input
    # "Bunu mu demek istediniz: Kocaeli?" needs its buttons: no share keyboard then.
    if shared is not None and not q.pending_choices(session, question):
        share = get_conversation().share
        share_hint = share.contact_hint if shared == "contact" else share.location_hint
        parts.append(f"<i>{esc(share_hint)}</i>")
        return Rendered("\n\n".join(parts), _share_keyboard(step))
    rows = question_buttons(question, content, session)
    if not rows:
        hint = q.typed_hint(question)
        if hint:
            parts.append(f"<i>{esc(hint)}</i>")
    if step.previous:
        keep = InlineKeyboardButton(keep_label(step.previous), callback_data=cb(QUESTION, KEEP))
        rows.insert(0, [keep])
    rows.append(_controls(can_go_back=step.number > 1))
    return Rendered("\n\n".join(parts), InlineKeyboardMarkup(rows))
