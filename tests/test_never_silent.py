"""Never silent (issue 9): every message in a private chat gets a Turkish answer - unknown and
mistyped commands, every kind of non-text message, forwarded and edited messages - followed
by the current question (with its buttons) or the menu, and none of them moves the walk on.
Edits: an edit of an earlier typed answer corrects that answer (eligibility/
questionnaire_edit.py says why); it never answers the current question.

Scripted users drive the real Application through the fake Bot API server.
"""

from __future__ import annotations

import pytest

from bot.telegram.runtime import runtime
from eligibility.conversation import get_conversation
from eligibility.fallback import get_fallback
from eligibility.labels import get_labels
from tests.support.harness import running_bot, sent
from tests.support.walks import LEAD_NUMBER_RE, open_menu

pytestmark = pytest.mark.timeout(60)

FB = get_fallback()
FIRMA = get_labels().menu["firma"]
ENV = {"KUME_STAFF_CHATS": "samsun:-3001"}
FILE = {"file_id": "f1", "file_unique_id": "u1"}
NOT_TEXT = {
    "sticker": {**FILE, "width": 512, "height": 512, "is_animated": False, "is_video": False,
                "type": "regular"},
    "photo": [{**FILE, "width": 90, "height": 90}],
    "video": {**FILE, "width": 90, "height": 90, "duration": 3},
    "voice": {**FILE, "duration": 2},
    "video_note": {**FILE, "length": 90, "duration": 2},
    "audio": {**FILE, "duration": 60},
    "document": {**FILE, "file_name": "deneme.pdf"},
    "location": {"latitude": 41.29, "longitude": 36.33},
    "venue": {"location": {"latitude": 41.29, "longitude": 36.33}, "title": "Deneme",
              "address": "Deneme Sokak"},
    "contact": {"phone_number": "+905321112233", "first_name": "Ayşe"},
    "poll": {"id": "p1", "question": "Deneme?", "total_voter_count": 0, "is_closed": False,
             "options": [{"text": "a", "voter_count": 0, "persistent_id": "o1"}],
             "is_anonymous": True, "type": "regular", "allows_multiple_answers": False,
             "allows_revoting": False, "members_only": False},
    "dice": {"emoji": "🎲", "value": 3},
}  # fmt: skip


def expected_line(kind: str) -> str:
    """What the bot says first to a message of this kind where none was asked (a shared
    contact or location, a venue too: the share lines of content/conversation.yaml)."""
    share = get_conversation().share
    if kind == "contact":
        return share.contact_unexpected
    if kind in ("location", "venue"):
        return share.location_unexpected
    return FB.not_text.line(kind)


def session_of(h, user) -> dict:
    return h.app.user_data[user.uid]["q"]


async def to_question(user, n: int, answers: list[str]) -> None:
    """Opens the firm walk and types `answers`, up to question `n`."""
    await open_menu(user)
    await user.press(FIRMA)
    await user.expect(sent(regex=r"\[1/\d+\]"))
    for i, answer in enumerate(answers[: n - 1], start=2):
        await user.send(answer)
        await user.expect(sent(regex=rf"\[{i}/\d+\]"))


async def test_unknown_and_mistyped_commands_get_the_closest_command_and_the_question(tmp_path):
    from bot.telegram.user.fallback import COMMANDS_KEY

    async with running_bot(tmp_path) as h:
        # content's synonyms name commands the bot really has
        assert set(FB.command_synonyms) <= set(h.app.bot_data[COMMANDS_KEY])
        user = h.user(9101)
        await to_question(user, 2, ["Deneme Makina Ltd."])
        before = dict(session_of(h, user)["answers"])
        for typed, expected in (
            ("/basla", FB.did_you_mean.format(command="/start")),
            ("/stop", FB.did_you_mean.format(command="/iptal")),
            ("/yardm", FB.did_you_mean.format(command="/yardim")),
            ("/geri", FB.navigation_as_command.format(word="geri")),
            ("/qwxyz", FB.no_close_command),
        ):
            await user.send(typed)
            answer = await user.expect(sent(FB.unknown_command.format(command=typed)))
            assert expected in answer.text, answer.text
            assert "[2/" in answer.text  # the current question again, with its buttons
            assert get_labels().buttons.restart in answer.button_texts
        assert session_of(h, user)["answers"] == before  # none of them moved the walk
        await user.send("Samsun")  # and it goes on where it was
        await user.expect(sent(regex=r"\[3/\d+\]"))

        # Outside a walk: the suggestion and the menu; a bot's name after the command too.
        await user.send("/iptal")
        await user.expect(sent())
        await user.send("/verilerm@kume_test_bot")
        answer = await user.expect(sent(FB.did_you_mean.format(command="/verilerim")))
        assert FB.menu_hint in answer.text and get_labels().menu["veri"] in answer.button_texts
        await user.send("/geri")
        answer = await user.expect(sent(FB.unknown_command.format(command="/geri")))
        assert FB.menu_hint in answer.text


