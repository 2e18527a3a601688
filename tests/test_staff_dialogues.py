"""Staff dialogues that span two messages (bot/telegram/staff/pending.py) through the fake Bot
API with the JSON persistence: a note typed after its button and a KVKK erasure confirmed with
its button are kept in the staff member's persisted state, so they survive a restart (and a
kill) between the two messages, expire by the wall clock, are cancelled, belong to one staff
member only, and are carried out once when the second message comes again.
(Across two `kume bot --webhook` processes on PostgreSQL: tests/test_pg_staff.py.)"""

from __future__ import annotations

import json
import shutil
import time

import pytest

from bot.leads.backend import open_store
from bot.telegram.runtime import runtime
from bot.telegram.staff import pending
from bot.telegram.staff.access import REFUSAL
from bot.telegram.staff.announce import announce_lead
from tests.support.harness import BotHarness, running_bot
from tests.support.leads import make_lead

pytestmark = pytest.mark.timeout(90)

CORUM_STAFF, CORUM_OTHER = 111, 112
CORUM_CHAT = -1001
ENV = {
    "KUME_STAFF": f"corum:{CORUM_STAFF},{CORUM_OTHER}",
    "KUME_STAFF_CHATS": f"corum:{CORUM_CHAT}",
}
NOTE = "Firma 2 Aralık'ta arandı, olumlu."
# what a killed JSON-persistence bot leaves in its data directory (leads aside)
STATE_FILES = (
    "bot_state.json",
    "bot_state.json.journal",
    "bot_state.json.running",
    "bot_inbox.journal",
)


@pytest.fixture
def store(tmp_path):
    return open_store(tmp_path)


def later(monkeypatch, seconds: float) -> None:
    """The wall clock `seconds` ahead (every process reads the same one)."""
    monkeypatch.setattr(pending, "wall_clock", lambda: time.time() + seconds)


def last_answer(h: BotHarness) -> str | None:
    return h.server.calls_of("answerCallbackQuery")[-1].params.get("text")


async def note_asked(h: BotHarness, store) -> int:
    """A Çorum lead announced to the centre's group, its note button pressed by CORUM_STAFF."""
    lead_id = store.add(make_lead(1, province="Çorum", centre="corum"))
    assert await announce_lead(runtime(h.app), h.app.bot, store.get(lead_id))
    announcement = await h.wait_for_message(CORUM_CHAT, f"#{lead_id}")
    staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
    await staff.press("Not ekle", message=announcement)
    await staff.expect_text(contains="notunuzu yazın")
    return lead_id


async def erasure_asked(h: BotHarness, store):
    """/kvkksil of a Çorum lead by CORUM_STAFF in private; the confirmation message."""
    lead_id = store.add(make_lead(1, province="Çorum", centre="corum"))
    staff = h.user(CORUM_STAFF)
    await staff.send(f"/kvkksil {lead_id} ilgili kişinin silme başvurusu")
    return lead_id, await staff.expect_text(contains="kalıcı olarak silinsin mi")


def notes(store, lead_id: int) -> list[str]:
    return [n["text"] for n in store.get(lead_id)["notes"]]


# -- what is kept ------------------------------------------------------------------------


def test_the_kept_steps_hold_numbers_times_and_the_reason_only(monkeypatch):
    monkeypatch.setattr(pending, "wall_clock", lambda: 1_000.0)
    data: dict = {"mode": "q"}
    pending.ask_note(data, 12)
    pending.ask_erasure(data, 13, "ilgili kişinin başvurusu")
    assert data == {
        "mode": "q",  # the user conversation's own keys are left alone
        pending.NOTE_KEY: {"lead": 12, "until": 1_000.0 + pending.NOTE_TTL_S},
        pending.ERASE_KEY: {
            "lead": 13,
            "reason": "ilgili kişinin başvurusu",
            "until": 1_000.0 + pending.CONFIRM_TTL_S,
        },
    }
    json.dumps(data)  # JSON, as both persistences store it
    until = 1_000.0 + pending.CONFIRM_TTL_S
    assert pending.take_erasure(data) == pending.PendingErasure(
        13, "ilgili kişinin başvurusu", until
    )
    assert pending.take_erasure(data) is None  # taken once
    data[pending.NOTE_KEY] = {"lead": "on iki"}  # unreadable (hand-edited, older format)
    assert pending.note(data) is None and pending.NOTE_KEY not in data


# -- the note ----------------------------------------------------------------------------


async def test_a_note_typed_after_its_time_is_not_taken(tmp_path, store, monkeypatch):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id = await note_asked(h, store)
        later(monkeypatch, pending.NOTE_TTL_S + 1)
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await staff.send(NOTE)
        await staff.expect_silence(0.3)
        assert notes(store, lead_id) == []
        assert pending.NOTE_KEY not in h.app.user_data[CORUM_STAFF]


