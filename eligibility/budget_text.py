"""An estimate (eligibility.budget.BudgetResult) as Turkish lines: each item, the totals,
and every cap explained with the dating line of its figure ("2013 tarihli program
sayfasına göre"); values of a later call that is not confirmed are mentioned, never used.
Plain text: each front end escapes and formats it for its medium."""

from __future__ import annotations

from dataclasses import dataclass, field

from eligibility.amounts import format_percent, format_tl
from eligibility.budget import CAP_PARAMETERS, BudgetResult, cap_label
from eligibility.conversation import get_conversation, say
from eligibility.dating import figure_basis, reported_values
from eligibility.models import Content


@dataclass
class Explained:
    title: str
    items: list[str] = field(default_factory=list)
    totals: list[str] = field(default_factory=list)  # total cost, grant, own share
    caps_title: str = ""
    caps: list[str] = field(default_factory=list)  # each cap, with its dating line
    binding: str = ""
    reported: list[str] = field(default_factory=list)


def explain(result: BudgetResult, content: Content) -> Explained:
    t = get_conversation().budget
    on = result.on
    out = Explained(title=t.result_title, caps_title=t.caps_title)
    out.items = [
        say(t.item_line, name=i.name, cost=format_tl(i.cost), grant=format_tl(i.max_grant))
        for i in result.items
    ]
    out.totals = [
        say(t.total_cost, total=format_tl(result.total_cost)),
        say(t.max_grant, grant=format_tl(result.max_grant)),
        say(t.own_share, own=format_tl(result.own_share)),
    ]
    rates = result.rates
    out.caps = [
        say(
            t.cap_items,
            rate=format_percent(rates["item_grant_rate"]),
            value=format_tl(result.caps["items"]),
            basis=figure_basis("item_grant_rate", on, content),
        ),
        say(
            t.cap_plan,
            rate=format_percent(rates["plan_grant_rate"]),
            value=format_tl(result.caps["plan"]),
            basis=figure_basis("plan_grant_rate", on, content),
        ),
        say(
            t.cap_remaining,
            total_grant=format_tl(content.parameters["total_grant"].at(on)),
            basis=figure_basis("total_grant", on, content),
            previous=format_tl(result.previous_grants),
            value=format_tl(result.caps["remaining"]),
        ),
    ]
    out.binding = say(
        t.binding,
        caps=", ".join(
            f"{cap_label(c, on, content)} ({figure_basis(CAP_PARAMETERS[c], on, content)})"
            for c in result.binding
        ),
    )
    for reported in reported_values(content):
        param = content.parameters[reported.parameter]
        value = reported.value.value
        shown = format_percent(value) if param.unit == "ratio" else format_tl(value)
        out.reported.append(
            say(
                t.reported,
                label=param.label or param.description,
                value=shown,
                basis=reported.basis,
            )
        )
    return out


def explain_lines(result: BudgetResult, content: Content) -> list[str]:
    """All of it, one line each (the terminal)."""
    e = explain(result, content)
    return [
        e.title,
        *(f"  • {line}" for line in e.items),
        *e.totals,
        f"{e.caps_title}:",
        *(f"  • {line}" for line in e.caps),
        e.binding,
        *e.reported,
    ]
