"""Duration and money: the rules with their figures, and worked examples computed at build
time by eligibility.budget, so the site shows exactly what the bot computes."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from decimal import Decimal

from eligibility.budget import BudgetResult, estimate
from eligibility.models import Content
from sitegen.fmt import cite, date_tr, esc, figure, figure_span, source_label, tl
from sitegen.model import Page

MONEY = "sure-ve-destek-miktari.md"
DURATION_PARAMS = ("support_years", "max_extension_years", "max_total_years")
MONEY_PARAMS = ("total_grant", "plan_grant_rate", "item_grant_rate")
CAP_LABELS = {
    "items": "kalem sınırlarının toplamı",
    "plan": "iş planı sınırı",
    "remaining": "programdan kalan hibe",
}
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
            items, Decimal(0), first,
        ),
        WorkedExample(
            "Örnek 2: Program üst sınırına yaklaşan birliktelik",
            "Aynı iş planı, ancak birliktelik önceki iş planlarında "
            f"{tl(previous)} hibe almış.",
            items, previous, second,
        ),
    ]


def _example_table(example: WorkedExample) -> str:
    r = example.result
    # Material styles only class-less tables: the hooks for tests and CSS sit on the div.
    rows = [
        f'<div class="kume-example" data-previous-grants="{example.previous_grants}">',
        "<table>",
        "<thead><tr><th scope=\"col\">Kalem</th><th scope=\"col\">Tutar</th>"
        "<th scope=\"col\">Kalem sınırı</th><th scope=\"col\">En yüksek hibe</th></tr></thead>",
        "<tbody>",
    ]
    for item in r.items:
        rows.append(
            f'<tr class="kume-item"><td class="name">{html.escape(item.name)}</td>'
            f'<td class="cost">{tl(item.cost)}</td>'
            f'<td class="item-cap">{tl(item.item_cap)}</td>'
            f'<td class="grant">{tl(item.max_grant)}</td></tr>'
        )
    rows.append("</tbody></table>")
    summary = [
        ("total_cost", "Toplam maliyet", r.total_cost),
        ("limit-items", "Sınır: " + CAP_LABELS["items"], r.caps["items"]),
        ("limit-plan", "Sınır: " + CAP_LABELS["plan"], r.caps["plan"]),
        ("limit-remaining", "Sınır: " + CAP_LABELS["remaining"], r.caps["remaining"]),
        ("max_grant", "En yüksek hibe", r.max_grant),
        ("own_share", "Kendi katkınız", r.own_share),
    ]
    rows.append('<table><tbody>')
    for key, label, value in summary:
        rows.append(
            f'<tr data-key="{key}"><th scope="row">{label}</th><td>{tl(value)}</td></tr>'
        )
    rows.append("</tbody></table>")
    rows.append("</div>")
    return "\n".join(rows)


def _param_rows(names: tuple[str, ...], content: Content, stated: str) -> str:
    """Table of figures; a figure's source sentence is quoted unless `stated` (the quote
    printed above the table) already holds it."""
    rows = ["| Kural | Değer | Yürürlük | Kaynak |", "|---|---|---|---|"]
    for name in names:
        param = content.parameters[name]
        entry = param.entry_at()
        rows.append(
            f"| {esc(param.description)} | {figure_span(name, content)} | "
            f"{date_tr(entry.valid_from)} | {_source_cell(entry.source, content, stated)} |"
        )
    return "\n".join(rows)


def _source_cell(citation, content: Content, stated: str) -> str:
    if " ".join(citation.quote.split()) in " ".join(stated.split()):
        return f"{source_label(citation, content)}, yukarıdaki cümle"
    return cite(citation, content)


def money(content: Content, on: dt.date | None = None) -> Page:
    prog = content.programme
    examples = worked_examples(content, on)
    blocks = []
    for ex in examples:
        binding = ", ".join(CAP_LABELS[b] for b in ex.result.binding)
        blocks.append(
            f"### {esc(ex.title)}\n\n{esc(ex.intro)}\n\n{_example_table(ex)}\n\n"
            f"Bu örnekte hibeyi belirleyen sınır: **{binding}**.\n"
        )
    item_rate = figure_span("item_grant_rate", content)
    plan_rate = figure_span("plan_grant_rate", content)
    md = f"""# Süre ve destek miktarı

## Destek süresi

{esc(prog.duration.text)}
{cite(prog.duration.source, content)}

{_param_rows(DURATION_PARAMS, content, prog.duration.source.quote)}

## Destek miktarı

{esc(prog.money.text)}
{cite(prog.money.source, content)}

{_param_rows(MONEY_PARAMS, content, prog.money.source.quote)}

## Hibe nasıl hesaplanır?

Bir iş planı için alınabilecek en yüksek hibe üç sınırın en küçüğüdür:

1. **Kalem sınırı:** her destek kalemi için kalemin tutarının en çok {item_rate} kadarı.
2. **İş planı sınırı:** iş planının toplam bütçesinin en çok {plan_rate} kadarı.
3. **Programdan kalan hibe:** program boyunca alınabilecek toplam hibe
   ({figure_span("total_grant", content)}) ile daha önce alınan hibelerin farkı.

Tutarlar tam TL'ye aşağı yuvarlanır. İş planı ya da program sınırı devreye girerse hibe
kalemlere, kalem sınırlarıyla orantılı olarak dağıtılır; böylece hiçbir kalem kendi sınırını
aşmaz. Hibe dışında kalan tutar birliktelik tarafından karşılanır (kendi katkınız).

Aşağıdaki örnekler, Telegram botunun hibe hesaplamasında kullandığı hesaplama koduyla bu site
oluşturulurken hesaplanmıştır. Kalem tutarları örnek amaçlıdır; kesin tutarı Bakanlık belirler.

{chr(10).join(blocks)}
"""
    return Page(MONEY, "Süre ve destek miktarı", md)


__all__ = ["MONEY", "WorkedExample", "figure", "money", "worked_examples"]
