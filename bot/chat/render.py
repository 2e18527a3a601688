"""Plain-text rendering of results for the terminal chat: the eligibility verdict and a
firm's matches and Knowledge Centre."""

from __future__ import annotations

from typing import Any

from eligibility import site_urls
from eligibility.conversation import dating_line, get_conversation
from eligibility.guidance import next_step
from eligibility.matcher import evidence_sentence
from eligibility.models import Content
from eligibility.operator import centre_reach
from eligibility.questionnaire import Result
from eligibility.rules import Verdict, cite


def _activity_line(activity: dict[str, Any], categories: dict[int, str]) -> str:
    category = categories.get(int(activity.get("category") or 0), "")
    prefix = f"[Kategori {activity.get('category')}: {category}] " if category else ""
    return f"    – {prefix}{activity['title']} ({activity['id']})"


def verdict_lines(verdict: Verdict, content: Content) -> list[str]:
    categories = {c.number: c.short_title for c in content.catalogue.categories}
    lines: list[str] = []
    if verdict.eligible:
        lines.append("✔ Birliktelik, Kümelenme Destek Programının üyelik koşullarını karşılıyor.")
        lines.append("Dayanak:")
        seen = set()
        for rr in verdict.results:
            text = cite(rr.rule.source, content)
            if text not in seen:
                seen.add(text)
                lines.append(f"  {text}")
    else:
        lines.append("✘ Birliktelik şu an üyelik koşullarını karşılamıyor.")
        lines.append("Eksik koşullar:")
        for item in verdict.unmet:
            lines.append(f"  • {' '.join(item['reason'].split())}")
            lines.append(f"    Kaynak: {item['source']}")
        lines.append("")
        lines.append("Yapılabilecekler:")
        for item in verdict.next_steps:
            lines.append(f"  • {item['title']}: {' '.join(item['text'].split())}")
            lines.extend(_activity_line(a, categories) for a in item.get("activities", []))
    if verdict.advice:
        lines.append("")
        lines.append("Öneriler (uygunluğu etkilemez):")
        for item in verdict.advice:
            unknown = " (bilmiyorum dediniz)" if item.get("unknown") else ""
            lines.append(f"  • {item['title']}{unknown}: {' '.join(item['text'].split())}")
            lines.extend(_activity_line(a, categories) for a in item.get("activities", []))
    return lines


def firm_lines(result: Result, content: Content) -> list[str]:
    categories = {c.number: c.short_title for c in content.catalogue.categories}
    lines: list[str] = []
    texts = get_conversation().matches
    if result.matches:
        lines.append(f"{texts.title}:")
        for match in result.matches:
            lines.append(f"  • {match.title} ({match.activity_id})")
            lines.append(f"    Kategori {match.category}: {categories[match.category]}")
            if match.evidence:
                lines.append(f"    {evidence_sentence(match.evidence)}")
        lines.append(f"{content.notices.labels.plain}: {texts.reach_firms}")
    else:
        lines.append(" ".join(texts.none.split()))
    routing = result.routing
    if routing is not None:
        lines.append("")
        centre = routing.centre
        if routing.local:
            lines.append(
                f"İlinizdeki Kümelenme Bilgi Merkezi (proje döneminde): {centre.province} — "
                f"{centre.host}"
            )
        else:
            lines.append(
                f"Size en yakın Kümelenme Bilgi Merkezi (proje döneminde): {centre.province} — "
                f"{centre.host} (yaklaşık {round(routing.distance_km)} km)"
            )
        reach = centre_reach(content, centre.id)
        lines.append(f"{content.notices.labels.contact} {reach.text} {reach.status}".rstrip())
    return lines


def next_step_lines(
    content: Content, key: str, site_url: str, centre_id: str | None = None
) -> list[str]:
    """The way forward (next_steps.yaml): what it means, what to prepare, whom to contact,
    where the programme's official text is."""
    labels = content.notices.labels
    step = next_step(content, key, centre_id=centre_id)
    lines = [f"{labels.next_step}: {step.title}", f"  {step.text}"]
    if step.prepare:
        lines.append(f"  {labels.prepare}:")
        lines += [f"    – {item}" for item in step.prepare]
    lines.append(f"  {labels.contact} {step.contact}")
    if step.centre:
        lines.append(f"  {step.centre}")
    sources = site_urls.page_url(site_urls.SOURCES_PAGE, site_url)
    lines.append(f"  {labels.programme_text}: {content.sources['kdp'].title} — {sources}")
    return lines


def dating_lines(content: Content) -> list[str]:
    return [dating_line(content.notices.ministry_portal.name)]
