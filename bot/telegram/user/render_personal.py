"""Texts about the user's own data, as Telegram HTML: the KVKK information notice and the
explicit-consent text (two steps), the confirmation of a saved lead, /verilerim."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.leads import views
from bot.telegram.html import esc, link
from bot.telegram.user import links
from bot.telegram.user.render_steps import render_next_step
from eligibility.conversation import get_conversation, say
from eligibility.kinds.base import KvkkText
from eligibility.kvkk import kvkk_texts
from eligibility.models import Centre, Content


def render_kvkk_text(which: KvkkText, content: Content, retention_days: int, site_url: str) -> str:
    """The KVKK text a question shows above it: the information notice (controller,
    purposes, recipients, Telegram, rights, application address) with a link to the full
    notice, or, on the next step, the explicit-consent text."""
    texts = kvkk_texts(content, retention_days)
    full = link(links.kvkk_url(site_url), "Aydınlatma metninin tamamı")
    if which == "notice":
        return f"🔐 <b>Kişisel verilerin korunması</b>\n\n{esc(texts.notice)}\n\n{full}"
    return f"☑️ {esc(texts.notice_ack_text)}\n\n🔐 {esc(texts.consent_question)}"


def render_lead_confirmation(
    lead_id: int, centre: Centre | None, content: Content, site_url: str
) -> str:
    """The saved lead's number, where it goes, the user's rights, and the way forward (a
    firm takes part through an association; whom to contact meanwhile)."""
    texts = get_conversation().lead
    lines = [esc(say(texts.saved, id=lead_id)).replace(f"#{lead_id}", f"<b>#{lead_id}</b>")]
    if centre is not None:
        lines.append(esc(say(texts.routed, centre=views.centre_name(centre.id))))
    lines.append(esc(texts.rights))
    lines.append("")
    # whom to contact for the centre is in the centre's message, just above
    lines.append(render_next_step(content, "firm", site_url))
    return "\n".join(lines)


def render_consent_refused(content: Content, retention_days: int, site_url: str) -> str:
    """Nothing was stored; the way forward without leaving any details."""
    refusal = kvkk_texts(content, retention_days).refusal_text
    step = render_next_step(content, "firm_without_consent", site_url)
    return f"{esc(refusal)}\n\n{step}"


def render_user_data(leads: Iterable[Mapping[str, Any]]) -> str:
    """/verilerim: every stored field of every lead of the user, and the centre's notes
    (data about the user too: KVKK right of access)."""
    leads = list(leads)
    if not leads:
        return "🔐 Hakkınızda kayıtlı hiçbir kişisel veri yok."
    lines = [f"🔐 <b>Hakkınızda kayıtlı bilgiler</b> ({len(leads)} kayıt)"]
    for lead in leads:
        lines.append("")
        lines.append(f"<b>Kayıt #{esc(lead.get('id', '?'))}</b>")
        for field in views.filled(lead, views.MY_DATA):
            lines.append(f"• {esc(field.label)}: {esc(field.value)}")
        for note in lead.get("notes") or []:
            lines.append(
                f"• Merkez notu ({esc(str(note.get('at', ''))[:10])}): {esc(note.get('text', ''))}"
            )
    lines.append("")
    lines.append("Silmek için /sil yazın.")
    return "\n".join(lines)
