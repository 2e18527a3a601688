"""One user's conversation state: a typed view over `context.user_data`, which the JSON
persistence writes to disk (bot/telegram/persistence.py), so every value here is JSON.

Design choice: one small state machine instead of a ConversationHandler. The questionnaire
engine's Session already *is* the conversation (current question, branches, answers,
summary); a ConversationHandler would keep a second copy of "where the user is" that can
disagree with the session after a restart or a back/restart button.

Keys: mode (None | "q" questionnaire | "centre" asked for a province | "budget"), q (the
engine Session of the walk in progress), source (deep-link parameter of /start), verdict (the
last eligibility verdict, carried into a later firm walk by the engine), submitted (message
ids of the last submitted walk's typed answers).
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any, Literal

from eligibility.questionnaire import Session

log = logging.getLogger(__name__)

Mode = Literal["q", "centre", "budget"]
DEFAULT_SOURCE = "telegram"
_SOURCE_RE = re.compile(r"[^A-Za-z0-9_-]")


def clean_source(raw: str) -> str:
    """Deep-link parameters are [A-Za-z0-9_-]{1,64} in Telegram; keep that shape anyway."""
    return _SOURCE_RE.sub("", raw)[:64] or DEFAULT_SOURCE


class UserState:
    def __init__(self, data: MutableMapping[str, Any] | None) -> None:
        self.data: MutableMapping[str, Any] = data if data is not None else {}

    # -- mode: what the next plain text message answers ----------------------------------

    @property
    def mode(self) -> Mode | None:
        mode = self.data.get("mode")
        return mode if mode in ("q", "centre", "budget") else None

    @mode.setter
    def mode(self, mode: Mode | None) -> None:
        if mode is None:
            self.data.pop("mode", None)
        else:
            self.data["mode"] = mode

    # -- the questionnaire walk ----------------------------------------------------------

    @property
    def has_walk(self) -> bool:
        return bool(self.data.get("q"))

    def walk(self) -> Session | None:
        """The walk in progress; None if there is none or it cannot be read (a session of an
        older engine version: the user starts afresh)."""
        data = self.data.get("q")
        if not data:
            return None
        try:
            return Session.from_dict(data)
        except Exception:
            log.warning("dropping an unreadable questionnaire session")
            self.clear_walk()
            return None

    def keep_walk(self, session: Session) -> None:
        self.data["q"] = session.to_dict()

    def clear_walk(self) -> None:
        self.data.pop("mode", None)
        self.data.pop("q", None)

    # -- what the user brought along -----------------------------------------------------

    @property
    def source(self) -> str:
        return str(self.data.get("source") or DEFAULT_SOURCE)

    def set_source(self, raw: str | None) -> None:
        if raw:
            self.data["source"] = clean_source(raw)
        else:
            self.data.setdefault("source", DEFAULT_SOURCE)

    @property
    def verdict(self) -> dict[str, Any] | None:
        found = self.data.get("verdict")
        return found if isinstance(found, dict) else None

    @verdict.setter
    def verdict(self, verdict: dict[str, Any] | None) -> None:
        if verdict is None:
            self.data.pop("verdict", None)
        else:
            self.data["verdict"] = verdict

    @property
    def submitted_refs(self) -> list[str]:
        """Ids of the typed messages that answered the last submitted walk: an edit of one
        is told that the submission no longer changes (user/edits.py)."""
        found = self.data.get("submitted")
        return [str(ref) for ref in found] if isinstance(found, list) else []

    @submitted_refs.setter
    def submitted_refs(self, refs: list[str]) -> None:
        self.data["submitted"] = list(refs)

    def forget_everything(self) -> None:
        """/sil: nothing of the user stays in the conversation state either."""
        self.clear_walk()
        self.data.pop("submitted", None)
        self.data.pop("verdict", None)
        self.data.pop("eligibility", None)  # the key an older version used
