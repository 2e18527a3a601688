"""Duration and money: the rules with their figures, and worked examples computed at build
time by eligibility.budget, so the site shows exactly what the bot computes."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from decimal import Decimal

from eligibility.budget import BudgetResult, estimate
from eligibility.dating import reported_values, value_basis
from eligibility.models import Content, ParameterValue
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


def _example_table(example: WorkedExample) -> str:
    r = example.result
    # Material styles only class-less tables: the hooks for tests and CSS sit on the div.
    rows = [
        f'<div class="kume-example" data-previous-grants="{example.previous_grants}">',
        '<table class="kume-reflow">',
        '<thead><tr><th scope="col">Kalem</th><th scope="col">Tutar</th>'
        '<th scope="col">Kalem sınırı</th><th scope="col">En yüksek hibe</th></tr></thead>',
        "<tbody>",
    ]
    for item in r.items:
        rows.append(
            '<tr class="kume-item">'
            f'<td class="name" data-label="Kalem">{html.escape(item.name)}</td>'
            f'<td class="cost" data-label="Tutar">{tl(item.cost)}</td>'
            f'<td class="item-cap" data-label="Kalem sınırı">{tl(item.item_cap)}</td>'
            f'<td class="grant" data-label="En yüksek hibe">{tl(item.max_grant)}</td></tr>'
        )
    rows.append("</tbody></table>")
    summary = [
        ("total_cost", "Toplam maliyet", r.total_cost),
        ("limit-items", "Sınır: " + CAP_LABELS["items"], r.caps["items"]),
        ("limit-plan", "Sınır: " + CAP_LABELS["plan"], r.caps["plan"]),
        ("limit-remaining", "Sınır: " + CAP_LABELS["remaining"], r.caps["remaining"]),
        ("max_grant", "En yüksek hibe", r.max_grant),
        ("own_share", "Birlikteliğin kendi katkısı", r.own_share),
    ]
    rows.append("<table><tbody>")
    for key, label, value in summary:
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
    for n, ex in enumerate(examples, start=1):
        binding = ", ".join(CAP_LABELS[b] for b in ex.result.binding)
        picture = pictures.budget_figure(f"resim-hibe-{n}", ex.result, content)
        blocks.append(
            f"### {esc(ex.title)}\n\n{esc(ex.intro)}\n\n{_example_table(ex)}\n\n"
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

1. **Kalem sınırı:** her destek kalemi için kalemin tutarının en çok
   {dated("item_grant_rate", content, on)} kadarı.
2. **İş planı sınırı:** iş planının toplam bütçesinin en çok
   {dated("plan_grant_rate", content, on)} kadarı.
3. **Programdan kalan hibe:** {dated("total_grant", content, on)} ile birlikteliğin daha önce
   aldığı hibelerin farkı (yukarıdaki nota bakın).

Tutarlar tam TL'ye aşağı yuvarlanır. İş planı ya da program sınırı devreye girerse hibe
kalemlere, kalem sınırlarıyla orantılı olarak dağıtılır; böylece hiçbir kalem kendi sınırını
aşmaz. Hibe dışında kalan tutarı birliktelik kendisi karşılar (kendi katkısı).

Aşağıdaki örnekler, Telegram botunun hibe hesaplamasında kullandığı hesaplama koduyla bu site
oluşturulurken, 2013 tarihli program sayfasındaki oranlarla hesaplanmıştır. Her biri bir
kümelenme birlikteliğinin iş planıdır; kalem tutarları örnek amaçlıdır.

{chr(10).join(blocks)}
{reported_section(content)}
{next_steps_section(content, ["money"], MONEY, portal)}
"""
    return Page(MONEY, MONEY_TITLE, md)


__all__ = ["MONEY", "WorkedExample", "figure", "money", "reported_section", "worked_examples"]
