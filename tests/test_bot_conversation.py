"""The user conversation end to end through the fake Bot API (issue 10, bot side): the KVKK
notice and consent as two steps, both stored; the matcher's evidence shown and stored; a way
forward at every ending; every programme figure dated; navigation that never traps; one
message per problem."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.telegram.runtime import runtime
from eligibility.content import get_content
from eligibility.conversation import get_conversation
from tests.support.fake_operator import FAKE_OPERATOR, configured_operator
from tests.support.harness import running_bot, sent

pytestmark = pytest.mark.timeout(60)
ENV = {"KUME_STAFF_CHATS": "samsun:-1002"}


async def said(user, contains: str | None = None, regex: str | None = None):
    return await user.expect(sent(contains, regex), what=f"{contains or regex!r}")


def store_of(h):
    return runtime(h.app).leads.store


async def to_needs(user, needs: str, province: str = "Samsun") -> None:
    await user.send("/ihtiyac")
    await said(user, regex=r"\[1/")
    await user.send("Deneme Makina Ltd.")
    await said(user, regex=r"\[2/")
    await user.send(province)
    await said(user, regex=r"\[3/")
    await user.send("makine")
    await said(user, regex=r"\[4/")
    await user.press("10–49 çalışan")
    await said(user, regex=r"\[5/")
    await user.press("Firma / işletme")
    await said(user, regex=r"\[6/")
    await user.send(needs)


async def to_summary_with_consent(user) -> None:
    await user.press("Onaylıyorum")
    await said(user, "adı ve soyadı")
    await user.send("Ayşe Deneme")
    await said(user, "Telefon")
    await user.send("0532 123 45 67")
    await said(user, "E-posta")
    await user.send("geç")
    await said(user, "Yanıtlarınız")


async def test_kvkk_notice_then_consent_both_stored_with_the_lead(tmp_path):
    """A configured deployment: the notice names the controller and where to apply, says
    messages pass through Telegram; it is acknowledged on its own step, consent on the next;
    both times and versions are stored. The ending shows the centre's contact from the
    operator file."""
    with configured_operator(tmp_path):
        async with running_bot(tmp_path, env=ENV) as h:
            user = h.user(2001)
            await to_needs(user, "nitelikli eleman bulamiyoruz")
            notice = await said(user, "Kişisel verilerin korunması")
            controller = FAKE_OPERATOR["controller"]
            assert controller["name"] in notice.text
            assert controller["application_address"] in notice.text
            assert "Telegram" in notice.text
            assert notice.button_texts[0] == get_content().kvkk.notice_ack_button
            assert "✅ Onaylıyorum" not in notice.button_texts  # consent is not asked here
            before = dt.datetime.now(dt.UTC).replace(microsecond=0)
            await user.press("Okudum")
            consent = await said(user, "açık rıza veriyorum")
            assert controller["name"] in consent.text
            assert "okuduğunuz kaydedildi" in consent.text
            await to_summary_with_consent(user)
            await user.press("Evet, doğru")
            confirmation = await said(user, "Başvuru numaranız")
            (lead,) = store_of(h).find_by_user("tg:2001")
            version = get_content().kvkk.version
            assert lead["kvkk_notice"]["version"] == lead["consent"]["version"] == version
            notice_at = dt.datetime.fromisoformat(lead["kvkk_notice"]["at"])
            consent_at = dt.datetime.fromisoformat(lead["consent"]["at"])
            assert before - dt.timedelta(seconds=2) <= notice_at <= consent_at
            # the way forward: an association's business plan, and the centre's contact
            centre = next(m for m in user.replies() if "Ev sahibi kuruluş" in m.text)
            assert FAKE_OPERATOR["centres"]["samsun"]["phone"] in centre.text
            assert "çalışıyor" in centre.text
            assert "birlikteliğinin iş planına verilir" in confirmation.text
            assert "Sonraki adım" in confirmation.text


async def test_a_no_to_the_notice_is_one_message_and_changes_nothing(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(2002)
        await to_needs(user, "ortak test laboratuvari")
        await said(user, "Kişisel verilerin korunması")
        await user.send("hayır")
        reask = await said(user, "onay istemez")
        assert reask.text.count("⚠️") == 1 and "💡" not in reask.text
        assert "notice" not in h.app.user_data[2002]["q"]["answers"]
        await user.send("okudum")  # typing works as well as the button
        await said(user, "açık rıza veriyorum")
        await user.press("Onaylamıyorum")
        await said(user, "Yanıtlarınız")
        await user.press("Evet, doğru")
        await said(user, "hiçbir iletişim bilginiz kaydedilmedi")
        await h.wait_idle()
        assert store_of(h).count() == 0
        assert "q" not in h.app.user_data[2002]


async def test_evidence_is_shown_for_each_match_and_stored_for_staff(tmp_path):
    needs = "nitelikli eleman bulamiyoruz, ayrica CE belgesi almak istiyoruz"
    async with running_bot(tmp_path, env={**ENV, "KUME_STAFF": "samsun:9001"}) as h:
        user = h.user(2003)
        await to_needs(user, needs)
        await said(user, "Kişisel verilerin korunması")
        await user.press("Okudum")
        await said(user, "açık rıza")
        await to_summary_with_consent(user)
        await user.press("Evet, doğru")
        await said(user, "Başvuru numaranız")
        matches = next(m for m in user.replies() if "program faaliyetleri" in m.text)
        shown = re.findall(r"«([^»]+)» ifadeniz için", matches.text)
        assert shown and all(words in needs for words in shown)
        (lead,) = store_of(h).find_by_user("tg:2003")
        evidence = lead["match_evidence"]
        assert set(evidence) <= set(lead["matched_activities"]) and evidence
        assert all(words in needs for words in evidence.values())
        assert set(evidence.values()) == set(shown)
        await user.send("/verilerim")  # the user sees what staff see
        data = await said(user, "Eşleşmeye yol açan ifadeler")
        assert next(iter(evidence.values())) in data.text
        staff = h.user(9001)  # the centre's staff, in a private chat: the card has them too
        await staff.send(f"/lead {lead['id']}")
        card = await said(staff, "Eşleşmeye yol açan ifadeler")
        assert all(f"«{words}»" in card.text for words in evidence.values())
        assert "Aydınlatma metninin okunduğu zaman" not in card.text  # the card stays short
        # free text outside a walk: the same sentence, from content
        await user.send("CE belgesi almak istiyoruz")
        answer = await said(user, "ifadeniz için")
        assert "«CE belgesi" in answer.text


async def test_faq_answer_from_free_text_names_the_question_words(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(2004)
        await user.send("kimler basvurabilir")
        answer = await said(user, "sorunuz için")
        assert re.search(r"«[^»]*basvurabilir[^»]*» sorunuz için", answer.text)
        labels = get_content().notices.labels
        assert labels.answer in answer.text and labels.official in answer.text


async def test_every_ending_has_a_way_forward(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(2005)
        n_readiness = len(get_content().rules.readiness)
        for region, firms, expected, title in (
            ("Evet", "25", "karşılıyor", "Birliktelik şartları sağlıyorsa"),
            ("Hayır", "3", "karşılamıyor", "Birliktelik henüz şartları sağlamıyorsa"),
        ):
            await user.send("/uygunluk")
            await said(user, regex=r"\[1/")
            await user.press(region)
            await said(user, regex=r"\[2/")
            await user.send("1")
            await said(user, regex=r"\[3/")
            await user.send("1")
            await said(user, regex=r"\[4/")
            await user.send(firms)
            for i in range(n_readiness):
                await said(user, regex=rf"\[{5 + i}/")
                await user.press("Bilmiyorum" if i == 0 else "Evet")
            await said(user, "Yanıtlarınız")
            await user.press("Evet, doğru")
            verdict = await said(user, expected)
            assert f"Sonraki adım: {title}" in verdict.text
            assert "Hazırlamanız yararlı olanlar" in verdict.text
            assert "Kime başvurulur?" in verdict.text
            assert "kumelenme.sanayi.gov.tr" in verdict.html
            assert "kaynaklar.html" in verdict.html  # where the programme text is
            assert "(bilmiyorum dediniz)" in verdict.text  # advice, not ineligibility
            assert "Bilgi Merkezinizle görüşebilirsiniz" not in verdict.text


async def test_no_programme_figure_is_shown_undated(tmp_path):
    """Every line that shows the ceiling, the grant rates or the support years also says
    where the figure comes from and of when ("2013 tarihli …")."""
    figures = re.compile(r"25\.000\.000|25 milyon|5 yıl|%50|%75")
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(2006)
        await user.send("/program")
        summary = await said(user, get_content().programme.name)
        await user.send("/hesapla Eğitim: 100.000\nÖnceki hibe: 24.990.000")
        estimate = await said(user, "Tahmini hibe")
        for message in (summary, estimate):
            paragraphs = [p for p in message.text.split("\n") if figures.search(p)]
            assert paragraphs
            for paragraph in paragraphs:
                if paragraph.startswith("📖"):  # the seed sentence itself, with its source
                    continue
                assert "2013" in paragraph or "tahmin" in paragraph, paragraph
        assert "Program bilgilerim 2011–2013 tarihli" in summary.text
        assert get_content().notices.labels.plain in summary.text


async def test_back_offers_the_previous_answer_and_menu_and_help_work_everywhere(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(2007)
        await user.send("/uygunluk")
        await said(user, regex=r"\[1/")
        await user.press("Evet")
        await said(user, regex=r"\[2/")
        await user.send("2")
        await said(user, regex=r"\[3/")
        await user.press("◀️ Geri")
        again = await said(user, regex=r"\[2/")
        keep = get_conversation().navigation.keep_previous.replace("{answer}", "2")
        assert keep in again.button_texts and "Önceki yanıtınız: 2" in again.text
        await user.press(keep)
        await said(user, regex=r"\[3/")
        assert h.app.user_data[2007]["q"]["answers"]["chambers_of_industry"] == 2
        await user.send("yardım")  # the question's help, nothing answered
        helped = await said(user, "💡")
        assert "[3/" in helped.text and "«menü»" in helped.text
        await user.send("menü")  # typed menu: the walk is kept
        menu = await said(user, "Ne yapmak")
        assert any("devam" in b for b in menu.button_texts)
        await user.send("geri")  # "geri" at the menu goes back into the walk
        await said(user, regex=r"\[3/")
        await user.press("🏠 Menü")  # the menu button of every question
        await said(user, "Ne yapmak")
        await user.send("/iptal")
        await said(user, "iptal edildi")
        await user.send("geri")  # nothing to go back to: said so, with the menu
        at_menu = await said(user, "ana menüdesiniz")
        assert at_menu.button_texts


async def test_an_invalid_answer_gets_one_message_with_one_problem(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(2008)
        await user.send("/uygunluk")
        first = await said(user, regex=r"\[1/")
        assert "Ticaret ve sanayi odası (TSO) burada sayılmaz" in first.text  # hint up front
        await user.press("Evet")
        await said(user, regex=r"\[2/")
        await user.send("çok")
        await h.wait_idle()
        replies = user.replies()
        assert len(replies) == 1
        assert replies[0].text.count("⚠️") == 1 and "💡" not in replies[0].text
        assert "[2/" in replies[0].text
