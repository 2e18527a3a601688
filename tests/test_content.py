"""content/ is the single source of truth: it must load, quote its seeds verbatim and carry
exactly the figures of the seed texts. Negative tests work on copies in tmp_path."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from eligibility.content import ContentError, content_dir, load_content
from eligibility.models import Citation

CONTENT = content_dir()
TODAY = dt.date.today()
TURKISH_LETTERS = set("çğıöşüâîûÇĞİÖŞÜÂÎÛ")


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    """Seed texts by source id, raw (not squashed)."""
    entries = yaml.safe_load((CONTENT / "sources.yaml").read_text(encoding="utf-8"))
    return {e["id"]: (CONTENT / "sources" / e["file"]).read_text(encoding="utf-8") for e in entries}


@pytest.fixture
def tmp_content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    for path in copy.rglob("*"):  # seeds are read-only in the tree; copies must be editable
        path.chmod(0o755 if path.is_dir() else 0o644)
    return copy


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _citations(obj, where: str = ""):
    """All citations in a model tree, independently of the loader's own walk."""
    if isinstance(obj, Citation):
        yield where, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _citations(getattr(obj, name), f"{where}.{name}")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _citations(value, f"{where}.{key}")
    elif isinstance(obj, list | tuple):
        for i, value in enumerate(obj):
            yield from _citations(value, f"{where}.{i}")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- the real content -------------------------------------------------------------------


def test_real_content_loads(content):
    assert content.programme.name == "Kümelenme Destek Programı"
    assert content.project.name == "KOBİ İşbirliği ve Kümelenme Projesi"
    assert set(content.sources) == {"kdp", "kobi"}


def test_every_citation_is_verbatim(content, seeds):
    squashed = {sid: _squash(text) for sid, text in seeds.items()}
    count = 0
    for name in ("parameters", "programme", "catalogue", "rules", "project", "faq"):
        for where, cit in _citations(getattr(content, name), name):
            assert cit.source in squashed, where
            assert _squash(cit.quote) in squashed[cit.source], where
            count += 1
    assert count > 150  # guards against the walk silently finding nothing


# --- programme --------------------------------------------------------------------------


def test_programme_lists(content, seeds):
    prog = content.programme
    assert len(prog.goals) == 4
    assert len(prog.indicators) == 6
    assert len(prog.member_types) == 10
    assert len({m.id for m in prog.member_types}) == 10
    bullets = {line.strip().lstrip("•").strip() for line in seeds["kdp"].splitlines()}
    for member in prog.member_types:
        assert member.name in bullets, member.name
        assert member.source.quote == member.name
        assert member.plain and member.plain != member.name
    for item in [*prog.goals, *prog.indicators]:
        assert item.source.quote.strip() in bullets
        assert item.text


def test_programme_money_and_duration_texts_match_parameters(content):
    params = content.parameters
    assert "25 milyon TL" in content.programme.money.text
    assert params["total_grant"].at(TODAY) == Decimal("25000000")
    assert "%50" in content.programme.money.text and "%75" in content.programme.money.text
    duration = content.programme.duration.text
    for years in ("5 yıl", "2 yıl", "7 yıl"):
        assert years in duration


# --- catalogue --------------------------------------------------------------------------


def test_catalogue_counts(content):
    acts = content.catalogue.activities
    assert len(acts) == 44
    per_cat = {n: sum(a.category == n for a in acts) for n in range(1, 5)}
    assert per_cat == {1: 15, 2: 9, 3: 12, 4: 8}
    assert len({a.id for a in acts}) == 44


def test_catalogue_titles_are_seed_bullets(content, seeds):
    bullets = [
        line.strip()[1:].strip()
        for line in seeds["kdp"].splitlines()
        if line.strip().startswith("•")
    ]
    for act in content.catalogue.activities:
        assert act.title in bullets, act.title


def test_repeated_activity_titles(content):
    def cats(pattern: str) -> list[int]:
        return sorted(
            a.category for a in content.catalogue.activities if re.fullmatch(pattern, a.title)
        )

    # the seed writes an en dash in categories 2 and 4 but a hyphen in category 3
    assert cats(r"Üniversite [–-] Sanayi İşbirliği Programları") == [2, 3, 4]
    assert cats(re.escape("Çeşitli mali destek programlarına başvuruların hazırlanması")) == [1, 4]


# --- parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("total_grant", "25000000"),
        ("plan_grant_rate", "0.50"),
        ("item_grant_rate", "0.75"),
        ("support_years", "5"),
        ("max_extension_years", "2"),
        ("max_total_years", "7"),
        ("min_committed_firms", "20"),
        ("min_chambers", "1"),
        ("min_universities", "1"),
        ("project_budget", "5000000"),
        ("project_duration_months", "30"),
        ("target_smes_reached", "400"),
        ("target_smes_in_clusters", "200"),
        ("target_productivity_gain", "20"),
        ("target_benchmarked_clusters", "20"),
        ("target_min_clusters_per_province", "3"),
        ("target_max_clusters_per_province", "12"),
    ],
)
def test_parameter_equals_seed_figure(content, name, expected):
    assert content.parameters[name].at(TODAY) == Decimal(expected)