async def test_iptal_drops_the_note_being_written(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id = await note_asked(h, store)
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await staff.send("/iptal")
        assert (await staff.expect_text()).text == "Not eklenmedi."
        await staff.send(NOTE)
        await staff.expect_silence(0.3)
        assert notes(store, lead_id) == []


async def test_another_members_message_is_not_the_note(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id = await note_asked(h, store)
        other = h.user(CORUM_OTHER, chat_id=CORUM_CHAT)
        await other.send("Bu benim mesajım")
        await other.expect_silence(0.3)
        assert notes(store, lead_id) == []
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await staff.send(NOTE)
        await staff.expect_text(contains="not eklendi")
        (note,) = store.get(lead_id)["notes"]
        assert (note["text"], note["by"]) == (NOTE, f"tg:{CORUM_STAFF}")


async def test_the_note_message_handled_again_is_stored_once(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id = await note_asked(h, store)
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        waiting = dict(h.app.user_data[CORUM_STAFF][pending.NOTE_KEY])
        await staff.send(NOTE)
        await staff.expect_text(contains="not eklendi")
        assert NOTE not in json.dumps(h.app.user_data[CORUM_STAFF])  # never the note's text
        message = h.server.user_messages[CORUM_CHAT][-1]
        # the same message in a new update (as after a crash before it was marked handled)
        staff.mark()
        h.server.push_update({"message": message})
        await staff.expect_text(contains="not eklendi")
        # ... and killed after the note was stored, before the state said so
        h.app.user_data[CORUM_STAFF][pending.NOTE_KEY] = waiting
        staff.mark()
        h.server.push_update({"message": message})
        await staff.expect_text(contains="not eklendi")
        assert notes(store, lead_id) == [NOTE]
        # the dialogue is over: the next message is not a note
        await staff.send("Sıradan mesaj")
        await staff.expect_silence(0.3)
        assert notes(store, lead_id) == [NOTE]


async def test_a_note_survives_a_restart_between_button_and_text(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id = await note_asked(h, store)
        await h.restart()
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await staff.send(NOTE)
        await staff.expect_text(contains=f"#{lead_id} için not eklendi")
        assert notes(store, lead_id) == [NOTE]


async def test_a_note_survives_a_kill_between_button_and_text(tmp_path, store, monkeypatch):
    """The files as a SIGKILL right after the button was handled leaves them (no final
    flush, the periodic snapshot not yet due): the step is in them, the next bot takes the
    note."""
    from bot.telegram import app

    monkeypatch.setattr(app, "PERSISTENCE_INTERVAL_S", 3600)  # no snapshot during the test
    killed = tmp_path / "killed"
    killed.mkdir(mode=0o700)
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id = await note_asked(h, store)
        await h.wait_idle()
        assert not (tmp_path / "bot_state.json").exists()  # the journal line only
        for name in STATE_FILES:
            if (tmp_path / name).exists():
                shutil.copy2(tmp_path / name, killed / name)
    async with running_bot(killed, env=ENV, store=store) as h:
        staff = h.user(CORUM_STAFF, chat_id=CORUM_CHAT)
        await staff.send(NOTE)
        await staff.expect_text(contains=f"#{lead_id} için not eklendi")
    assert notes(store, lead_id) == [NOTE]


# -- the KVKK erasure --------------------------------------------------------------------


async def test_an_erasure_confirmed_after_its_time_is_refused(tmp_path, store, monkeypatch):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, confirm = await erasure_asked(h, store)
        later(monkeypatch, pending.CONFIRM_TTL_S + 1)
        await h.user(CORUM_STAFF).press("Evet, kalıcı olarak sil", message=confirm)
        await h.wait_idle()
        assert last_answer(h) == REFUSAL
        assert store.get(lead_id) and store.audit_log() == []
        assert pending.ERASE_KEY not in h.app.user_data[CORUM_STAFF]


async def test_a_cancelled_erasure_cannot_be_confirmed(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, confirm = await erasure_asked(h, store)
        staff = h.user(CORUM_STAFF)
        yes = confirm.inline_buttons[0]["callback_data"]
        await staff.press("Vazgeç", message=confirm)
        await staff.expect_text(contains="Silinmedi")
        await staff.press_data(yes, message=confirm)
        await h.wait_idle()
        assert last_answer(h) == REFUSAL
        assert store.get(lead_id) and store.audit_log() == []


async def test_another_member_cannot_confirm_the_erasure(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, confirm = await erasure_asked(h, store)
        yes = confirm.inline_buttons[0]["callback_data"]
        await h.user(CORUM_OTHER).press_data(yes, message=confirm)
        await h.wait_idle()
        assert last_answer(h) == REFUSAL and store.get(lead_id)
        # the member who asked still can
        await h.user(CORUM_STAFF).press_data(yes, message=confirm)
        await h.user(CORUM_STAFF).expect_text(contains="kalıcı olarak silindi")
        assert [e["lead_id"] for e in store.audit_log()] == [lead_id]


async def test_an_erasure_survives_a_restart_and_is_done_once(tmp_path, store):
    async with running_bot(tmp_path, env=ENV, store=store) as h:
        lead_id, confirm = await erasure_asked(h, store)
        await h.restart()
        staff = h.user(CORUM_STAFF)
        waiting = dict(h.app.user_data[CORUM_STAFF][pending.ERASE_KEY])
        yes = confirm.inline_buttons[0]["callback_data"]
        await staff.press_data(yes, message=confirm)
        await staff.expect_text(contains="kalıcı olarak silindi")
        assert store.list() == [] and len(store.audit_log()) == 1
        assert pending.ERASE_KEY not in h.app.user_data[CORUM_STAFF]
        # the press handled again after a crash before its state was written: the same
        # answer, nothing erased or audited twice
        h.app.user_data[CORUM_STAFF][pending.ERASE_KEY] = waiting
        edits = len(h.server.calls_of("editMessageText"))
        await staff.press_data(yes, message=confirm)
        await h.wait_idle()
        (again,) = h.server.calls_of("editMessageText")[edits:]  # unchanged: Telegram says so
        assert "kalıcı olarak silindi" in again.params["text"]
        assert [e["lead_id"] for e in store.audit_log()] == [lead_id]
        # a second press of the button: nothing waits any more
        await staff.press_data(yes, message=confirm)
        await h.wait_idle()
        assert last_answer(h) == REFUSAL and len(store.audit_log()) == 1
