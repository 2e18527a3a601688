"""The KOBİ İşbirliği ve Kümelenme Projesi page: the project in the past tense (its text dates
it to 2011–2013), its dated targets, and for each Knowledge Centre whom to contact today —
the operator's details when known, otherwise the host organisation from the seed."""

from __future__ import annotations

from eligibility.labels import get_labels
from eligibility.models import CitedText, Content
from eligibility.operator import centre_reach
from sitegen import pictures, urls
from sitegen.fmt import cite, dated, esc, plain
from sitegen.model import Page
from sitegen.steps import next_steps_section
from sitegen.tables import reflow_table

PROJECT = "kobi-kumelenme-projesi.md"


def _cited(obj: CitedText, content: Content) -> str:
    return f"{plain(obj.plain, content)}\n\n{cite(obj.source, content)}\n"


def centres_section(content: Content) -> str:
    """One block per centre: host (seed), today's status and contact (operator file)."""
    p = content.project
    rows = [[esc(c.province), esc(c.host), esc(c.host_kind)] for c in p.centres]
    sources = "\n".join(dict.fromkeys(cite(c.source, content) for c in p.centres))
    parts = [
        reflow_table([get_labels().field("province"), "Ev sahibi kurum", "Kurum türü"], rows),
        "",
        sources,
        "",
        f"### Bugün kime başvurulur? {{#{urls.CENTRES_ANCHOR}}}",
        "",
        "İlinize hangi merkezin hizmet verdiğini [Merkezinizi bulun](merkezinizi-bulun.md) "
        "sayfasında görebilirsiniz.",
        "",
    ]
    for centre in p.centres:
        reach = centre_reach(content, centre.id)
        known = "true" if reach.known else "false"
        parts.append(
            f'<div class="kume-centre" data-centre="{centre.id}" data-known="{known}" markdown>'
        )
        parts.append("")
        parts.append(f"**{esc(reach.name)}** — {esc(reach.status)}")
        parts.append("")
        if reach.known:
            parts.extend(f"- {esc(label)}: {esc(value)}" for label, value in reach.lines)
        else:
            parts.append(esc(reach.text))
        parts.append("")
        parts.append("</div>")
        parts.append("")
    return "\n".join(parts)


def project(content: Content, portal: str | None = None) -> Page:
    p = content.project
    aims = "\n".join(
        f"- {plain(a.plain, content)}<br>\n  {cite(a.source, content)}" for a in p.aims
    )
    targets = []
    for t in p.targets:
        fig = f" — {dated(t.parameter, content)}" if t.parameter else ""
        targets.append(f"- {plain(t.plain, content)}{fig}<br>\n  {cite(t.source, content)}")
    md = f"""# {esc(p.name)}

Uzun adı: *{esc(p.long_name)}*.

## Proje hakkında

{pictures.timeline_figure(content)}

{_cited(p.start, content)}
{_cited(p.opening, content)}
{_cited(p.budget, content)}
Proje bütçesi: {dated("project_budget", content)}.

{_cited(p.beneficiary, content)}
{_cited(p.duration, content)}
Planlanan süre: {dated("project_duration_months", content)}.

{_cited(p.predecessor, content)}

## Amaçlar

{aims}

## Kümelenme Bilgi Merkezleri

{_cited(p.region, content)}
{_cited(p.centre_role, content)}
{_cited(p.services, content)}

{centres_section(content)}

## Hedefler

{chr(10).join(targets)}

{next_steps_section(content, ["centres", "firm"], PROJECT, portal)}
"""
    return Page(PROJECT, p.name, md)