# --- project ----------------------------------------------------------------------------


def test_project_targets_reference_parameters(content):
    targets = {t.id: t for t in content.project.targets}
    linked = {t.parameter for t in targets.values() if t.parameter}
    assert linked == {
        "target_smes_reached",
        "target_smes_in_clusters",
        "target_productivity_gain",
        "target_benchmarked_clusters",
        "target_min_clusters_per_province",
        "target_max_clusters_per_province",
    }
    # each figure shown to users is the parameter's value
    for target in targets.values():
        if target.parameter:
            value = content.parameters[target.parameter].at(TODAY)
            assert str(int(value)) in target.text, target.id
    assert any("hibe" in t.text and t.parameter is None for t in targets.values())


def test_project_facts(content):
    proj = content.project
    assert "22 Şubat 2011" in proj.start.text
    assert "5 milyon Avro" in proj.budget.text
    assert "Ekonomi Bakanlığı" in proj.beneficiary.text
    assert "28 Temmuz 2011" in proj.opening.text
    assert "30 ay" in proj.duration.text and "2013" in proj.duration.text
    assert "2007-2009" in proj.predecessor.text


def test_five_centres_in_pilot_provinces(content, seeds):
    centres = content.project.centres
    assert [c.id for c in centres] == ["corum", "gaziantep", "kahramanmaras", "samsun", "trabzon"]
    names = {p.name for p in content.provinces.provinces}
    assert {c.province for c in centres} == {
        "Çorum",
        "Gaziantep",
        "Kahramanmaraş",
        "Samsun",
        "Trabzon",
    }
    for centre in centres:
        assert centre.province in names
        assert f"{centre.host} - {centre.province}" in seeds["kobi"]
        assert centre.host_kind in centre.host
    assert next(c for c in centres if c.id == "gaziantep").host == (
        "Güneydoğu Anadolu İhracatçı Birlikleri"
    )


# --- provinces --------------------------------------------------------------------------


def test_81_provinces_with_unique_names_and_plates(content):
    provinces = content.provinces.provinces
    assert len(provinces) == 81
    assert sorted(p.plate for p in provinces) == list(range(1, 82))
    assert len({p.name for p in provinces}) == 81


@pytest.mark.parametrize(
    ("plate", "name"),
    [
        (1, "Adana"),
        (6, "Ankara"),
        (19, "Çorum"),
        (27, "Gaziantep"),
        (33, "Mersin"),
        (34, "İstanbul"),
        (35, "İzmir"),
        (46, "Kahramanmaraş"),
        (55, "Samsun"),
        (61, "Trabzon"),
        (63, "Şanlıurfa"),
        (68, "Aksaray"),
        (76, "Iğdır"),
        (81, "Düzce"),
    ],
)
def test_known_plates(content, plate, name):
    by_plate = {p.plate: p.name for p in content.provinces.provinces}
    assert by_plate[plate] == name


def test_province_coordinates_inside_turkiye(content):
    for p in content.provinces.provinces:
        assert 35.8 <= p.lat <= 42.2, p.name
        assert 25.6 <= p.lon <= 44.9, p.name
    by_name = {p.name: p for p in content.provinces.provinces}
    # Trabzon lies east of Samsun and north of Gaziantep: catches swapped lat/lon
    assert by_name["Trabzon"].lon > by_name["Samsun"].lon
    assert by_name["Trabzon"].lat > by_name["Gaziantep"].lat


def test_aliases_are_unambiguous(content):
    def key(text: str) -> str:
        return re.sub(r"[\s.]", "", text.replace("İ", "i").replace("I", "ı").lower())

    owner: dict[str, str] = {}
    for p in content.provinces.provinces:
        for label in [p.name, *p.aliases]:
            k = key(label)
            assert owner.setdefault(k, p.name) == p.name, f"{label} ({p.name}, {owner[k]})"
    by_name = {p.name: p for p in content.provinces.provinces}
    assert "K.Maraş" in by_name["Kahramanmaraş"].aliases
    assert "Urfa" in by_name["Şanlıurfa"].aliases
    assert "Antep" in by_name["Gaziantep"].aliases
    assert "İçel" in by_name["Mersin"].aliases


# --- faq and kvkk -----------------------------------------------------------------------


def test_faq_entries(content):
    entries = content.faq.entries
    assert 15 <= len(entries) <= 30
    assert len({e.id for e in entries}) == len(entries)
    for entry in entries:
        assert entry.question.endswith("?"), entry.id
        assert len(entry.answer) >= 40, entry.id
        assert entry.keywords, entry.id
        # people often type without Turkish letters
        assert any(not (set(k) & TURKISH_LETTERS) for k in entry.keywords), entry.id


