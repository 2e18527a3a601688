"""Grant estimate for one business plan (iş planı) of the Kümelenme Destek Programı.

Caps, all read from content/parameters.yaml for the date of the estimate:
- each support item: at most `item_grant_rate` of its cost;
- the plan: at most `plan_grant_rate` of its total cost;
- the programme: at most `total_grant` minus grants already received.

Money rules: costs are kept to the kuruş (rounded half up to 2 decimals); every grant figure
is rounded DOWN to whole TL so that it never exceeds a cap; own share = total cost − grant,
so it carries the kuruş of the costs. When the plan or programme cap binds, item grants are
scaled down to sum exactly to the plan grant (largest remainder, ties to the earlier item).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from eligibility.dating import value_basis
from eligibility.models import Content, ParameterValue
from eligibility.rules import _get_content, cite, shown

# Each cap of an estimate and the parameter it comes from (its `label` names the cap).
CAP_PARAMETERS = {"items": "item_grant_rate", "plan": "plan_grant_rate", "remaining": "total_grant"}

KURUS = Decimal("0.01")
TL = Decimal("1")
# Sanity bound against typos and Decimal overflow, not a programme figure.
MAX_AMOUNT = Decimal("1e15")


def parse_amount(name: str, raw: Any, *, allow_zero: bool) -> Decimal:
    """An amount in TL from a number or numeric text; ValueError in Turkish otherwise."""
    if isinstance(raw, bool):
        raise ValueError(f"{name} bir sayı olmalı, true/false değil.")
    if isinstance(raw, Decimal | int | float):
        try:
            value = Decimal(str(raw)) if isinstance(raw, float) else Decimal(raw)
        except InvalidOperation as exc:  # pragma: no cover - Decimal(str(float)) always parses
            raise ValueError(f"{name} bir sayı olmalı; verilen: {shown(raw)}.") from exc
    elif isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation as exc:
            raise ValueError(
                f"{name} bir sayı olmalı (örneğin 150000 ya da 1000.50); verilen: {shown(raw)}."
            ) from exc
    else:
        raise ValueError(f"{name} bir sayı olmalı; verilen: {shown(raw)}.")
    if not value.is_finite():
        raise ValueError(f"{name} bir sayı olmalı; verilen: {shown(raw)}.")
    if value < 0:
        raise ValueError(f"{name} negatif olamaz; verilen: {raw}.")
    if value == 0 and not allow_zero:
        raise ValueError(f"{name} sıfırdan büyük olmalı.")
    if value > MAX_AMOUNT:
        raise ValueError(f"{name} gerçekçi olmayan kadar büyük; verilen: {raw}.")
    return value.quantize(KURUS, rounding=ROUND_HALF_UP)


def floor_tl(value: Decimal) -> Decimal:
    return value.quantize(TL, rounding=ROUND_FLOOR)


@dataclass(frozen=True)
class ItemResult:
    name: str
    cost: Decimal
    item_cap: Decimal  # floor(cost × item_grant_rate)
    max_grant: Decimal  # after plan/programme caps


@dataclass
class BudgetResult:
    on: dt.date
    total_cost: Decimal
    max_grant: Decimal
    own_share: Decimal
    items: list[ItemResult]
    caps: dict[str, Decimal]  # items / plan / remaining
    binding: list[str]  # names of the caps equal to max_grant
    previous_grants: Decimal
    rates: dict[str, Decimal]
    sources: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "total_cost": money_json(self.total_cost),
            "max_grant": money_json(self.max_grant),
            "own_share": money_json(self.own_share),
            "items": [
                {
                    "name": i.name,
                    "cost": money_json(i.cost),
                    "max_grant": money_json(i.max_grant),
                    "item_cap": money_json(i.item_cap),
                }
                for i in self.items
            ],
            "limits": {name: money_json(v) for name, v in self.caps.items()},
            "binding": self.binding,
            "previous_grants": money_json(self.previous_grants),
            "rates": {name: float(v) for name, v in self.rates.items()},
            "date": self.on.isoformat(),
            "sources": self.sources,
        }


def money_json(value: Decimal) -> int | float:
    """Whole TL as an int (always so for grants); costs with kuruş as a 2-decimal number."""
    if value == value.to_integral_value():
        return int(value)
    return float(value.quantize(KURUS))


def _normalise_items(items: Iterable[Any]) -> list[tuple[str, Decimal]]:
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Iterable):
        raise ValueError('Kalemler bir liste olmalı: [{"name": …, "cost": …}, …].')
    out: list[tuple[str, Decimal]] = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, Mapping):
            unknown = sorted(set(item) - {"name", "cost"})
            if unknown:
                raise ValueError(f"{n}. kalemde bilinmeyen alan: '{unknown[0]}' (name, cost).")
            if "name" not in item:
                raise ValueError(f"{n}. kalemde 'name' (kalem adı) eksik.")
            if "cost" not in item:
                raise ValueError(f"{n}. kalemde 'cost' (tutar, TL) eksik.")
            name, cost = item["name"], item["cost"]
        elif isinstance(item, tuple | list) and len(item) == 2:
            name, cost = item
        else:
            raise ValueError(f'{n}. kalem {{"name": …, "cost": …}} biçiminde olmalı.')
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{n}. kalemin adı ('name') boş olmayan bir metin olmalı.")
        amount = parse_amount(f"{n}. kalemin tutarı (cost)", cost, allow_zero=False)
        out.append((" ".join(name.split()), amount))
    if not out:
        raise ValueError("İş planında hiç kalem yok; en az bir kalem ve tutarı girin.")
    return out


def _largest_remainder(weights: list[Decimal], target: Decimal) -> list[Decimal]:
    """Split the whole number `target` in proportion to `weights` into whole numbers."""
    total = sum(weights, Decimal(0))
    if total == 0:
        return [Decimal(0)] * len(weights)
    exact = [w * target / total for w in weights]
    shares = [floor_tl(x) for x in exact]
    left = int(target - sum(shares, Decimal(0)))
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def estimate(
    items: Iterable[Any],
    previous_grants: Decimal | int | str = 0,
    on: dt.date | None = None,
    content: Content | None = None,
) -> BudgetResult:
    """Largest grant for a plan of (name, cost) items, and the own share it leaves.

    Items may be (name, cost) pairs or {"name", "cost"} mappings; costs in TL as int,
    Decimal, float or numeric text.
    """
    content = _get_content(content)
    on = on or dt.date.today()
    plan = _normalise_items(items)
    previous = parse_amount("'previous_grants'", previous_grants, allow_zero=True)

    params = content.parameters
    item_rate = params["item_grant_rate"].at(on)
    plan_rate = params["plan_grant_rate"].at(on)
    total_grant = params["total_grant"].at(on)

    total_cost = sum((cost for _, cost in plan), Decimal(0))
    item_caps = [floor_tl(cost * item_rate) for _, cost in plan]
    caps = {
        "items": sum(item_caps, Decimal(0)),
        "plan": floor_tl(total_cost * plan_rate),
        "remaining": max(Decimal(0), floor_tl(total_grant - previous)),
    }
    max_grant = min(caps.values())
    binding = [name for name, value in caps.items() if value == max_grant]
    grants = item_caps if max_grant == caps["items"] else _largest_remainder(item_caps, max_grant)
    sources = [
        _cite_value(params[name].entry_at(on), content)
        for name in ("item_grant_rate", "plan_grant_rate", "total_grant")
    ]
    return BudgetResult(
        on=on,
        total_cost=total_cost,
        max_grant=max_grant,
        own_share=total_cost - max_grant,
        items=[
            ItemResult(name, cost, cap, grant)
            for (name, cost), cap, grant in zip(plan, item_caps, grants, strict=True)
        ],
        caps=caps,
        binding=binding,
        previous_grants=previous,
        rates={"item_grant_rate": item_rate, "plan_grant_rate": plan_rate},
        sources=list(dict.fromkeys(sources)),
    )


def cap_label(cap: str, on: dt.date | None = None, content: Content | None = None) -> str:
    """The name of a cap ("items", "plan", "remaining") from content/parameters.yaml, its
    placeholders filled with the figures in force on `on`: "5 yıllık program tavanı"."""
    from eligibility.rules import format_number

    content = _get_content(content)
    params = content.parameters
    label = params[CAP_PARAMETERS[cap]].label or params[CAP_PARAMETERS[cap]].description
    values: dict[str, str] = {}
    for name, param in params.items():
        try:
            values[name] = format_number(param.at(on))
        except LookupError:  # not in force yet on that date
            continue
    return label.format_map(values)


def _cite_value(value: ParameterValue, content: Content) -> str:
    """The official sentence of a value, or, for a confirmed later call, its dating line."""
    if value.source is not None:
        return cite(value.source, content)
    return value_basis(value, content)


def parse_plan(data: Any) -> tuple[list[tuple[str, Decimal]], Decimal]:
    """The `kume budget` JSON: {"items": [{"name", "cost"}…], "previous_grants": 0} or a bare
    list of items. Costs must be JSON numbers (text such as "yirmi bin" is refused)."""
    if isinstance(data, list):
        data = {"items": data}
    if not isinstance(data, Mapping):
        raise ValueError('Girdi bir JSON nesnesi olmalı: {"items": [{"name": …, "cost": …}]}.')
    unknown = sorted(set(data) - {"items", "previous_grants"})
    if unknown:
        raise ValueError(
            f"Bilinmeyen alan: '{unknown[0]}'. Geçerli alanlar: items, previous_grants."
        )
    if "items" not in data:
        raise ValueError('\'items\' alanı eksik: [{"name": …, "cost": …}, …].')
    items = data["items"]
    if not isinstance(items, list):
        raise ValueError('\'items\' bir liste olmalı: [{"name": …, "cost": …}, …].')
    for n, item in enumerate(items, start=1):
        cost = item.get("cost") if isinstance(item, Mapping) else None
        if isinstance(item, list) and len(item) == 2:
            cost = item[1]
        if isinstance(cost, str):
            raise ValueError(
                f"{n}. kalemin tutarı (cost) sayı olmalı, metin değil; verilen: {shown(cost)}."
            )
    previous = data.get("previous_grants", 0)
    if isinstance(previous, str):
        raise ValueError(f"'previous_grants' sayı olmalı, metin değil; verilen: {shown(previous)}.")
    plan = _normalise_items(items)
    return plan, parse_amount("'previous_grants'", previous, allow_zero=True)
