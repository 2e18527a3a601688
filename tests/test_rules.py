"""Membership rules: every boundary, the chamber logic, and figures read only from content/."""

from __future__ import annotations

import datetime as dt
import shutil
import tokenize
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from eligibility.content import content_dir, load_content
from eligibility.rules import Association, evaluate, parse_readiness

FIELDS = {
    "chambers_of_industry",
    "chambers_of_commerce_and_industry",
    "universities",
    "chamber_of_industry_in_region",
    "committed_firms",
}


@pytest.fixture(scope="module")
def content():
    return load_content()


@pytest.fixture(scope="module")
def minimums(content):
    """The figures in force today, so the tests follow content/ rather than repeat it."""
    p = content.parameters
    return {
        "chambers": int(p["min_chambers"].at()),
        "universities": int(p["min_universities"].at()),
        "firms": int(p["min_committed_firms"].at()),
    }


def make(minimums, **overrides) -> Association:
    """An association that just meets every rule, with some fields changed."""
    values = {
        "chambers_of_industry": minimums["chambers"],
        "chambers_of_commerce_and_industry": 0,
        "universities": minimums["universities"],
        "chamber_of_industry_in_region": True,
        "committed_firms": minimums["firms"],
    }
    values.update(overrides)
    return Association(**values)


def unmet_ids(verdict) -> list[str]:
    return [u["rule"] for u in verdict.unmet]


def test_seed_figures_are_the_programme_text(minimums):
    # The seed says "en az bir sanayi odası", "en az bir üniversite", "en az yirmi firma".
    assert minimums == {"chambers": 1, "universities": 1, "firms": 20}


def test_one_firm_short_is_ineligible_with_reason_and_source(content, minimums):
    firms = minimums["firms"] - 1
    verdict = evaluate(make(minimums, committed_firms=firms), content=content)
    assert verdict.eligible is False
    assert unmet_ids(verdict) == ["committed_firms"]
    unmet = verdict.unmet[0]
    assert set(unmet) == {"rule", "reason", "source"}
    assert f"{firms} firma" in unmet["reason"]
    assert f"en az {minimums['firms']} firma" in unmet["reason"]
    assert "{" not in unmet["reason"]  # every placeholder filled
    assert unmet["source"].startswith("Kümelenme Destek Programı")
    assert "en az yirmi firma" in unmet["source"]


def test_everything_missing_lists_every_rule_with_next_steps(content):
    assoc = Association(0, 0, 0, True, 0)
    data = evaluate(assoc, content=content).to_json()
    assert data["eligible"] is False
    assert [u["rule"] for u in data["unmet"]] == ["chamber", "university", "committed_firms"]
    assert [s["rule"] for s in data["next_steps"]] == ["chamber", "university", "committed_firms"]
    titles = {a.id: a.title for a in content.catalogue.activities}
    for step in data["next_steps"]:
        assert step["text"].strip()
        assert step["activities"], step["rule"]
        for act in step["activities"]:
            assert set(act) == {"id", "title", "category"}
            assert act["title"] == titles[act["id"]]
            assert act["id"].startswith(f"k{act['category']}-")
    firms_step = data["next_steps"][2]
    assert "k1-04" in [a["id"] for a in firms_step["activities"]]  # farkındalık


def test_unanswered_readiness_gives_no_advice(content, minimums):
    assert evaluate(make(minimums), {}, content=content).advice == []
    assert evaluate(make(minimums), None, content=content).advice == []


def test_readiness_expectations_cite_the_programme(content):
    ids = [r.id for r in content.rules.readiness]
    assert ids == ["vision_strategy", "roadmap", "governance", "science"]
    for r in content.rules.readiness:
        assert "mutabakat içinde yol haritalarını" in r.source.quote
        assert r.question.endswith("?")
    science = next(r for r in content.rules.readiness if r.id == "science")
    assert science.activities == ["k2-07", "k3-05", "k4-06"]


@pytest.mark.parametrize(
    "answers, needle",
    [
        ({"yol": False}, "bilinmeyen"),
        ({"roadmap": "hayır"}, "true, false ya da null"),
        ([1], "nesne"),
    ],
)
def test_bad_readiness_is_refused(content, answers, needle):
    with pytest.raises(ValueError, match=needle):
        parse_readiness(answers, content)


def test_membership_rules_name_their_parameters(content):
    by_id = {r.id: r for r in content.rules.membership}
    assert set(by_id) == {"chamber", "university", "committed_firms"}
    assert by_id["chamber"].parameter == "min_chambers"
    assert by_id["university"].parameter == "min_universities"
    assert by_id["committed_firms"].parameter == "min_committed_firms"
    for rule in by_id.values():
        assert rule.source.source == "kdp"


# --- Association.from_json -------------------------------------------------------------


def valid_json() -> dict:
    return {
        "chambers_of_industry": 1,
        "chambers_of_commerce_and_industry": 0,
        "universities": 1,
        "chamber_of_industry_in_region": True,
        "committed_firms": 20,
    }


def test_from_json_accepts_the_documented_fields():
    assoc = Association.from_json(valid_json())
    assert assoc == Association(1, 0, 1, True, 20)
    assert {f for f in valid_json()} == FIELDS


