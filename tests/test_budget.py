"""Budget calculator: every cap, rounding to whole TL, and figures read only from content/."""

from __future__ import annotations

import datetime as dt
import shutil
import tokenize
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.budget import estimate, parse_plan
from eligibility.content import content_dir, load_content


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(scope="module")
def rates(content):
    p = content.parameters
    return {
        "item": p["item_grant_rate"].at(),
        "plan": p["plan_grant_rate"].at(),
        "total": p["total_grant"].at(),
    }


def floor(x: Decimal) -> Decimal:
    return x.quantize(Decimal(1), rounding=ROUND_FLOOR)


def test_seed_figures_are_the_programme_text(rates):
    # "5 yıl için 25 milyon TL", "% 50’sini", "%75’ini".
    assert rates == {"item": Decimal("0.75"), "plan": Decimal("0.50"), "total": 25_000_000}


def test_plan_cap_binds_and_items_are_scaled_to_sum_exactly(content, rates):
    items = [("Eğitim", 100_000), ("Laboratuvar", 300_001), ("Danışmanlık", 7)]
    result = estimate(items, content=content)
    total = Decimal(400_008)
    assert result.total_cost == total
    assert result.max_grant == floor(total * rates["plan"])
    assert result.binding == ["plan"]
    grants = [i.max_grant for i in result.items]
    assert sum(grants) == result.max_grant
    for item in result.items:
        assert item.max_grant <= item.item_cap == floor(item.cost * rates["item"])
        assert item.max_grant == int(item.max_grant)
    assert result.own_share == total - result.max_grant


def test_largest_remainder_is_deterministic_and_proportional(content):
    # Equal items must get equal grants, the odd lira going to the earlier item.
    result = estimate([("A", 1001), ("B", 1001), ("C", 1001)], content=content)
    grants = [int(i.max_grant) for i in result.items]
    assert sum(grants) == result.max_grant
    assert max(grants) - min(grants) <= 1
    assert grants == sorted(grants, reverse=True)
    again = estimate([("A", 1001), ("B", 1001), ("C", 1001)], content=content)
    assert [i.max_grant for i in again.items] == [i.max_grant for i in result.items]


def test_kurus_costs_kept_grants_rounded_down(content, rates):
    result = estimate([("Kırtasiye", "1000.50"), ("Salon", Decimal("999.99"))], content=content)
    assert result.total_cost == Decimal("2000.49")
    assert result.max_grant == floor(Decimal("2000.49") * rates["plan"])  # 1000, not 1000.245
    assert result.own_share == Decimal("1000.49")
    data = result.to_json()
    assert data["max_grant"] == 1000 and isinstance(data["max_grant"], int)
    assert data["total_cost"] == pytest.approx(2000.49)
    assert all(isinstance(i["max_grant"], int) for i in data["items"])


def test_costs_with_more_than_two_decimals_are_rounded_to_kurus(content):
    result = estimate([("A", "100.005"), ("B", "100.004")], content=content)
    assert [i.cost for i in result.items] == [Decimal("100.01"), Decimal("100.00")]


def test_previous_grants_with_kurus_round_remaining_down(content, rates):
    result = estimate([("A", 10**9)], previous_grants="0.50", content=content)
    assert result.caps["remaining"] == rates["total"] - 1


def test_to_json_shape(content):
    data = estimate([("Eğitim", 200_000), ("Laboratuvar", 1_500_000)], content=content).to_json()
    assert {"total_cost", "max_grant", "own_share", "items", "limits", "binding"} <= set(data)
    assert data["total_cost"] == 1_700_000
    assert data["max_grant"] + data["own_share"] == data["total_cost"]
    assert [set(i) >= {"name", "cost", "max_grant"} for i in data["items"]] == [True, True]
    assert set(data["limits"]) == {"items", "plan", "remaining"}
    assert all(isinstance(v, int) for v in data["limits"].values())
    assert any("25 milyon TL" in s for s in data["sources"])


@given(
    costs=st.lists(
        st.decimals(min_value="0.01", max_value="50000000", places=2), min_size=1, max_size=8
    ),
    previous=st.integers(min_value=0, max_value=30_000_000),
)
@settings(max_examples=150, deadline=None)
def test_grant_never_exceeds_any_cap(costs, previous):
    content = load_content_cached()
    rates = {k: content.parameters[k].at() for k in ("item_grant_rate", "plan_grant_rate")}
    total_grant = content.parameters["total_grant"].at()
    result = estimate([(f"K{i}", c) for i, c in enumerate(costs)], previous, content=content)
    total = sum(costs, Decimal(0))
    assert result.max_grant <= total * rates["plan_grant_rate"]
    assert result.max_grant <= max(Decimal(0), total_grant - previous)
    assert sum(i.max_grant for i in result.items) == result.max_grant
    for item in result.items:
        assert 0 <= item.max_grant <= item.cost * rates["item_grant_rate"]
        assert item.max_grant == item.max_grant.to_integral_value()
    assert result.own_share + result.max_grant == result.total_cost
    # The grant is the largest whole-TL figure under every cap.
    assert result.max_grant == min(
        sum(floor(c * rates["item_grant_rate"]) for c in costs),
        floor(total * rates["plan_grant_rate"]),
        max(Decimal(0), floor(total_grant - previous)),
    )


