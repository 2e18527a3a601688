"""The answers of the user conversation, as Telegram HTML: programme summary, eligibility
verdict (with its next step), matching activities (with the user's words that led to each),
Knowledge Centre (with whom to contact) and FAQ answers. Official text and our own wording
are labelled apart (notices.yaml labels)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from bot.leads.views import centre_name
from bot.telegram.html import esc, link
from bot.telegram.user import links
from bot.telegram.user.render import render_citation, render_citations
from bot.telegram.user.render_steps import render_dating_notice, render_next_step
from eligibility.conversation import get_conversation
from eligibility.matcher import Match, evidence_sentence
from eligibility.models import Activity, Citation, Content, FaqEntry
from eligibility.operator import centre_reach
from eligibility.routing import Routing


def programme_summary(content: Content, site_url: str) -> str:
    """Short summary of the programme: aim, who it is for, what and how much it supports, as
    our plain explanation (its figures dated in the text), the dating notice, the official
    sentences with their source, and a link to the site."""
    prog = content.programme
    labels = content.notices.labels
    facts = [prog.aim, prog.cluster_association, prog.support_scope, prog.money, prog.duration]
    paragraphs = [f"<b>{esc(prog.name)}</b> ({esc(prog.ministry)})"]
    paragraphs.append(f"<i>{esc(labels.plain)}</i>")
    paragraphs += [esc(fact.text) for fact in facts]
    paragraphs.append(render_dating_notice(content))
    paragraphs.append(
        f"<i>{esc(labels.official)}</i>\n" + render_citations([f.source for f in facts], content)
    )
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
            "veren firma koşulları sağlanıyor."
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
            unknown = " <i>(bilmiyorum dediniz)</i>" if item.get("unknown") else ""
            lines.append(f"• <b>{esc(item['title'])}</b>{unknown}: {esc(item['text'])}")
            ids = [a["id"] for a in item["activities"]]
            lines.extend(render_activity_links(ids, content, site_url))
            if item["id"] in readiness:
                cites.append(readiness[item["id"]].source)
    if not verdict["unmet"]:
        cites = [r.source for r in content.rules.membership] + cites
    lines.append("")
    lines.append(render_citations(cites, content))
    lines.append("")
    key = "eligible" if verdict["eligible"] else "not_eligible"
    lines.append(render_next_step(content, key, site_url))
    return "\n".join(lines)


def render_matches(matches: Iterable[Match], content: Content, site_url: str) -> str:
    """The activities a firm's needs matched, each with the words of the user that led to
    it («eleman bulamıyoruz» ifadeniz için), our plain explanation marked as such, and the
    seed sentences."""
    texts = get_conversation().matches
    matches = list(matches)
    if not matches:
        return esc(texts.none)
    cats = {c.number: c for c in content.catalogue.categories}
    acts = _activities_by_id(content)
    lines = [f"<b>{esc(texts.title)}</b>"]
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
            because = f" <i>— {esc(evidence_sentence(m.evidence))}</i>" if m.evidence else ""
            lines.append(f"• {link(links.activity_url(act, site_url), act.title)}{because}")
            if act.explanation:
                lines.append(f"  {esc(act.explanation)}")
            cites.append(act.source)
    lines.append("")
    lines.append(f"<i>{esc(content.notices.labels.plain)}</i>: {esc(texts.reach_firms)}")
    lines.append(render_citations(cites[:3], content))
    return "\n".join(lines)


def render_centre(province: str, routing: Routing, content: Content) -> str:
    """Which Knowledge Centre serves a province, what such a centre was (past tense: the
    project was planned to end in August 2013), and whom to contact today: the operator's
    contact, or the host organisation of the seed and whom to ask."""
    centre = routing.centre
    if routing.local:
        where = f"{esc(province)} ilinde bir Kümelenme Bilgi Merkezi kurulmuştu."
    else:
        where = (
            f"{esc(province)} iline en yakın Kümelenme Bilgi Merkezi "
            f"yaklaşık {round(routing.distance_km)} km uzaklıktaydı."
        )
    reach = centre_reach(content, centre.id)
    lines = [
        "📍 " + where,
        "",
        f"<b>{esc(centre_name(centre.id))}</b>",
        f"Ev sahibi kuruluş: {esc(centre.host)}",
        "",
        esc(content.project.centre_role.text),
        render_citation(centre.source, content),
        "",
        f"<b>{esc(content.notices.labels.contact)}</b>",
        esc(reach.text),
    ]
    if reach.status:
        lines.append(f"<i>{esc(reach.status)}</i>")
    return "\n".join(lines)


def faq_list_text() -> str:
    return "❓ <b>Sık sorulan sorular</b>\n\nBir soru seçin:"


def render_faq_answer(entry: FaqEntry, content: Content, evidence: str = "") -> str:
    """An FAQ answer: our wording marked as such, the official sentences with their source;
    from free text, the user's words that led to it («…» sorunuz için)."""
    labels = content.notices.labels
    lines = [f"<b>{esc(entry.question)}</b>"]
    if evidence:
        lines.append(f"<i>{esc(evidence_sentence(evidence, faq=True))}</i>")
    lines += ["", f"<i>{esc(labels.answer)}</i>", esc(entry.answer), ""]
    lines.append(f"<i>{esc(labels.official)}</i>")
    lines.append(render_citations(entry.sources, content))
    return "\n".join(lines)