async def test_every_kind_of_message_gets_an_answer_and_the_question_again(tmp_path):
    async with running_bot(tmp_path) as h:
        user = h.user(9102)
        await to_question(user, 3, ["Deneme Makina Ltd.", "Samsun"])
        before = dict(session_of(h, user)["answers"])
        for kind, value in NOT_TEXT.items():
            await user.send_other(**{kind: value})
            answer = await user.expect(sent(expected_line(kind)), what=kind)
            assert "[3/" in answer.text, (kind, answer.text)
        # A message kind nobody listed still gets the general line.
        await user.send_other(game={"title": "Deneme", "description": "d", "photo": []})
        await user.expect(sent(FB.not_text.other))
        assert session_of(h, user)["answers"] == before
        # Outside a walk: the line and the menu.
        await user.send("/iptal")
        await user.expect(sent())
        await user.send_other(sticker=NOT_TEXT["sticker"])
        answer = await user.expect(sent(FB.not_text.sticker))
        assert FB.menu_hint in answer.text and answer.button_texts
        # While the bot waits for a province (/merkez): the line and that prompt again.
        await user.send("/merkez")
        prompt = await user.expect(sent())
        await user.send_other(voice=NOT_TEXT["voice"])
        await user.expect(sent(FB.not_text.voice))
        await user.expect(sent(prompt.text[:30]))


async def test_a_forwarded_message_is_never_taken_as_an_answer(tmp_path):
    origin = {"type": "user", "date": 1700000000, "sender_user": {"id": 4242, "is_bot": False,
              "first_name": "Başka"}}  # fmt: skip
    async with running_bot(tmp_path) as h:
        user = h.user(9103)
        await to_question(user, 2, ["Deneme Makina Ltd."])
        in_walk = get_conversation().forwarded.in_walk
        await user.send("Trabzon", forward_origin=origin)
        answer = await user.expect(sent(in_walk[:40]))
        assert "[2/" in answer.text  # and the question again
        await user.send("/sil", forward_origin=origin)  # a forwarded command is no command
        await user.expect(sent(in_walk[:40]))
        assert "province" not in session_of(h, user)["answers"]
        # Outside a walk a forwarded command is none either: the line and the menu.
        await user.send("/iptal")
        await user.expect(sent())
        await user.send("/sil", forward_origin=origin)
        answer = await user.expect(sent(FB.forwarded))
        assert FB.menu_hint in answer.text
        deleting = [b for m in user.replies() for b in m.inline_buttons
                    if b.get("callback_data", "").startswith("u:d:")]  # fmt: skip
        assert not deleting  # no deletion was offered