def test_from_json_accepts_whole_number_written_as_decimal():
    data = valid_json() | {"committed_firms": Decimal("20.0")}
    assert Association.from_json(data).committed_firms == 20


@pytest.mark.parametrize(
    "change, field",
    [
        ({"committed_firms": "yirmi"}, "committed_firms"),
        ({"committed_firms": "20"}, "committed_firms"),
        ({"universities": -1}, "universities"),
        ({"universities": 1.5}, "universities"),
        ({"universities": Decimal("1.5")}, "universities"),
        ({"chambers_of_industry": True}, "chambers_of_industry"),
        ({"chambers_of_industry": None}, "chambers_of_industry"),
        ({"chambers_of_industry": [1]}, "chambers_of_industry"),
        ({"chamber_of_industry_in_region": 1}, "chamber_of_industry_in_region"),
        ({"chamber_of_industry_in_region": "evet"}, "chamber_of_industry_in_region"),
        ({"firmalar": 3}, "firmalar"),
    ],
)
def test_from_json_refuses_bad_values_naming_the_field(change, field):
    with pytest.raises(ValueError) as info:
        Association.from_json(valid_json() | change)
    message = str(info.value)
    assert field in message
    assert "\n" not in message


@pytest.mark.parametrize("missing", sorted(FIELDS))
def test_from_json_refuses_missing_field(missing):
    data = valid_json()
    del data[missing]
    with pytest.raises(ValueError, match=f"'{missing}' alanı eksik"):
        Association.from_json(data)


@pytest.mark.parametrize("data", [[], "x", None, 20])
def test_from_json_refuses_non_objects(data):
    with pytest.raises(ValueError, match="JSON nesnesi"):
        Association.from_json(data)


# --- figures come only from content/ ---------------------------------------------------


def copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(content_dir(), target)
    return target


def add_value(root: Path, name: str, valid_from: str, value) -> None:
    """Append a dated value the way a programme officer would."""
    path = root / "parameters.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = params[name]["values"][-1]["source"]
    params[name]["values"].append(
        {"valid_from": dt.date.fromisoformat(valid_from), "value": value, "source": source}
    )
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_later_parameter_value_changes_the_verdict(tmp_path, minimums):
    root = copy_content(tmp_path)
    raised = minimums["firms"] + 5
    add_value(root, "min_committed_firms", "2030-01-01", raised)
    changed = load_content(root)
    assoc = make(minimums, committed_firms=minimums["firms"] + 2)

    before = evaluate(assoc, on=dt.date(2029, 12, 31), content=changed)
    after = evaluate(assoc, on=dt.date(2030, 1, 1), content=changed)
    assert before.eligible is True
    assert after.eligible is False
    assert unmet_ids(after) == ["committed_firms"]
    assert f"en az {raised} firma" in after.unmet[0]["reason"]
    assert "(3 firma eksik)" in after.unmet[0]["reason"]


def test_a_later_university_minimum_changes_the_verdict(tmp_path, minimums):
    root = copy_content(tmp_path)
    add_value(root, "min_universities", "2031-06-01", minimums["universities"] + 1)
    changed = load_content(root)
    assoc = make(minimums)
    assert evaluate(assoc, on=dt.date(2031, 5, 31), content=changed).eligible is True
    verdict = evaluate(assoc, on=dt.date(2031, 6, 1), content=changed)
    assert unmet_ids(verdict) == ["university"]


def test_reworded_reason_comes_from_rules_yaml(tmp_path, minimums):
    root = copy_content(tmp_path)
    path = root / "rules.yaml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules["membership"][2]["reason"] = "Taahhüt veren firma sayısı {committed_firms}/{min}."
    path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed = load_content(root)
    verdict = evaluate(make(minimums, committed_firms=7), content=changed)
    assert verdict.unmet[0]["reason"] == f"Taahhüt veren firma sayısı 7/{minimums['firms']}."


PROGRAMME_FIGURES = {Decimal(20), Decimal("0.75"), Decimal("0.5"), Decimal(25_000_000)}


def code_numbers(module: str) -> set[Decimal]:
    """Number literals in a module's code (strings and comments excluded)."""
    path = Path(__file__).parent.parent / "eligibility" / module
    with path.open("rb") as fh:
        return {
            Decimal(tok.string.replace("_", ""))
            for tok in tokenize.tokenize(fh.readline)
            if tok.type == tokenize.NUMBER
        }


def test_rules_module_has_no_programme_figures():
    assert not code_numbers("rules.py") & PROGRAMME_FIGURES


def test_not_knowing_a_readiness_answer_is_advice(content):
    """ "bilmiyorum" (null) is reported like a "no": advice, marked unknown, never a rule."""
    assoc = Association(1, 0, 1, True, 25)
    verdict = evaluate(assoc, readiness={"roadmap": None, "governance": True})
    assert verdict.eligible
    (advice,) = verdict.advice
    assert advice["id"] == "roadmap" and advice["unknown"] is True
    no = evaluate(assoc, readiness={"roadmap": False}).advice
    assert "unknown" not in no[0] and no[0]["text"] == advice["text"]
