"""Home, programme and "who can take part" pages."""

from __future__ import annotations

from eligibility.models import Content
from sitegen import urls
from sitegen.fmt import cite, esc, figure_span, source_label
from sitegen.links import activity_list, rel
from sitegen.model import Page

HOME = "index.md"
PROGRAMME = "program.md"
PARTICIPATION = "kimler-katilabilir.md"
SCOPE = f"{urls.SCOPE_DIR}/index.md"
MONEY = "sure-ve-destek-miktari.md"
PROJECT = "kobi-kumelenme-projesi.md"
FAQ = "sss.md"
BOT = "bot-kullanimi.md"


def _card(title: str, body: str, link_text: str, target: str) -> str:
    body = "\n".join("    " + line if line else "" for line in body.splitlines())
    return (
        f"-   **{title}**\n\n    ---\n\n{body}\n\n"
        f"    [{link_text} →]({rel(HOME, target)})\n\n"
    )


def bot_button(telegram_url: str) -> str:
    return f"[Telegram botunu açın]({telegram_url}){{ .md-button .md-button--primary }}"


def _short_source(parameter: str, content: Content) -> str:
    entry = content.parameters[parameter].entry_at()
    return f'<small class="kume-kaynak">Kaynak: {source_label(entry.source, content)}</small>'


def home(content: Content, telegram_url: str) -> Page:
    prog, project = content.programme, content.project
    cards = [
        _card("Program ne için?", esc(prog.aim.text), "Program", PROGRAMME),
        _card("Kimler için?", esc(prog.target_audience.text), "Kimler katılabilir?",
              PARTICIPATION),
        _card("Neler desteklenir?", esc(prog.support_scope.text), "Destek kapsamı", SCOPE),
        _card(
            "Ne kadar destek, ne kadar süre?",
            f"Hibe üst sınırı: {figure_span('total_grant', content)}. "
            f"Destek süresi: {figure_span('support_years', content)}.\n"
            f"{_short_source('total_grant', content)}",
            "Süre ve destek miktarı",
            MONEY,
        ),
        _card(esc(project.name), esc(project.services.text), "Kümelenme Bilgi Merkezleri",
              PROJECT),
    ]
    md = f"""---
title: Ana sayfa
---

# {esc(prog.name)} ve Küme Asistanı

Bu site, {esc(prog.ministry)} {esc(prog.name)} ile {esc(project.name)} hakkındaki resmî
bilgileri sade bir dille ve kaynak cümleleriyle birlikte sunar. Sorularınızı Telegram
üzerinden Küme Asistanı botuna da sorabilirsiniz.

{bot_button(telegram_url)}
[Botu nasıl kullanırım?]({rel(HOME, BOT)}){{ .md-button }}

<div class="grid cards" markdown>

{"".join(cards)}
</div>

Her bilginin altında, dayandığı resmî metindeki cümle birebir ve metnin tarihiyle birlikte
verilir. Metinlerin tarihleri ve tam listesi için [Kaynaklar](kaynaklar.md) sayfasına bakın.
"""
    return Page(HOME, "Ana sayfa", md)


def _cited(text_obj, content: Content) -> str:
    return f"{esc(text_obj.text)}\n{cite(text_obj.source, content)}"


def programme(content: Content) -> Page:
    prog = content.programme
    goals = "\n".join(
        f"1. {esc(g.text)}<br>\n   {cite(g.source, content)}" for g in prog.goals
    )
    indicators = "\n".join(
        f"1. {esc(i.text)}<br>\n   {cite(i.source, content)}" for i in prog.indicators
    )
    md = f"""# {esc(prog.name)}

Programı yürüten kurum: {esc(prog.ministry)}.

## Genel hedefler

{goals}

## Programın amacı

{_cited(prog.aim, content)}

## İlerlemenin ölçüldüğü göstergeler

{indicators}

## Hedef kitle

{_cited(prog.target_audience, content)}

## Kümelenme birlikteliği nedir?

{_cited(prog.cluster_association, content)}

Birlikteliğe kimlerin katılabileceği ve hangi şartların arandığı
[Kimler katılabilir?]({rel(PROGRAMME, PARTICIPATION)}) sayfasında anlatılır.
"""
    return Page(PROGRAMME, "Program", md)


def participation(content: Content) -> Page:
    prog, rules = content.programme, content.rules
    parts = [
        "# Kimler katılabilir?\n",
        "Destek tek tek firmalara değil, kümelenme birlikteliklerine verilir.\n",
        _cited(prog.cluster_association, content) + "\n",
        "## Zorunlu şartlar\n",
    ]
    for rule in rules.membership:
        parts.append(f"### {esc(rule.title)}\n")
        if rule.parameter:
            parts.append(f"En az: {figure_span(rule.parameter, content)}\n")
        parts.append(cite(rule.source, content) + "\n")
        parts.append(f"**Bu şartı henüz sağlamıyorsanız:** {esc(rule.next_step)}\n")
        if rule.activities:
            parts.append("Bu konuda desteklenen faaliyetler:\n")
            parts.append(activity_list(PARTICIPATION, rule.activities, content) + "\n")
    parts.append("## Birliktelikte yer alabilecek kuruluşlar\n")
    for member in prog.member_types:
        parts.append(
            f"- **{esc(member.name)}**: {esc(member.plain)}<br>\n  {cite(member.source, content)}"
        )
    parts.append("")
    parts.append("## Birlikteliklerden beklenenler\n")
    parts.append(_cited(prog.readiness_intro, content) + "\n")
    parts.append(_cited(prog.stakeholder_expectations, content) + "\n")
    parts.append(
        "Bu beklentiler uygunluk şartı değildir; eksik olanlar için program destek sağlar.\n"
    )
    for item in rules.readiness:
        parts.append(f"### {esc(item.title)}\n")
        parts.append(f"*{esc(item.question)}*\n")
        parts.append(cite(item.source, content) + "\n")
        parts.append(f"**Henüz hazır değilseniz:** {esc(item.advice)}\n")
        parts.append(activity_list(PARTICIPATION, item.activities, content) + "\n")
    return Page(PARTICIPATION, "Kimler katılabilir?", "\n".join(parts))
