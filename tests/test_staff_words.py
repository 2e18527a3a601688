"""content/staff.yaml, nace.yaml and districts.yaml: every staff text the code asks for
exists, the NACE divisions are the 88 of the classification with TÜİK names, districts name
real provinces, and the KOBİ counting rule agrees with the size bands."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from eligibility.districts import load_districts, provinces_of_district
from eligibility.nace import get_nace, load_nace
from eligibility.staff_words import get_staff_words, load_staff_words

ROOT = Path(__file__).resolve().parent.parent
# NACE Rev. 2 has 88 divisions; these numbers between 01 and 99 are not divisions.
NOT_DIVISIONS = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}


def _keys_used_in_code() -> set[str]:
    """Every literal key passed to staff_text(...) or to a dict of staff keys in bot/."""
    keys: set[str] = set()
    for path in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("eligibility").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if re.fullmatch(r"[a-z]+\.[a-z_]+", node.value) and node.value.split(".")[0] in {
                    "progress",
                    "chart",
                    "export",
                    "announce",
                    "followup",
                    "digest",
                    "clusters",
                    "find",
                    "delete",
                    "audit",
                    "merge",
                    "commands",
                    "common",
                }:
                    keys.add(node.value)
            if isinstance(node, ast.JoinedStr) and any(
                isinstance(v, ast.Constant) and v.value == "commands." for v in node.values
            ):
                keys.add("commands.*")
    return keys


def test_every_staff_text_the_code_uses_exists():
    words = get_staff_words()
    used = _keys_used_in_code()
    assert len(used) > 40
    missing = sorted(k for k in used - {"commands.*"} if k not in words.texts)
    assert not missing, missing
    from bot.telegram.staff.menus import GROUP_COMMANDS, PRIVATE_COMMANDS

    for name in GROUP_COMMANDS + PRIVATE_COMMANDS:
        assert f"commands.{name}" in words.texts


def test_unknown_text_key_fails_loudly():
    with pytest.raises(KeyError, match=r"staff\.yaml"):
        get_staff_words().text("digest.nope")


def test_the_kobi_rule_is_the_operators_and_matches_the_size_bands():
    from bot.leads.progress import band_bounds

    rule = get_staff_words().sme_rule
    assert "İşletmecinin sayım kuralı" in rule.basis  # no seed defines a KOBİ
    assert rule.employees_below == 250
    bounds = band_bounds()
    # every band is wholly below or wholly at/above the limit: the rule never splits a band
    for low, high in bounds.values():
        assert (high is not None and high < rule.employees_below) or (
            low is not None and low >= rule.employees_below
        )


def test_nace_has_the_88_divisions_with_tuik_names_and_a_source():
    nace = get_nace()
    codes = [int(d.code) for d in nace.divisions]
    assert codes == sorted(set(range(1, 100)) - NOT_DIVISIONS)
    assert len(codes) == 88
    names = {d.code: d.name for d in nace.divisions}
    assert names["31"] == "Mobilya imalatı"
    assert names["24"] == "Ana metal sanayii"
    assert names["28"] == "Başka yerde sınıflandırılmamış makine ve ekipman imalatı"
    assert names["62"] == "Bilgisayar programlama, danışmanlık ve ilgili faaliyetler"
    assert "TÜİK" in nace.source.publisher and "NACE Rev. 2" in nace.source.title
    assert all(d.words for d in nace.divisions)


def test_nace_loader_refuses_a_duplicate_or_an_unknown_section(tmp_path):
    import shutil

    from eligibility.content import ContentError, content_dir

    copy = tmp_path / "content"
    shutil.copytree(content_dir(), copy)
    path = copy / "nace.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('  - code: "02"', '  - code: "01"', 1), encoding="utf-8")
    with pytest.raises(ContentError, match="iki kez"):
        load_nace(copy)
    path.write_text(text.replace("    section: C\n", "    section: Z\n", 1), encoding="utf-8")
    with pytest.raises(ContentError):
        load_nace(copy)


def test_districts_cover_the_centre_provinces_and_name_a_source():
    districts = load_districts()
    for province in (
        "Çorum",
        "Gaziantep",
        "Kahramanmaraş",
        "Samsun",
        "Trabzon",
        "İstanbul",
        "Ankara",
        "İzmir",
        "Bursa",
        "Kocaeli",
    ):
        assert len(districts.provinces[province]) >= 9, province
    assert "TÜİK" in districts.source.publisher
    assert provinces_of_district("GEBZE") == ("Kocaeli",)
    assert set(provinces_of_district("yenisehir")) == {"Bursa", "Mersin", "Diyarbakır"}
    assert provinces_of_district("Merkez") == ()


def test_districts_loader_refuses_an_unknown_province(tmp_path):
    import shutil

    from eligibility.content import ContentError, content_dir

    copy = tmp_path / "content"
    shutil.copytree(content_dir(), copy)
    path = copy / "districts.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  Atlantis: [Deneme]\n", encoding="utf-8")
    with pytest.raises(ContentError, match="Atlantis"):
        load_districts(copy)


def test_staff_words_load_from_a_directory(tmp_path):
    import shutil

    from eligibility.content import content_dir

    copy = tmp_path / "content"
    shutil.copytree(content_dir(), copy)
    path = copy / "staff.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Günlük özet", "Sabah özeti"), encoding="utf-8"
    )
    assert load_staff_words(copy).text("digest.title", centre="X", date="Y").startswith("☀️ Sabah")
