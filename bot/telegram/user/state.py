"""One user's conversation state: a typed view over `context.user_data`, which the JSON
persistence writes to disk (bot/telegram/persistence.py), so every value here is JSON.

Design choice: one small state machine instead of a ConversationHandler. The questionnaire
engine's Session already *is* the conversation (current question, branches, answers,
summary); a ConversationHandler would keep a second copy of "where the user is" that can
disagree with the session after a restart or a back/restart button.

Keys: mode (None | "q" questionnaire | "centre" asked for a province | "budget"), q (the
engine Session of the walk in progress), budget (the guided estimate, a BudgetSession),
located (a province found from a shared location, waiting for "Samsun mu?"), source
(deep-link parameter of /start), verdict (the last eligibility verdict, carried into a later
firm walk by the engine), told_language (the non-Turkish line was shown once), submitted
(message ids of the last submitted walk's typed answers), result_shown (the submission key
of the last result shown), outbox (replies kept for the user's next message:
bot/telegram/outbox.py). A staff member's state also holds staff_note and staff_erase
(bot/telegram/staff/pending.py), which nothing here reads.
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any, Literal

from eligibility.budget_walk import BudgetSession
from eligibility.questionnaire import Session

log = logging.getLogger(__name__)

Mode = Literal["q", "centre", "budget"]
DEFAULT_SOURCE = "telegram"
_SOURCE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def clean_source(raw: str) -> str:
    """Deep-link parameters are [A-Za-z0-9_-]{1,64} in Telegram. Anything else (typed by
    hand, or hostile: markup, paths, a flood) is ignored, never repaired into a source nor
    echoed: the lead's source is then the default."""
    return raw if _SOURCE_RE.fullmatch(raw or "") else DEFAULT_SOURCE


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
        self.data.pop("located", None)

    # -- the guided grant estimate -------------------------------------------------------

    def budget(self) -> BudgetSession | None:
        data = self.data.get("budget")
        if not data:
            return None
        try:
            return BudgetSession.from_dict(data)
        except Exception:
            log.warning("dropping an unreadable budget session")
            self.clear_budget()
            return None

    def keep_budget(self, session: BudgetSession) -> None:
        self.data["budget"] = session.to_dict()

    def clear_budget(self) -> None:
        self.data.pop("budget", None)
        if self.data.get("mode") == "budget":
            self.data.pop("mode", None)

    # -- a province found from a shared location, waiting for its confirmation ------------

    @property
    def located(self) -> str | None:
        found = self.data.get("located")
        return found if isinstance(found, str) else None

    @located.setter
    def located(self, province: str | None) -> None:
        if province is None:
            self.data.pop("located", None)
        else:
            self.data["located"] = province

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

    @property
    def result_shown(self) -> str | None:
        """The submission key of the last walk whose result was shown (a walk finished again
        after a crash is not counted twice: user/submission.py)."""
        found = self.data.get("result_shown")
        return found if isinstance(found, str) else None

    @result_shown.setter
    def result_shown(self, key: str | None) -> None:
        if key is None:
            self.data.pop("result_shown", None)
        else:
            self.data["result_shown"] = key

    def forget_everything(self) -> None:
        """/sil: nothing of the user stays in the conversation state either."""
        self.clear_walk()
        self.data.pop("submitted", None)
        self.result_shown = None
        self.clear_budget()
        self.located = None
        self.data.pop("verdict", None)
        self.data.pop("eligibility", None)  # the key an older version used
