"""Issue 11, the firm's answers end to end through the fake Bot API: a typed head-count, a
district for the province, "evet" and a button accepting a suggestion, a sector in the firm's
own words stored as a NACE division, and names that are no names refused."""

from __future__ import annotations

import pytest

from bot.leads.backend import open_store
from eligibility.labels import get_labels
from tests.support.harness import running_bot, sent
from tests.support.walks import LEAD_NUMBER_RE, open_menu

pytestmark = pytest.mark.timeout(60)


async def _answer(user, text: str, expect: str) -> None:
    await user.send(text)
    await user.expect(sent(expect), what=expect)


async def test_head_count_district_suggestions_and_sector(tmp_path):
    labels = get_labels()
    async with running_bot(tmp_path) as h:
        user = h.user(7101)
        await open_menu(user)
        await user.press(labels.menu["firma"])
        await user.expect(sent("adı nedir"))
        await _answer(user, "😀😀😀", "Harflerle yazın")  # emoji-only firm name refused
        await _answer(user, "Deneme Mobilya Ltd.", "hangi ilde")
        await _answer(user, "Gebez", "Bunu mu demek istediniz: Kocaeli?")
        msg = await user.expect(sent("Kocaeli"))
        assert msg.button_texts[0] == "Kocaeli"  # the suggestion is a button
        await _answer(user, "evet", "Hangi sektörde")  # "evet" accepts it
        await _answer(user, "ahşap mobilya", "şunlardan biri mi")
        await user.press("31 — Mobilya imalatı")  # a button accepts a sector suggestion
        await user.expect(sent("kaç kişi"))
        await _answer(user, "3", "hangi sıfatla")  # a bare 3 is three employees
        await user.press("Firma / işletme")
        await user.expect(sent("neye ihtiyacı"))
        await _answer(user, "🙏🙏🙏", "Harflerle yazın")
        await _answer(user, "ortak tasarım ve ihracat", "Aydınlatma metni")
        await _answer(user, "okudum", "açık rıza veriyor musunuz")  # notice, then consent
        await user.press(labels.buttons.consent_mark)
        await user.expect(sent("adı ve soyadı"))
        await _answer(user, "12345", "Bir ad ve soyad yazın")
        await _answer(user, "onayliyorum", "Bir ad ve soyad yazın")
        await _answer(user, "Ayşe Deneme", "Telefon")
        await _answer(user, "0532 123 45 67", "E-posta")
        await user.send("geç")
        summary = await user.expect(sent("Yanıtlarınız"))
        assert "Kocaeli" in summary.text and "Mobilya imalatı (31)" in summary.text
        assert "1–9 çalışan" in summary.text
        await user.press(labels.buttons.confirm_summary)
        await user.expect(sent(regex=LEAD_NUMBER_RE.pattern))
    (lead,) = open_store(tmp_path).list()
    assert (lead["province"], lead["size_band"], lead["nace"]) == ("Kocaeli", "1-9", "31")
    assert lead["sector"] == "Mobilya imalatı" and lead["contact_name"] == "Ayşe Deneme"
    assert lead["firm"] == "Deneme Mobilya Ltd."
