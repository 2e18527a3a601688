"""Staff dialogues that span two messages, kept in the staff member's own conversation state
(`context.user_data`) rather than in the memory of one process. The persistence keeps that
state: in the JSON file (bot/telegram/persistence.py) across a restart, and in PostgreSQL
(bot/telegram/pg_persistence.py), which every bot process reads afresh, under the user's
lock, before the handlers of each update, so the second message may reach another process.

* `NOTE_KEY`: the note button was pressed, the next text is the note:
  {"lead": 12, "until": <time>}; once the note was stored, "stored" holds the ref of its
  message ("<chat id>:<message id>", also on the note: bot/leads/rules.py `change_note`), so
  that this same message delivered again is confirmed again rather than stored twice or
  taken for a user's message.
* `ERASE_KEY`: a KVKK erasure waiting for its confirmation button:
  {"lead": 12, "reason": "...", "until": <time>}.

"until" is wall-clock time (seconds since the epoch): the same in every process and after a
restart, unlike one process's monotonic clock. What is kept holds no personal data: lead
numbers, times, a message ref (never the note's text) and the erasure's reason, which staff
typed and the audit entry keeps for good anyway (rules.audit_entry: the audit log holds no
personal data of the lead); here only until the button is pressed, the dialogue cancelled or
found expired.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import MutableMapping
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram.persistence import JsonPersistence
from bot.telegram.runtime import runtime

NOTE_KEY = "staff_note"
ERASE_KEY = "staff_erase"
NOTE_TTL_S = 15 * 60
CONFIRM_TTL_S = 10 * 60

State = MutableMapping[str, Any] | None


def wall_clock() -> float:
    """Seconds since the epoch (tests move it forward)."""
    return time.time()


@dataclasses.dataclass(frozen=True)
class PendingNote:
    lead_id: int
    until: float
    stored: str | None = None  # ref of the message already stored as this note


@dataclasses.dataclass(frozen=True)
class PendingErasure:
    lead_id: int
    reason: str
    until: float


def message_ref(update: Update) -> str | None:
    """Where a note came from: chat and message number (the same on every delivery)."""
    message = update.effective_message
    return None if message is None else f"{message.chat_id}:{message.message_id}"


# -- the note after the note button ------------------------------------------------------


def ask_note(data: State, lead_id: int) -> None:
    if data is not None:
        data[NOTE_KEY] = {"lead": int(lead_id), "until": wall_clock() + NOTE_TTL_S}


def note(data: State) -> PendingNote | None:
    """The note being waited for (or just stored); an expired or unreadable one is dropped."""
    raw = data.get(NOTE_KEY) if data is not None else None
    if raw is None or data is None:
        return None
    try:
        stored = raw.get("stored")
        entry = PendingNote(int(raw["lead"]), float(raw["until"]), str(stored) if stored else None)
    except (AttributeError, KeyError, TypeError, ValueError):
        entry = None
    if entry is None or wall_clock() > entry.until:
        data.pop(NOTE_KEY, None)
        return None
    return entry


def note_stored(data: State, entry: PendingNote, ref: str) -> None:
    if data is not None:
        data[NOTE_KEY] = {"lead": entry.lead_id, "until": entry.until, "stored": ref}


def drop_note(data: State) -> None:
    if data is not None:
        data.pop(NOTE_KEY, None)


# -- the KVKK erasure before its confirmation --------------------------------------------


def ask_erasure(data: State, lead_id: int, reason: str) -> None:
    if data is not None:
        until = wall_clock() + CONFIRM_TTL_S
        data[ERASE_KEY] = {"lead": int(lead_id), "reason": reason, "until": until}


def take_erasure(data: State) -> PendingErasure | None:
    """The erasure waiting for its button, removed from the state (a button is answered
    once); None when there is none or it expired."""
    raw = data.pop(ERASE_KEY, None) if data is not None else None
    if raw is None:
        return None
    try:
        entry = PendingErasure(int(raw["lead"]), str(raw["reason"]), float(raw["until"]))
    except (KeyError, TypeError, ValueError):
        return None
    return None if wall_clock() > entry.until else entry


# -- durability --------------------------------------------------------------------------


async def keep_now(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Writes the staff member's state at once with the JSON persistence (one fsynced journal
    line), which otherwise writes every few seconds: a bot killed in between would forget a
    step just asked for, or bring back one just finished (the next text taken as a note).
    PostgreSQL writes the state with the update's handled mark, in one statement; an earlier
    write there would only open a window between the two."""
    persistence = runtime(context).persistence
    user = update.effective_user
    if isinstance(persistence, JsonPersistence) and user is not None:
        await persistence.persist_user_now(user.id, dict(context.user_data or {}))
