"""Issue 13 end to end through the fake Bot API: share instead of type (contact, location
with "Samsun mu?"), the guided /hesapla, progress for slow work, and chats that are not a
simple private text (groups, forwarded messages, hostile deep links, other languages)."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot.telegram.progress import working
from bot.telegram.runtime import runtime
from eligibility.conversation import get_conversation
from eligibility.labels import get_labels
from tests.support.fake_bot_api import BOT_USERNAME
from tests.support.harness import running_bot, sent

pytestmark = pytest.mark.timeout(60)
STAFF_CHAT = -1002
ENV = {"KUME_STAFF_CHATS": f"samsun:{STAFF_CHAT}"}
SHARE = get_conversation().share


async def said(user, contains: str | None = None, regex: str | None = None):
    return await user.expect(sent(contains, regex), what=f"{contains or regex!r}")


def removes_keyboard(message) -> bool:
    return bool(message.reply_markup and message.reply_markup.get("remove_keyboard"))


async def to_province(user) -> None:
    await user.send("/ihtiyac")
    await said(user, regex=r"\[1/")
    await user.send("Deneme Gıda Ltd.")


async def to_phone(user) -> None:
    await to_province(user)
    await said(user, regex=r"\[2/")
    await user.send("Samsun")
    for marker, answer, press in (
        (r"\[3/", "gıda", False),
        (r"\[4/", "10–49 çalışan", True),
        (r"\[5/", "Firma / işletme", True),
        (r"\[6/", "ortak test laboratuvari", False),
        ("Kişisel verilerin korunması", "Okudum", True),
        ("açık rıza", "Onaylıyorum", True),
        ("adı ve soyadı", "Ayşe Deneme", False),
    ):
        await said(user, regex=marker) if marker.startswith("\\") else await said(user, marker)
        await (user.press(answer) if press else user.send(answer))


async def test_share_my_number_only_with_the_senders_own_contact(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3001)
        await to_phone(user)
        question = await said(user, "Telefon numaranız")
        button = next(b for b in question.keyboard_buttons if b.get("request_contact"))
        assert button["text"] == SHARE.contact_button
        assert get_labels().buttons.back in question.button_texts  # controls stay reachable
        await user.send_contact("+90 532 000 11 22", user_id=9999)  # someone else's card
        refused = await said(user, "sizin numaranız değil")
        assert "phone" not in h.app.user_data[3001]["q"]["answers"]
        assert not removes_keyboard(refused)  # the share button is still offered
        await user.press(SHARE.contact_button)  # the user's own number
        closing = await user.expect(lambda m, e: removes_keyboard(m), what="keyboard removed")
        assert "Telefon: 0555 111 22 33" in closing.text
        await said(user, "E-posta")
        assert h.app.user_data[3001]["q"]["answers"]["phone"] == "+905551112233"


async def test_typing_the_number_still_works_and_closes_the_share_keyboard(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3002)
        await to_phone(user)
        await said(user, "Telefon numaranız")
        await user.send("0532 123 45 67")
        await user.expect(lambda m, e: removes_keyboard(m), what="keyboard removed")
        await said(user, "E-posta")
        assert "reply_kb" not in h.app.user_data[3002]


async def test_leaving_a_share_question_closes_its_keyboard(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3014)
        await to_phone(user)
        await said(user, "Telefon numaranız")
        await user.send("/iptal")
        await user.expect(lambda m, e: removes_keyboard(m), what="keyboard removed")
        await said(user, "iptal edildi")
        assert "reply_kb" not in h.app.user_data[3014]
        await to_province(user)
        await said(user, regex=r"\[2/")
        await user.press("🏠 Menü")  # a text button of the share keyboard
        await user.expect(lambda m, e: removes_keyboard(m), what="keyboard removed")
        await said(user, "Ne yapmak")
        assert h.app.user_data[3014]["q"]["answers"] == {"firm": "Deneme Gıda Ltd."}


async def test_share_my_location_maps_to_a_province_and_asks_to_confirm(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3003)
        await to_province(user)
        question = await said(user, regex=r"\[2/")
        assert any(b.get("request_location") for b in question.keyboard_buttons)
        await user.send_location(48.85, 2.35)  # Paris
        await said(user, "Türkiye'deki bir ile yakın değil")
        await user.send_location(40.65, 35.83)  # Amasya
        ask = await said(user, "Amasya mı?")
        await user.press(SHARE.confirm_no)
        await said(user, "il adını yazın")
        assert "province" not in h.app.user_data[3003]["q"]["answers"]
        await user.press(SHARE.location_button)  # the harness shares a point in Samsun
        ask = await said(user, "Samsun mu?")
        assert SHARE.confirm_yes in ask.button_texts
        await user.press(SHARE.confirm_yes)
        closing = await user.expect(lambda m, e: removes_keyboard(m), what="keyboard removed")
        assert "İl: Samsun" in closing.text
        await said(user, regex=r"\[3/")
        assert h.app.user_data[3003]["q"]["answers"]["province"] == "Samsun"
        assert "located" not in h.app.user_data[3003]
        await user.send_location(41.29, 36.33)  # not the province question any more
        await said(user, "il sormuyorum")


async def test_a_typed_yes_confirms_the_location_too(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3004)
        await to_province(user)
        await said(user, regex=r"\[2/")
        await user.send_location(37.07, 37.38)
        await said(user, "Gaziantep mi?")
        await user.send("evet")
        await said(user, regex=r"\[3/")
        assert h.app.user_data[3004]["q"]["answers"]["province"] == "Gaziantep"


async def test_guided_estimate_item_by_item_with_edit_remove_and_back(tmp_path):
    t = get_conversation().budget
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3005)
        await user.send("/hesapla")
        first = await said(user, "1. kalemin adı")
        assert "birlikteliğinin iş planı için" in first.text  # whose grant it is
        await user.send("Eğitim programı")
        await said(user, "«Eğitim programı» için tahmini harcama")
        await user.send("bir milyon")
        problem = await said(user, "⚠️")
        assert problem.text.count("⚠️") == 1 and "örneğin 1.250.000" in problem.text
        await user.send("1.250.000")
        listing = await said(user, "Toplam harcama: 1.250.000 TL")
        assert {t.buttons.add, t.buttons.edit, t.buttons.done} <= set(listing.button_texts)
        await user.press(t.buttons.add)
        await said(user, "2. kalemin adı")
        await user.send("Fuar katılımı")
        await said(user, "«Fuar katılımı» için")
        await user.send("750 bin")
        await said(user, "Toplam harcama: 2.000.000 TL")
        await user.press("◀️ Geri")  # undoes the fair's cost, offers it again
        again = await said(user, "«Fuar katılımı» için")
        keep = next(b for b in again.button_texts if b.startswith("↩️"))
        assert "750 bin" in keep
        await user.press(keep)
        await said(user, "Toplam harcama: 2.000.000 TL")
        await user.press(t.buttons.edit)
        await said(user, t.pick_prompt)
        await user.press("Fuar katılımı")
        await said(user, "ne yapmak istersiniz")
        await user.press(t.buttons.remove)
        await said(user, "«Fuar katılımı» silindi")
        await user.send("Danışmanlık: 1,5 milyon")  # a whole item typed at the menu
        await said(user, "Toplam harcama: 2.750.000 TL")
        await user.press(t.buttons.done)
        await said(user, "daha önce hibe aldı mı")
        await user.send("24 milyon")
        result = await said(user, "Tahmini hibe")
        assert "Alınabilecek en çok hibe: 1.000.000 TL" in result.text  # the ceiling binds
        assert "daha önce alınan 24.000.000 TL düşülünce 1.000.000 TL" in result.text
        assert "Sonraki adım: Hesapladıktan sonra" in result.text
        assert "budget" not in h.app.user_data[3005]
        stale = next(b for b in listing.inline_buttons if b["text"] == t.buttons.done)
        await user.press_data(stale["callback_data"], message=listing)  # an old button
        await said(user, "1. kalemin adı")  # the finished estimate is not re-run


async def test_slow_result_shows_progress_and_fast_one_costs_nothing(tmp_path, monkeypatch):
    import eligibility.questionnaire_result as computed

    real = computed.match_needs

    def slow(text: str):
        time.sleep(1.2)
        return real(text)

    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3006)
        await to_phone(user)
        await said(user, "Telefon numaranız")
        await user.send("0532 123 45 67")
        await said(user, "E-posta")
        await user.send("geç")
        await said(user, "Yanıtlarınız")
        monkeypatch.setattr(computed, "match_needs", slow)
        before = len(h.server.calls_of("sendChatAction"))
        other = h.user(3007)  # another user is answered while the slow result runs
        await user.press("Evet, doğru")
        await other.send("/yardim")
        await said(other, "Komutlar")
        assert not [m for m in user.replies() if "Başvuru numaranız" in m.text]
        await said(user, "Başvuru numaranız")
        actions = h.server.calls_of("sendChatAction")[before:]
        assert [c.params["action"] for c in actions][:1] == ["typing"]
        monkeypatch.setattr(computed, "match_needs", real)
        before = len(h.server.calls_of("sendChatAction"))
        await user.send("/program")
        await said(user, "Kümelenme Destek Programı")
        assert len(h.server.calls_of("sendChatAction")) == before


async def test_progress_helper_for_slow_staff_work_leaves_a_note_then_removes_it(tmp_path):
    """The helper other modules call (e.g. staff /export): note after a second, deleted or
    edited when the work is done."""

    async def slow_export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        chat = update.effective_chat.id
        async with working(context.bot, chat, action="upload_document", note=True) as shown:
            await asyncio.sleep(1.3)
        done = "✅ hazır"
        async with working(context.bot, chat, note=True, done=done, note_after=0.1, after=0.05):
            await asyncio.sleep(0.3)
        await context.bot.send_message(chat, f"bitti {shown.actions}")

    def configure(app):
        app.add_handler(CommandHandler("yavas", slow_export), group=-5)

    async with running_bot(tmp_path, env=ENV, configure=configure) as h:
        user = h.user(3008)
        await user.send("/yavas")
        await said(user, "bitti")
        notes = [m for m in h.chat_messages(3008) if m.text == get_conversation().progress]
        assert len(notes) == 1  # the first note was deleted, the second edited
        assert [m.text for m in h.chat_messages(3008)].count("✅ hazır") == 1
        assert h.server.calls_of("deleteMessage")
        actions = [c.params["action"] for c in h.server.calls_of("sendChatAction")]
        assert "upload_document" in actions


async def test_a_group_is_told_once_to_write_in_private(tmp_path):
    async with running_bot(tmp_path, env=ENV) as h:
        member = h.user(3009).in_chat(-4001)
        await member.send("/start")
        told = await said(member, "Yalnızca özel sohbette")
        assert f"https://t.me/{BOT_USERNAME}" in told.html
        await member.send("/menu")
        await member.expect_silence(0.5)  # said once per group
        staff_chat = h.user(3009).in_chat(STAFF_CHAT)
        await staff_chat.send("/start")
        await staff_chat.expect_silence(0.5)  # a staff chat is the staff side's


async def test_a_forwarded_message_is_never_an_answer(tmp_path):
    origin = {"type": "hidden_user", "sender_user_name": "Başka Biri", "date": 0}
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3010)
        await to_province(user)
        await said(user, regex=r"\[2/")
        await user.send("Trabzon", forward_origin=origin)
        await said(user, "İletilen bir mesajı")
        assert "province" not in h.app.user_data[3010]["q"]["answers"]
        await user.send("/iptal")
        await said(user, "iptal edildi")
        await user.send("kimler basvurabilir", forward_origin=origin)
        await said(user, "bir soru gibi yanıtlıyorum")
        await said(user, "📖")


@pytest.mark.parametrize(
    ("parameter", "source"),
    [
        ("kampanya_2026", "kampanya_2026"),
        ("<script>alert(1)</script>", "telegram"),
        ("../../etc/passwd", "telegram"),
        ("x" * 500, "telegram"),
        ("sil", "sil"),  # a word, never an action
    ],
)
async def test_deep_link_parameters_are_recorded_or_ignored(tmp_path, parameter, source):
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3011)
        await user.send(f"/start {parameter}")
        welcome = await said(user, "Hoş geldiniz")
        assert parameter not in welcome.text and parameter not in welcome.html
        assert h.app.user_data[3011]["source"] == source
        assert runtime(h.app).leads.store.count() == 0


async def test_a_user_of_another_language_gets_turkish_and_one_line_saying_so(tmp_path):
    english = {"id": 3012, "is_bot": False, "first_name": "Jane", "language_code": "en"}
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(3012)
        await user.send("/start", **{"from": english})
        await said(user, "Hoş geldiniz")
        notices = [m for m in user.replies() if m.text == get_conversation().language_notice]
        assert len(notices) == 1
        assert user.replies()[0].text == get_conversation().language_notice  # first
        await user.send("/yardim", **{"from": english})
        await said(user, "Komutlar")
        assert not [m for m in user.replies() if "Turkish only" in m.text]
        turkish = h.user(3013)
        await turkish.send("/start")
        await said(turkish, "Hoş geldiniz")
        assert not [m for m in turkish.replies() if "Turkish only" in m.text]