async def test_an_edit_corrects_the_answer_it_gave_and_never_answers_the_current_question(
    tmp_path,
):
    """The defect of issue 9: at the contact-name question the user edits their firm-name
    message. The edit corrects the firm's name; the contact name is still asked, and the
    summary shows each where it belongs."""
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(9104)
        await open_menu(user)
        await user.press(FIRMA)
        await user.expect(sent(regex=r"\[1/\d+\]"))
        await user.send("Deneme Makna Ltd.")
        firm_message = user.last_sent_id()
        for answer, press, then in (
            ("Samsun", False, r"\[3/"),
            ("mobilya", False, r"\[4/"),
            ("10–49 çalışan", True, r"\[5/"),
            ("Firma / işletme", True, r"\[6/"),
            ("ortak test laboratuvarı", False, "Kişisel verilerin"),
            ("Okudum", True, "Açık rıza"),
            ("Onaylıyorum", True, "adı ve soyadı"),
        ):
            await (user.press(answer) if press else user.send(answer))
            await user.expect(sent(regex=then) if then.startswith("\\") else sent(then))

        await user.edit(firm_message, "Deneme Makina Ltd.")
        fixed = await user.expect(sent("yanıtınız düzeltildi"))
        assert "Kurum / firma adı" in fixed.text and "Deneme Makina Ltd." in fixed.text
        assert "adı ve soyadı" in fixed.text  # still the contact-name question
        assert session_of(h, user)["answers"]["firm"] == "Deneme Makina Ltd."
        assert "contact_name" not in session_of(h, user)["answers"]

        await user.send("Ayşe Deneme")
        await user.expect(sent("Telefon"))
        await user.send("0532 123 45 67")
        phone_message = user.last_sent_id()
        await user.expect(sent("E-posta"))
        # An edit that does not validate keeps the old answer and says why.
        await user.edit(phone_message, "yarın ararım")
        refused = await user.expect(sent("Düzenlemeyi kullanamadım"))
        assert "E-posta" in refused.text
        assert session_of(h, user)["answers"]["phone"] == "+905321234567"
        # An edit of something that answered nothing (the /start) changes nothing.
        start_message = h.server.user_messages[user.chat_id][0]["message_id"]
        await user.edit(start_message, "/start tekrar")
        await user.expect(sent(FB.edit_not_an_answer.split(";")[0][:40]))

        await user.send("geç")
        summary = await user.expect(sent("Yanıtlarınız"))
        assert "Kurum / firma adı: Deneme Makina Ltd." in summary.text
        assert "İletişim kişisi: Ayşe Deneme" in summary.text
        await user.press("Evet, doğru")
        confirmation = await user.expect(sent(regex=LEAD_NUMBER_RE.pattern))
        lead_id = int(LEAD_NUMBER_RE.search(confirmation.text).group(1))

        # After the submission an edit changes nothing, and says so.
        await user.edit(firm_message, "Bambaşka Ltd.")
        await user.expect(sent(FB.edit_after_submission.split(";")[0][:40]))
        lead = runtime(h.app).leads.store.get(lead_id)
        assert lead["firm"] == "Deneme Makina Ltd." and lead["contact_name"] == "Ayşe Deneme"
        assert len(runtime(h.app).leads.store.list()) == 1


async def test_at_the_summary_and_outside_a_walk_every_message_still_gets_a_way_on(tmp_path):
    """At the summary (which has no room for an intro) a sticker or an unknown command gets
    its line and then the summary again, with its buttons; an edit with no walk at all gets
    its line and the menu."""
    from tests.support.walks import firm_walk

    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(9105)
        await firm_walk(user, timeout=30, confirm=False)
        for act, line in (
            (lambda: user.send_other(sticker=NOT_TEXT["sticker"]), FB.not_text.sticker),
            (lambda: user.send("/onayla"), FB.unknown_command.format(command="/onayla")),
        ):
            await act()
            await user.expect(sent(line))
            summary = await user.expect(sent("Yanıtlarınız"))
            assert get_labels().buttons.confirm_summary in summary.button_texts
        assert session_of(h, user)["stage"] == "summary"
        await user.send("/iptal")
        await user.expect(sent())
        typed = h.server.user_messages[user.chat_id][-1]["message_id"]
        await user.edit(typed, "/iptal lütfen")
        answer = await user.expect(sent(FB.edit_not_an_answer.split(";")[0][:40]))
        assert get_labels().menu["firma"] in answer.button_texts
        assert not runtime(h.app).leads.store.list()


async def test_in_the_grant_estimate_and_at_the_province_question_nothing_goes_unanswered(
    tmp_path,
):
    """The guided /hesapla waits on its own prompt: a sticker or an unknown command gets its
    line and that step again, and the estimate goes on. At the province question a shared
    venue counts as a shared location ("Samsun mu?"), as Telegram sends a location with it."""
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(9106)
        await user.send("/menu")
        await user.expect(sent())
        await user.send("/hesapla")
        first = await user.expect(sent("1. kalemin adı"))
        await user.send_other(sticker=NOT_TEXT["sticker"])
        await user.expect(sent(FB.not_text.sticker))
        again = await user.expect(sent("1. kalemin adı"))
        assert again.button_texts == first.button_texts
        await user.send("/hesapa")
        answer = await user.expect(sent(FB.did_you_mean.format(command="/hesapla")))
        assert "kalemin adı" not in answer.text  # the line first, then the step
        await user.expect(sent("1. kalemin adı"))
        await user.send("Eğitim programı")
        await user.expect(sent("«Eğitim programı» için tahmini harcama"))
        assert h.app.user_data[9106]["mode"] == "budget"

        await user.send("/iptal")
        await user.expect(sent())
        await to_question(user, 2, ["Deneme Makina Ltd."])
        venue = {**NOT_TEXT["venue"], "location": {"latitude": 41.29, "longitude": 36.33}}
        await user.send_other(venue=venue)  # Samsun's centre
        await user.expect(sent("Samsun mu?"))