def test_faq_answers_carry_seed_figures(content):
    answers = {e.id: e.answer for e in content.faq.entries}
    assert "20" in answers["kac-firma"]
    assert "25 milyon TL" in answers["destek-ne-kadar"]
    assert "%50" in answers["destek-oranlari"] and "%75" in answers["destek-oranlari"]
    assert "7 yıl" in answers["sure-uzatma"]
    for centre in content.project.centres:
        assert centre.host in answers["bilgi-merkezleri-nerede"].replace("\n", " ")


def test_kvkk_short_notice_still_works_for_its_users(content):
    # bot/ and `kume chat` fill only {retention_days} with str.replace
    kvkk = content.kvkk
    assert "{retention_days}" in kvkk.short_notice
    notice = kvkk.short_notice.replace("{retention_days}", "365")
    assert "{" not in notice
    assert "365 gün" in notice
    assert len(notice) <= 900
    for needle in ("6698", "11. madde", "/sil", "Kümelenme Bilgi Merkezi", "Telegram"):
        assert needle in notice
    # it names no controller of its own: the old "Küme Asistanı işletmecisi" is gone
    assert "işletmecisi" not in notice


def test_kvkk_page_has_every_section_and_placeholders(content):
    page = (CONTENT / "pages" / content.kvkk.page).read_text(encoding="utf-8")
    assert "365 gün" in page
    for placeholder in ("{version}", "{controller}", "{application_address}", "{consent_text}"):
        assert placeholder in page, placeholder
    for heading in (
        "Veri sorumlusu",
        "İşlenen kişisel veriler",
        "Hukuki sebep",
        "Aktarım",
        "Saklama süresi",
        "madde 11",
        "Başvuru yolu",
        "Rızanın geri alınması",
        "Toplama yöntemi",
        "Açık rıza metni",
    ):
        assert heading in page, heading
    # no controller is written into the text itself
    assert "Küme Asistanı işletmecisi" not in page


# --- negative tests on copies -----------------------------------------------------------


def test_copy_loads(tmp_content):
    assert len(load_content(tmp_content).provinces.provinces) == 81


def test_tampered_quote_names_file_and_field(tmp_content):
    _edit(tmp_content / "programme.yaml", "olarak özetlenebilir.", "olarak özetlenir.")
    with pytest.raises(ContentError) as err:
        load_content(tmp_content)
    assert "programme.yaml" in str(err.value)
    assert "aim.source.quote" in str(err.value)


def test_straight_apostrophe_is_not_verbatim(tmp_content):
    # the seed uses the typographic apostrophe; a "corrected" quote must be rejected
    _edit(tmp_content / "project.yaml", "12’ye kadar", "12'ye kadar")
    with pytest.raises(ContentError) as err:
        load_content(tmp_content)
    assert "project.yaml" in str(err.value)
    assert re.search(r"targets\.\d+\.source\.quote", str(err.value))


def test_quote_whitespace_is_ignored(tmp_content):
    _edit(tmp_content / "faq.yaml", "en az yirmi firma söz", "en az   yirmi\n        firma söz")
    load_content(tmp_content)


def test_broken_yaml_names_file_and_line(tmp_content):
    path = tmp_content / "faq.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_content(tmp_content)
    assert "faq.yaml" in str(err.value)
    assert "YAML" in str(err.value) and "line" in str(err.value)


def test_missing_field_names_file_and_field(tmp_content):
    _edit(tmp_content / "programme.yaml", 'ministry: "T.C. Sanayi ve Teknoloji Bakanlığı"\n', "")
    with pytest.raises(ContentError) as err:
        load_content(tmp_content)
    assert "programme.yaml" in str(err.value)
    assert "ministry" in str(err.value)


def test_extra_key_is_rejected(tmp_content):
    _edit(tmp_content / "kvkk.yaml", 'page: "kvkk.md"', 'page: "kvkk.md"\npages: "x.md"')
    with pytest.raises(ContentError, match=r"kvkk\.yaml.*pages"):
        load_content(tmp_content)


def test_unknown_province_of_centre_is_rejected(tmp_content):
    _edit(tmp_content / "project.yaml", 'province: "Kahramanmaraş"', 'province: "K.Maraş"')
    with pytest.raises(ContentError, match=r"project\.yaml.*centres\.2\.province"):
        load_content(tmp_content)


def test_missing_kvkk_page_is_rejected(tmp_content):
    (tmp_content / "pages" / "kvkk.md").unlink()
    with pytest.raises(ContentError, match=r"kvkk\.yaml.*page"):
        load_content(tmp_content)


def test_wrong_type_names_file_and_field_path(tmp_content):
    _edit(tmp_content / "provinces.yaml", "plate: 81,", "plate: seksenbir,")
    with pytest.raises(ContentError, match=r"provinces\.yaml: provinces\.80\.plate"):
        load_content(tmp_content)
