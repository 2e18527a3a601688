"""Duration and money: the rules with their figures, and worked examples computed at build
time by eligibility.budget, so the site shows exactly what the bot computes."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from decimal import Decimal

from eligibility.budget import BudgetResult, estimate
from eligibility.dating import figure_basis, reported_values, value_basis
from eligibility.models import Content, ParameterValue
from eligibility.templates import fill
from sitegen import pictures, urls
from sitegen.fmt import (
    basis_note,
    cite,
    date_tr,
    dated,
    esc,
    figure,
    figure_span,
    plain,
    reported_span,
    secondary_note,
    tl,
)
from sitegen.model import Page
from sitegen.steps import next_steps_section
from sitegen.tables import reflow_table

MONEY = "sure-ve-destek-miktari.md"
MONEY_TITLE = "Süre ve destek miktarı"
DURATION_PARAMS = ("support_years", "max_extension_years", "max_total_years")
MONEY_PARAMS = ("total_grant", "plan_grant_rate", "item_grant_rate")
# Each cap and the figure it applies (content/site_tools.yaml names and explains them).
CAP_FIGURES = {"items": "item_grant_rate", "plan": "plan_grant_rate", "remaining": "total_grant"}
# Example plans: the items are real catalogue activities; the costs are made-up inputs.
EXAMPLE_ITEMS = (("k3-08", 1_200_000), ("k2-06", 800_000), ("k1-04", 400_000))


@dataclass(frozen=True)
class WorkedExample:
    title: str
    intro: str
    items: list[tuple[str, Decimal]]
    previous_grants: Decimal
    result: BudgetResult


def worked_examples(content: Content, on: dt.date | None = None) -> list[WorkedExample]:
    by_id = {a.id: a for a in content.catalogue.activities}
    items = [
        (by_id[i].title if i in by_id else f"Kalem {n}", Decimal(cost))
        for n, (i, cost) in enumerate(EXAMPLE_ITEMS, start=1)
    ]
    first = estimate(items, 0, on=on, content=content)
    # Second plan: so much was granted before that less than this plan's cap is left.
    total = content.parameters["total_grant"].at(on)
    previous = total - first.caps["plan"] // 2
    second = estimate(items, previous, on=on, content=content)
    return [
        WorkedExample(
            "Örnek 1: İlk iş planı",
            "Birliktelik daha önce hibe almamış ve üç kalemlik bir iş planı hazırlamış.",
            items,
            Decimal(0),
            first,
        ),
        WorkedExample(
            "Örnek 2: Program üst sınırına yaklaşan birliktelik",
            f"Aynı iş planı, ancak birliktelik önceki iş planlarında {tl(previous)} hibe almış.",
            items,
            previous,
            second,
        ),
    ]


def cap_rules(content: Content, on: dt.date | None) -> str:
    """The three caps as a numbered list with their dated figures (the money page and the
    calculator say them alike)."""
    caps = content.site_tools.calc.caps
    lines = []
    for n, (cap, name) in enumerate(CAP_FIGURES.items(), start=1):
        words = getattr(caps, cap)
        figure = dated(name, content, on)
        rule = fill(esc(words.rule), {"rate": figure, "total": figure})
        lines.append(f"{n}. **{esc(words.rule_title)}:** {rule}")
    return "\n".join(lines)


def _example_table(example: WorkedExample, content: Content) -> str:
    r = example.result
    calc = content.site_tools.calc
    columns = [
        ("name", calc.columns.item),
        ("cost", calc.columns.cost),
        ("item-cap", calc.columns.item_cap),
        ("grant", calc.max_grant),
    ]
    head = "".join(f'<th scope="col">{html.escape(label)}</th>' for _, label in columns)
    # Material styles only class-less tables: the hooks for tests and CSS sit on the div.
    rows = [
        f'<div class="kume-example" data-previous-grants="{example.previous_grants}">',
        '<table class="kume-reflow">',
        f"<thead><tr>{head}</tr></thead>",
        "<tbody>",
    ]
    for item in r.items:
        values = [html.escape(item.name), tl(item.cost), tl(item.item_cap), tl(item.max_grant)]
        cells = "".join(
            f'<td class="{css}" data-label="{html.escape(label, quote=True)}">{value}</td>'
            for (css, label), value in zip(columns, values, strict=True)
        )
        rows.append(f'<tr class="kume-item">{cells}</tr>')
    rows.append("</tbody></table>")
    caps = calc.caps
    summary = [
        ("total_cost", calc.total_cost, r.total_cost),
        ("limit-items", caps.items.name, r.caps["items"]),
        ("limit-plan", caps.plan.name, r.caps["plan"]),
        ("limit-remaining", caps.remaining.name, r.caps["remaining"]),
        ("max_grant", calc.max_grant, r.max_grant),
        ("own_share", calc.own_share, r.own_share),
    ]
    rows.append("<table><tbody>")
    for key, label, value in summary:
        label = html.escape(label)
        rows.append(f'<tr data-key="{key}"><th scope="row">{label}</th><td>{tl(value)}</td></tr>')
    rows.append("</tbody></table>")
    rows.append("</div>")
    return "\n".join(rows)


def _param_rows(names: tuple[str, ...], content: Content, stated: str, on: dt.date | None) -> str:
    """Table of figures with each one's dating line; a figure's source sentence is quoted
    unless `stated` (the quote printed above the table) already holds it."""
    labels = content.notices.labels
    rows = []
    for name in names:
        param = content.parameters[name]
        entry = param.entry_at(on)
        rows.append(
            [
                esc(param.description),
                figure_span(name, content, on),
                basis_note(name, content, on),
                _source_cell(entry, content, stated),
            ]
        )
    return reflow_table(["Kural", "Değer", labels.basis, labels.official], rows)


def _source_cell(entry: ParameterValue, content: Content, stated: str) -> str:
    if entry.source is None:  # a confirmed later call: its sources are in the dating line
        return esc(value_basis(entry, content))
    # A sentence quoted above the table comes back as a link to it (fmt.cite).
    return cite(entry.source, content)


def _notes(names: tuple[str, ...], content: Content) -> str:
    """Our notes on how the tool reads a figure, labelled as not official."""
    out = []
    for name in names:
        param = content.parameters[name]
        if param.note:
            out.append(plain(param.note, content))
            out.extend(secondary_note(ref, content) for ref in param.secondary)
            out.append("")
    return "\n".join(out)


def reported_section(content: Content) -> str:
    """Values of later calls that are not confirmed: mentioned as reported, never as the
    figure in force. Empty when there are none."""
    reported = reported_values(content)
    if not reported:
        return ""
    labels = content.notices.labels
    parts = [f"## Sonraki çağrılar: {esc(labels.reported)} {{#{urls.REPORTED_ANCHOR}}}\n"]
    parts.append('<div class="kume-reported" markdown>\n')
    calls = {r.value.call for r in reported}
    for call in (c for c in content.calls.calls if c.id in calls):
        when = date_tr(call.opens) + (f" – {date_tr(call.closes)}" if call.closes else "")
        parts.append(f"### {esc(call.name)}\n")
        parts.append(f"{esc(when)}. **{esc(content.notices.call_status[call.status])}.**\n")
        for r in (r for r in reported if r.value.call == call.id):
            value = reported_span(r.parameter, r.value, content)
            parts.append(f"- {esc(content.parameters[r.parameter].description)}: {value}")
        parts.extend(f"- {esc(line)}" for line in call.also_reported)
        parts.append("")
        parts.extend(f"{secondary_note(ref, content)}<br>" for ref in call.sources)
        parts.append("")
    parts.append("</div>\n")
    return "\n".join(parts)


def money(content: Content, on: dt.date | None = None, portal: str | None = None) -> Page:
    prog = content.programme
    examples = worked_examples(content, on)
    blocks = []
    caps = content.site_tools.calc.caps
    for n, ex in enumerate(examples, start=1):
        binding = ", ".join(esc(getattr(caps, b).name) for b in ex.result.binding)
        picture = pictures.budget_figure(f"resim-hibe-{n}", ex.result, content)
        blocks.append(
            f"### {esc(ex.title)}\n\n{esc(ex.intro)}\n\n{_example_table(ex, content)}\n\n"
            f"Bu örnekte hibeyi belirleyen sınır: **{binding}**.\n\n{picture}\n"
        )
    md = f"""# {MONEY_TITLE}

