"""The answers of the user conversation, as Telegram HTML: programme summary, eligibility
verdict, matching activities, grant estimate, Knowledge Centre and FAQ answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from bot.leads.views import centre_name
from bot.telegram.html import esc, link
from bot.telegram.user import links
from bot.telegram.user.render import format_percent, format_tl, render_citation, render_citations
from eligibility.budget import BudgetResult, cap_label
from eligibility.matcher import Match
from eligibility.models import Activity, Citation, Content, FaqEntry
from eligibility.routing import Routing


def programme_summary(content: Content, site_url: str) -> str:
    """Short cited summary of the programme: aim, who it is for, what and how much it
    supports, with the source sentences and a link to the site."""
    prog = content.programme
    facts = [prog.aim, prog.cluster_association, prog.support_scope, prog.money, prog.duration]
    paragraphs = [f"<b>{esc(prog.name)}</b> ({esc(prog.ministry)})"]
    paragraphs += [esc(fact.text) for fact in facts]
    paragraphs.append(render_citations([f.source for f in facts[:4]], content))
    paragraphs.append(link(site_url, "Ayrıntılar ve faaliyet listesi sitede"))
    return "\n\n".join(paragraphs)


def _activities_by_id(content: Content) -> dict[str, Activity]:
    return {a.id: a for a in content.catalogue.activities}


def render_activity_links(ids: Iterable[str], content: Content, site_url: str) -> list[str]:
    by_id = _activities_by_id(content)
    lines = []
    for aid in ids:
        act = by_id.get(aid)
        if act is not None:
            # Some titles repeat across categories (e.g. university–industry programmes).
            anchor = link(links.activity_url(act, site_url), act.title)
            lines.append(f"  ◦ {anchor} <i>(Kategori {act.category})</i>")
    return lines


def render_verdict(verdict: Mapping[str, Any], content: Content, site_url: str) -> str:
    """The eligibility verdict (Verdict.to_json()): the outcome, each unmet rule with its
    reason and next step, the activities that help (linked to the site), readiness advice,
    and the citations of the rules."""
    rules = {r.id: r for r in content.rules.membership}
    readiness = {r.id: r for r in content.rules.readiness}
    lines: list[str] = []
    if verdict["eligible"]:
        lines.append("✅ <b>Birlikteliğiniz temel üyelik koşullarını karşılıyor.</b>")
        lines.append(
            "Sanayi odası (yoksa ticaret ve sanayi odası), üniversite ve işbirliği taahhüdü "
            "veren firma koşulları sağlanıyor. Başvuru için Bilgi Merkezinizle görüşebilirsiniz."
        )
    else:
        lines.append("❌ <b>Birlikteliğiniz şu an temel üyelik koşullarını karşılamıyor.</b>")
    steps = {s["rule"]: s for s in verdict["next_steps"]}
    cites: list[Citation] = []
    for item in verdict["unmet"]:
        step = steps[item["rule"]]
        lines.append("")
        lines.append(f"• <b>{esc(step['title'])}</b>: {esc(item['reason'])}")
        lines.append(f"  👉 {esc(step['text'])}")
        ids = [a["id"] for a in step["activities"]]
        lines.extend(render_activity_links(ids, content, site_url))
        if item["rule"] in rules:
            cites.append(rules[item["rule"]].source)
    if verdict["advice"]:
        lines.append("")
        lines.append("<b>Hazırlık önerileri</b>")
        for item in verdict["advice"]:
            lines.append(f"• <b>{esc(item['title'])}</b>: {esc(item['text'])}")
            ids = [a["id"] for a in item["activities"]]
            lines.extend(render_activity_links(ids, content, site_url))
            if item["id"] in readiness:
                cites.append(readiness[item["id"]].source)
    if not verdict["unmet"]:
        cites = [r.source for r in content.rules.membership] + cites
    lines.append("")
    lines.append(render_citations(cites, content))
    return "\n".join(lines)


def render_matches(matches: Iterable[Match], content: Content, site_url: str) -> str:
    matches = list(matches)
    if not matches:
        return (
            "Yazdıklarınızı program faaliyetleriyle eşleştiremedim. İhtiyacınızı birkaç "
            "kelimeyle farklı biçimde anlatabilir ya da Bilgi Merkezinize danışabilirsiniz."
        )
    cats = {c.number: c for c in content.catalogue.categories}
    acts = _activities_by_id(content)
    lines = ["<b>İhtiyaçlarınıza uyan program faaliyetleri</b>"]
    by_cat: dict[int, list[Match]] = {}
    for m in matches:
        by_cat.setdefault(m.category, []).append(m)
    cites = []
    # dicts keep insertion order: categories appear in the order of their best match, so
    # the most confident activity stays on top.
    for number, in_category in by_cat.items():
        cat = cats[number]
        lines.append("")
        cat_link = link(links.category_url(number, site_url), f"Kategori {number}")
        lines.append(f"<b>{cat_link}: {esc(cat.short_title)}</b>")
        for m in in_category:
            act = acts[m.activity_id]
            lines.append(f"• {link(links.activity_url(act, site_url), act.title)}")
            if act.explanation:
                lines.append(f"  {esc(act.explanation)}")
            cites.append(act.source)
    lines.append("")
    lines.append(render_citations(cites[:3], content))
    return "\n".join(lines)


def budget_prompt(item_rate: Decimal, plan_rate: Decimal) -> str:
    return (
        "🧮 <b>Hibe hesabı</b>\n\n"
        f"Hibe, her kalemde harcamanın en fazla {format_percent(item_rate)}'i, iş planının "
        f"tamamında ise en fazla {format_percent(plan_rate)}'si olabilir.\n\n"
        "Harcama kalemlerinizi her satıra bir tane olacak biçimde yazın:\n"
        "<code>Kalem adı: tutar</code>\n\n"
        "Örnek:\n<code>Eğitim programı: 200.000\nFuar katılımı: 350000</code>\n\n"
        "Programdan daha önce hibe aldıysanız bir satır ekleyin: "
        "<code>Önceki hibe: 2.000.000</code>\n\n"
        "Vazgeçmek için /iptal yazın."
    )


def render_budget(result: BudgetResult, content: Content) -> str:
    """An estimate in Turkish TL format; cap names from content/parameters.yaml, with
    citations."""
    lines = ["🧮 <b>Tahmini hibe</b>", ""]
    for item in result.items:
        lines.append(
            f"• {esc(item.name)}: {format_tl(item.cost)} → "
            f"hibe en fazla {format_tl(item.max_grant)}"
        )
    lines.append("")
    lines.append(f"Toplam harcama: <b>{format_tl(result.total_cost)}</b>")
    lines.append(f"Alınabilecek en fazla hibe: <b>{format_tl(result.max_grant)}</b>")
    lines.append(f"Kendi payınız: <b>{format_tl(result.own_share)}</b>")
    if result.previous_grants:
        remaining = result.caps["remaining"]
        label = cap_label("remaining", result.on, content)
        lines.append(
            f"Daha önce alınan hibe: {format_tl(result.previous_grants)}; "
            f"kalan {esc(label)}: {format_tl(remaining)}"
        )
    binding = [cap_label(b, result.on, content) for b in result.binding]
    if binding:
        lines.append(f"Belirleyici sınır: {esc(', '.join(binding))}")
    lines.append(
        f"Oranlar: kalem başına {format_percent(result.rates['item_grant_rate'])}, "
        f"iş planı toplamında {format_percent(result.rates['plan_grant_rate'])}."
    )
    lines.append("Bu bir ön hesaplamadır; kesin tutarı Bakanlık değerlendirmesi belirler.")
    params = content.parameters
    entries = [params[name].entry_at(result.on) for name in ("item_grant_rate", "total_grant")]
    # A confirmed later call's value has no seed sentence to quote (its dating line is its basis).
    cites = [entry.source for entry in entries if entry.source is not None]
    lines.append("")
    lines.append(render_citations(cites, content))
    return "\n".join(lines)


def render_centre(province: str, routing: Routing, content: Content) -> str:
    centre = routing.centre
    if routing.local:
        where = f"{esc(province)} ilinde bir Kümelenme Bilgi Merkezi var."
    else:
        where = (
            f"{esc(province)} iline en yakın Kümelenme Bilgi Merkezi "
            f"yaklaşık {round(routing.distance_km)} km uzaklıkta."
        )
    lines = [
        "📍 " + where,
        "",
        f"<b>{esc(centre_name(centre.id))}</b>",
        f"Ev sahibi kuruluş: {esc(centre.host)}",
        "",
        esc(content.project.centre_role.text),
        "",
        render_citation(centre.source, content),
    ]
    return "\n".join(lines)


def faq_list_text() -> str:
    return "❓ <b>Sık sorulan sorular</b>\n\nBir soru seçin:"


def render_faq_answer(entry: FaqEntry, content: Content) -> str:
    lines = [f"<b>{esc(entry.question)}</b>", "", esc(entry.answer), ""]
    lines.append(render_citations(entry.sources, content))
    return "\n".join(lines)
