"""A lead as staff see it in Telegram: the card (HTML, private chats only: it holds contact
details), the announcement (a centre's staff chat: no personal data, not even the firm's
name, which for a sole trader is a person's), and their status and note buttons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.leads import views
from bot.leads.record import STATUS_LABELS, Status, status_label
from bot.telegram import callbacks
from bot.telegram.html import esc
from eligibility.labels import get_labels
from eligibility.staff_words import staff_text
from eligibility.validators import format_phone

MAX_NEEDS_CHARS = 1500

STATUS_CODES = {  # short codes keep callback data far below 64 bytes
    Status.YENI: "y",
    Status.ILETISIME_GECILDI: "i",
    Status.KUMEYE_KATILDI: "k",
    Status.ILGILENMIYOR: "n",
}
STATUS_BY_CODE = {code: str(status) for status, code in STATUS_CODES.items()}


def lead_html(lead: Mapping[str, Any], *, full: bool = True) -> str:
    """The lead for staff, Telegram HTML; every stored value is escaped."""
    labels = get_labels()
    lines = [f"🆕 <b>Başvuru #{int(lead['id'])}</b> — {esc(status_label(lead.get('status')))}"]
    for field in views.filled(lead, views.CARD):
        text = field.value
        if field.key == "needs_text" and len(text) > MAX_NEEDS_CHARS:
            text = text[:MAX_NEEDS_CHARS] + "…"
        if field.key == "phone":
            text = format_phone(text)  # "0532 123 45 67", as staff dial it
        shown = esc(text)
        if field.key == "centre" and lead.get("centre_override"):
            shown += f" ({esc(labels.field('centre_override').lower())})"
        lines.append(f"<b>{esc(field.label)}:</b> {shown}")
    if full:
        for note in lead.get("notes") or []:
            lines.append(f"📝 {esc(note.get('text'))} — <i>{esc(note.get('by'))}</i>")
        history = lead.get("history") or []
        if history:
            last = history[-1]
            lines.append(
                f"<i>Son değişiklik: {esc(status_label(last.get('status')))}, "
                f"{esc(last.get('by'))}, {esc(views.local_time(last.get('at')))}</i>"
            )
    return "\n".join(lines)


def announcement_html(
    lead: Mapping[str, Any], duplicates: str = "", *, last_change: bool = False
) -> str:
    """A new lead for its centre's staff chat: number, centre, province, size band, NACE
    division, matched categories, probable duplicates; how to open the contact details."""
    lead_id = int(lead["id"])
    lines = [
        f"<b>{esc(staff_text('announce.title', id=lead_id))}</b> — "
        f"{esc(status_label(lead.get('status')))}"
    ]
    for field in views.filled(lead, views.ANNOUNCE):
        if field.key != "duplicate_of":
            lines.append(f"<b>{esc(field.label)}:</b> {esc(field.value)}")
    categories = views.categories(lead)
    if categories:
        lines.append(
            f"<b>{esc(staff_text('announce.categories'))}:</b> {esc(', '.join(categories))}"
        )
    if duplicates:
        lines.append(esc(duplicates))
    elif lead.get("duplicate_of"):
        lines.append(
            f"<b>{esc(get_labels().field('duplicate_of'))}:</b> "
            f"{esc(views.lead_numbers(lead['duplicate_of']))}"
        )
    if last_change:
        history = lead.get("history") or []
        if len(history) > 1:
            last = history[-1]
            lines.append(
                f"<i>Son değişiklik: {esc(status_label(last.get('status')))}, "
                f"{esc(last.get('by'))}, {esc(views.local_time(last.get('at')))}</i>"
            )
    lines.append(f"<i>{esc(staff_text('announce.open', id=lead_id))}</i>")
    return "\n".join(lines)


def lead_keyboard(lead: Mapping[str, Any]) -> InlineKeyboardMarkup:
    lead_id = int(lead["id"])
    current = lead.get("status")
    buttons = [
        InlineKeyboardButton(
            ("• " if status == current else "") + label,
            callback_data=callbacks.encode(callbacks.STATUS, lead_id, STATUS_CODES[Status(status)]),
        )
        for status, label in STATUS_LABELS.items()
    ]
    return InlineKeyboardMarkup(
        [
            buttons[:2],
            buttons[2:],
            [
                InlineKeyboardButton(
                    get_labels().buttons.add_note,
                    callback_data=callbacks.encode(callbacks.NOTE, lead_id),
                )
            ],
        ]
    )
