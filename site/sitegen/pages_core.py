"""Home, programme and "who can take part" pages."""

from __future__ import annotations

from eligibility.models import CitedText, Content
from sitegen import pictures, urls
from sitegen.fmt import cite, dated, esc, plain
from sitegen.links import activity_list, rel
from sitegen.model import Page
from sitegen.steps import next_steps_section

HOME = "index.md"
PROGRAMME = "program.md"
PARTICIPATION = "kimler-katilabilir.md"
PARTICIPATION_TITLE = "Kimler katılabilir?"
SCOPE = f"{urls.SCOPE_DIR}/index.md"
MONEY = "sure-ve-destek-miktari.md"
PROJECT = "kobi-kumelenme-projesi.md"
FAQ = "sss.md"
BOT = "bot-kullanimi.md"


def _card(title: str, body: str, link_text: str, target: str) -> str:
    body = "\n".join("    " + line if line else "" for line in body.splitlines())
    return f"-   **{title}**\n\n    ---\n\n{body}\n\n    [{link_text} →]({rel(HOME, target)})\n\n"


def bot_button(telegram_url: str) -> str:
    return f"[Telegram botunu açın]({telegram_url}){{ .md-button .md-button--primary }}"


def home(content: Content, telegram_url: str) -> Page:
    prog, project = content.programme, content.project
    # Card bodies are content's own (dated, past-tense) wording; no figure is restated here
    # without its dating line.
    cards = [
        _card("Program ne için?", plain(prog.aim.plain, content), "Program", PROGRAMME),
        _card(
            "Kimler için?",
            plain(prog.target_audience.plain, content),
            PARTICIPATION_TITLE,
            PARTICIPATION,
        ),
        _card(
            "Neler desteklenir?", plain(prog.support_scope.plain, content), "Destek kapsamı", SCOPE
        ),
        _card(
            "Ne kadar destek, ne kadar süre?",
            f"{esc(content.parameters['total_grant'].description)}: "
            f"{dated('total_grant', content)}\n\n"
            f"{esc(content.parameters['support_years'].description)}: "
            f"{dated('support_years', content)}",
            "Süre ve destek miktarı",
            MONEY,
        ),
        _card(
            esc(project.name),
            plain(project.services.plain, content),
            "Kümelenme Bilgi Merkezleri",
            PROJECT,
        ),
    ]
    listed = content.site_tools.tools
    tools = f"## {esc(listed.section)}\n\n" + "".join(
        f"- [{esc(tool.title)}]({rel(HOME, page)}): {esc(tool.summary)}\n"
        for page, tool in (
            ("uygunluk-kontrolu.md", listed.check),
            ("hibe-hesaplama.md", listed.calc),
            ("merkezinizi-bulun.md", listed.centre),
        )
    )
    md = f"""---
title: Ana sayfa
---

# {esc(prog.name)} ve Küme Asistanı

Bu site, {esc(prog.ministry)} {esc(prog.name)} ile {esc(project.name)} hakkındaki resmî
bilgileri sade bir dille ve kaynak cümleleriyle birlikte sunar. Sorularınızı Telegram
üzerinden Küme Asistanı botuna da sorabilirsiniz.

{bot_button(telegram_url)}
[Botu nasıl kullanırım?]({rel(HOME, BOT)}){{ .md-button }}

{tools}
<div class="grid cards" markdown>

{"".join(cards)}
</div>

Her bilginin altında, dayandığı resmî metindeki cümle birebir ve metnin tarihiyle birlikte
verilir. Metinlerin tarihleri ve tam listesi için [Kaynaklar](kaynaklar.md) sayfasına bakın.
"""
    return Page(HOME, "Ana sayfa", md)


def _cited(text_obj: CitedText, content: Content) -> str:
    return f"{plain(text_obj.plain, content)}\n\n{cite(text_obj.source, content)}"


def programme(content: Content) -> Page:
    prog = content.programme
    goals = "\n".join(
        f"1. {plain(g.plain, content)}<br>\n   {cite(g.source, content)}" for g in prog.goals
    )
    indicators = "\n".join(
        f"1. {plain(i.plain, content)}<br>\n   {cite(i.source, content)}" for i in prog.indicators
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
[{PARTICIPATION_TITLE}]({rel(PROGRAMME, PARTICIPATION)}) sayfasında anlatılır.
"""
    return Page(PROGRAMME, "Program", md)


def participation(content: Content, portal: str | None = None) -> Page:
    prog, rules = content.programme, content.rules
    parts = [
        f"# {PARTICIPATION_TITLE}\n",
        _cited(prog.target_audience, content) + "\n",
        _cited(prog.cluster_association, content) + "\n",
        "Birlikteliğinizin şartları sağlayıp sağlamadığını birkaç soruyla görmek için "
        f"[Uygunluk kontrolü]({rel(PARTICIPATION, 'uygunluk-kontrolu.md')}) aracını kullanın.\n",
        "## Zorunlu şartlar\n",
        pictures.membership_figure(content) + "\n",
    ]
    for rule in rules.membership:
        parts.append(f"### {esc(rule.title)}\n")
        if rule.parameter:
            parts.append(f"En az: {dated(rule.parameter, content)}\n")
        parts.append(cite(rule.source, content) + "\n")
        parts.append(f"**Bu şartı henüz sağlamıyorsanız:** {esc(rule.next_step)}\n")
        if rule.activities:
            parts.append(f"{esc(content.site_tools.common.activities_intro)}\n")
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
    parts.append(f'<span class="kume-label">Küme Asistanı:</span> {esc(rules.readiness_note)}\n')
    for item in rules.readiness:
        parts.append(f"### {esc(item.title)}\n")
        parts.append(f"*{esc(item.question)}*\n")
        parts.append(cite(item.source, content) + "\n")
        parts.append(f"**Henüz hazır değilseniz (tavsiye):** {esc(item.advice)}\n")
        parts.append(activity_list(PARTICIPATION, item.activities, content) + "\n")
    parts.append(
        next_steps_section(content, ["eligible", "not_eligible", "firm"], PARTICIPATION, portal)
    )
    return Page(PARTICIPATION, PARTICIPATION_TITLE, "\n".join(parts))
