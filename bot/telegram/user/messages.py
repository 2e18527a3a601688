"""Turkish texts the bot sends to users, rendered as Telegram HTML.

Pure functions (no Telegram objects) so that they can be unit-tested without a server.
Every piece of user-provided or content text goes through `esc` before it reaches HTML.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from bot.telegram.user import links as user_links

BACK_LABEL = "◀️ Geri"
RESTART_LABEL = "🔄 Baştan"

MENU_LABELS = {
    "devam": "▶️ Yarım kalan sorulara devam et",
    "prog": "ℹ️ Program hakkında",
    "kume": "✅ Birliktelik uygun mu?",
    "firma": "🏭 Firmamın ihtiyaçları",
    "merkez": "📍 Bilgi Merkezim",
    "sss": "❓ Sık sorulan sorular",
    "hesap": "🧮 Hibe hesapla",
    "veri": "🔐 Verilerim",
}


def esc(text: Any) -> str:
    """HTML-escape anything for parse_mode=HTML (quotes need no escaping in text nodes)."""
    return html.escape(str(text), quote=False)


def esc_attr(text: Any) -> str:
    return html.escape(str(text), quote=True)


def link(url: str, label: str) -> str:
    return f'<a href="{esc_attr(url)}">{esc(label)}</a>'


def format_tl(amount: Decimal | int | float | str) -> str:
    """Whole Turkish lira with dots as thousands separators: 1234567 -> "1.234.567 TL"."""
    value = int(Decimal(str(amount)).to_integral_value())
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + " TL"


def format_percent(ratio: Decimal | float | str) -> str:
    """0.75 -> "%75" (Turkish puts the percent sign first)."""
    pct = Decimal(str(ratio)) * 100
    text = f"{pct.normalize():f}".replace(".", ",")
    return f"%{text}"


# --- citations -------------------------------------------------------------------------


def source_title(source_id: str, content: Any) -> str:
    src = getattr(content, "sources", {}).get(source_id)
    return src.title if src is not None else source_id


def render_citation(citation: Any, content: Any, max_quote: int = 600) -> str:
    """One line: 📖 «quote» — source title. Long quotes are shortened with an ellipsis."""
    quote = " ".join(str(citation.quote).split())
    if len(quote) > max_quote:
        quote = quote[: max_quote - 1].rstrip() + "…"
    return f"📖 <i>«{esc(quote)}»</i> — {esc(source_title(citation.source, content))}"


def render_citations(citations: Iterable[Any], content: Any) -> str:
    seen: set[tuple[str, str]] = set()
    lines = []
    for cit in citations:
        key = (cit.source, cit.quote)
        if key not in seen:
            seen.add(key)
            lines.append(render_citation(cit, content))
    return "\n".join(lines)


# --- menu and programme ----------------------------------------------------------------


def welcome(first_name: str | None = None) -> str:
    hello = f"Hoş geldiniz, {esc(first_name)}!" if first_name else "Hoş geldiniz!"
    return (
        f"{hello} Ben <b>Küme Asistanı</b>. Kümelenme Destek Programı ve KOBİ İşbirliği ve "
        "Kümelenme Projesi hakkında sorularınızı yanıtlıyorum.\n\n"
        "Aşağıdan bir konu seçin ya da sorunuzu yazın. İstediğiniz an /iptal yazarak "
        "yarım kalan işlemi bırakabilirsiniz."
    )


def menu_prompt() -> str:
    return "Ne yapmak istersiniz?"


def programme_summary(content: Any, site_url: str) -> str:
    """Short cited summary of the programme: aim, who it is for, what and how much it
    supports, with the source sentences and a link to the site."""
    prog = content.programme
    facts = [prog.aim, prog.cluster_association, prog.support_scope, prog.money, prog.duration]
    paragraphs = [f"<b>{esc(prog.name)}</b> ({esc(prog.ministry)})"]
    paragraphs += [esc(fact.text) for fact in facts]
    paragraphs.append(render_citations([f.source for f in facts[:4]], content))
    paragraphs.append(link(site_url, "Ayrıntılar ve faaliyet listesi sitede"))
    return "\n\n".join(paragraphs)


# --- questionnaire ---------------------------------------------------------------------


def render_question(text: str, progress: str | None = None) -> str:
    """A question with its progress marker: "<b>[3/9]</b> Kaç üniversite…"."""
    head = f"<b>[{esc(progress)}]</b> " if progress else ""
    return f"{head}{esc(text)}"


def render_summary(rows: Iterable[tuple[str, str]]) -> str:
    lines = ["<b>Yanıtlarınız</b>"]
    for label, value in rows:
        lines.append(f"• {esc(label)}: <b>{esc(value)}</b>")
    return "\n".join(lines)


# --- eligibility verdict ---------------------------------------------------------------


def _activities_by_id(content: Any) -> dict[str, Any]:
    return {a.id: a for a in content.catalogue.activities}


def render_activity_links(ids: Iterable[str], content: Any, site_url: str) -> list[str]:
    by_id = _activities_by_id(content)
    lines = []
    for aid in ids:
        act = by_id.get(aid)
        if act is not None:
            # Some titles repeat across categories (e.g. university–industry programmes).
            anchor = link(user_links.activity_url(act, site_url), act.title)
            lines.append(f"  ◦ {anchor} <i>(Kategori {act.category})</i>")
    return lines


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _activity_ids(refs: Iterable[Any]) -> list[str]:
    return [r["id"] if isinstance(r, Mapping) else str(r) for r in refs]


def render_verdict(verdict: Any, content: Any, site_url: str) -> str:
    """The eligibility verdict (eligibility.rules.Verdict or its JSON): the outcome, each
    unmet rule with its reason and next step, the activities that help (linked to the site),
    readiness advice, and the citations of the rules."""
    data = verdict.to_json() if hasattr(verdict, "to_json") else dict(verdict)
    rules = {r.id: r for r in content.rules.membership}
    readiness = {r.id: r for r in content.rules.readiness}
    lines: list[str] = []
    if data.get("eligible"):
        lines.append("✅ <b>Birlikteliğiniz temel üyelik koşullarını karşılıyor.</b>")
        lines.append(
            "Sanayi odası (yoksa ticaret ve sanayi odası), üniversite ve işbirliği taahhüdü "
            "veren firma koşulları sağlanıyor. Başvuru için Bilgi Merkezinizle görüşebilirsiniz."
        )
    else:
        lines.append("❌ <b>Birlikteliğiniz şu an temel üyelik koşullarını karşılamıyor.</b>")
    steps = {s.get("rule"): s for s in data.get("next_steps") or []}
    cites = []
    for item in data.get("unmet") or []:
        rule = rules.get(item.get("rule"))
        step = steps.get(item.get("rule"), {})
        title = step.get("title") or (rule.title if rule else item.get("rule", ""))
        lines.append("")
        lines.append(f"• <b>{esc(title)}</b>: {esc(item.get('reason', ''))}")
        text = step.get("text") or (rule.next_step if rule else "")
        if text:
            lines.append(f"  👉 {esc(text)}")
        acts = _activity_ids(step.get("activities") or (rule.activities if rule else []))
        lines.extend(render_activity_links(acts, content, site_url))
        if rule is not None:
            cites.append(rule.source)
    advice = data.get("advice") or []
    if advice:
        lines.append("")
        lines.append("<b>Hazırlık önerileri</b>")
        for item in advice:
            exp = readiness.get(item.get("id"))
            title = item.get("title") or (exp.title if exp else "")
            text = item.get("text") or (exp.advice if exp else "")
            lines.append(f"• <b>{esc(title)}</b>: {esc(text)}")
            acts = _activity_ids(item.get("activities") or (exp.activities if exp else []))
            lines.extend(render_activity_links(acts, content, site_url))
            if exp is not None:
                cites.append(exp.source)
    if not data.get("unmet"):
        cites = [r.source for r in content.rules.membership] + cites
    lines.append("")
    lines.append(render_citations(cites, content))
    return "\n".join(lines)


# --- needs matching --------------------------------------------------------------------


def render_matches(matches: Iterable[Any], content: Any, site_url: str) -> str:
    matches = list(matches)
    if not matches:
        return (
            "Yazdıklarınızı program faaliyetleriyle eşleştiremedim. İhtiyacınızı birkaç "
            "kelimeyle farklı biçimde anlatabilir ya da Bilgi Merkezinize danışabilirsiniz."
        )
    cats = {c.number: c for c in content.catalogue.categories}
    acts = _activities_by_id(content)
    lines = ["<b>İhtiyaçlarınıza uyan program faaliyetleri</b>"]
    by_cat: dict[int, list[Any]] = {}
    for m in matches:
        number = m.category if isinstance(m.category, int) else getattr(m.category, "number", 0)
        by_cat.setdefault(number, []).append(m)
    cites = []
    # dicts keep insertion order: categories appear in the order of their best match, so
    # the most confident activity stays on top.
    for number in by_cat:
        cat = cats.get(number)
        lines.append("")
        if cat is not None:
            cat_link = link(user_links.category_url(number, site_url), f"Kategori {number}")
            lines.append(f"<b>{cat_link}: {esc(cat.short_title)}</b>")
        for m in by_cat[number]:
            act = acts.get(m.activity_id)
            if act is None:
                lines.append(f"• {esc(m.title)}")
                continue
            lines.append(f"• {link(user_links.activity_url(act, site_url), act.title)}")
            if act.explanation and act.explanation != "TODO":
                lines.append(f"  {esc(act.explanation)}")
            cites.append(act.source)
    if cites:
        lines.append("")
        lines.append(render_citations(cites[:3], content))
    return "\n".join(lines)


# --- budget ----------------------------------------------------------------------------


def budget_prompt(item_rate: Any = None, plan_rate: Any = None) -> str:
    rates = ""
    if item_rate is not None and plan_rate is not None:
        rates = (
            f"Hibe, her kalemde harcamanın en fazla {format_percent(item_rate)}'i, iş planının "
            f"tamamında ise en fazla {format_percent(plan_rate)}'si olabilir.\n\n"
        )
    return (
        "🧮 <b>Hibe hesabı</b>\n\n"
        f"{rates}"
        "Harcama kalemlerinizi her satıra bir tane olacak biçimde yazın:\n"
        "<code>Kalem adı: tutar</code>\n\n"
        "Örnek:\n<code>Eğitim programı: 200.000\nFuar katılımı: 350000</code>\n\n"
        "Programdan daha önce hibe aldıysanız bir satır ekleyin: "
        "<code>Önceki hibe: 2.000.000</code>\n\n"
        "Vazgeçmek için /iptal yazın."
    )


_CAP_LABELS = {
    "items": "kalem başına oran sınırı",
    "plan": "iş planı toplamı oran sınırı",
    "remaining": "5 yıllık program tavanı",
}


def render_budget(result: Any, content: Any) -> str:
    """eligibility.budget.BudgetResult figures in Turkish TL format, with citations."""
    data = result.to_json() if hasattr(result, "to_json") else dict(result)
    lines = ["🧮 <b>Tahmini hibe</b>", ""]
    for item in data.get("items", []):
        lines.append(
            f"• {esc(item['name'])}: {format_tl(item['cost'])} → "
            f"hibe en fazla {format_tl(item['max_grant'])}"
        )
    lines.append("")
    lines.append(f"Toplam harcama: <b>{format_tl(data['total_cost'])}</b>")
    lines.append(f"Alınabilecek en fazla hibe: <b>{format_tl(data['max_grant'])}</b>")
    lines.append(f"Kendi payınız: <b>{format_tl(data['own_share'])}</b>")
    if data.get("previous_grants"):
        remaining = data.get("limits", {}).get("remaining")
        line = f"Daha önce alınan hibe: {format_tl(data['previous_grants'])}"
        if remaining is not None:
            line += f"; 5 yıllık tavandan kalan: {format_tl(remaining)}"
        lines.append(line)
    binding = [_CAP_LABELS.get(b, b) for b in data.get("binding", [])]
    if binding:
        lines.append(f"Belirleyici sınır: {esc(', '.join(binding))}")
    rates = data.get("rates", {})
    if "item_grant_rate" in rates and "plan_grant_rate" in rates:
        lines.append(
            f"Oranlar: kalem başına {format_percent(rates['item_grant_rate'])}, "
            f"iş planı toplamında {format_percent(rates['plan_grant_rate'])}."
        )
    lines.append("Bu bir ön hesaplamadır; kesin tutarı Bakanlık değerlendirmesi belirler.")
    params = content.parameters
    cites = [
        params[name].entry_at().source
        for name in ("item_grant_rate", "total_grant")
        if name in params
    ]
    if cites:
        lines.append("")
        lines.append(render_citations(cites, content))
    return "\n".join(lines)


# --- Knowledge Centre ------------------------------------------------------------------


def render_centre(province: str, routing: Any, content: Any) -> str:
    centre = routing.centre
    distance = getattr(routing, "distance_km", None)
    if getattr(routing, "local", False):
        where = f"{esc(province)} ilinde bir Kümelenme Bilgi Merkezi var."
    elif distance is not None:
        where = (
            f"{esc(province)} iline en yakın Kümelenme Bilgi Merkezi "
            f"yaklaşık {round(float(distance))} km uzaklıkta."
        )
    else:
        where = f"{esc(province)} için size hizmet verecek Kümelenme Bilgi Merkezi:"
    lines = [
        "📍 " + where,
        "",
        f"<b>{esc(centre.province)} Kümelenme Bilgi Merkezi</b>",
        f"Ev sahibi kuruluş: {esc(centre.host)}",
    ]
    role = getattr(content.project, "centre_role", None)
    if role is not None:
        lines.append("")
        lines.append(esc(role.text))
    lines.append("")
    lines.append(render_citation(centre.source, content))
    return "\n".join(lines)


# --- FAQ -------------------------------------------------------------------------------


def faq_list_text() -> str:
    return "❓ <b>Sık sorulan sorular</b>\n\nBir soru seçin:"


def render_faq_answer(entry: Any, content: Any) -> str:
    lines = [f"<b>{esc(entry.question)}</b>", "", esc(entry.answer), ""]
    lines.append(render_citations(entry.sources, content))
    return "\n".join(lines)


# --- KVKK and leads --------------------------------------------------------------------


def render_kvkk_notice(kvkk: Any, retention_days: int, site_url: str) -> str:
    notice = kvkk.short_notice.replace("{retention_days}", str(retention_days))
    return (
        "🔐 <b>Kişisel verilerin korunması</b>\n\n"
        f"{esc(notice.strip())}\n\n"
        f"{link(user_links.kvkk_url(site_url), 'Aydınlatma metninin tamamı')}"
    )


def consent_refused() -> str:
    return (
        "Anlaşıldı, hiçbir kişisel veri kaydetmedim. Botun diğer tüm özelliklerini "
        "kullanmaya devam edebilirsiniz."
    )


LEAD_FIELD_LABELS = [
    ("firm", "Firma"),
    ("contact_name", "İlgili kişi"),
    ("phone", "Telefon"),
    ("email", "E-posta"),
    ("province", "İl"),
    ("centre", "Bilgi Merkezi"),
    ("sector", "Sektör"),
    ("size_band", "Çalışan sayısı"),
    ("role", "Rol"),
    ("needs_text", "İhtiyaçlar"),
    ("source", "Kaynak"),
    ("status", "Durum"),
    ("created_at", "Kayıt zamanı"),
]


def render_lead_confirmation(lead_id: Any, centre: Any | None) -> str:
    lines = [f"✅ Bilgileriniz kaydedildi. Başvuru numaranız: <b>#{esc(lead_id)}</b>"]
    if centre is not None:
        lines.append(
            f"{esc(centre.province)} Kümelenme Bilgi Merkezi ({esc(centre.host)}) "
            "en kısa sürede sizinle iletişime geçecek."
        )
    lines.append("Kayıtlı bilgilerinizi /verilerim ile görebilir, /sil ile silebilirsiniz.")
    return "\n".join(lines)


def _centre_name(centre_id: str) -> str:
    from eligibility.content import get_content

    for centre in get_content().project.centres:
        if centre.id == centre_id:
            return f"{centre.province} Kümelenme Bilgi Merkezi"
    return centre_id


def render_user_data(leads: Iterable[Mapping[str, Any]]) -> str:
    leads = list(leads)
    if not leads:
        return "🔐 Hakkınızda kayıtlı hiçbir kişisel veri yok."
    lines = [f"🔐 <b>Hakkınızda kayıtlı bilgiler</b> ({len(leads)} kayıt)"]
    for lead in leads:
        lines.append("")
        lines.append(f"<b>Kayıt #{esc(lead.get('id', '?'))}</b>")
        for key, label in LEAD_FIELD_LABELS:
            value = lead.get(key)
            if key == "status" and value:
                from bot.leads.record import status_label

                value = status_label(value)
            if key == "centre" and value:
                value = _centre_name(value)
            if value not in (None, "", []):
                lines.append(f"• {esc(label)}: {esc(value)}")
        acts = lead.get("matched_activities") or []
        if acts:
            lines.append(f"• Eşleşen faaliyetler: {esc(', '.join(acts))}")
        consent = lead.get("consent") or {}
        if consent:
            lines.append(
                f"• Onay: sürüm {esc(consent.get('version', ''))}, {esc(consent.get('at', ''))}"
            )
        if lead.get("eligibility"):
            ok = _get(lead["eligibility"], "eligible")
            lines.append(f"• Uygunluk sonucu: {'uygun' if ok else 'koşullar eksik'}")
        # Notes written by the centre are data about the user too (KVKK right of access).
        for note in lead.get("notes") or []:
            lines.append(
                f"• Merkez notu ({esc(str(note.get('at', ''))[:10])}): {esc(note.get('text', ''))}"
            )
    lines.append("")
    lines.append("Silmek için /sil yazın.")
    return "\n".join(lines)


def delete_confirm_prompt(count: int) -> str:
    return (
        f"⚠️ Hakkınızdaki {count} kayıt kalıcı olarak silinecek. Bu işlem geri alınamaz. "
        "Emin misiniz?"
    )


def deleted(count: int) -> str:
    return f"🗑 {count} kayıt silindi. Hakkınızda artık kayıtlı veri yok."


def nothing_to_delete() -> str:
    return "Hakkınızda kayıtlı veri yok; silinecek bir şey bulunmuyor."


def cancelled() -> str:
    return "İşlem iptal edildi. Menüye dönmek için /start yazabilirsiniz."


def fallback() -> str:
    return (
        "Bunu tam anlayamadım. Aşağıdaki konulardan birini seçebilir ya da sorunuzu başka "
        "kelimelerle yazabilirsiniz."
    )
