"""Membership rules of the Kümelenme Destek Programı.

The logic of each rule lives here; its figure comes from content/parameters.yaml (dated)
and its wording from content/rules.yaml. There are no programme figures in this module:
a programme officer changes a threshold by appending a dated value to parameters.yaml.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from eligibility.models import Citation, Content, MembershipRule


@dataclass(frozen=True)
class Association:
    """What a cluster association reports about itself (the `kume check` JSON)."""

    chambers_of_industry: int
    chambers_of_commerce_and_industry: int
    universities: int
    chamber_of_industry_in_region: bool
    committed_firms: int

    @classmethod
    def from_json(cls, data: Any) -> Association:
        """Validate a decoded JSON object; ValueError with a one-line Turkish message."""
        if not isinstance(data, Mapping):
            raise ValueError('Girdi bir JSON nesnesi olmalı, örneğin {"universities": 1, …}.')
        names = [f.name for f in fields(cls)]
        unknown = sorted(set(data) - set(names))
        if unknown:
            raise ValueError(
                f"Bilinmeyen alan: '{unknown[0]}'. Geçerli alanlar: {', '.join(names)}."
            )
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                raise ValueError(f"'{f.name}' alanı eksik.")
            raw = data[f.name]
            if f.type == "bool":
                if not isinstance(raw, bool):
                    raise ValueError(f"'{f.name}' true ya da false olmalı; verilen: {shown(raw)}.")
                values[f.name] = raw
            else:
                values[f.name] = parse_count_field(f.name, raw)
        return cls(**values)


def parse_count_field(name: str, raw: Any) -> int:
    """A non-negative whole number from JSON; true/false, text and fractions are refused."""
    if isinstance(raw, bool):
        raise ValueError(f"'{name}' bir tam sayı olmalı, true/false değil.")
    if isinstance(raw, float | Decimal):
        finite = raw.is_finite() if isinstance(raw, Decimal) else math.isfinite(raw)
        if not finite or raw != int(raw):
            raise ValueError(f"'{name}' bir tam sayı olmalı, kesirli olamaz; verilen: {raw}.")
        raw = int(raw)
    if not isinstance(raw, int):
        raise ValueError(f"'{name}' bir tam sayı olmalı (örneğin 20); verilen: {shown(raw)}.")
    if raw < 0:
        raise ValueError(f"'{name}' negatif olamaz; verilen: {raw}.")
    return raw


def shown(raw: Any) -> str:
    """A JSON value as a user would recognise it, on one short line."""
    if raw is None:
        return "null"
    if isinstance(raw, str):
        text = " ".join(raw.split())
        return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'
    if isinstance(raw, Mapping):
        return "bir nesne ({…})"
    if isinstance(raw, list | tuple):
        return "bir liste ([…])"
    return str(raw)


def _get_content(content: Content | None) -> Content:
    if content is not None:
        return content
    from eligibility.content import get_content

    return get_content()


def cite(citation: Citation, content: Content) -> str:
    """Human-readable citation: «Title (year): «quote»»."""
    src = content.sources.get(citation.source)
    where = f"{src.title} ({src.date.year})" if src else citation.source
    return f"{where}: «{citation.quote}»"


def format_number(value: Decimal | int) -> str:
    """20 rather than 20.0 or 2E+1 in Turkish text."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def activity_refs(ids: list[str], content: Content) -> list[dict[str, Any]]:
    by_id = {a.id: a for a in content.catalogue.activities}
    return [
        {"id": i, "title": by_id[i].title, "category": by_id[i].category} for i in ids if i in by_id
    ]


# Rule logic, by rule id in rules.yaml: (association, minimum) -> how many count towards it.
def _chamber_count(assoc: Association) -> int:
    # The programme asks for a chamber of industry; a chamber of commerce and industry
    # only stands in for it where the economic geography has no chamber of industry.
    if assoc.chamber_of_industry_in_region:
        return assoc.chambers_of_industry
    return assoc.chambers_of_industry + assoc.chambers_of_commerce_and_industry


RULE_COUNTS: dict[str, Callable[[Association], int]] = {
    "chamber": _chamber_count,
    "university": lambda a: a.universities,
    "committed_firms": lambda a: a.committed_firms,
}


@dataclass
class RuleResult:
    rule: MembershipRule
    met: bool
    count: int
    minimum: Decimal


@dataclass
class Verdict:
    eligible: bool
    unmet: list[dict[str, Any]] = field(default_factory=list)
    next_steps: list[dict[str, Any]] = field(default_factory=list)
    advice: list[dict[str, Any]] = field(default_factory=list)
    results: list[RuleResult] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "unmet": self.unmet,
            "next_steps": self.next_steps,
            "advice": self.advice,
        }


def parse_readiness(data: Any, content: Content | None = None) -> dict[str, bool | None]:
    """Readiness answers {expectation id: true / false / null}; null is "bilmiyorum" (not
    known: reported as advice like a "no"). Unknown ids and other values are refused."""
    content = _get_content(content)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ValueError("'readiness' bir JSON nesnesi olmalı, örneğin {\"roadmap\": false}.")
    known = [r.id for r in content.rules.readiness]
    for key, value in data.items():
        if key not in known:
            raise ValueError(
                f"'readiness' içinde bilinmeyen alan: '{key}'. Geçerli alanlar: {', '.join(known)}."
            )
        if value is not None and not isinstance(value, bool):
            raise ValueError(
                f"'readiness.{key}' true, false ya da null olmalı; verilen: {shown(value)}."
            )
    return dict(data)


def evaluate(
    assoc: Association,
    readiness: Mapping[str, bool | None] | None = None,
    on: dt.date | None = None,
    content: Content | None = None,
) -> Verdict:
    """Check the membership rules in force on `on` (today by default).

    `readiness` holds yes/no answers to the readiness questions; a "no" becomes advice,
    never ineligibility, and so does None ("bilmiyorum", marked `unknown` in the advice).
    Unanswered questions (absent keys) give no advice.
    """
    content = _get_content(content)
    readiness = parse_readiness(readiness, content)
    verdict = Verdict(eligible=True)
    for rule in content.rules.membership:
        count_of = RULE_COUNTS.get(rule.id)
        if count_of is None or rule.parameter is None:
            raise LookupError(f"rules.yaml: '{rule.id}' kuralı için kod ya da parametre yok")
        minimum = content.parameters[rule.parameter].at(on)
        count = count_of(assoc)
        met = count >= minimum
        verdict.results.append(RuleResult(rule, met, count, minimum))
        if met:
            continue
        verdict.eligible = False
        placeholders = {
            **{f.name: getattr(assoc, f.name) for f in fields(assoc)},
            "min": format_number(minimum),
            "missing": format_number(minimum - count),
        }
        verdict.unmet.append(
            {
                "rule": rule.id,
                "reason": rule.reason.format(**placeholders),
                "source": cite(rule.source, content),
            }
        )
        verdict.next_steps.append(
            {
                "rule": rule.id,
                "title": rule.title,
                "text": rule.next_step,
                "activities": activity_refs(rule.activities, content),
            }
        )
    for expectation in content.rules.readiness:
        if expectation.id in readiness and readiness[expectation.id] is not True:
            advice: dict[str, Any] = {
                "id": expectation.id,
                "title": expectation.title,
                "text": expectation.advice,
                "activities": activity_refs(expectation.activities, content),
            }
            if readiness[expectation.id] is None:
                # Only then: a yes/no verdict stays the same JSON as the site's check gives.
                advice["unknown"] = True
            verdict.advice.append(advice)
    return verdict
