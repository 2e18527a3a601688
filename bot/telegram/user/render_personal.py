"""Texts about the user's own data, as Telegram HTML: the KVKK notice before consent, the
confirmation of a saved lead, /verilerim."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.leads import views
from bot.telegram.html import esc, link
from bot.telegram.user import links
from eligibility.models import Centre, Kvkk


def render_kvkk_notice(kvkk: Kvkk, retention_days: int, site_url: str) -> str:
    notice = kvkk.short_notice.replace("{retention_days}", str(retention_days))
    return (
        "🔐 <b>Kişisel verilerin korunması</b>\n\n"
        f"{esc(notice.strip())}\n\n"
        f"{link(links.kvkk_url(site_url), 'Aydınlatma metninin tamamı')}"
    )


def render_lead_confirmation(lead_id: int, centre: Centre | None) -> str:
    lines = [f"✅ Bilgileriniz kaydedildi. Başvuru numaranız: <b>#{esc(lead_id)}</b>"]
    if centre is not None:
        lines.append(
            f"{esc(views.centre_name(centre.id))} ({esc(centre.host)}) "
            "en kısa sürede sizinle iletişime geçecek."
        )
    lines.append("Kayıtlı bilgilerinizi /verilerim ile görebilir, /sil ile silebilirsiniz.")
    return "\n".join(lines)


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
