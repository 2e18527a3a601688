"""Conversation state on disk as JSON, through python-telegram-bot's public `BasePersistence`.

What is kept: `user_data` and `chat_data` (JSON values only: bot/telegram/user/state.py) and
ConversationHandler states. `bot_data` (live objects) and callback data are not persisted.

How it is written, and why:
* A snapshot file (`bot_state.json`, 0600, atomic: bot/atomicfile.py) is written at most once
  per interval, and only when something changed (`write_if_dirty`, run by a job). PTB's own
  PicklePersistence re-pickled the whole file once per changed user; measured, that cost
  grew with the square of active users.
* PTB hands over a deep copy of each changed user's data; it is serialised to JSON right
  then, so a snapshot only joins ready strings instead of encoding every user again.
* `persist_user_now` makes one user's state durable at once, before the caller goes on
  (e.g. before a confirmation is sent): one JSON line appended to a journal
  (`bot_state.json.journal`) and fsynced. Loading replays the journal over the snapshot; a
  snapshot written later empties the journal.
* A damaged snapshot is moved aside (`bot_state.json.bozuk-<time>`) and the bot starts with
  empty state instead of refusing to start; a torn last journal line is ignored.
* `recovered`: the previous run ended without its final flush (killed), so what was changed
  in its last interval may be missing. A marker file (`bot_state.json.running`) exists while
  the bot runs and is removed by the flush at a clean shutdown; user/resync.py reads it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.atomicfile import PRIVATE_FILE, fsync_dir, move_aside, write_atomic

log = logging.getLogger("kume.bot")

FORMAT_VERSION = 1
Data = dict[str, Any]
# The shapes BasePersistence documents for these (PTB keeps its own aliases private).
ConversationKey = tuple[int | str, ...]
ConversationDict = dict[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class JsonPersistence(BasePersistence[Data, Data, Data]):
    def __init__(self, path: str | os.PathLike[str], update_interval: float = 1) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, callback_data=False),
            update_interval=update_interval,
        )
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.running_path = self.path.with_name(self.path.name + ".running")
        self.recovered = False  # set by loading: the previous run did not stop cleanly
        self.dirty = False
        self._users: dict[int, str] = {}  # user id -> that user's data as JSON text
        self._chats: dict[int, str] = {}
        self._conversations: dict[str, dict[str, object]] = {}  # name -> {JSON key: state}
        self._loaded = False
        self._lock: asyncio.Lock | None = None  # created in the running loop

    # -- loading -------------------------------------------------------------------------

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        self.recovered = self.running_path.exists()
        if self.recovered:
            log.warning(
                "önceki çalışma temiz kapanmadı; son değişikliklerin bir kısmı eksik olabilir"
            )
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.running_path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
            os.close(fd)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raw = b""
        if raw:
            try:
                data = json.loads(raw)
                if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
                    raise ValueError("unknown format")
                self._users = {int(k): _dumps(v) for k, v in data["user_data"].items()}
                self._chats = {int(k): _dumps(v) for k, v in data["chat_data"].items()}
                self._conversations = data["conversations"]
            except (ValueError, KeyError, TypeError, AttributeError):
                aside = move_aside(self.path)
                log.error(
                    "sohbet durumu dosyası okunamadı; %s olarak ayrıldı, boş başlanıyor", aside
                )
                self._users, self._chats, self._conversations = {}, {}, {}
        self._replay_journal()

    def _replay_journal(self) -> None:
        try:
            lines = self.journal_path.read_bytes().splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                entry = json.loads(line)
                user_id = int(entry["user"])
            except (ValueError, KeyError, TypeError):
                continue  # a line torn by a crash mid-append
            if entry.get("data") is None:
                self._users.pop(user_id, None)
            else:
                self._users[user_id] = _dumps(entry["data"])
            self.dirty = True  # the next snapshot takes it in and empties the journal

    def state(self) -> dict[str, Any]:
        """Everything kept, journal replayed, as JSON values (kume db migrate-from-tinydb)."""
        self._load()
        return {
            "user_data": {uid: json.loads(text) for uid, text in self._users.items()},
            "chat_data": {cid: json.loads(text) for cid, text in self._chats.items()},
            "conversations": self._conversations,
        }

    # -- BasePersistence: reading ----------------------------------------------------------

    async def get_user_data(self) -> dict[int, Data]:
        self._load()
        return {uid: json.loads(text) for uid, text in self._users.items()}

    async def get_chat_data(self) -> dict[int, Data]:
        self._load()
        return {cid: json.loads(text) for cid, text in self._chats.items()}

    async def get_bot_data(self) -> Data:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        self._load()
        states = self._conversations.get(name, {})
        return {tuple(json.loads(key)): state for key, state in states.items()}

    # -- BasePersistence: changes (in memory; written by write_if_dirty) -----------------

    async def update_user_data(self, user_id: int, data: Data) -> None:
        self._users[user_id] = _dumps(data)
        self.dirty = True

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        self._chats[chat_id] = _dumps(data)
        self.dirty = True

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        states = self._conversations.setdefault(name, {})
        if new_state is None:
            states.pop(_dumps(list(key)), None)
        else:
            states[_dumps(list(key))] = new_state
        self.dirty = True

    async def update_bot_data(self, data: Data) -> None:
        pass  # live objects (settings, the store): never persisted

    async def update_callback_data(self, data: CDCData) -> None:
        pass

    async def drop_user_data(self, user_id: int) -> None:
        self._users.pop(user_id, None)
        self.dirty = True

    async def drop_chat_data(self, chat_id: int) -> None:
        self._chats.pop(chat_id, None)
        self.dirty = True

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        pass  # this process is the only writer: memory is always current

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        pass

    async def refresh_bot_data(self, bot_data: Data) -> None:
        pass

    async def flush(self) -> None:
        """At shutdown (PTB calls it after a last update_persistence): everything is on
        disk, so the next start is a clean one."""
        await self.write_if_dirty()
        try:
            os.unlink(self.running_path)
        except FileNotFoundError:
            pass

    # -- writing ---------------------------------------------------------------------------

    def _guard(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    def _snapshot(self) -> bytes:
        def table(rows: dict[int, str]) -> str:
            return "{" + ",".join(f'"{key}":{text}' for key, text in rows.items()) + "}"

        return (
            f'{{"version":{FORMAT_VERSION},"user_data":{table(self._users)},'
            f'"chat_data":{table(self._chats)},"conversations":{_dumps(self._conversations)}}}'
        ).encode()

    def _replace(self, payload: bytes) -> None:
        write_atomic(self.path, payload, PRIVATE_FILE)
        # Only now is everything in the journal also in the snapshot.
        try:
            os.truncate(self.journal_path, 0)
        except FileNotFoundError:
            pass

    async def write_if_dirty(self) -> None:
        """Writes the snapshot if anything changed since the last one."""
        async with self._guard():
            if not self.dirty:
                return
            self.dirty = False
            payload = self._snapshot()
            try:
                await asyncio.to_thread(self._replace, payload)
            except BaseException:
                self.dirty = True  # try again next time
                raise

    def _append(self, line: bytes) -> None:
        created = not self.journal_path.exists()
        fd = os.open(self.journal_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.journal_path.parent)

    async def persist_user_now(self, user_id: int, data: Data | None) -> None:
        """Makes one user's state (None: none) durable before returning."""
        self._load()
        text = None if data is None else _dumps(data)
        if text is None:
            self._users.pop(user_id, None)
        else:
            self._users[user_id] = text
        self.dirty = True
        line = f'{{"user":{int(user_id)},"data":{text or "null"}}}\n'.encode()
        async with self._guard():
            await asyncio.to_thread(self._append, line)
