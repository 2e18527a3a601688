"""The inbox journal (bot/telegram/inbox.py): users' updates survive a killed bot until they
are handled, an update Telegram sends again is handled once, a poison update is given up."""

from __future__ import annotations

import json

from telegram import Bot, Update

from bot.telegram.inbox import MAX_REPLAYS, Inbox, JournaledQueue

BOT = Bot("123:fake")


def private_message(update_id: int, text: str, chat_id: int = 501) -> Update:
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
    user = {"id": abs(chat_id), "is_bot": False, "first_name": "Deneme"}
    message = {"message_id": update_id, "date": 1700000000, "chat": chat, "from": user,
               "text": text}  # fmt: skip
    return Update.de_json({"update_id": update_id, "message": message}, BOT)


def test_what_was_not_handled_comes_back_after_a_kill_and_nothing_else(tmp_path):
    path = tmp_path / "bot_inbox.journal"
    first = JournaledQueue(Inbox(path))
    assert first.replay(BOT) == 0
    for n in (1, 2, 3):
        first.put_nowait(private_message(n, f"mesaj {n}"))
    first.put_nowait(private_message(4, "/leads", chat_id=-900))  # a staff group: not kept
    first.inbox.done(first.get_nowait())  # 1 handled; 2 and 3 were in the queue at the kill
    assert path.stat().st_mode & 0o777 == 0o600
    with open(path, "ab") as fh:
        fh.write(b'{"u": {"update_id": 9, "mess')  # a line torn by the kill

    second = JournaledQueue(Inbox(path))
    assert second.replay(BOT) == 2
    replayed = [second.get_nowait() for _ in range(2)]
    assert [u.update_id for u in replayed] == [2, 3]
    assert replayed[0].message.text == "mesaj 2" and replayed[0].effective_chat.id == 501
    # Telegram sends 2 and 3 again (they were fetched but never confirmed): dropped.
    second.put_nowait(private_message(2, "mesaj 2"))
    second.put_nowait(private_message(5, "yeni"))
    assert second.qsize() == 1 and second.get_nowait().update_id == 5
    for update in replayed:
        second.inbox.done(update)
    # compacted at load: handled messages are no longer on disk
    third = Inbox(path)
    assert [u["update_id"] for u in third.load()] == [5]
    assert "mesaj 1" not in path.read_text(encoding="utf-8")


def test_an_update_the_bot_dies_on_every_time_is_given_up(tmp_path):
    path = tmp_path / "bot_inbox.journal"
    queue = JournaledQueue(Inbox(path))
    queue.replay(BOT)
    queue.put_nowait(private_message(7, "zehirli"))
    for _ in range(MAX_REPLAYS):  # each run replays it and dies handling it
        assert JournaledQueue(Inbox(path)).replay(BOT) == 1
    assert JournaledQueue(Inbox(path)).replay(BOT) == 0
    assert "zehirli" not in path.read_text(encoding="utf-8")


def test_edits_and_the_users_buttons_are_kept_but_not_other_buttons(tmp_path):
    from bot.telegram.inbox import journaled

    message = private_message(1, "x").message.to_dict()
    edited = Update.de_json({"update_id": 2, "edited_message": message}, BOT)
    user_button = Update.de_json(
        {"update_id": 3, "callback_query": {"id": "c", "from": message["from"],
         "chat_instance": "1", "message": message, "data": "u:q:y:sum"}}, BOT)  # fmt: skip
    staff_button = Update.de_json(
        {"update_id": 4, "callback_query": {"id": "c", "from": message["from"],
         "chat_instance": "1", "message": message, "data": "st:1:i"}}, BOT)  # fmt: skip
    assert journaled(edited) and journaled(user_button) and not journaled(staff_button)
    inbox = Inbox(tmp_path / "j")
    inbox.load()
    for update in (edited, user_button, staff_button):
        inbox.record(update)
    kept = [json.loads(line) for line in (tmp_path / "j").read_bytes().splitlines()]
    assert [entry["u"]["update_id"] for entry in kept if "u" in entry] == [2, 3]
