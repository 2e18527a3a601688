"""End-to-end flows of the user conversation: scripted users talk to the real Application
(build_application) through the fake Telegram Bot API server (tests/support).
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.leads.record import new_lead
from bot.leads.store import StoreBusy
from bot.leads.tinydb_store import TinyDBLeadStore
from bot.telegram.runtime import runtime
from eligibility.content import get_content
from tests.support.fake_bot_api import BotMessage
from tests.support.harness import running_bot, sent

pytestmark = pytest.mark.timeout(60)

STAFF_CHAT_KMARAS = -1001
STAFF_CHAT_SAMSUN = -1002
ENV = {"KUME_STAFF_CHATS": f"kahramanmaras:{STAFF_CHAT_KMARAS};samsun:{STAFF_CHAT_SAMSUN}"}
EVIL_FIRM = "<b>Deneme & Co</b>"


async def said(user, contains: str | None = None, regex: str | None = None) -> BotMessage:
    return await user.expect(sent(contains, regex), what=f"{contains or regex!r}")


def store_of(h):
    return runtime(h.app).leads.store


N_READINESS = len(get_content().rules.readiness)


async def open_menu(user, start: str = "/start") -> None:
    await user.send(start)
    await said(user, "Küme Asistanı")


async def kume_walk(user, *, region: str, chambers: str, universities: str, firms: str) -> None:
    """Walk the kume path, mixing buttons and typed answers, up to the summary."""
    await user.press("Birliktelik uygun mu")
    await said(user, regex=r"\[1/\d+\]")
    await user.press(region)  # yes/no button
    await said(user, regex=r"\[2/\d+\]")
    await user.send(chambers)
    await said(user, regex=r"\[3/\d+\]")
    await user.send(universities)
    await said(user, regex=r"\[4/\d+\]")
    await user.send(firms)
    for i in range(N_READINESS):
        await said(user, regex=rf"\[{5 + i}/\d+\]")
        await user.press("Evet" if i % 2 == 0 else "Hayır")
    await said(user, "Yanıtlarınız")


async def firma_walk(user, firm: str, province: str, needs: str) -> BotMessage:
    await user.press("Firmamın ihtiyaçları")
    await said(user, regex=r"\[1/\d+\]")
    await user.send(firm)
    await said(user, regex=r"\[2/\d+\]")
    await user.send(province)
    await said(user, regex=r"\[3/\d+\]")
    await user.send("mobilya")
    await said(user, regex=r"\[4/\d+\]")
    await user.press("10–49 çalışan")
    await said(user, regex=r"\[5/\d+\]")
    await user.press("Firma / işletme")
    await said(user, regex=r"\[6/\d+\]")
    await user.send(needs)
    notice = await said(user, "Kişisel verilerin korunması")
    await user.press("Okudum")  # the information notice, acknowledged on its own step
    await said(user, "Açık rıza")
    return notice


async def test_eligible_chamber(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1001)
        await open_menu(user)
        await kume_walk(user, region="Evet", chambers="1", universities="2", firms="yirmi beş")
        summary = user.replies()[-1]
        assert "25" in summary.text
        await user.press("Evet, doğru")
        verdict = await said(user, "karşılıyor")
        assert "karşılamıyor" not in verdict.text
        assert "📖" in verdict.text
        # Readiness "hayır" answers become advice with linked activities.
        assert "Hazırlık önerileri" in verdict.text
        assert 'href="' in verdict.html
        assert store_of(h).find_by_user("tg:1001") == []  # no lead from the kume path


async def test_ineligible_chamber_19_firms_no_university(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1002)
        await open_menu(user)
        await kume_walk(user, region="Hayır", chambers="1", universities="yok", firms="19")
        await user.send("evet")  # confirming by typing works as well as the button
        verdict = await said(user, "karşılamıyor")
        assert "1 firma eksik" in verdict.text
        assert "0 üniversite" in verdict.text
        assert "#k2-07" in verdict.html  # next step: university-industry programme page anchor
        assert "kategori-" in verdict.html


async def test_invalid_answers_are_reasked_with_hint(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1003)
        await open_menu(user)
        await user.press("Birliktelik uygun mu")
        await said(user, regex=r"\[1/")
        await user.send("belki")
        reask = await said(user, "evet")
        assert "[1/" in reask.text and "⚠️" in reask.text
        await user.send("evet")
        await said(user, regex=r"\[2/")
        await user.send("20+")
        await said(user, regex=r"\[3/")
        await user.send("bilmiyorum")
        reask = await said(user, "⚠️")
        assert "[3/" in reask.text
        assert "örneğin" in reask.text  # the engine's hint


async def test_back_and_restart(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1004)
        await open_menu(user)
        await user.press("Birliktelik uygun mu")
        await said(user, regex=r"\[1/")
        await user.press("Evet")
        q2 = await said(user, regex=r"\[2/")
        assert "sanayi odası" in q2.text
        await user.press("◀️ Geri")
        await said(user, regex=r"\[1/")
        await user.press("Hayır")
        q2b = await said(user, regex=r"\[2/")
        assert "ticaret ve sanayi odası" in q2b.text  # the other branch
        await user.send("2")
        await said(user, regex=r"\[3/")
        await user.press("🔄 Baştan")
        await said(user, regex=r"\[1/")
        assert h.app.user_data[1004]["q"]["answers"] == {}
        # Typed "geri" / "baştan" work like the buttons.
        await user.send("evet")
        await said(user, regex=r"\[2/")
        await user.send("Geri")
        await said(user, regex=r"\[1/")
        assert h.app.user_data[1004]["q"]["answers"] == {}
        await user.send("hayır")
        await said(user, regex=r"\[2/")
        await user.send("baştan")
        await said(user, regex=r"\[1/")
        assert h.app.user_data[1004]["q"]["answers"] == {}


async def test_stale_button_reshows_current_question(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1005)
        await open_menu(user)
        await user.press("Birliktelik uygun mu")
        q1 = await said(user, regex=r"\[1/")
        old_no = next(b["callback_data"] for b in q1.inline_buttons if b["text"] == "Hayır")
        await user.press("Evet")  # its keyboard is removed, but an old client may still press
        await said(user, regex=r"\[2/")
        await user.press_data(old_no, message=q1)
        again = await said(user, regex=r"\[2/")
        assert "sanayi odası" in again.text
        assert h.app.user_data[1005]["q"]["answers"] == {"chamber_of_industry_in_region": True}


async def test_firm_needs_without_turkish_letters_consent_refused(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1006)
        await open_menu(user)
        await firma_walk(
            user, "Deneme Mobilya Ltd.", "kahramanmaras", "ihracat icin yeni pazar ariyoruz"
        )
        await user.press("Onaylamıyorum")
        summary = await said(user, "Yanıtlarınız")
        assert "Kahramanmaraş" in summary.text  # province typed without Turkish letters
        await user.press("Evet, doğru")
        matches = await said(user, "program faaliyetleri")
        assert "#k1-10" in matches.html  # market development
        centre = await said(user, "Bilgi Merkezi")
        assert "Kahramanmaraş Ticaret ve Sanayi Odası" in centre.text
        # the demo has no contact for the centre: its host and whom to ask, nothing invented
        assert "bu kuruma sorun" in centre.text
        ending = await said(user, "hiçbir iletişim bilginiz kaydedilmedi")
        assert "Sonraki adım" in ending.text and "birlikteliğe katılmak" in ending.text
        assert "kumelenme.sanayi.gov.tr" in ending.text  # the ministry's portal
        await h.wait_idle()
        assert store_of(h).find_by_user("tg:1006") == []
        assert store_of(h).count() == 0
        assert "q" not in h.app.user_data[1006]  # the walk's answers are dropped too
        assert h.chat_messages(STAFF_CHAT_KMARAS) == []


async def test_consent_given_lead_stored_announced_and_deleted(tmp_path):
    env = {**ENV, "KUME_RETENTION_DAYS": "180", "KUME_SITE_URL": "https://site.example/kume"}
    async with running_bot(tmp_path, env=env) as h:
        user = h.user(1007)
        await open_menu(user, "/start site")
        # First the kume walk: its verdict is attached to the lead.
        await kume_walk(user, region="Evet", chambers="1", universities="1", firms="30")
        await user.press("Evet, doğru")
        await said(user, "karşılıyor")
        await user.send("/menu")
        await said(user, "Ne yapmak")
        notice = await firma_walk(user, EVIL_FIRM, "K.Maraş", "nitelikli eleman bulamiyoruz")
        assert "180 gün" in notice.text
        assert 'href="https://site.example/kume/' in notice.html  # full KVKK notice page
        assert "Okudum" in notice.button_texts and "✅ Onaylıyorum" not in notice.button_texts
        consent = user.replies()[-1]  # the explicit-consent question, a step of its own
        assert {"✅ Onaylıyorum", "✖️ Onaylamıyorum"} <= set(consent.button_texts)
        before = dt.datetime.now(dt.UTC).replace(microsecond=0)
        await user.press("Onaylıyorum")
        await said(user, "adı ve soyadı")
        await user.send("Ayşe Deneme")
        await said(user, "Telefon")
        await user.send("0 (532) 123-45-67")
        await said(user, "E-posta")
        await user.send("ayse@deneme.example")
        summary = await said(user, "Yanıtlarınız")
        assert EVIL_FIRM in summary.text  # escaped: shown literally
        assert "&lt;b&gt;Deneme &amp; Co&lt;/b&gt;" in summary.html
        await user.press("Evet, doğru")
        confirm = await said(user, "Başvuru numaranız")
        assert "Kahramanmaraş" in confirm.text

        leads = store_of(h).find_by_user("tg:1007")
        assert len(leads) == 1
        lead = leads[0]
        assert f"#{lead['id']}" in confirm.text
        assert lead["phone"] == "+905321234567"
        assert lead["firm"] == EVIL_FIRM
        assert lead["source"] == "site"
        assert lead["centre"] == "kahramanmaras"
        assert lead["consent"]["version"] == get_content().kvkk.version
        consent_at = dt.datetime.fromisoformat(lead["consent"]["at"])
        assert before - dt.timedelta(seconds=2) <= consent_at <= dt.datetime.now(dt.UTC)
        assert lead["eligibility"]["eligible"] is True
        assert lead["matched_activities"]

        staff = await h.wait_for_message(STAFF_CHAT_KMARAS, f"#{lead['id']}")
        # issue 10: no personal data in the group, the firm's name included
        assert "Deneme" not in staff.text and "+90" not in staff.text and "Ayşe" not in staff.text
        assert h.chat_messages(STAFF_CHAT_SAMSUN) == []

        await user.send("/verilerim")
        data = await said(user, "Hakkınızda kayıtlı bilgiler")
        assert EVIL_FIRM in data.text and "+905321234567" in data.text

        await user.send("/sil")
        await said(user, "kalıcı olarak silinecek")
        await user.press("Evet, sil")
        await said(user, "1 kayıt silindi")
        assert store_of(h).find_by_user("tg:1007") == []
        await user.send("/verilerim")
        await said(user, "hiçbir kişisel veri yok")


async def test_failed_announcement_keeps_lead(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        h.server.block_chat(STAFF_CHAT_SAMSUN)
        user = h.user(1008)
        await open_menu(user)
        await firma_walk(user, "Deneme Gıda A.Ş.", "samsun", "ortak test laboratuvari")
        await user.press("Onaylıyorum")
        await said(user, "adı ve soyadı")
        await user.send("Ali Deneme")
        await said(user, "Telefon")
        await user.send("+90 532 765 43 21")
        await said(user, "E-posta")
        await user.send("geç")
        await said(user, "Yanıtlarınız")
        await user.press("Evet, doğru")
        await said(user, "Başvuru numaranız")
        (lead,) = store_of(h).find_by_user("tg:1008")
        assert lead["announced"] is False  # left for the runtime's retry job
        assert lead["email"] is None
        assert lead["source"] == "telegram"


class FlakyStore(TinyDBLeadStore):
    """Fails the first add, like a store whose file is locked for too long."""

    def __init__(self, path):
        super().__init__(path)
        self.failures_left = 1

    def add(self, lead):
        if self.failures_left:
            self.failures_left -= 1
            raise StoreBusy("kilitli")
        return super().add(lead)


async def test_store_failure_keeps_session_and_retries(tmp_path):
    store = FlakyStore(tmp_path / "flaky.json")
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        user = h.user(1017)
        await open_menu(user)
        await firma_walk(user, "Deneme Makina Ltd.", "Çorum", "ortak test laboratuvari")
        await user.press("Onaylıyorum")
        await said(user, "adı ve soyadı")
        await user.send("Ayşe Deneme")
        await said(user, "Telefon")
        await user.send("0532 123 45 67")
        await said(user, "E-posta")
        await user.send("geç")
        await said(user, "Yanıtlarınız")
        await user.press("Evet, doğru")
        await said(user, "kaydedemedim")
        assert store.find_by_user("tg:1017") == []
        assert h.app.user_data[1017]["mode"] == "q"
        await user.send("tekrar")
        confirm = await said(user, "Başvuru numaranız")
        (lead,) = store.find_by_user("tg:1017")
        assert f"#{lead['id']}" in confirm.text
        assert lead["centre"] == "corum"
        assert "q" not in h.app.user_data[1017]


async def test_cancel_drops_walk_and_sil_cancel_keeps_data(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        store = store_of(h)
        store.add(new_lead(source="telegram", user_key="tg:1009", consent=None, firm="Deneme"))
        user = h.user(1009)
        await open_menu(user)
        await user.press("Firmamın ihtiyaçları")
        await said(user, regex=r"\[1/")
        await user.send("/iptal")
        await said(user, "iptal edildi")
        assert "q" not in h.app.user_data[1009]
        await user.send("Deneme Ltd")  # no walk any more: treated as free text
        await said(user)
        await user.send("/sil")
        await said(user, "kalıcı olarak silinecek")
        await user.press("Vazgeç")
        await said(user, "verileriniz duruyor")
        assert len(store.find_by_user("tg:1009")) == 1


async def test_menu_pauses_walk_and_offers_to_continue(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1019)
        await open_menu(user)
        await user.press("Birliktelik uygun mu")
        await said(user, regex=r"\[1/")
        await user.send("evet")
        await said(user, regex=r"\[2/")
        await user.send("/start")
        menu = await said(user, "Küme Asistanı")
        assert "▶️ Yarım kalan sorulara devam et" in menu.button_texts
        await user.send("kimler basvurabilir")  # paused: a question, not an answer
        await said(user, "📖")
        assert h.app.user_data[1019]["q"]["answers"] == {"chamber_of_industry_in_region": True}
        await user.send("/menu")
        await said(user, "Ne yapmak")
        await user.press("Yarım kalan sorulara devam")
        await said(user, regex=r"\[2/")
        await user.send("1")
        await said(user, regex=r"\[3/")


async def test_shared_contact_answers_phone_question(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1016)
        await open_menu(user)
        await firma_walk(user, "Deneme Tekstil", "Trabzon", "ortak test laboratuvari")
        await user.press("Onaylıyorum")
        await said(user, "adı ve soyadı")
        await user.send("Ayşe Deneme")
        await said(user, "Telefon")
        await user.send_contact("+90 532 111 22 33")
        await said(user, "E-posta")
        assert h.app.user_data[1016]["q"]["answers"]["phone"] == "+905321112233"
        await user.send_contact("+90 532 111 22 33")  # not the phone question any more
        answer = await said(user, "telefon numarası sormuyorum")
        assert "E-posta" in answer.text  # and the current question again


async def test_resume_after_restart(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1010)
        await open_menu(user)
        await user.press("Birliktelik uygun mu")
        await said(user, regex=r"\[1/")
        await user.send("evet")
        await said(user, regex=r"\[2/")
        await h.restart()
        await user.send("1")  # answers question 2 of the persisted session
        q3 = await said(user, regex=r"\[3/")
        assert "üniversite" in q3.text
        assert h.app.user_data[1010]["q"]["answers"]["chambers_of_industry"] == 1


async def test_free_text_faq_and_needs(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1011)
        await user.send("kimler basvurabilir")
        faq = await said(user, "📖")
        entry = next(e for e in get_content().faq.entries if e.id == "kimler-basvurabilir")
        assert entry.question in faq.text
        await user.send("asdfgh qwerty")
        fallback = await said(user, "anlayamadım")
        assert any("Birliktelik uygun mu" in b for b in fallback.button_texts)


async def test_faq_buttons_and_centre_finder(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1012)
        await open_menu(user)
        await user.press("Sık sorulan sorular")
        listing = await said(user, "Sık sorulan sorular")
        first = get_content().faq.entries[0]
        assert first.question in listing.button_texts
        await user.press(first.question)
        answer = await said(user, first.question)
        assert "📖" in answer.text
        await user.send("/merkez")
        await said(user, "Hangi ildesiniz")
        await user.send("Kahramanmaras")
        centre = await said(user, "Bilgi Merkezi")
        assert "Kahramanmaraş Ticaret ve Sanayi Odası" in centre.text
        await user.send("/merkez")
        await said(user, "Hangi ildesiniz")
        await user.send("Xyzabc")
        await said(user, "⚠️")
        assert h.app.user_data[1012]["mode"] == "centre"
        await user.send("kimler basvurabilir acaba")  # a question, not a province
        await said(user, "📖")
        assert "mode" not in h.app.user_data[1012]
        await user.send("/merkez")
        await said(user, "Hangi ildesiniz")
        await user.send("55")
        centre = await said(user, "Samsun")
        assert "Samsun Ticaret ve Sanayi Odası" in centre.text


async def test_budget_estimate_in_one_message(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1013)
        await user.send("/hesapla")
        await said(user, "1. kalemin adı")
        await user.send("Eğitim programı: 200.000\nFuar katılımı: 350000")
        listing = await said(user, "Toplam harcama: 550.000 TL")
        await user.press("Hesapla")
        await said(user, "daha önce hibe aldı mı")
        await user.press("Almadı")
        result = await said(user, "Tahmini hibe")
        assert "550.000 TL" in result.text
        assert "275.000 TL" in result.text
        assert listing.button_texts
        await user.send("/hesapla Danışmanlık: ikiyüz")
        await said(user, "⚠️")
        await user.send("Danışmanlık: 1.000.000")
        await said(user, "Toplam harcama: 1.000.000 TL")
        await user.send("/hesapla Danışmanlık: 1.000.000")  # one message: the estimate at once
        result = await said(user, "Tahmini hibe")
        assert "500.000 TL" in result.text


async def test_programme_summary_from_menu(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1014)
        await user.send("/yardim")
        help_text = await said(user, "Komutlar")
        assert "/verilerim" in help_text.text and "/hesapla" in help_text.text
        await open_menu(user)
        await user.press("Program hakkında")
        summary = await said(user, get_content().programme.name)
        assert "📖" in summary.text
        assert "<a href=" in summary.html


async def test_markup_in_user_text_never_breaks_messages(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(1018)
        await user.send("<a href='x'>tıkla</a> & <b>")
        await said(user)
        await user.send("/merkez")
        await said(user, "Hangi ildesiniz")
        await user.send("<b>Samsun</i>")
        await said(user)
        await user.send("/hesapla <b>Fuar</b> & Co: 1000")
        shown = await said(user, "Tahmini hibe")
        assert "<b>Fuar</b> & Co" in shown.text
        await user.send("/start")
        await said(user, "Küme Asistanı")
        await firma_walk(user, "<i>Deneme", "Samsun", "<pre>ortak laboratuvar & test</pre>")
        await user.press("Onaylamıyorum")
        summary = await said(user, "Yanıtlarınız")
        assert "<pre>ortak laboratuvar & test</pre>" in summary.text
        await user.press("◀️ Geri")  # back to the consent question
        await said(user, "Açık rıza")
        for _ in range(6):  # back over the notice to the province question
            await user.send("geri")
            last = await said(user, regex=r"\[\d+/")
        assert "[2/" in last.text
        await user.send("=1+1" * 2500)  # 5 000 digits once letters are dropped
        again = await said(user, "⚠️")
        assert "[2/" in again.text
        await user.send("/merkez")
        await said(user, "Hangi ildesiniz")
        await user.send("9" * 5000)
        await said(user, "⚠️")
        rejected = [c for c in h.server.calls if c.status >= 400]
        assert rejected == []


async def test_long_user_data_is_split(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        store = store_of(h)
        for i in range(25):
            store.add(
                new_lead(
                    source="telegram",
                    user_key="tg:1015",
                    consent={"version": "v", "at": "2026-11-25T06:00:00+00:00"},
                    firm=f"Deneme {i} <Ltd> & Ortakları",
                    needs_text="Ortak laboratuvar ve eğitim ihtiyacımız var. " * 20,
                )
            )
        user = h.user(1015)
        await user.send("/verilerim")
        await said(user, "Silmek için /sil")
        parts = [m for m in user.replies() if m.chat_id == 1015]
        assert len(parts) >= 2
        assert all(len(m.text) <= 4096 for m in parts)
        shown = "".join(m.text for m in parts)
        assert shown.count("Kayıt #") == 25
        assert "Deneme 3 <Ltd> & Ortakları" in shown


async def test_user_commands_are_published_for_private_chats(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        calls = h.server.calls_of("setMyCommands")
        assert calls, "setMyCommands was not called at start-up"
        published = [c["command"] for c in h.server.commands]
        assert {"start", "verilerim", "sil", "iptal", "hesapla"} <= set(published)
        assert "leads" not in published  # staff commands stay out of the public menu
