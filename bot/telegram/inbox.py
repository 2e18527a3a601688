"""Users' updates kept from the moment they arrive until they are handled, so that a killed bot
still answers every message.

Why: python-telegram-bot confirms fetched updates to Telegram with its next getUpdates call,
while they may still wait in the update queue or be half handled (a webhook answers 200 as
soon as the update is queued). A bot killed then never sees them again: those users' messages
got no answer at all. So every update the user side handles (private chats: messages, edits,
the user's buttons) is appended to a journal (`bot_inbox.journal`, 0600, JSON lines) when it
enters the update queue (`JournaledQueue`, given to PTB with `ApplicationBuilder.
update_queue`), and marked done when its handling ended (`PerUserUpdateProcessor`'s
`on_done`). A restarted bot handles what was not done first (`replay`), in order; an update
Telegram delivers again (fetched but not yet confirmed) is recognised by its id and dropped.

At least once: an update being handled at the moment of the kill is handled again after the
restart. That is safe where it matters: saving a lead is idempotent, a stale question button
is recognised, and a typed answer after a crash is checked first (user/resync.py); the
price is at most a repeated reply.

A poison update (one whose handling kills the process, every time) must not crash-loop the
bot for ever, and a good one must never be given up because the bot died near it. So the
journal notes when an update's handling *begins* (`begin`, called by the update
processor), not when it is queued: an update that waited in the queue through any number
of kills counts nothing. An update whose handling had begun when the bot died (a suspect)
is handled again after the restart *alone*, before anything else (`PerUserUpdateProcessor.
run_alone`), so that when it kills the bot again nothing else was in progress to share the
blame; given up once its handling began MAX_STARTS times without ending. (Counted when
queued, the updates waiting behind a slow one were given up after three quick kills in a
row; the chaos test found it.)

The journal is appended to without fsync: it survives the bot process being killed (the
kernel keeps the writes), not a power cut, like the conversation state's interval flush.
Handled updates are dropped from it when it is compacted (at start, and when it grew past
COMPACT_BYTES), so message texts do not stay on disk.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import os
from pathlib import Path
from typing import Any

from telegram import Bot, Update
from telegram.constants import ChatType

from bot.atomicfile import PRIVATE_FILE, write_atomic

log = logging.getLogger("kume.bot.inbox")

COMPACT_BYTES = 1 << 20
MAX_STARTS = 3  # an update whose handling began this often and never ended is given up
SEEN_KEPT = 2000  # ids of handled updates remembered, to drop what Telegram sends again
USER_BUTTONS = "u:"  # callback data of the user side (bot/telegram/callbacks.py)


def journaled(update: Update) -> bool:
    """The updates whose loss would leave a user without an answer: anything of a private
    chat the user side handles."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return False
    if update.callback_query is not None:
        return (update.callback_query.data or "").startswith(USER_BUTTONS)
    return update.message is not None or update.edited_message is not None


