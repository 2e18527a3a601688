"""Plain-text rendering of results for the terminal chat: the eligibility verdict and a
firm's matches and Knowledge Centre."""

from __future__ import annotations

from typing import Any

from eligibility.models import Content
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
            lines.append(f"  • {item['title']}: {' '.join(item['text'].split())}")
            lines.extend(_activity_line(a, categories) for a in item.get("activities", []))
    return lines


def firm_lines(result: Result, content: Content) -> list[str]:
    categories = {c.number: c.short_title for c in content.catalogue.categories}
    lines: list[str] = []
    if result.matches:
        lines.append("İhtiyacınıza uyan destek faaliyetleri:")
        for match in result.matches:
            lines.append(f"  • {match.title} ({match.activity_id})")
            lines.append(f"    Kategori {match.category}: {categories[match.category]}")
    else:
        lines.append(
            "İhtiyacınıza doğrudan uyan bir faaliyet bulamadım; Kümelenme Bilgi Merkezi "
            "sizinle birlikte değerlendirebilir."
        )
    routing = result.routing
    if routing is not None:
        lines.append("")
        centre = routing.centre
        if routing.local:
            lines.append(f"İlinizdeki Kümelenme Bilgi Merkezi: {centre.province} — {centre.host}")
        else:
            lines.append(
                f"Size en yakın Kümelenme Bilgi Merkezi: {centre.province} — {centre.host} "
                f"(yaklaşık {round(routing.distance_km)} km)"
            )
    return lines
