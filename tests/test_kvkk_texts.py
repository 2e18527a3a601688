"""KVKK texts: the information notice and the explicit-consent text are separate, name the
controller and the application address from the operator file (never hard-coded), say that
messages pass through Telegram abroad, and read as a demo while nothing is configured."""

from __future__ import annotations

import shutil

import pytest
import yaml

from eligibility.content import ContentError, content_dir, load_content
from eligibility.kvkk import fill_kvkk, kvkk_texts

CONTENT = content_dir()
CONTROLLER = "Örnek Veri Sorumlusu A.Ş. (deneme)"
APPLICATION = "Örnek Mah. Başvuru Sok. No 3, Ankara"
FAKE = {
    "operator": {"name": "Örnek İşletme (deneme)", "address": "Ankara", "email": "a@example.org"},
    "controller": {"name": CONTROLLER, "address": "Ankara", "application_address": APPLICATION},
}


@pytest.fixture(scope="module")
def demo():
    return load_content(CONTENT)


@pytest.fixture
def configured(tmp_path):
    path = tmp_path / "op.yaml"
    path.write_text(yaml.safe_dump(FAKE, allow_unicode=True), encoding="utf-8")
    return load_content(CONTENT, operator_file=path)


@pytest.fixture
def tmp_content(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    for path in copy.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return copy


def test_notice_names_controller_and_application_address(configured):
    texts = kvkk_texts(configured, retention_days=180)
    assert CONTROLLER in texts.notice and APPLICATION in texts.notice
    assert "180 gün" in texts.notice
    assert CONTROLLER in texts.consent_question
    for text in (texts.notice, texts.consent_question, texts.refusal_text, texts.short_notice):
        assert "{" not in text


def test_notice_has_the_article_10_elements(configured):
    notice = kvkk_texts(configured).notice
    for needle in (
        "6698",
        "md. 10",
        "Veri sorumlusu",
        "amaç",
        "hukuki sebep",
        "paylaşılır",
        "toplanır",
        "11. madde",
        "Telegram",
        "yurt dışında",
    ):
        assert needle.lower() in notice.lower(), needle


def test_notice_and_consent_are_separate_texts(demo):
    texts = kvkk_texts(demo)
    assert "açık rıza veriyorum" in texts.consent_question
    assert "açık rıza veriyorum" not in texts.notice
    assert texts.notice_ack_button not in (texts.consent_button, texts.refuse_button)
    assert "onay değildir" in texts.notice_ack_text
    assert "kaydedilmedi" in texts.refusal_text


def test_demo_texts_say_nothing_is_configured(demo):
    texts = kvkk_texts(demo)
    unset = demo.notices.demo.unset
    assert texts.notice.count(unset) == 2  # controller and application address
    assert unset in texts.consent_question
    assert "işletmecisi" not in texts.short_notice


def test_version_changed_with_the_texts(demo):
    assert demo.kvkk.version != "2026-11-v1"


def test_page_is_filled_from_the_operator(configured):
    page = (CONTENT / "pages" / configured.kvkk.page).read_text(encoding="utf-8")
    filled = fill_kvkk(page, configured)
    assert CONTROLLER in filled and APPLICATION in filled
    assert configured.kvkk.version in filled
    assert kvkk_texts(configured).consent_question in " ".join(filled.split())
    assert "{controller" not in filled and "{application_address}" not in filled
    assert "{#acik-riza-metni}" in filled  # Markdown attribute lists are left alone


def test_unknown_placeholder_is_rejected(tmp_content):
    path = tmp_content / "kvkk.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "Veri sorumlusu: {controller}.", "Veri sorumlusu: {kontrolor}.", 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=r"kvkk\.yaml: notice: bilinmeyen yer tutucu"):
        load_content(tmp_content)


def test_notice_without_controller_is_rejected(tmp_content):
    path = tmp_content / "kvkk.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "Veri sorumlusu: {controller}.", "Veri sorumlusu: biz.", 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match=r"kvkk\.yaml: notice: '\{controller\}'"):
        load_content(tmp_content)


def test_page_with_hard_coded_controller_is_rejected(tmp_content):
    page = tmp_content / "pages" / "kvkk.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("{controller}", "Biz"), encoding="utf-8"
    )
    with pytest.raises(ContentError, match=r"kvkk\.md: '\{controller\}'"):
        load_content(tmp_content)