_CACHE: dict[str, object] = {}


def load_content_cached():
    if "c" not in _CACHE:
        _CACHE["c"] = load_content()
    return _CACHE["c"]


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "items, needle",
    [
        ([], "hiç kalem yok"),
        ([("Eğitim", -5)], "negatif"),
        ([("Eğitim", 0)], "sıfırdan büyük"),
        ([("Eğitim", "yirmi bin")], "bir sayı olmalı"),
        ([("Eğitim", "NaN")], "bir sayı olmalı"),
        ([("Eğitim", True)], "true/false"),
        ([("Eğitim", None)], "bir sayı olmalı"),
        ([("", 100)], "adı"),
        ([(None, 100)], "adı"),
        ([{"name": "Eğitim"}], "'cost'"),
        ([{"cost": 100}], "'name'"),
        ([{"name": "Eğitim", "cost": 1, "kdv": 2}], "bilinmeyen"),
        ([("Eğitim",)], "biçiminde"),
        ("Eğitim", "liste"),
    ],
)
def test_bad_items_are_refused(content, items, needle):
    with pytest.raises(ValueError, match=needle) as info:
        estimate(items, content=content)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("previous", [-1, "birkaç", True])
def test_bad_previous_grants_are_refused(content, previous):
    with pytest.raises(ValueError, match="previous_grants"):
        estimate([("Eğitim", 100)], previous_grants=previous, content=content)


def test_parse_plan_accepts_object_and_bare_list():
    items, previous = parse_plan({"items": [{"name": "A", "cost": 10}], "previous_grants": 5})
    assert items == [("A", Decimal("10.00"))] and previous == 5
    items, previous = parse_plan([{"name": "A", "cost": Decimal("10.5")}])
    assert items == [("A", Decimal("10.50"))] and previous == 0


@pytest.mark.parametrize(
    "data, needle",
    [
        ({"items": [{"name": "A", "cost": "1000"}]}, "metin değil"),
        ({"items": [{"name": "A", "cost": 1}], "previous_grants": "0"}, "metin değil"),
        ({"kalemler": []}, "Bilinmeyen alan"),
        ({}, "'items' alanı eksik"),
        ({"items": {"name": "A"}}, "liste"),
        ("bütçe", "JSON nesnesi"),
    ],
)
def test_parse_plan_refuses_bad_json(data, needle):
    with pytest.raises(ValueError, match=needle):
        parse_plan(data)


# --- figures come only from content/ -----------------------------------------------------


def changed_content(tmp_path: Path, name: str, valid_from: str, value):
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    path = root / "parameters.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    # the latest value quoting an official text (a later call's value names its call instead)
    source = next(v["source"] for v in reversed(params[name]["values"]) if "source" in v)
    params[name]["values"].append(
        {"valid_from": dt.date.fromisoformat(valid_from), "value": value, "source": source}
    )
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_content(root)


def test_a_later_plan_rate_changes_the_estimate(tmp_path):
    changed = changed_content(tmp_path, "plan_grant_rate", "2030-01-01", "0.40")
    plan = [("Eğitim", 100_000)]
    assert estimate(plan, on=dt.date(2029, 12, 31), content=changed).max_grant == 50_000
    after = estimate(plan, on=dt.date(2030, 1, 1), content=changed)
    assert after.max_grant == 40_000
    assert after.to_json()["rates"]["plan_grant_rate"] == pytest.approx(0.40)


def test_a_later_total_grant_changes_the_estimate(tmp_path):
    changed = changed_content(tmp_path, "total_grant", "2030-01-01", 30_000_000)
    plan = [("Ortak tesis", 100_000_000)]
    before = estimate(plan, previous_grants=24_000_000, on=dt.date(2029, 1, 1), content=changed)
    after = estimate(plan, previous_grants=24_000_000, on=dt.date(2030, 1, 1), content=changed)
    assert before.max_grant == 1_000_000
    assert after.max_grant == 6_000_000


def test_a_later_item_rate_below_plan_rate_makes_item_caps_bind(tmp_path):
    # At the seed rates (75 % per item, 50 % per plan) the item caps bind only through
    # rounding; an item rate below the plan rate makes them bind outright.
    changed = changed_content(tmp_path, "item_grant_rate", "2030-01-01", "0.40")
    plan = [("A", 1000), ("B", 3000)]
    before = estimate(plan, on=dt.date(2029, 12, 31), content=changed)
    after = estimate(plan, on=dt.date(2030, 1, 1), content=changed)
    assert before.binding == ["plan"] and before.max_grant == 2000
    assert after.binding == ["items"]
    assert [i.max_grant for i in after.items] == [400, 1200]
    assert after.max_grant == 1600


def test_budget_module_has_no_programme_figures():
    path = Path(__file__).parent.parent / "eligibility" / "budget.py"
    with path.open("rb") as fh:
        numbers = {
            Decimal(tok.string.replace("_", ""))
            for tok in tokenize.tokenize(fh.readline)
            if tok.type == tokenize.NUMBER
        }
    assert not numbers & {Decimal(20), Decimal("0.75"), Decimal("0.5"), Decimal(25_000_000)}
