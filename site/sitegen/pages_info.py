"""The KOBİ İşbirliği ve Kümelenme Projesi, FAQ, sources, and the prose pages of content/pages."""

from __future__ import annotations

from pathlib import Path

from eligibility.models import Content
from sitegen.fmt import cite, date_tr, esc, figure_span
from sitegen.model import Page

PROJECT = "kobi-kumelenme-projesi.md"
FAQ = "sss.md"
SOURCES = "kaynaklar.md"
SOURCE_TEXT_DIR = "kaynaklar"
# content/pages files with their nav titles, in nav order; any other file there is
# appended after them under its own first heading.
PROSE = {"bot-kullanimi.md": "Botu kullanma", "kvkk.md": "KVKK aydınlatma metni",
         "hakkinda.md": "Hakkında"}


def _cited(obj, content: Content) -> str:
    return f"{esc(obj.text)}\n{cite(obj.source, content)}\n"


def project(content: Content) -> Page:
    p = content.project
    aims = "\n".join(f"- {esc(a.text)}<br>\n  {cite(a.source, content)}" for a in p.aims)
    targets = []
    for t in p.targets:
        fig = f" ({figure_span(t.parameter, content)})" if t.parameter else ""
        targets.append(f"- {esc(t.text)}{fig}<br>\n  {cite(t.source, content)}")
    centres = "\n".join(
        f"| {esc(c.province)} | {esc(c.host)} | {esc(c.host_kind)} |" for c in p.centres
    )
    centre_sources = "<br>\n".join(
        dict.fromkeys(cite(c.source, content) for c in p.centres)
    )
    md = f"""# {esc(p.name)}

Uzun adı: *{esc(p.long_name)}*.

## Proje hakkında

{_cited(p.start, content)}
{_cited(p.opening, content)}
{_cited(p.budget, content)}
Proje bütçesi: {figure_span("project_budget", content)}.

{_cited(p.beneficiary, content)}
{_cited(p.duration, content)}
Planlanan süre: {figure_span("project_duration_months", content)}.

{_cited(p.predecessor, content)}

## Amaçlar

{aims}

## Kümelenme Bilgi Merkezleri

{_cited(p.region, content)}
{_cited(p.centre_role, content)}
{_cited(p.services, content)}

| İl | Ev sahibi kurum | Kurum türü |
|---|---|---|
{centres}

{centre_sources}

## Hedefler

{chr(10).join(targets)}
"""
    return Page(PROJECT, "KOBİ İşbirliği ve Kümelenme Projesi", md)


def faq(content: Content) -> Page:
    parts = ["# Sık sorulan sorular\n"]
    for entry in content.faq.entries:
        parts.append(f"## {esc(entry.question)} {{#{entry.id}}}\n")
        parts.append(f"{esc(entry.answer)}\n")
        parts.append("<br>\n".join(cite(s, content) for s in entry.sources) + "\n")
    return Page(FAQ, "Sık sorulan sorular", "\n".join(parts))


def sources(content: Content) -> Page:
    parts = [
        "# Kaynaklar\n",
        "Sitedeki ve bottaki bilgiler aşağıdaki resmî metinlere dayanır. Her bilginin "
        "yanında bu metinlerden birebir alıntılanan cümle gösterilir. Metinler eski "
        "tarihlidir; başvurudan önce güncel mevzuatı ilgili kurumdan teyit edin.\n",
    ]
    for src in content.sources.values():
        parts.append(f"## {esc(src.title)}\n")
        parts.append(f"- Yayımlayan: {esc(src.publisher)}")
        parts.append(f"- Tarih: {date_tr(src.date)} ({esc(src.date_note)})")
        parts.append(f"- Metnin kendisi: [{esc(src.file)}]({SOURCE_TEXT_DIR}/{src.file})\n")
    return Page(SOURCES, "Kaynaklar", "\n".join(parts))


def prose_pages(pages_dir: Path) -> list[Page]:
    """content/pages/*.md verbatim (the KVKK notice among them)."""
    if not pages_dir.is_dir():
        return []
    files = sorted(p.name for p in pages_dir.glob("*.md"))
    ordered = [f for f in PROSE if f in files] + [f for f in files if f not in PROSE]
    out = []
    for name in ordered:
        text = (pages_dir / name).read_text(encoding="utf-8")
        title = PROSE.get(name) or _first_heading(text) or name.removesuffix(".md")
        out.append(Page(name, title, text))
    return out


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None
