"""The operator as content: nothing invented in the repository, a deployment's own file from
KUME_OPERATOR_FILE, what is missing, demo or not, and "contact or host" per centre.
Fixtures use obviously fake organisations and reserved example addresses."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from eligibility.content import OPERATOR_FILE_ENV, ContentError, content_dir, load_content
from eligibility.operator import centre_reach

CONTENT = content_dir()
REQUIRED = [
    "operator.name",
    "operator.address",
    "operator.email|kep",
    "controller.name",
    "controller.address",
    "controller.application_address",
]
FAKE = {
    "operator": {
        "name": "Örnek İşletme Derneği (deneme)",
        "address": "Örnek Mah. Deneme Sok. No 1, Ankara",
        "email": "bilgi@example.org",
        "phone": "+90 312 000 00 00",
        "web": "https://example.org/",
    },
    "controller": {
        "name": "Örnek Veri Sorumlusu A.Ş. (deneme)",
        "address": "Örnek Mah. Deneme Sok. No 2, Ankara",
        "application_address": "kvkk@example.org",
    },
    "centres": {
        "samsun": {"active": True, "phone": "+90 362 000 00 00", "hours": "09.00–17.00"},
        "trabzon": {"active": False},
    },
}


def write_operator(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def repo():
    return load_content(CONTENT)


@pytest.fixture
def configured(tmp_path):
    return load_content(CONTENT, operator_file=write_operator(tmp_path / "op.yaml", FAKE))


def _leaves(obj):
    if isinstance(obj, dict):
        for value in obj.values():
            yield from _leaves(value)
    else:
        yield obj


def test_repository_file_invents_nothing():
    raw = yaml.safe_load((CONTENT / "operator.yaml").read_text(encoding="utf-8"))
    assert set(raw["centres"]) == {"corum", "gaziantep", "kahramanmaras", "samsun", "trabzon"}
    assert all(value in (None, "") for value in _leaves(raw))


def test_no_contact_detail_anywhere_in_content():
    """No phone number, e-mail address or street address is typed into content/."""
    phone = re.compile(r"(\+90|\b0)[\s(]*\d{3}[\s)]*\d{3}[\s-]?\d{2}[\s-]?\d{2}\b")
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    # Samples of input, not contact facts: questionnaire.yaml's and staff.yaml's input hints
    # show the expected format ("0532 123 45 67", "/bul 0532 …"), and lexicon.yaml's off-topic
    # examples show what users type ("telefonum 0555 000 00 00"), as do match_examples.yaml's
    # off-topic texts (the fake numbers of the retired evaluation sets; checked below).
    inputs = {"questionnaire.yaml", "staff.yaml", "lexicon.yaml", "match_examples.yaml"}
    for path in CONTENT.rglob("*"):
        if path.is_file() and "sources" not in path.parts and path.name not in inputs:
            text = path.read_text(encoding="utf-8")
            assert not phone.search(text), path
            assert not email.search(text), path
    section = ""
    for line in (CONTENT / "match_examples.yaml").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            section = line.rstrip(":")
        elif phone.search(line) or email.search(line):
            assert section == "offtopic", line  # a sample of input, never a need or an answer


def test_repository_operator_is_a_demo(repo):
    assert repo.operator.is_demo
    assert repo.operator.missing_fields() == REQUIRED
    ids = [c.id for c in repo.project.centres]
    recommended = repo.operator.missing_recommended(ids)
    assert "operator.phone" in recommended and "operator.web" in recommended
    for cid in ids:
        assert f"centres.{cid}.active" in recommended
        assert f"centres.{cid}.phone|email|address|web" in recommended


def test_operator_file_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(OPERATOR_FILE_ENV, str(write_operator(tmp_path / "op.yaml", FAKE)))
    content = load_content(CONTENT)
    assert not content.operator.is_demo
    assert content.operator.missing_fields() == []
    assert content.operator.controller.name == FAKE["controller"]["name"]


def test_missing_operator_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(OPERATOR_FILE_ENV, str(tmp_path / "yok.yaml"))
    with pytest.raises(ContentError, match=rf"{OPERATOR_FILE_ENV}=.*yok\.yaml: dosya yok"):
        load_content(CONTENT)


def test_kep_stands_in_for_email(tmp_path):
    data = {**FAKE, "operator": {**FAKE["operator"], "email": "", "kep": "ornek@hs01.kep.tr"}}
    content = load_content(CONTENT, operator_file=write_operator(tmp_path / "op.yaml", data))
    assert content.operator.missing_fields() == []
    data["operator"]["kep"] = ""
    content = load_content(CONTENT, operator_file=write_operator(tmp_path / "op.yaml", data))
    assert content.operator.missing_fields() == ["operator.email|kep"]
    assert content.operator.is_demo


def test_missing_controller_alone_makes_a_demo(tmp_path):
    data = {**FAKE, "controller": {**FAKE["controller"], "application_address": ""}}
    content = load_content(CONTENT, operator_file=write_operator(tmp_path / "op.yaml", data))
    assert content.operator.missing_fields() == ["controller.application_address"]
    assert content.operator.is_demo


def test_unknown_centre_and_unknown_field_are_rejected(tmp_path):
    bad = {**FAKE, "centres": {"ankara": {"active": True}}}
    with pytest.raises(ContentError, match=r"op\.yaml: centres\.ankara: bilinmeyen merkez"):
        load_content(CONTENT, operator_file=write_operator(tmp_path / "op.yaml", bad))
    typo = {**FAKE, "operator": {**FAKE["operator"], "telefon": "x"}}
    with pytest.raises(ContentError, match=r"op\.yaml: operator\.telefon: bilinmeyen alan"):
        load_content(CONTENT, operator_file=write_operator(tmp_path / "op.yaml", typo))


def test_centre_without_contact_names_its_host(repo):
    for centre in repo.project.centres:
        reach = centre_reach(repo, centre.id)
        assert not reach.known and reach.lines == []
        assert reach.host == centre.host
        assert centre.host in reach.text and "sorun" in reach.text
        assert reach.status == repo.notices.centre_reach.status_unknown
        assert not re.search(r"\d{3}", reach.text)  # no number made up


def test_centre_with_contact_shows_it(configured):
    reach = centre_reach(configured, "samsun")
    assert reach.known and reach.active is True
    assert ("Telefon", "+90 362 000 00 00") in reach.lines
    assert ("Çalışma saatleri", "09.00–17.00") in reach.lines
    assert "+90 362 000 00 00" in reach.text and "Samsun Kümelenme Bilgi Merkezi" in reach.text
    assert reach.status == configured.notices.centre_reach.status_active


def test_inactive_centre_says_so_and_names_its_host(configured):
    reach = centre_reach(configured, "trabzon")
    assert not reach.known and reach.active is False
    assert "artık çalışmıyor" in reach.text and "Trabzon Ticaret ve Sanayi Odası" in reach.text


def test_copy_of_content_with_a_deployment_file_inside_is_not_read(tmp_path, monkeypatch):
    # Only the repository file or KUME_OPERATOR_FILE count: the variable wins over the file.
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    for path in copy.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    monkeypatch.setenv(OPERATOR_FILE_ENV, str(write_operator(tmp_path / "op.yaml", FAKE)))
    assert not load_content(copy).operator.is_demo
    monkeypatch.delenv(OPERATOR_FILE_ENV)
    assert load_content(copy).operator.is_demo