class Inbox:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._pending: dict[int, str] = {}  # update id -> its JSON, not handled yet
        self._starts: dict[int, int] = {}  # update id -> times its handling began
        self._seen: collections.OrderedDict[int, None] = collections.OrderedDict()
        self._written = 0

    # -- start -------------------------------------------------------------------------

    def load(self) -> list[tuple[dict[str, Any], int]]:
        """Reads the journal; the updates not handled yet, oldest first, each with the number
        of times its handling began. Compacts it."""
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            lines = []
        self._pending, self._starts = {}, {}
        for line in lines:
            try:
                entry = json.loads(line)
                if "u" in entry:
                    update_id = int(entry["u"]["update_id"])
                    self._pending[update_id] = json.dumps(entry["u"], ensure_ascii=False)
                    self._remember(update_id)
                elif "b" in entry:
                    update_id = int(entry["b"])
                    self._starts[update_id] = self._starts.get(update_id, 0) + 1
                else:
                    update_id = int(entry.get("d", entry.get("s")))
                    self._pending.pop(update_id, None)
                    self._starts.pop(update_id, None)
                    self._remember(update_id)
            except (ValueError, KeyError, TypeError):
                continue  # a line torn by a kill mid-write
        for update_id in [i for i in self._pending if self._starts.get(i, 0) >= MAX_STARTS]:
            # Its handling began MAX_STARTS times and the bot died each time: give up on it.
            log.error("güncelleme %d her işlenişinde süreç durdu; atlandı", update_id)
            del self._pending[update_id]
            del self._starts[update_id]
        self._starts = {i: n for i, n in self._starts.items() if i in self._pending}
        self._compact()
        return [
            (json.loads(self._pending[i]), self._starts.get(i, 0)) for i in sorted(self._pending)
        ]

    # -- while running -------------------------------------------------------------------

    def record(self, update: Update) -> bool:
        """Journals `update` before it is queued; False when it was seen already (Telegram
        delivered it again after a restart): then it must not be handled twice."""
        update_id = update.update_id
        if update_id in self._seen:
            return False
        self._remember(update_id)
        if journaled(update):
            text = json.dumps(update.to_dict(), ensure_ascii=False)
            self._pending[update_id] = text
            self._append(f'{{"u":{text}}}\n')
        return True

    def begin(self, update: object) -> None:
        """The handling of `update` begins (counted, see MAX_STARTS)."""
        if not isinstance(update, Update) or update.update_id not in self._pending:
            return
        self._starts[update.update_id] = self._starts.get(update.update_id, 0) + 1
        self._append(f'{{"b":{int(update.update_id)}}}\n')

    def done(self, update: object) -> None:
        """`update` was handled (whatever the outcome)."""
        if not isinstance(update, Update) or update.update_id not in self._pending:
            return
        del self._pending[update.update_id]
        self._starts.pop(update.update_id, None)
        self._append(f'{{"d":{int(update.update_id)}}}\n')
        if self._written > COMPACT_BYTES and len(self._pending) < 1000:
            self._compact()

    @property
    def pending(self) -> int:
        return len(self._pending)

    # -- the file ------------------------------------------------------------------------

    def _remember(self, update_id: int) -> None:
        self._seen[update_id] = None
        self._seen.move_to_end(update_id)
        while len(self._seen) > SEEN_KEPT:
            self._seen.popitem(last=False)

    def _append(self, line: str) -> None:
        # Opened per line: a few microseconds, and no descriptor outlives the application.
        data = line.encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        self._written += len(data)

    def _compact(self) -> None:
        """Rewrites the journal with only what is not handled, plus the ids seen lately."""
        lines = [f'{{"s":{i}}}\n' for i in self._seen if i not in self._pending]
        for i in sorted(self._pending):
            lines.append(f'{{"u":{self._pending[i]}}}\n')
            lines += [f'{{"b":{i}}}\n'] * self._starts.get(i, 0)
        write_atomic(self.path, "".join(lines).encode(), PRIVATE_FILE)
        self._written = 0


class JournaledQueue(asyncio.Queue[object]):
    """The application's update queue: what enters it is journaled first (`Inbox.record`);
    an update seen before is dropped."""

    def __init__(self, inbox: Inbox) -> None:
        super().__init__()
        self.inbox = inbox

    def put_nowait(self, item: object) -> None:
        if isinstance(item, Update) and not self.inbox.record(item):
            log.info("yinelenen güncelleme %d atlandı", item.update_id)
            return
        super().put_nowait(item)

    def replay(self, bot: Bot) -> tuple[int, set[int]]:
        """Queues the updates a killed run left unhandled (before polling starts): how many,
        and the ids of those whose handling had begun (to be handled alone, first)."""
        pending = self.inbox.load()
        suspects = set()
        for data, starts in pending:
            update = Update.de_json(data, bot)
            if starts:
                suspects.add(update.update_id)
            super().put_nowait(update)
        if pending:
            log.warning("önceki çalışmadan kalan %d güncelleme yeniden işleniyor", len(pending))
        return len(pending), suspects
