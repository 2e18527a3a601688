"""Next steps: every ending has one, it says whom to contact and what to prepare, the portal
is filled in, and a known centre adds its contact or its host."""

from __future__ import annotations

import pytest
import yaml

from eligibility.content import content_dir, load_content
from eligibility.guidance import next_step
from eligibility.models_guidance import NEXT_STEP_KEYS

CONTENT = content_dir()


@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT)


@pytest.mark.parametrize("key", NEXT_STEP_KEYS)
def test_every_step_renders_with_a_contact(content, key):
    step = next_step(content, key)
    assert step.title and len(step.text) > 40
    assert step.contact and "{" not in step.contact + step.text
    # whom to contact: the ministry's portal, the chamber, or the centre's host
    assert any(
        word in step.contact for word in ("kumelenme.sanayi.gov.tr", "sanayi odası", "ev sahibi")
    ), key


def test_portal_is_the_front_ends_link(content):
    step = next_step(content, "eligible", portal="<a href='x'>portal</a>")
    assert "<a href='x'>portal</a>" in step.contact


def test_firm_step_says_support_goes_through_an_association(content):
    text = next_step(content, "firm").text
    assert "birliktelik" in text and "iş planı" in text and "katıl" in text


def test_money_step_says_whose_plan_is_estimated(content):
    text = next_step(content, "money").text
    assert "birlikteliğinin iş planı" in text and "Tek bir firmaya" in text


def test_firm_step_with_a_centre_names_its_host_when_no_contact_is_known(content):
    step = next_step(content, "firm", centre_id="gaziantep")
    assert step.centre is not None
    assert "Güneydoğu Anadolu İhracatçı Birlikleri" in step.centre
    assert step.reach is not None and not step.reach.known


def test_firm_step_with_a_configured_centre_gives_its_contact(tmp_path):
    path = tmp_path / "op.yaml"
    path.write_text(
        yaml.safe_dump({"centres": {"corum": {"active": True, "email": "kbm@example.org"}}}),
        encoding="utf-8",
    )
    content = load_content(CONTENT, operator_file=path)
    step = next_step(content, "firm_without_consent", centre_id="corum")
    assert step.centre is not None and "kbm@example.org" in step.centre


def test_centres_step_keeps_the_two_programmes_apart(content):
    text = next_step(content, "centres").text
    assert "Ağustos 2013" in text and "gerekmez" in text
