"""FAQ, sources, and the prose pages of content/pages (the KVKK notice among them)."""

from __future__ import annotations

from pathlib import Path

from eligibility.dating import date_tr, source_date
from eligibility.kvkk import kvkk_values
from eligibility.models import Content
from eligibility.templates import fill
from sitegen import urls
from sitegen.fmt import cite, esc, plain, secondary_note
from sitegen.model import Page
from sitegen.pages_project import PROJECT, project
from sitegen.slug import slugify

FAQ = "sss.md"
SOURCES = "kaynaklar.md"
SOURCES_TITLE = "Kaynaklar"
SOURCE_TEXT_DIR = "kaynaklar"
# content/pages files with their nav titles, in nav order; any other file there is
# appended after them under its own first heading.
PROSE = {
    "bot-kullanimi.md": "Botu kullanma",
    "kvkk.md": "KVKK aydınlatma metni",
    "hakkinda.md": "Hakkında",
}

__all__ = ["FAQ", "PROJECT", "SOURCES", "faq", "project", "prose_pages", "sources"]


def faq(content: Content) -> Page:
    """Questions grouped by programme; each answer labelled as ours, then the official
    sentences it rests on, then any secondary source (visibly secondary, dated)."""
    parts = ["# Sık sorulan sorular\n"]
    # Jump list: the topics and their questions, so that an answer is one tap away.
    jump = ['<nav class="kume-jump" aria-label="Konular ve sorular" markdown>\n']
    for topic, heading in content.faq.topics.items():
        entries = [e for e in content.faq.entries if e.topic == topic]
        if entries:
            jump.append(f"- [{esc(heading)}](#{slugify(heading)})")
            jump.extend(f"    - [{esc(e.question)}](#{e.id})" for e in entries)
    jump.append("\n</nav>\n")
    parts.append("\n".join(jump))
    for topic, heading in content.faq.topics.items():
        entries = [e for e in content.faq.entries if e.topic == topic]
        if not entries:
            continue
        parts.append(f"## {esc(heading)}\n")
        for entry in entries:
            parts.append(f"### {esc(entry.question)} {{#{entry.id}}}\n")
            parts.append(f"{plain(entry.plain_answer, content, 'answer')}\n")
            notes = [cite(s, content) for s in entry.sources]
            notes += [secondary_note(ref, content) for ref in entry.secondary]
            parts.append("\n".join(notes) + "\n")
    return Page(FAQ, "Sık sorulan sorular", "\n".join(parts))


def sources(content: Content) -> Page:
    labels = content.notices.labels
    parts = [
        f"# {SOURCES_TITLE}\n",
        "Sitedeki ve bottaki bilgiler aşağıdaki resmî metinlere dayanır. Her bilginin "
        f"yanında bu metinlerden birebir alıntılanan cümle «{esc(labels.official)}» diye "
        "gösterilir; bizim sade anlatımımız ise "
        f"«{esc(labels.plain)}» diye ayrılır.\n",
    ]
    for src in content.sources.values():
        parts.append(f"## {esc(src.title)}\n")
        parts.append(f"- Yayımlayan: {esc(src.publisher)}")
        parts.append(f"- Tarih: {esc(source_date(src))} ({esc(src.date_note)})")
        parts.append(f"- Metnin kendisi: [{esc(src.file)}]({SOURCE_TEXT_DIR}/{src.file})\n")
    parts.append(f"## {esc(labels.secondary)} {{#{urls.SECONDARY_ANCHOR}}}\n")
    parts.append(
        "Aşağıdaki sayfalar kaynak metinlerden sonrasını anlatır. Resmî değildir ve Bakanlıkça "
        "doğrulanmamıştır; sitede yalnızca «bildirilen» bilgi olarak, tarihleriyle anılır.\n"
    )
    for sec in content.secondary_sources.sources:
        parts.append(secondary_note(sec.id, content) + "\n")
        parts.append("\n".join(f"- {esc(line)}" for line in sec.reports) + "\n")
    if content.calls.calls:
        parts.append(f"## Sonraki çağrılar {{#{urls.CALLS_ANCHOR}}}\n")
        for call in content.calls.calls:
            when = date_tr(call.opens) + (f" – {date_tr(call.closes)}" if call.closes else "")
            status = content.notices.call_status[call.status]
            parts.append(f"- {esc(call.name)}: {esc(when)}. {esc(status)}.")
        parts.append("")
    return Page(SOURCES, SOURCES_TITLE, "\n".join(parts))


def prose_pages(pages_dir: Path, content: Content) -> list[Page]:
    """content/pages/*.md, with the operator's details filled in ({controller} …)."""
    if not pages_dir.is_dir():
        return []
    files = sorted(p.name for p in pages_dir.glob("*.md"))
    ordered = [f for f in PROSE if f in files] + [f for f in files if f not in PROSE]
    # Values are the operator's own text: escape them like any content inside Markdown.
    values = {key: esc(value) for key, value in kvkk_values(content).items()}
    out = []
    for name in ordered:
        text = fill((pages_dir / name).read_text(encoding="utf-8"), values)
        title = PROSE.get(name) or _first_heading(text) or name.removesuffix(".md")
        out.append(Page(name, title, text))
    return out


def _first_heading(text: str) -> str | None:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None
