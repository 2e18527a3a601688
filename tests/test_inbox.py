"""The inbox journal (bot/telegram/inbox.py): users' updates survive a killed bot until they
are handled, an update Telegram sends again is handled once, a poison update is given up -
and only one: an update merely waiting in the queue through kills never is, and the updates
the bot was handling when it died are handled alone after the restart."""

from __future__ import annotations

import asyncio
import json

from telegram import Bot, Update

from bot.telegram.inbox import MAX_STARTS, Inbox, JournaledQueue
from bot.telegram.ordering import PerUserUpdateProcessor

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
    assert first.replay(BOT) == (0, set())
    for n in (1, 2, 3):
        first.put_nowait(private_message(n, f"mesaj {n}"))
    first.put_nowait(private_message(4, "/leads", chat_id=-900))  # a staff group: not kept
    first.inbox.done(first.get_nowait())  # 1 handled; 2 and 3 were in the queue at the kill
    assert path.stat().st_mode & 0o777 == 0o600
    with open(path, "ab") as fh:
        fh.write(b'{"u": {"update_id": 9, "mess')  # a line torn by the kill

    second = JournaledQueue(Inbox(path))
    assert second.replay(BOT) == (2, set())  # neither had begun: no suspects
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
    assert [u["update_id"] for u, _ in third.load()] == [5]
    assert "mesaj 1" not in path.read_text(encoding="utf-8")


def test_an_update_the_bot_dies_on_every_time_is_given_up(tmp_path):
    path = tmp_path / "bot_inbox.journal"
    queue = JournaledQueue(Inbox(path))
    queue.replay(BOT)
    queue.put_nowait(private_message(7, "zehirli"))
    queue.put_nowait(private_message(8, "sırada bekleyen"))
    queue.inbox.begin(queue.get_nowait())  # the bot dies handling 7; 8 waits in the queue
    for _ in range(MAX_STARTS - 1):  # each run handles 7 first, alone, and dies on it
        run = JournaledQueue(Inbox(path))
        assert run.replay(BOT) == (2, {7})
        run.inbox.begin(run.get_nowait())
    for _ in range(5):  # 8 only ever waited: never given up, however often the bot died
        run = JournaledQueue(Inbox(path))
        count, suspects = run.replay(BOT)
        assert (count, suspects) == (1, set()) and run.get_nowait().update_id == 8
    assert "zehirli" not in path.read_text(encoding="utf-8")


async def test_updates_begun_at_a_kill_are_handled_alone_and_first():
    """The suspects run one at a time; everything else (other users, the suspect's own later
    updates) waits for them, then runs concurrently again, in order per user."""
    started: list[int] = []
    processor = PerUserUpdateProcessor(on_start=lambda u: started.append(u.update_id))
    processor.run_alone({1, 2})
    running: set[int] = set()
    overlaps: list[set[int]] = []
    gate = asyncio.Event()

    async def handle(update_id: int) -> None:
        running.add(update_id)
        overlaps.append(set(running))
        if update_id == 1:
            await gate.wait()
        await asyncio.sleep(0.01)
        running.discard(update_id)

    updates = [private_message(1, "a", 501), private_message(2, "b", 502),
               private_message(3, "c", 501), private_message(4, "d", 503)]  # fmt: skip
    tasks = [
        asyncio.create_task(processor.do_process_update(u, handle(u.update_id))) for u in updates
    ]
    await asyncio.sleep(0.05)
    assert started == [1]  # 2 waits for 1; 3 and 4 for both
    gate.set()
    await asyncio.gather(*tasks)
    assert started[:2] == [1, 2] and sorted(started[2:]) == [3, 4]
    assert all(len(seen) == 1 for seen in overlaps[:2])  # alone
    assert any(seen == {3, 4} for seen in overlaps)  # then concurrent again


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