## Destek süresi

{plain(prog.duration.plain, content)}

{cite(prog.duration.source, content)}

{_param_rows(DURATION_PARAMS, content, prog.duration.source.quote, on)}

## Destek miktarı

{plain(prog.money.plain, content)}

{cite(prog.money.source, content)}

{_param_rows(MONEY_PARAMS, content, prog.money.source.quote, on)}

{_notes(MONEY_PARAMS, content)}
## Hibe nasıl hesaplanır?

Küme Asistanı, bir kümelenme birlikteliğinin bir iş planı için alabileceği en yüksek hibeyi
üç sınırın en küçüğü olarak hesaplar. Kendi iş planınızın kalemleriyle hesaplamak için
[Hibe hesaplama](hibe-hesaplama.md) aracını kullanın.

{cap_rules(content, on)} Bu tutarın nasıl okunduğu yukarıdaki notta.

Tutarlar tam TL'ye aşağı yuvarlanır. İş planı ya da program sınırı devreye girerse hibe
kalemlere, kalem sınırlarıyla orantılı olarak dağıtılır; böylece hiçbir kalem kendi sınırını
aşmaz. Hibe dışında kalan tutarı birliktelik kendisi karşılar (kendi katkısı).

Aşağıdaki örnekler, Telegram botunun hibe hesaplamasında kullandığı hesaplama koduyla bu site
oluşturulurken hesaplanmıştır; oranlar {esc(figure_basis("plan_grant_rate", on, content))}.
Her biri bir kümelenme birlikteliğinin iş planıdır; kalem tutarları örnek amaçlıdır.

{chr(10).join(blocks)}
{reported_section(content)}
{next_steps_section(content, ["money"], MONEY, portal)}
"""
    return Page(MONEY, MONEY_TITLE, md)


__all__ = ["MONEY", "WorkedExample", "figure", "money", "reported_section", "worked_examples"]
