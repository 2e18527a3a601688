"""The case tables of tests/cases/: membership rules and grant estimates, situation →
expected outcome, readable and extendable by a programme officer (see each file's head)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from eligibility.budget import estimate
from eligibility.content import get_content
from eligibility.rules import Association, evaluate

CASES = Path(__file__).resolve().parent / "cases"


def _cases(name: str) -> list[Any]:
    cases = yaml.safe_load((CASES / name).read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["name"]) for case in cases]


@pytest.mark.parametrize("case", _cases("membership.yaml"))
def test_membership_case(case):
    content = get_content()
    verdict = evaluate(
        Association(**case["association"]), case.get("readiness"), on=case["date"], content=content
    )
    assert verdict.eligible is case["eligible"]
    assert [u["rule"] for u in verdict.unmet] == case["unmet"]
    assert [s["rule"] for s in verdict.next_steps] == case["unmet"]  # a next step for each
    assert [a["id"] for a in verdict.advice] == case.get("advice", [])
    for unmet in verdict.unmet:
        assert "{" not in unmet["reason"] and unmet["source"]  # wording filled, rule cited


@pytest.mark.parametrize("case", _cases("budget.yaml"))
def test_budget_case(case):
    items = [(item["name"], item["cost"]) for item in case["items"]]
    result = estimate(items, case.get("previous_grants", 0), on=case["date"], content=get_content())
    assert result.max_grant == Decimal(str(case["max_grant"]))
    assert result.own_share == Decimal(str(case["own_share"]))
    assert result.binding == case["binding"]
    assert sum(i.max_grant for i in result.items) == result.max_grant
    assert all(i.max_grant <= i.item_cap for i in result.items)
