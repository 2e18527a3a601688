"""Every figure has a dating line; a later call is entered as dated values with its own
sources and stays out of force until it is confirmed by a one-line change in calls.yaml."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sitegen import generate

from eligibility.budget import estimate
from eligibility.content import ContentError, content_dir, load_content
from eligibility.dating import (
    dating_notice,
    figure_basis,
    reported_values,
    seed_years,
    source_date,
)
from eligibility.rules import Association, evaluate

CONTENT = content_dir()
CALL_OPENS = dt.date(2023, 9, 4)
PLAN = [("Ortak test laboratuvarı", 1_000_000)]


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    for path in copy.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return copy


def _confirm(root: Path) -> int:
    """Mark the 2023 call confirmed, as a programme officer would; returns lines changed."""
    path = root / "calls.yaml"
    before = path.read_text(encoding="utf-8").splitlines()
    after = [
        line.replace("pending_confirmation", "confirmed")
        if line.strip() == "status: pending_confirmation"
        else line
        for line in before
    ]
    path.write_text("\n".join(after) + "\n", encoding="utf-8")
    return sum(a != b for a, b in zip(before, after, strict=True))


def test_sources_are_dated_only_as_precisely_as_they_allow(content):
    assert source_date(content.sources["kdp"]) == "2013"  # a copyright year, no day
    assert source_date(content.sources["kobi"]) == "2011–2013"
    assert seed_years(content) == "2011–2013"


@pytest.mark.parametrize(
    ("parameter", "line"),
    [
        ("total_grant", "2013 tarihli program sayfasına göre"),
        ("plan_grant_rate", "2013 tarihli program sayfasına göre"),
        ("min_committed_firms", "2013 tarihli program sayfasına göre"),
        ("project_budget", "2011–2013 tarihli proje tanıtım metnine göre"),
        ("target_smes_reached", "2011–2013 tarihli proje tanıtım metnine göre"),
    ],
)
def test_figure_basis(content, parameter, line):
    assert figure_basis(parameter, content=content) == line
    assert figure_basis(content.parameters[parameter], content=content) == line


def test_every_parameter_has_a_dating_line(content):
    for name in content.parameters:
        assert figure_basis(name, content=content).endswith("göre"), name


def test_dating_notice_names_the_years_and_the_portal(content):
    notice = dating_notice("kumelenme.sanayi.gov.tr", content)
    assert "2011–2013" in notice and "kumelenme.sanayi.gov.tr" in notice


def test_pending_call_is_reported_but_never_in_force(content):
    param = content.parameters["plan_grant_rate"]
    assert param.at(dt.date(2024, 6, 1)) == Decimal("0.50")
    assert param.at() == Decimal("0.50")
    reported = reported_values(content)
    assert [(r.parameter, r.value.value) for r in reported] == [
        ("plan_grant_rate", Decimal("0.70"))
    ]
    assert "doğrulanmadı" in reported[0].basis and "2023" in reported[0].basis
    result = estimate(PLAN, on=dt.date(2024, 6, 1), content=content)
    assert result.rates["plan_grant_rate"] == Decimal("0.50")
    assert result.max_grant == 500_000
    # rules read only values in force as well
    assoc = Association(1, 0, 1, True, 20)
    assert evaluate(assoc, on=dt.date(2024, 6, 1), content=content).eligible


def test_confirming_the_call_is_one_line_and_no_code(tmp_path):
    root = _copy(tmp_path)
    assert _confirm(root) == 1
    confirmed = load_content(root)
    assert reported_values(confirmed) == []
    before = estimate(PLAN, on=CALL_OPENS - dt.timedelta(days=1), content=confirmed)
    on_the_day = estimate(PLAN, on=CALL_OPENS, content=confirmed)
    assert before.rates["plan_grant_rate"] == Decimal("0.50") and before.max_grant == 500_000
    assert on_the_day.rates["plan_grant_rate"] == Decimal("0.70")
    assert on_the_day.max_grant == 700_000  # the 75 % item cap (750 000) no longer binds
    assert any("4. çağrısı" in s for s in on_the_day.sources)
    basis = figure_basis("plan_grant_rate", CALL_OPENS, confirmed)
    assert "4. çağrısı" in basis and "doğrulandı" in basis


def test_site_shows_a_confirmed_call_as_the_figure_in_force(tmp_path):
    root = _copy(tmp_path)
    _confirm(root)
    site = generate(tmp_path / "docs", content_root=root, on=dt.date(2024, 1, 1))
    money = next(p for p in site.pages if p.path == "sure-ve-destek-miktari.md").markdown
    assert 'data-parameter="plan_grant_rate" data-value="0.70"' in money
    assert "kume-reported" not in money  # nothing left that is only reported


def test_site_shows_a_pending_call_only_as_reported(tmp_path):
    site = generate(tmp_path / "docs", on=dt.date(2024, 1, 1))
    money = next(p for p in site.pages if p.path == "sure-ve-destek-miktari.md").markdown
    assert 'data-parameter="plan_grant_rate" data-value="0.50"' in money
    assert 'class="kume-reported-value" data-parameter="plan_grant_rate" data-value="0.70"' in money
    assert 'class="kume-figure" data-parameter="plan_grant_rate" data-value="0.70"' not in money


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ("      call: kdp-2023-4", "      call: kdp-2099-1", r"bilinmeyen çağrı 'kdp-2099-1'"),
        (
            "    - valid_from: 2023-09-04",
            "    - valid_from: 2023-01-01",
            r"çağrının açılışından .* önce olamaz",
        ),
        (
            "      call: kdp-2023-4",
            '      call: kdp-2023-4\n      source: {source: kdp, quote: "Destek Süresi"}',
            r"ya 'source' .* ya da 'call'",
        ),
    ],
)
def test_broken_call_values_are_rejected(tmp_path, old, new, error):
    root = _copy(tmp_path)
    path = root / "parameters.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError, match=error):
        load_content(root)


def test_call_with_unknown_source_is_rejected(tmp_path):
    root = _copy(tmp_path)
    path = root / "calls.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("mevka-2023,", "mevka-1999,"), encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"calls\.yaml: calls\.0\.sources: .*mevka-1999"):
        load_content(root)
