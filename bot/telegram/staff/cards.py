"""A lead as staff see it in Telegram: the card (HTML) and its status and note buttons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.leads.record import STATUS_LABELS, Status, status_label
from bot.telegram import callbacks
from bot.telegram.html import esc

MAX_NEEDS_CHARS = 1500

STATUS_CODES = {  # short codes keep callback data far below 64 bytes
    Status.YENI: "y",
    Status.ILETISIME_GECILDI: "i",
    Status.KUMEYE_KATILDI: "k",
    Status.ILGILENMIYOR: "n",
}
STATUS_BY_CODE = {code: str(status) for status, code in STATUS_CODES.items()}


def centre_name(centre_id: str | None) -> str:
    if not centre_id:
        return "-"
    try:
        from eligibility.content import get_content

        for centre in get_content().project.centres:
            if centre.id == centre_id:
                return f"{centre.province} Kümelenme Bilgi Merkezi"
    except Exception:  # content problems must not stop an announcement
        pass
    return centre_id


def lead_html(lead: Mapping[str, Any], *, full: bool = True) -> str:
    """The lead for staff, Telegram HTML; every stored value is escaped."""

    def field(label: str, key: str) -> str | None:
        value = lead.get(key)
        return f"<b>{label}:</b> {esc(value)}" if value else None

    needs = str(lead.get("needs_text") or "")
    if len(needs) > MAX_NEEDS_CHARS:
        needs = needs[:MAX_NEEDS_CHARS] + "…"
    lines = [
        f"🆕 <b>Başvuru #{int(lead['id'])}</b> — {esc(status_label(lead.get('status')))}",
        field("Firma", "firm"),
        field("Yetkili", "contact_name"),
        field("Telefon", "phone"),
        field("E-posta", "email"),
        field("İl", "province"),
        f"<b>Bilgi Merkezi:</b> {esc(centre_name(lead.get('centre')))}"
        + (" (elle yönlendirildi)" if lead.get("centre_override") else ""),
        field("Sektör", "sector"),
        field("Çalışan sayısı", "size_band"),
        field("Görevi", "role"),
    ]
    if lead.get("matched_activities"):
        lines.append(f"<b>Eşleşen faaliyetler:</b> {esc(', '.join(lead['matched_activities']))}")
    if needs:
        lines.append(f"<b>İhtiyaç:</b> {esc(needs)}")
    if full:
        for note in lead.get("notes") or []:
            lines.append(f"📝 {esc(note.get('text'))} — <i>{esc(note.get('by'))}</i>")
        history = lead.get("history") or []
        if history:
            last = history[-1]
            lines.append(
                f"<i>Son değişiklik: {esc(status_label(last.get('status')))}, "
                f"{esc(last.get('by'))}, {esc(str(last.get('at', ''))[:16])}</i>"
            )
    return "\n".join(line for line in lines if line)


def lead_keyboard(lead: Mapping[str, Any]) -> InlineKeyboardMarkup:
    lead_id = int(lead["id"])
    current = lead.get("status")
    buttons = [
        InlineKeyboardButton(
            ("• " if status == current else "") + label,
            callback_data=callbacks.encode(
                callbacks.STATUS, lead_id, STATUS_CODES[Status(status)]
            ),
        )
        for status, label in STATUS_LABELS.items()
    ]
    return InlineKeyboardMarkup(
        [
            buttons[:2],
            buttons[2:],
            [
                InlineKeyboardButton(
                    "📝 Not ekle", callback_data=callbacks.encode(callbacks.NOTE, lead_id)
                )
            ],
        ]
    )
